import DiffMatchPatch from 'diff-match-patch'

/** One step of a diff: kept, removed from the first text, or added by the second. */
export type DiffOp = -1 | 0 | 1
export type Diff = [DiffOp, string]

export const DELETE: DiffOp = -1
export const EQUAL: DiffOp = 0
export const INSERT: DiffOp = 1

const dmp = new DiffMatchPatch()

/**
 * Words, runs of spaces, and single other characters (punctuation, Markdown
 * markers): the units a reader sees change. "l'Homme" is three tokens, so
 * changing "l'Homme" to "l'humain" changes one word, not the article.
 */
export function tokenize(text: string): string[] {
  return text.match(/[\p{L}\p{N}\p{M}]+|\s+|[^\p{L}\p{N}\p{M}\s]/gu) ?? []
}

/**
 * A word-level diff (diff-match-patch over tokens), so that a tracked change
 * strikes and underlines whole words. Each token is mapped to one character
 * for the diff, then mapped back. Semantic cleanup (the default) makes a
 * change read as people would describe it, folding short unchanged stretches
 * into the change; merging asks for the raw diff instead, whose smaller
 * changes collide less.
 */
export function wordDiff(before: string, after: string, { semantic = true }: { semantic?: boolean } = {}): Diff[] {
  const vocabulary = new Map<string, string>()
  const tokens: string[] = []
  const encode = (text: string) =>
    tokenize(text)
      .map((token) => {
        let code = vocabulary.get(token)
        if (code === undefined) {
          // Skip the surrogate range so every token is one UTF-16 unit.
          const index = tokens.length
          code = String.fromCharCode(index < 0xd800 - 0x100 ? index + 0x100 : index + 0x100 + 0x800)
          vocabulary.set(token, code)
          tokens.push(token)
        }
        return code
      })
      .join('')
  const diffs = dmp.diff_main(encode(before), encode(after), false)
  if (semantic) dmp.diff_cleanupSemantic(diffs)
  const decode = (codes: string) => Array.from(codes, (code) => {
    const unit = code.charCodeAt(0) - 0x100
    return tokens[unit < 0xd800 - 0x100 ? unit : unit - 0x800]!
  }).join('')
  return diffs.map(([op, codes]) => [op as DiffOp, decode(codes)])
}

/** The text before (`which = DELETE`) or after (`INSERT`) the diff. */
export function side(diffs: readonly Diff[], which: typeof DELETE | typeof INSERT): string {
  return diffs.filter(([op]) => op === EQUAL || op === which).map(([, text]) => text).join('')
}
