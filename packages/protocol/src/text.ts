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

/** Text people write into a record (wordings, justifications, reasons, comments): format characters are taken out, then the length checked. */
export const PlainText = (maxLength: number) => z.string().overwrite(withoutFormatCharacters).max(maxLength)

/** Control characters other than white space: no title or name holds them, and Word documents cannot (XML forbids them). */
const CONTROL_CHARACTERS = /[^\P{Cc}\s]/u

/** The code a refusal for a control character carries (the contract's 400 `invalid_character`), as the issue's `params.code`. */
export const INVALID_CHARACTER = 'invalid_character'

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

/** A title or a name as it is kept: composed, without invisible characters, runs of white space made one space, trimmed. */
export function asLine(text: string): string {
  return text.replace(INVISIBLE_CHARACTERS, '').replace(STRAY_VARIATION_SELECTORS, '').normalize('NFC').replace(/\s+/gu, ' ').trim()
}

/** Whether a text holds a control character that is not white space (NUL, bell, escape…). */
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
    .min(minLength)
    .max(maxLength)

/** How two names compare when telling whether they are the same: as `LineText` keeps them, in any case, and with any variation of their characters' forms. */
export function nameKey(name: string): string {
  return asLine(name).replace(VARIATION_SELECTORS, '').toLowerCase().normalize('NFC')
}
