import type { TranslationService } from '../../translations/service.ts'
import type { Extension } from '../extension.ts'

/**
 * Language versions follow their original: any change to the original made
 * on this instance (typed, an accepted amendment, the server's own), and any
 * change a connection makes to a version, has every version of the
 * resolution aligned again and the blocks whose status changed announced.
 * Changes from other instances are followed where they were made; the
 * server's own alignments set nothing off. A version loading sets a run
 * off, unless a run of following is what loads it (`loaded`).
 */
export function translationFollowing({ translations }: { translations: () => TranslationService }): Extension {
  return {
    name: 'translationFollowing',
    async afterLoadDocument({ document }) {
      if (document.language !== null) translations().loaded(document.resolutionId, document.name)
    },
    onChange({ document, origin }) {
      if (origin.kind === 'remote' || origin.kind === 'storage') return
      if (document.language === null || origin.kind === 'connection') translations().changed(document.resolutionId)
    },
    async onUnloadDocument({ document }) {
      if (document.language !== null) translations().forget(document.name)
    },
  }
}
