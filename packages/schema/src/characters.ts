/**
 * The C1 control characters, U+0080–U+009F: what text decoded as Latin-1
 * when it was Windows-1252 holds ("l\u0092Alliance" for "l’Alliance"). The
 * screen draws nothing for them, the PDFs and the record "�".
 */
export const isC1Control = (code: number) => code >= 0x80 && code <= 0x9f

/**
 * Characters a resolution never holds: control characters (tab aside), C1
 * included, and the non-characters U+FFFE and U+FFFF. They have no meaning
 * in a paragraph and break exports (XML cannot carry most of them, the PDF
 * prints none), so the server refuses text holding them, imports read them
 * as spaces and the editor cleans them out of what is pasted.
 */
export const isForbiddenCharacter = (code: number) => (code < 0x20 && code !== 0x09) || code === 0x7f || isC1Control(code) || code === 0xfffe || code === 0xffff

/**
 * Bidi embedding, override and isolate controls (U+202A–U+202E,
 * U+2066–U+2069), and the left-to-right, right-to-left and Arabic letter
 * marks (U+200E, U+200F, U+061C). A browser (the editor, the HTML export, a
 * Markdown reader) lays out the text around them in the direction they
 * force; the PDFs, the record among them, draw text as it is stored:
 * "\u202e61\u202c" reads "16" on screen and prints "61", "12\u200f-\u200f34"
 * reads "1234-". The texts are French, English and Spanish: nothing there
 * needs them. So the text never keeps them.
 */
export const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g

/**
 * Characters that no neighbour composes with and that NFC never changes,
 * none of them a bidi control: ASCII, Latin-1 and the Latin extensions up to
 * the combining marks (U+0300), the general punctuation French typography
 * uses (’ — … and the narrow no-break space), and the currency signs (control
 * characters other than tab and line feed take the long way). A text
 * made of these alone is already as a resolution keeps it; telling so takes
 * one scan, where composing it takes a copy. The server checks every text a
 * keystroke touches, and French, English and Spanish prose is nearly always
 * in this set. (Each of them, and every pair of them, is checked in
 * characters.test.ts.)
 */
export const SETTLED_TEXT = /^[\t\n\u0020-\u02ff\u2002-\u200d\u2010-\u2029\u202f-\u2065\u206a-\u206f\u20a0-\u20cf]*$/

/** Text as a resolution keeps it: composed (NFC), without bidi controls (see `BIDI_CONTROLS`). */
export const normalizedText = (text: string) => (SETTLED_TEXT.test(text) ? text : text.replace(BIDI_CONTROLS, '').normalize('NFC'))

/** The characters `isForbiddenCharacter` forbids, as a pattern for a whole text. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const FORBIDDEN_CHARACTERS = /[\0-\x08\n-\x1f\x7f-\x9f\ufffe\uffff]/g

/** Text read from a file to import: each forbidden character becomes a space, as Markdown's import reads one. */
export const forbiddenAsSpaces = (text: string) => text.replace(FORBIDDEN_CHARACTERS, ' ')

/**
 * Invisible characters a copy brings from a page or a word processor that split a word for a search and a comparison
 * while the screen shows it whole ("Con\u00adseil", "mo\u2060tion"): soft hyphens, zero-width spaces, word joiners and
 * byte-order marks. Joiners that shape a script or an emoji (U+200C, U+200D) are kept.
 */
const INVISIBLE_IN_PASTE = new Set([0x00ad, 0x200b, 0x2060, 0xfeff])

/**
 * Pasted text or HTML as the editor should read it: each forbidden character
 * becomes a space, except line breaks, which still separate paragraphs; the
 * invisible characters above go.
 */
export function cleanPaste(text: string): string {
  let out = ''
  for (const character of text) {
    const code = character.charCodeAt(0)
    if (INVISIBLE_IN_PASTE.has(code)) continue
    out += isForbiddenCharacter(code) && code !== 0x0a && code !== 0x0d ? ' ' : character
  }
  return out
}
