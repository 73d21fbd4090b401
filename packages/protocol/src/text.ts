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
