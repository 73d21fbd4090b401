import type { Sessions } from '../../accounts/sessions.ts'
import type { Database } from '../../db/database.ts'
import { notFound, unauthorized } from '../../http/errors.ts'
import { resolutionExists } from '../../resolutions/repository.ts'
import { versionExists } from '../../translations/repository.ts'
import type { Extension } from '../extension.ts'

/** Who is connecting, decided once at the upgrade: a valid session, for a resolution (and a language version of it) that exists. */
export function authentication({ db, sessions }: { db: Database; sessions: Sessions }): Extension {
  return {
    name: 'authentication',
    async onAuthenticate({ resolutionId, language, token, wantsAcks }) {
      const session = await sessions.resolveSession(token)
      if (!session) throw unauthorized('The websocket needs a valid session token (?token=…) or the session cookie.')
      if (!(await resolutionExists(db, resolutionId))) throw notFound('resolution', resolutionId)
      if (language !== null && !(await versionExists(db, resolutionId, language))) throw notFound(`${language} version of this resolution`, resolutionId)
      return { person: session.person, sessionId: session.id, resolutionId, language, wantsAcks }
    },
  }
}
