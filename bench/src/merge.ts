import { threeWayMerge, type Wording } from '@hemicycle/amendments'
import DiffMatchPatch from 'diff-match-patch'
import { readFileSync } from 'node:fs'

export interface MergeResult {
  method: string
  merges: number
  perSecond: number
  /** Overlapping changes merged without a word (text silently chosen or misplaced). */
  silentOnOverlap: number
  overlapping: number
}

const dmp = new DiffMatchPatch()

/** Paragraphs of the real draft, each with a proposal and a concurrent change: half far apart, half on the same words. */
function cases(): Array<{ base: string; current: string; proposal: string; overlapping: boolean }> {
  const fixture = readFileSync(new URL('../../fixtures/cohesion-sociale-et-progres.fr.md', import.meta.url), 'utf8').replace(/^---[\s\S]*?---\n/, '')
  const paragraphs = fixture.split(/\n\n+/).map((text) => text.trim()).filter((text) => text.split(' ').length > 12)
  return paragraphs.flatMap((base) => {
    const words = base.split(' ')
    const at = (i: number, word: string) => words.map((w, j) => (j === i ? word : w)).join(' ')
    return [
      { base, proposal: at(2, 'PROPOSÉ'), current: at(words.length - 3, 'COURANT'), overlapping: false },
      { base, proposal: at(5, 'PROPOSÉ'), current: at(5, 'COURANT'), overlapping: true },
    ]
  })
}

function time(run: () => void, minimumMs = 400): number {
  let count = 0
  const started = performance.now()
  while (performance.now() - started < minimumMs) {
    run()
    count++
  }
  return count / ((performance.now() - started) / 1000)
}

/** Hemicycle's three-way rebase against diff-match-patch's fuzzy patch, the approach the contract rules out. */
const plain = (text: string): Wording => [[{ text }]]

export function mergeBenchmark(): MergeResult[] {
  const all = cases()
  const overlapping = all.filter((c) => c.overlapping)
  const rebaseAll = () => {
    for (const c of all) threeWayMerge(plain(c.base), plain(c.current), plain(c.proposal))
  }
  const patchAll = () => {
    for (const c of all) dmp.patch_apply(dmp.patch_make(c.base, c.proposal), c.current)
  }
  // Each untimed first, as the fan-out types untimed for a second: the first 400 ms of the rebase (code compiled, its
  // tables of words, figures and dates built) ran 150 merges/s, the next 1,000 to 1,600, which is what a server does.
  time(rebaseAll)
  time(patchAll)
  const threeWay = time(rebaseAll)
  const fuzzy = time(patchAll)
  const silentThreeWay = overlapping.filter((c) => threeWayMerge(plain(c.base), plain(c.current), plain(c.proposal)).ok).length
  const silentFuzzy = overlapping.filter((c) => {
    const [, applied] = dmp.patch_apply(dmp.patch_make(c.base, c.proposal), c.current)
    return applied.every(Boolean)
  }).length
  return [
    { method: 'three-way rebase (Hemicycle)', merges: all.length, perSecond: threeWay * all.length, silentOnOverlap: silentThreeWay, overlapping: overlapping.length },
    { method: 'diff-match-patch patch_apply', merges: all.length, perSecond: fuzzy * all.length, silentOnOverlap: silentFuzzy, overlapping: overlapping.length },
  ]
}
