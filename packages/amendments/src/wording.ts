import { BIDI_CONTROLS, leadingJoiners, normalizedText } from '@hemicycle/schema'
import { markdownToParagraphs, normalizeRuns, plainText, type Run, runsToMarkdown } from './inline.ts'

/**
 * An amendment's wording: its paragraphs, each a list of formatted runs. This
 * is the authoritative form, on the wire and in storage: inline Markdown
 * cannot say everything the editor can hold (bold "L'" directly before
 * "Alliance" has no CommonMark spelling), so Markdown is only a rendering
 * for people and a convenience on input.
 */
export type Wording = Run[][]

/**
 * The one spelling of a wording: NFC text without bidi controls, adjacent runs of the same
 * formatting joined, empty runs and blank paragraphs dropped. Two wordings
 * that read the same compare equal in this form.
 */
export function normalizeWording(wording: readonly (readonly Run[])[]): Wording {
  return wording.map(normalizeParagraph).filter((runs) => plainText(runs).trim().length > 0)
}

/**
 * One paragraph's runs in canonical form (as a text keeps it: NFC, no bidi
 * control; joined, no empty run); may be empty. Whatever a wording went
 * through, the server never writes a bidi control into the text.
 */
export function normalizeParagraph(runs: readonly Run[]): Run[] {
  // Bidi controls out first: one between a letter and its accent kept the accent from it (helper-168).
  const withoutControls = normalizeRuns(runs.map((run) => ({ ...run, text: run.text.replace(BIDI_CONTROLS, '') })))
  return normalizeRuns(accentsWithTheirLetters(withoutControls).map((run) => ({ ...run, text: normalizedText(run.text) })))
}

/**
 * An accent (or what else NFC joins to the character before) opening a run moved to the end of the run before, so
 * NFC composes it with its letter: "Cafe" plain then "\u0301" bold read "Café", and was kept, tabled and adopted as
 * "Cafe**\u0301**" (the live text does the same, `normalizeYText`).
 */
function accentsWithTheirLetters(runs: readonly Run[]): Run[] {
  const out: Run[] = []
  for (const run of runs) {
    const last = out.at(-1)
    const joiners = last ? leadingJoiners(run.text) : ''
    if (last && joiners.length > 0) {
      last.text += joiners
      if (joiners.length < run.text.length) out.push({ ...run, text: run.text.slice(joiners.length) })
    } else out.push({ ...run })
  }
  return out
}

/** Inline Markdown, blank lines between paragraphs, as a wording. */
export function markdownToWording(markdown: string): Wording {
  return normalizeWording(markdownToParagraphs(markdown.normalize('NFC')))
}

/** The wording as inline Markdown, for people to read (not to parse back: see `Wording`). */
export function wordingToMarkdown(wording: readonly Run[][]): string {
  return wording.map(runsToMarkdown).join('\n\n')
}

/** How long the longest of its paragraphs would be as a block's text (`MAX_BLOCK_TEXT` counts the same way). */
export function longestParagraph(wording: readonly Run[][]): number {
  return wording.reduce((longest, paragraph) => Math.max(longest, paragraphLength(paragraph)), 0)
}

/** How many characters (UTF-16 units) the wording has in all its paragraphs: at most what it adds to a text. */
export function wordingLength(wording: readonly Run[][]): number {
  return wording.reduce((sum, paragraph) => sum + paragraphLength(paragraph), 0)
}

const paragraphLength = (paragraph: readonly Run[]) => paragraph.reduce((length, run) => length + run.text.length, 0)

/** The words alone, paragraphs separated by a blank line. */
export function wordingText(wording: readonly Run[][]): string {
  return wording.map(plainText).join('\n\n')
}

export function sameWording(a: readonly Run[][], b: readonly Run[][]): boolean {
  return JSON.stringify(normalizeWording(a)) === JSON.stringify(normalizeWording(b))
}
