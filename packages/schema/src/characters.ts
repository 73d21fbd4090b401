/**
 * Characters a resolution never holds: control characters (tab aside) and
 * the non-characters U+FFFE and U+FFFF. They have no meaning in a paragraph
 * and break exports (XML cannot carry them), so the server refuses text
 * holding them and the editor cleans them out of what is pasted.
 */
export const isForbiddenCharacter = (code: number) => (code < 0x20 && code !== 0x09) || code === 0x7f || code === 0xfffe || code === 0xffff

/**
 * Pasted text or HTML as the editor should read it: each forbidden character
 * becomes a space, except line breaks, which still separate paragraphs.
 */
export function cleanPaste(text: string): string {
  let out = ''
  for (const character of text) {
    const code = character.charCodeAt(0)
    out += isForbiddenCharacter(code) && code !== 0x0a && code !== 0x0d ? ' ' : character
  }
  return out
}
