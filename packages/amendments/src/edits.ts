import { type Diff, EQUAL, INSERT, wordDiff } from './words.ts'

/** A change to a text: the span [from, to) of the original is replaced by `insert`. */
export interface Edit {
  from: number
  to: number
  insert: string
}

/** The edits that turn `base` into `other`, as spans of `base`, in order, never adjacent; as small as the diff finds them. */
export function editsBetween(base: string, other: string): Edit[] {
  return editsOf(wordDiff(base, other, { semantic: false }))
}

export function editsOf(diffs: readonly Diff[]): Edit[] {
  const edits: Edit[] = []
  let at = 0
  let open: Edit | null = null
  for (const [op, text] of diffs) {
    if (op === EQUAL) {
      if (open) edits.push(open)
      open = null
      at += text.length
      continue
    }
    open ??= { from: at, to: at, insert: '' }
    if (op === INSERT) open.insert += text
    else {
      open.to += text.length
      at += text.length
    }
  }
  if (open) edits.push(open)
  return edits
}

/** Applies edits given as spans of `text`, in any order, none overlapping. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = ''
  let at = 0
  for (const edit of [...edits].sort((a, b) => a.from - b.from || a.to - b.to)) {
    out += text.slice(at, edit.from) + edit.insert
    at = edit.to
  }
  return out + text.slice(at)
}

/** Two edits of one text collide when their spans overlap or touch: both change the same words, or words side by side. */
export function collide(a: Edit, b: Edit): boolean {
  return a.from <= b.to && b.from <= a.to
}

export const sameEdit = (a: Edit, b: Edit) => a.from === b.from && a.to === b.to && a.insert === b.insert
