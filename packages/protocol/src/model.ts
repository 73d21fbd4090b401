import { z } from 'zod'
import { LineText } from './text.ts'

/** The shapes of CONTRACT.md, validated at every boundary of client and server. */

export const Role = z.enum(['secretariat', 'delegate', 'chair', 'steering', 'observer', 'translator'])
export type Role = z.infer<typeof Role>

export const Gender = z.enum(['f', 'm', 'x'])
export type Gender = z.infer<typeof Gender>

export const Stage = z.enum(['draft', 'amendments', 'consolidation', 'final', 'adopted'])
export type Stage = z.infer<typeof Stage>

export const Language = z.enum(['fr', 'en', 'es'])
export type Language = z.infer<typeof Language>

export const Delegation = z
  .object({
    id: z.string(),
    party: z.string(),
    country: z.string(),
  })
  .meta({ id: 'Delegation' })
export type Delegation = z.infer<typeof Delegation>

export const Person = z
  .object({
    id: z.string(),
    username: z.string(),
    name: z.string(),
    role: Role,
    delegation: Delegation.nullable(),
    gender: Gender.optional(),
  })
  .meta({ id: 'Person' })
export type Person = z.infer<typeof Person>

export const Stamp = z.object({
  label: z.string().meta({ description: 'PROJET / DRAFT / PROYECTO, or ADOPTÉE / ADOPTED / APROBADA' }),
  date: z.string().nullable().meta({ description: 'ISO 8601 date' }),
})
export type Stamp = z.infer<typeof Stamp>

/** The bodies that adopt resolutions, as the record and the front matter (`adopted_by`) name them. */
export const AdoptingBody = z.enum(['Council', 'Steering Committee', 'Conference'])
export type AdoptingBody = z.infer<typeof AdoptingBody>

/** How a vote ended: `GET /api/votes/<vid>`'s result, and the record of an adoption by vote. */
export const VoteResult = z
  .object({
    passed: z.boolean(),
    yes: z.number().int(),
    no: z.number().int(),
    abstain: z.number().int(),
    notVoting: z.number().int().meta({ description: 'delegations on the roll that cast no ballot' }),
    quorumReached: z
      .boolean()
      .optional()
      .meta({ description: 'whether as many delegations with a vote were present as the quorum asks; false: the vote failed for that, whatever its counts (absent from results recorded before it was kept)' }),
  })
  .meta({ id: 'VoteResult' })
export type VoteResult = z.infer<typeof VoteResult>

export const Resolution = z
  .object({
    id: z.string(),
    title: z.string(),
    stage: Stage,
    stamp: Stamp,
    event: z.string(),
    language: Language,
    organisation: z.string(),
    /** When tabling closes (ISO 8601), while amendments are open or after. */
    deadline: z.string().nullable(),
    tablingOpen: z.boolean().meta({ description: 'amendments are open and the deadline is ahead, by the server’s clock when it answered' }),
    timeZone: z.string().meta({ description: 'IANA time zone its deadlines are shown in: the one of the meeting that has it on its agenda, else UTC' }),
    meetingEndsAt: z.string().nullable().meta({ description: 'when that meeting ends (a day or an instant): the adoption date the interface offers first; null if on no agenda' }),
    adoption: z
      .object({
        by: AdoptingBody,
        at: z.string(),
        event: z.string(),
        vote: VoteResult.extend({ voteId: z.string() }).optional().meta({ description: 'the result when a meeting’s vote adopted it' }),
      })
      .nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Resolution' })
export type Resolution = z.infer<typeof Resolution>

/** The § and line numbers a text is cited by while they are frozen (amendments, consolidation): each block's § and first line, by block id. */
export const Numbering = z
  .object({
    frozen: z
      .record(z.string(), z.object({ paragraph: z.number().int(), line: z.number().int() }))
      .nullable()
      .meta({ description: 'by block id, as when amendments opened; null when the text is numbered as it stands (draft, final, adopted)' }),
  })
  .meta({ id: 'Numbering' })
export type Numbering = z.infer<typeof Numbering>

/** Something a draft (Word or Markdown) held that the import could not keep as it was, and what became of it. */
export const ImportWarning = z
  .object({
    code: z.enum(['tables', 'tracked_changes', 'strikethrough', 'comments', 'images', 'headers_footers', 'notes', 'hidden_text', 'list_numbers', 'superscripts', 'equations', 'ruby', 'unread_text', 'links', 'code', 'thematic_breaks', 'html', 'unpaired_marks', 'marks_in_numbers']),
    count: z.number().int(),
    message: z.string(),
    /** For pending tracked changes, when no choice was given: what `trackedChanges` may say. */
    choices: z.array(z.enum(['accept', 'reject'])).readonly().optional(),
  })
  .meta({ id: 'ImportWarning' })
export type ImportWarning = z.infer<typeof ImportWarning>

/** `POST /api/resolutions/import?dryRun=1`: what the import would create, without creating it. */
export const ImportPreview = z
  .object({
    title: z.string(),
    language: z.string(),
    stamp: z.object({ label: z.string(), date: z.string().nullable() }),
    event: z.string(),
    paragraphs: z.number().int().meta({ description: 'numbered §' }),
    lines: z.number().int(),
    markdown: z.string().meta({ description: 'the file the resolution would be created from, front matter and text' }),
    warnings: z.array(ImportWarning),
  })
  .meta({ id: 'ImportPreview' })
export type ImportPreview = z.infer<typeof ImportPreview>

/** `POST /api/resolutions`: an empty draft, to be written in the editor. */
export const NewResolution = z
  .object({
    title: LineText(500),
    language: Language,
    event: LineText(500, 0).optional(),
  })
  .strict()
  .meta({ id: 'NewResolution' })
export type NewResolution = z.infer<typeof NewResolution>

/** One entry of the append-only audit log: who (person and delegation ids), what (`action`, `detail`), when. */
export const AuditEntry = z
  .object({
    id: z.number().int(),
    at: z.string(),
    person: z.string().nullable(),
    delegation: z.string().nullable(),
    action: z.string(),
    resolutionId: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' })
export type AuditEntry = z.infer<typeof AuditEntry>

export const ApiErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'snake_case, stable' }),
      message: z.string().meta({ description: 'a sentence for people' }),
    }),
  })
  .meta({ id: 'Error' })
