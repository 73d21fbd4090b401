/**
 * A regular expression source for a word in any case, with or without its
 * accents (typed without them, or with a combining accent): French and
 * Spanish write their months and days in lower case, capitalised at a
 * sentence's start, in capitals on a title; "5 BIS" is "5 bis".
 */
export function inAnyCase(name: string): string {
  return Array.from(name, (letter) => {
    if (letter === '.') return String.raw`\.`
    const bare = letter.normalize('NFD')[0]!
    const forms = [...new Set([letter, bare, letter.toUpperCase(), bare.toUpperCase()])].join('')
    return letter === bare ? `[${forms}]` : `[${forms}]\\p{M}?`
  }).join('')
}
