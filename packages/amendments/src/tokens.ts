import { normalizeRuns, type Run } from './inline.ts'
import type { Wording } from './wording.ts'
import { OTHER_CHARACTER, WORD_CHARACTER } from './wordCharacters.ts'
import { tokenize } from './words.ts'

/**
 * The unit merges work in: a word, a run of white space, or one other
 * character (punctuation), together with its formatting. A word made bold
 * is a different token from the same word plain, so one side's bold can
 * never pair with the other side's, and a merge never writes markup.
 */
export interface Token {
  text: string
  bold: boolean
  italic: boolean
}

const WORD = new RegExp(`^${WORD_CHARACTER}`, 'u')

/** Between two paragraphs of a wording: the only empty token, so no text can be mistaken for it. */
export const PARAGRAPH_BREAK: Token = Object.freeze({ text: '', bold: false, italic: false })

export function tokensOfRuns(runs: readonly Run[]): Token[] {
  return runs.flatMap((run) =>
    tokenize(run.text).map((text) => ({ text, bold: run.bold === true, italic: run.italic === true })),
  )
}

export function tokensOfWording(wording: Wording): Token[] {
  return wording.flatMap((runs, index) => (index === 0 ? tokensOfRuns(runs) : [PARAGRAPH_BREAK, ...tokensOfRuns(runs)]))
}

/** The smallest things a reader sees: a run of letters and digits, a run of white space, one other character. */
const SIGNS = new RegExp(String.raw`${WORD_CHARACTER}+|\s+|${OTHER_CHARACTER}`, 'gu')

/**
 * Tokens cut into signs, each with its token's formatting: a figure, a date
 * or a time is one token with its spaces and points ("1 000", "12 janv.
 * 2024", "10 h 30"), read here as the same text is outside one, so what is
 * said of a part of one (it is cut off, it reads the same) does not depend on
 * what the tokenizer joins.
 */
export function signsOf(tokens: readonly Token[]): Token[] {
  return tokens.flatMap((token) => (token.text.match(SIGNS) ?? []).map((text) => ({ ...token, text })))
}

const toRun = (token: Token): Run => ({ text: token.text, ...(token.bold ? { bold: true } : {}), ...(token.italic ? { italic: true } : {}) })

export function runsOfTokens(tokens: readonly Token[]): Run[] {
  return normalizeRuns(tokens.map(toRun))
}

/** Tokens back into paragraphs, split at paragraph breaks. */
export function wordingOfTokens(tokens: readonly Token[]): Wording {
  const paragraphs: Token[][] = [[]]
  for (const token of tokens) {
    if (isParagraphBreak(token)) paragraphs.push([])
    else paragraphs[paragraphs.length - 1]!.push(token)
  }
  return paragraphs.map(runsOfTokens)
}

export const isParagraphBreak = (token: Token) => token.text.length === 0

/** Words are what a reader counts; everything else (spaces, punctuation) only separates them. */
export const isWord = (token: Token) => isWordText(token.text)

/** Whether `text`, a token's or several's, starts as a word does. */
export const isWordText = (text: string) => WORD.test(text)

const continuing = new WeakMap<readonly Token[], readonly boolean[]>()

/**
 * For each token, whether it goes on with the word before it: tokens are cut
 * where the formatting changes, and a reader does not see a word, or a
 * figure, end there ("1 **000** 000", "dé*velopp*ement"). Read as the
 * paragraphs' text without formatting, a token goes on with the one before
 * when no piece of that text starts where it starts.
 */
export function continuesWord(tokens: readonly Token[]): readonly boolean[] {
  let known = continuing.get(tokens)
  if (known) return known
  // A paragraph break reads as a line break: no word goes on past it.
  const texts = tokens.map((token) => (isParagraphBreak(token) ? '\n' : token.text))
  const starts = new Set<number>()
  let at = 0
  for (const piece of tokenize(texts.join(''))) {
    starts.add(at)
    at += piece.length
  }
  at = 0
  known = texts.map((text) => {
    const goesOn = at > 0 && !starts.has(at)
    at += text.length
    return goesOn
  })
  continuing.set(tokens, known)
  return known
}

/** Equal tokens read the same and look the same. */
export const tokenKey = (token: Token) => `${token.bold ? 'b' : '-'}${token.italic ? 'i' : '-'}${token.text}`

export const sameToken = (a: Token, b: Token) => a.text === b.text && a.bold === b.bold && a.italic === b.italic
