/**
 * What a word is made of, as regular expression sources: letters, digits and
 * marks (a combining accent belongs to its letter, "e\u0301" is "é"). The
 * tokenizer (words.ts, datesAndTimes.ts), the signs a reader sees (tokens.ts)
 * and what counts as the same new word (edits.ts) must agree on it: a
 * character one of them took for a word's and another for punctuation would
 * let a merge cut a word in two.
 */
export const WORD_CHARACTER = String.raw`[\p{L}\p{N}\p{M}]`

/** One character that is neither part of a word nor white space: punctuation, a symbol, a Markdown marker. */
export const OTHER_CHARACTER = String.raw`[^\p{L}\p{N}\p{M}\s]`
