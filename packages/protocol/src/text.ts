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

/** A title or a name as it is kept: composed, without format characters, runs of white space made one space, trimmed. */
export function asLine(text: string): string {
  return withoutFormatCharacters(text).normalize('NFC').replace(/\s+/gu, ' ').trim()
}

/** Whether a text holds a control character that is not white space (NUL, bell, escape…). */
export function holdsControlCharacter(text: string): boolean {
  return CONTROL_CHARACTERS.test(text)
}

/**
 * A title or a name: composed (NFC), without format characters, on one
 * line (runs of white space, line breaks included, become one space), trimmed;
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

/** How two names compare when telling whether they are the same: as `LineText` keeps them, and in any case. */
export function nameKey(name: string): string {
  return asLine(name).toLowerCase().normalize('NFC')
}
