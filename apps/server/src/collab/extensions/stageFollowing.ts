import type { LiveEvents } from '../../events/liveEvents.ts'
import type { CollabServer } from '../collabServer.ts'
import type { Extension } from '../extension.ts'
import type { LiveDocument } from '../liveDocument.ts'

/** Keeps each live document's stage, and so its connections' write rights, in step with stage changes made on any instance. */
export function stageFollowing({ events, collab }: { events: LiveEvents; collab: () => CollabServer }): Extension {
  const subscriptions = new Map<LiveDocument, () => void>()
  return {
    name: 'stageFollowing',
    async afterLoadDocument({ document }) {
      subscriptions.set(
        document,
        events.subscribe(document.resolutionId, (event) => {
          if (event.type === 'stage') collab().followStage(document.resolutionId, event.resolution.stage)
        }),
      )
    },
    async onUnloadDocument({ document }) {
      subscriptions.get(document)?.()
      subscriptions.delete(document)
    },
  }
}
