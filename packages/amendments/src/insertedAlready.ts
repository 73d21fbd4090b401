import * as Y from 'yjs'
import { insertionPlace, readRuns } from './document.ts'
import type { Run } from './inline.ts'
import { signsOf, tokenKey, tokensOfRuns } from './tokens.ts'
import { normalizeParagraph, normalizeWording, type Wording } from './wording.ts'

/**
 * How much of the paragraphs an amendment adds after a block the text holds
 * there already: `all` (they stand, one after the other, somewhere from right
 * after the block to right after the paragraphs earlier acceptances put
 * there), `some` (one of them stands there, but not all of them so), or
 * `none`. Null when the block is gone.
 *
 * Two delegations tabling the same new paragraph after §3 propose one
 * change: accepting both must write it once, as the same rewording accepted
 * twice is applied once. Written twice, the resolution would hold it twice.
 * Some of them only is for the chair to settle: writing them all would
 * repeat those already there, writing only the others would be a wording
 * nobody tabled.
 */
export type AlreadyInserted = 'all' | 'some' | 'none'

const FORMAT = /\p{Cf}/gu
const SPACE = /^\s/u
/** The hyphen (U+2010) and the non-breaking hyphen (U+2011) look as "-" does: the same paragraph spelt with either was written twice. */
const HYPHENS = /[\u2010\u2011]/gu

/**
 * A paragraph as a reader tells it from another: its words and punctuation
 * with their bold and italic, composed, white space between them only as
 * present or not (how much, and its formatting, cannot be seen), none at
 * its ends, no invisible format characters (a wording never holds them:
 * the protocol takes them out), and every hyphen that looks like "-" as "-".
 */
export function paragraphAsRead(runs: readonly Run[]): string {
  const keys: string[] = []
  // Sign by sign (see `signsOf`): "1 000" reads the same as "1  000", or as "1" and "000" with a bold space between,
  // and "12 janv." the same as "12", a bold space, then "janv." (no date alone).
  for (const sign of signsOf(tokensOfRuns(normalizeParagraph(runs.map((run) => ({ ...run, text: run.text.replace(FORMAT, '').replace(HYPHENS, '-') })))))) {
    const key = SPACE.test(sign.text) ? ' ' : tokenKey(sign)
    if (key === ' ' && (keys.length === 0 || keys[keys.length - 1] === ' ')) continue
    keys.push(key)
  }
  if (keys[keys.length - 1] === ' ') keys.pop()
  return keys.join('\u0000')
}

export function insertedAlready(doc: Y.Doc, blockId: string | null, paragraphs: Wording, earlier: ReadonlySet<string> = new Set()): AlreadyInserted | null {
  const place = insertionPlace(doc, blockId, earlier)
  if (!place) return null
  const wanted = normalizeWording(paragraphs).map(paragraphAsRead)
  if (wanted.length === 0) return 'none'
  const { siblings } = place
  const read = (index: number) => {
    const sibling = siblings[index]
    // A heading or a list with the same words is another thing than the paragraph an insertion writes.
    return sibling instanceof Y.XmlElement && sibling.nodeName === 'paragraph' ? paragraphAsRead(readRuns(sibling)) : null
  }
  for (let start = place.after; start <= place.at; start++) if (wanted.every((key, offset) => read(start + offset) === key)) return 'all'
  const there = new Set<string | null>()
  for (let index = place.after; index <= place.at; index++) there.add(read(index))
  return wanted.some((key) => there.has(key)) ? 'some' : 'none'
}
