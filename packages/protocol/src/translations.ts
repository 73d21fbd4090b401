import { z } from 'zod'
import { Language } from './model.ts'
import { LineText } from './text.ts'

/**
 * Language versions of a resolution (CONTRACT.md, "Language versions"):
 * each textblock of a version translates one block of the original, and
 * its status says whether it still does.
 */

/** `current`: confirmed against the source as it is now; `due`: not confirmed, or the source changed since; `missing`: empty. */
export const TranslationStatus = z.enum(['current', 'due', 'missing'])
export type TranslationStatus = z.infer<typeof TranslationStatus>

export const TranslationCounts = z.object({ current: z.number().int(), due: z.number().int(), missing: z.number().int() })
export type TranslationCounts = z.infer<typeof TranslationCounts>

export const LanguageEntry = z
  .object({
    language: Language,
    original: z.boolean().meta({ description: 'the language the resolution is written in (always listed, all current)' }),
    title: z.string().meta({ description: 'the title in this language (the original’s until a translator gives one)' }),
    counts: TranslationCounts,
    hash: z.string().nullable().meta({ description: 'SHA-256 of this text recorded at the lock; null before' }),
  })
  .meta({ id: 'LanguageEntry' })
export type LanguageEntry = z.infer<typeof LanguageEntry>

/** `POST /api/resolutions/<id>/languages`: read as text, so a language outside the three is a 422, not a malformed body. */
export const NewLanguage = z.strictObject({ language: z.string().max(20) })
export type NewLanguage = z.infer<typeof NewLanguage>

/** `PATCH /api/resolutions/<id>/languages/<language>`: the title in that language (empty: the original's again). */
/** Kept as the original's title is: one line, no control characters (empty: the original's title again). */
export const VersionChange = z.strictObject({ title: LineText(500, 0) })
export type VersionChange = z.infer<typeof VersionChange>

/** A run of a word-level change, as the redline marks it. */
export const ChangedRun = z
  .object({ text: z.string(), bold: z.literal(true).optional(), italic: z.literal(true).optional(), change: z.enum(['equal', 'insert', 'delete']) })
  .meta({ id: 'ChangedRun' })
export type ChangedRun = z.infer<typeof ChangedRun>

export const TranslationBlock = z
  .object({
    sourceId: z.string().meta({ description: 'the id of the original’s block this one translates' }),
    id: z.string().meta({ description: 'this block’s own id in the version' }),
    paragraph: z.number().int().meta({ description: 'the § it belongs to, the same in every language' }),
    section: z.string().meta({ description: 'that § as cited: "2a" for a paragraph added after §2 while numbers are frozen (amendments, consolidation)' }),
    numbered: z.boolean().meta({ description: 'whether it is itself a numbered § (a top-level paragraph)' }),
    status: TranslationStatus,
    text: z.string().meta({ description: 'the translation as it stands (plain text)' }),
    sourceText: z.string().meta({ description: 'the original’s block as it stands (plain text)' }),
    sourceChanges: z
      .array(ChangedRun)
      .nullable()
      .meta({ description: 'the source’s word-level change since the translation was last confirmed; null when current or never confirmed' }),
    confirmed: z.object({ by: z.string(), at: z.string() }).nullable().meta({ description: 'who last confirmed it (name) and when' }),
    sourceDigest: z.string().meta({ description: 'SHA-256 (hex) of the source’s wording, formatting included: echoed in a confirmation as what was read' }),
    translationDigest: z
      .string()
      .meta({ description: 'SHA-256 (hex) of the translation’s wording, formatting included (of no text while missing): echoed in a confirmation as what was read' }),
  })
  .meta({ id: 'TranslationBlock' })
export type TranslationBlock = z.infer<typeof TranslationBlock>

/** A wording's digest as `TranslationBlock` gives it: 64 lower-case hex digits, checked for length first so a huge string is refused for it. */
const WordingDigest = z
  .string()
  .length(64, 'a digest is 64 hex digits (SHA-256)')
  .regex(/^[0-9a-f]{64}$/, 'a digest is 64 lower-case hex digits (SHA-256)')

/**
 * `POST …/blocks/<sourceId>/confirm`: what the translator read, the two
 * digests of the block as shown. Refused (409 `changed_since_read`) when
 * either text now reads otherwise. Without `read`, the block is confirmed as
 * it stands at the request, as before. Strict, so that a misspelt `read`
 * is refused rather than confirming unchecked.
 */
export const ConfirmTranslation = z
  .object({
    read: z
      .object({ sourceDigest: WordingDigest, translationDigest: WordingDigest })
      .strict()
      .optional()
      .meta({ description: 'the block’s `sourceDigest` and `translationDigest` as the translator read them' }),
  })
  .strict()
  .meta({ id: 'ConfirmTranslation' })
export type ConfirmTranslation = z.infer<typeof ConfirmTranslation>

/** The 409 `changed_since_read` refusal's details: what changed since it was read, and the block as it now stands. */
export const ChangedSinceRead = z.object({ changed: z.array(z.enum(['source', 'translation'])).min(1), block: TranslationBlock })
export type ChangedSinceRead = z.infer<typeof ChangedSinceRead>

/** A block that keeps a version from being locked silently. */
export const OutstandingTranslation = z
  .object({ language: Language, sourceId: z.string(), paragraph: z.number().int(), status: z.enum(['due', 'missing']) })
  .meta({ id: 'OutstandingTranslation' })
export type OutstandingTranslation = z.infer<typeof OutstandingTranslation>
