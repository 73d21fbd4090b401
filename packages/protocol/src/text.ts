import { z } from 'zod'

/**
 * Unicode format characters (category Cf): zero-width spaces and joiners,
 * bidi embeddings and overrides, soft hyphens. Nobody sees them, so in a
 * wording or a justification they can only mislead: a proposal that looks
 * identical to the text it changes, a justification that looks given, words
 * shown in another order than they are stored.
 */
const FORMAT_CHARACTERS = /\p{Cf}/gu

export function withoutFormatCharacters(text: string): string {
  return text.replace(FORMAT_CHARACTERS, '')
}

/** The code a refusal for a control character carries (the contract's 400 `invalid_character`), as the issue's `params.code`. */
export const INVALID_CHARACTER = 'invalid_character'

/**
 * Characters no record can store: control characters other than tab and
 * line breaks, DEL, the non-characters U+FFFE and U+FFFF (XML, and so a
 * Word document, cannot carry them), and half of a surrogate pair (UTF-8,
 * and so the database and every export, cannot). The C1 controls too
 * (U+0080–U+009F, left by text decoded with the wrong code page): the
 * screen shows nothing for them and the PDF "�", so a wording holding one
 * would print otherwise than it reads. The editor's text refuses them too
 * (`isForbiddenCharacter`), line breaks as well.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const UNSTORABLE = /[\0-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]|\p{Cs}/u
const LINE_BREAK = /[\n\r]/

const storable = { message: 'The text holds a control character or another character that cannot be stored.', params: { code: INVALID_CHARACTER } }

/**
 * Text people write into a record (wordings, justifications, reasons,
 * comments): format characters are taken out, characters that cannot be
 * stored refused, then the length checked.
 */
export const PlainText = (maxLength: number) =>
  z
    .string()
    .overwrite(withoutFormatCharacters)
    .refine((text) => !UNSTORABLE.test(text), storable)
    .max(maxLength)

/** Words of one paragraph (a run of a wording): as `PlainText`, and without line breaks, which a paragraph never holds. */
export const ParagraphText = (maxLength: number) => PlainText(maxLength).refine((text) => !LINE_BREAK.test(text), storable)

/** Control characters other than white space, and what no record can store: no title or name holds them. */
const CONTROL_CHARACTERS = /[^\P{Cc}\s]|[\ufffe\uffff]|\p{Cs}/u

/**
 * What else is drawn as nothing (Unicode's Default_Ignorable_Code_Point
 * beyond category Cf): Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the
 * combining grapheme joiner (U+034F), Khmer inherent vowels. A name made of
 * them looks blank, and one holding them looks like one without. Variation
 * selectors are ignorable too but pick how the character before them is drawn
 * (an emoji's presentation, a kanji's form in a person's name): they are
 * kept after a visible character and taken out elsewhere.
 */
const INVISIBLE_CHARACTERS = /(?!\p{Variation_Selector})[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu
const STRAY_VARIATION_SELECTORS = /(?<=^|[\s\p{Variation_Selector}])\p{Variation_Selector}/gu
const VARIATION_SELECTORS = /\p{Variation_Selector}/gu

/** `text` without what is drawn as nothing (see `INVISIBLE_CHARACTERS`; variation selectors stay): what a reader can tell apart. */
export function withoutInvisibleCharacters(text: string): string {
  return text.replace(INVISIBLE_CHARACTERS, '')
}

/**
 * Whether a text a person must give (a justification, a reason, a reply) says
 * nothing a reader can see: no letter, digit, punctuation or symbol once
 * invisible characters are set aside. Fillers (U+3164), the braille blank
 * (U+2800), combining marks alone and private-use characters look blank on
 * every screen; a required reason made of them is no reason.
 */
export function saysNothing(text: string): boolean {
  return !/[\p{L}\p{N}\p{P}\p{S}]/u.test(withoutInvisibleCharacters(text).replace(/\u2800/gu, ''))
}

/** A title or a name as it is kept: composed, without invisible characters, runs of white space made one space, trimmed. */
export function asLine(text: string): string {
  // The braille blank (U+2800) is drawn as a space on every screen: it is one, and trimmed as one.
  const line = text.replace(INVISIBLE_CHARACTERS, '').replace(STRAY_VARIATION_SELECTORS, '').normalize('NFC').replace(/[\s\u2800]+/gu, ' ').trim()
  // A line that says nothing a reader can see (private-use characters, marks with no letter) is an empty one.
  return saysNothing(line) ? '' : line
}

/** Scripts whose letters pass for one another's ("а" and "a", "Ѕ" and "S", "Ρ" and "P"). */
const LOOKALIKE_SCRIPTS = [/\p{Script=Latin}/u, /\p{Script=Cyrillic}/u, /\p{Script=Greek}/u]

/**
 * Whether a word mixes letters of scripts that pass for one another: "Frаnce"
 * with a Cyrillic "а" reads as France and is not, so a second party named so
 * would sit in the record beside the first as the same party. No name of a
 * party, a person or a place mixes them inside one word.
 */
export function mixesLookalikeScripts(text: string): boolean {
  for (const word of text.match(/[\p{L}\p{M}]+/gu) ?? []) {
    if (LOOKALIKE_SCRIPTS.filter((script) => script.test(word)).length > 1) return true
  }
  return false
}

/** Whether a text holds a control character that is not white space (NUL, bell, escape…), or a character no record can store. */
export function holdsControlCharacter(text: string): boolean {
  return CONTROL_CHARACTERS.test(text)
}

/**
 * A title or a name: composed (NFC), without invisible characters (format
 * characters, fillers, joiners: see asLine), on one line (runs of white space, line breaks included, become one space), trimmed;
 * then checked for length, so a title of invisible characters is an empty one.
 * Control characters are refused with `params.code` `invalid_character`.
 */
export const LineText = (maxLength: number, minLength = 1) =>
  z
    .string()
    .overwrite(asLine)
    .refine((text) => !holdsControlCharacter(text), { message: 'Control characters have no place here.', params: { code: INVALID_CHARACTER } })
    .refine((text) => !mixesLookalikeScripts(text), { message: 'A word mixes Latin, Cyrillic or Greek letters, which pass for one another.', params: { code: INVALID_CHARACTER } })
    .min(minLength)
    .max(maxLength)

/**
 * How two names compare when telling whether they are the same: as `LineText` keeps them, in any case, with any
 * variation of their characters' forms, and in compatibility form (full-width "Ｐａｒｔｉ" is "Parti").
 */
export function nameKey(name: string): string {
  return asLine(name).replace(VARIATION_SELECTORS, '').normalize('NFKC').toLowerCase().normalize('NFC')
}
