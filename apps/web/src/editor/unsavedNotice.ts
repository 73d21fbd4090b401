import type { LiveSnapshot } from './liveResolution.ts'

/** Where words the server does not hold were shown: a paragraph it has, one it never had, a deletion, a translation's paragraph. */
export type UnsavedPlace = 'paragraph' | 'newParagraph' | 'deletion' | 'translation'

const KEYS: Record<UnsavedPlace, Record<LiveSnapshot['unsavedBecause'], string>> = {
  paragraph: { rights: 'amendments.unsaved', refused: 'amendments.unsavedRefused', lost: 'amendments.unsavedLost' },
  newParagraph: { rights: 'amendments.unsavedNew', refused: 'amendments.unsavedNewRefused', lost: 'amendments.unsavedNewLost' },
  deletion: { rights: 'amendments.deletionUnsaved', refused: 'amendments.deletionUnsavedRefused', lost: 'amendments.deletionUnsavedLost' },
  translation: { rights: 'translations.unsaved', refused: 'translations.unsavedRefused', lost: 'translations.unsavedLost' },
}

/**
 * The notice's text, by why the words were not kept: a right lost, the server refusing them, or others' words a
 * connection cut lost (4411), which the person did not write and the server did not refuse.
 */
export function unsavedNoticeKey(place: UnsavedPlace, because: LiveSnapshot['unsavedBecause']): string {
  return KEYS[place][because]
}
