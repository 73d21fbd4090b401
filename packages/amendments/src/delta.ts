import type { Run } from './inline.ts'
import { diffTokens } from './tokenDiff.ts'
import { tokensOfRuns } from './tokens.ts'
import { DELETE, type Diff, EQUAL, INSERT } from './words.ts'

/** Formatting as Yjs text attributes, the way the editor's binding stores marks (`{bold: {}}`; null removes). */
export type Attributes = Partial<Record<'bold' | 'italic', Record<string, never> | null>>

/** A Yjs text delta operation. */
export type DeltaOp = { retain: number; attributes?: Attributes } | { insert: string; attributes?: Attributes } | { delete: number }

type Format = { bold: boolean; italic: boolean }

function formats(runs: readonly Run[]): Format[] {
  return runs.flatMap((run) => Array.from({ length: run.text.length }, () => ({ bold: !!run.bold, italic: !!run.italic })))
}

const sameFormat = (a: Format, b: Format) => a.bold === b.bold && a.italic === b.italic

function attributesFor(format: Format, from?: Format): Attributes | undefined {
  const attributes: Attributes = {}
  for (const mark of ['bold', 'italic'] as const) {
    if (from === undefined) {
      if (format[mark]) attributes[mark] = {}
    } else if (format[mark] !== from[mark]) {
      attributes[mark] = format[mark] ? {} : null
    }
  }
  return Object.keys(attributes).length > 0 ? attributes : undefined
}

/** The word diff of two plain texts (see `diffTokens`), as stretches of text. */
function wordSteps(before: string, after: string): Diff[] {
  const a = tokensOfRuns([{ text: before }])
  const b = tokensOfRuns([{ text: after }])
  let i = 0
  let j = 0
  return diffTokens(a, b).map(([op, length]): Diff => {
    const tokens = op === INSERT ? b.slice(j, j + length) : a.slice(i, i + length)
    if (op !== INSERT) i += length
    if (op !== DELETE) j += length
    return [op, tokens.map((token) => token.text).join('')]
  })
}

/**
 * The plain-text changes between two texts: a raw word diff (no semantic
 * cleanup, which would fold an unchanged word into a change and so delete
 * and re-insert it), then, inside each replaced stretch, the characters both
 * sides share at its ends are kept ("nous" → "Nous" deletes only "n").
 */
function minimalDiff(before: string, after: string): Diff[] {
  const out: Diff[] = []
  const raw = wordSteps(before, after)
  for (let i = 0; i < raw.length; i++) {
    const [op, text] = raw[i]!
    const next = raw[i + 1]
    if (op === DELETE && next?.[0] === INSERT) {
      const inserted = next[1]
      let head = 0
      while (head < text.length && head < inserted.length && text[head] === inserted[head]) head++
      let tail = 0
      while (tail < text.length - head && tail < inserted.length - head && text[text.length - 1 - tail] === inserted[inserted.length - 1 - tail]) tail++
      // Never split a surrogate pair between kept and changed.
      while (head > 0 && /[\ud800-\udbff]/.test(text[head - 1]!)) head--
      while (tail > 0 && /[\udc00-\udfff]/.test(text[text.length - tail]!)) tail--
      if (head > 0) out.push([EQUAL, text.slice(0, head)])
      if (text.length - head - tail > 0) out.push([DELETE, text.slice(head, text.length - tail)])
      if (inserted.length - head - tail > 0) out.push([INSERT, inserted.slice(head, inserted.length - tail)])
      if (tail > 0) out.push([EQUAL, text.slice(text.length - tail)])
      i++
    } else if (text.length > 0) out.push([op, text])
  }
  return out
}

/**
 * The smallest Yjs delta that turns a paragraph's current runs into the
 * target runs: unchanged characters are retained (so what someone types
 * next to them at the same moment stays where it was typed), changed ones
 * deleted and inserted, and formatting changed only where it differs.
 */
export function planDelta(current: readonly Run[], target: readonly Run[]): DeltaOp[] {
  const currentText = current.map((run) => run.text).join('')
  const targetText = target.map((run) => run.text).join('')
  const currentFormats = formats(current)
  const targetFormats = formats(target)
  const ops: DeltaOp[] = []
  const push = (op: DeltaOp) => {
    const last = ops[ops.length - 1]
    if (last && 'retain' in last && 'retain' in op && JSON.stringify(last.attributes) === JSON.stringify(op.attributes)) last.retain += op.retain
    else ops.push(op)
  }

  let c = 0
  let t = 0
  for (const [op, text] of minimalDiff(currentText, targetText)) {
    if (op === DELETE) {
      push({ delete: text.length })
      c += text.length
    } else if (op === INSERT) {
      for (let i = 0; i < text.length; ) {
        const format = targetFormats[t + i]!
        let j = i + 1
        while (j < text.length && sameFormat(targetFormats[t + j]!, format)) j++
        const attributes = attributesFor(format)
        push(attributes ? { insert: text.slice(i, j), attributes } : { insert: text.slice(i, j) })
        i = j
      }
      t += text.length
    } else if (op === EQUAL) {
      for (let i = 0; i < text.length; ) {
        const change = attributesFor(targetFormats[t + i]!, currentFormats[c + i]!)
        let j = i + 1
        while (j < text.length && JSON.stringify(attributesFor(targetFormats[t + j]!, currentFormats[c + j]!)) === JSON.stringify(change)) j++
        push(change ? { retain: j - i, attributes: change } : { retain: j - i })
        i = j
      }
      c += text.length
      t += text.length
    }
  }
  // A trailing plain retain changes nothing.
  const last = ops[ops.length - 1]
  if (last && 'retain' in last && !last.attributes) ops.pop()
  return ops
}

/** Applies a delta to runs: what the live text becomes (for tests and previews). */
export function applyDelta(runs: readonly Run[], delta: readonly DeltaOp[]): Run[] {
  // UTF-16 units, as Yjs counts them.
  const chars = runs.flatMap((run) => run.text.split('').map((char) => ({ char, bold: !!run.bold, italic: !!run.italic })))
  const out: typeof chars = []
  let at = 0
  for (const op of delta) {
    if ('delete' in op) at += op.delete
    else if ('insert' in op) {
      for (const char of op.insert.split('')) out.push({ char, bold: op.attributes?.bold != null, italic: op.attributes?.italic != null })
    } else {
      for (const char of chars.slice(at, at + op.retain)) {
        out.push({
          char: char.char,
          bold: op.attributes && 'bold' in op.attributes ? op.attributes.bold !== null : char.bold,
          italic: op.attributes && 'italic' in op.attributes ? op.attributes.italic !== null : char.italic,
        })
      }
      at += op.retain
    }
  }
  out.push(...chars.slice(at))
  const result: Run[] = []
  for (const { char, bold, italic } of out) {
    const last = result[result.length - 1]
    if (last && !!last.bold === bold && !!last.italic === italic) last.text += char
    else result.push({ text: char, ...(bold ? { bold: true as const } : {}), ...(italic ? { italic: true as const } : {}) })
  }
  return result
}
