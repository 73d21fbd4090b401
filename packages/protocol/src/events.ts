import { z } from 'zod'
import { Amendment } from './amendments.ts'
import { Language, Resolution, Stage } from './model.ts'
import { TranslationStatus } from './translations.ts'

/** What `GET /api/resolutions/<id>/events` streams (server-sent events; the event name is `type`). */
export const LiveEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('amendment'), action: z.enum(['created', 'changed']), amendment: Amendment }),
  z.object({ type: z.literal('stage'), from: Stage, resolution: Resolution, reason: z.string().optional(), by: z.string() }),
  z.object({
    type: z.literal('rights'),
    mayEdit: z.boolean(),
    reason: z.enum(['observer', 'stage', 'role']).nullable(),
    /** The same for the resolution's language versions, which other people write (the secretariat and translators). */
    versions: z.object({ mayEdit: z.boolean(), reason: z.enum(['observer', 'stage', 'role']).nullable() }),
  }),
  z.object({ type: z.literal('saving'), state: z.enum(['delayed', 'recovered']) }),
  /** A block of a language version changed status: the original changed under it, it was confirmed, filled or emptied. */
  z.object({ type: z.literal('translation'), language: Language, sourceId: z.string(), status: TranslationStatus }),
  z.object({ type: z.literal('deadline'), resolution: Resolution, previous: z.string().nullable(), by: z.string() }),
])
export type LiveEvent = z.infer<typeof LiveEvent>