export type ApiErrorBody = z.infer<typeof ApiErrorBody>

export const LoginRequest = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(1000),
})
export type LoginRequest = z.infer<typeof LoginRequest>

export const LoginResponse = z.object({ token: z.string(), person: Person })
export type LoginResponse = z.infer<typeof LoginResponse>

/** The stamp words in each language of the alliance. */
export const STAMP_WORDS: Record<Language, { draft: string; adopted: string }> = {
  fr: { draft: 'PROJET', adopted: 'ADOPTÉE' },
  en: { draft: 'DRAFT', adopted: 'ADOPTED' },
  es: { draft: 'PROYECTO', adopted: 'APROBADA' },
}

/** `GET /api/resolutions/<id>/print.json`: the text as the print view and the exports lay it out, with the § and line numbers it is cited by. */
export const PrintedText = z
  .object({
    letterhead: z.string(),
    title: z.string(),
    stamp: z.string(),
    event: z.string(),
    language: Language,
    blocks: z.array(
      z.object({
        id: z.string().nullable(),
        kind: z.enum(['heading', 'paragraph']),
        level: z.number().int(),
        number: z.string().nullable().meta({ description: 'the § as cited ("4"; "4a" for a paragraph added after §4 while numbers are frozen); null but for top-level paragraphs' }),
        paragraph: z.number().int(),
        section: z.string().meta({ description: 'the § it belongs to, as cited ("0" before the first)' }),
        marker: z.string().nullable(),
        depth: z.number().int(),
        quote: z.boolean(),
        lists: z.number().int(),
        runs: z.array(z.object({ text: z.string(), bold: z.literal(true).optional(), italic: z.literal(true).optional() })),
        lines: z.array(z.array(z.object({ text: z.string(), bold: z.literal(true).optional(), italic: z.literal(true).optional() }))),
        lineLabels: z.array(z.string()).meta({ description: 'each line’s number as cited, one per entry of `lines` ("12"; "14a" past a frozen paragraph’s lines)' }),
        pending: z.enum(['due', 'missing']).nullable(),
      }),
    ),
    record: z.string().nullable(),
  })
  .meta({ id: 'PrintedText' })
export type PrintedText = z.infer<typeof PrintedText>

/** `GET /api/resolutions/<id>/redline.json`: the changes between two versions, each run with its authors. */
export const Redline = z
  .object({
    from: z.string(),
    to: z.string(),
    blocks: z.array(
      z.object({
        status: z.enum(['equal', 'changed', 'inserted', 'deleted']),
        kind: z.enum(['heading', 'paragraph']),
        number: z.string().nullable().meta({ description: 'the § as cited in the later side ("2a" for a paragraph added after §2 while numbers are frozen)' }),
        marker: z.string().nullable(),
        depth: z.number().int(),
        runs: z.array(
          z.object({
            text: z.string(),
            bold: z.boolean().optional(),
            italic: z.boolean().optional(),
            change: z.enum(['equal', 'insert', 'delete']),
            authors: z.array(z.string()).meta({ description: 'amendment ("A3 · delegation") or person ("delegation · name")' }),
            exact: z.boolean(),
            at: z.string().nullable().meta({ description: 'when the change was made or decided (ISO 8601); null for unchanged text or when unknown' }),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'Redline' })
export type Redline = z.infer<typeof Redline>
