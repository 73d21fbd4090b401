import { z } from 'zod'
import { Delegation, Person, VoteResult } from './model.ts'
import { ParagraphText, PlainText } from './text.ts'

export const AmendmentKind = z.enum(['replace', 'insertAfter', 'delete'])
export type AmendmentKind = z.infer<typeof AmendmentKind>

/** `lapsed`: still undecided when the text went back to draft, or when the Steering Committee locked over it. */
export const AmendmentStatus = z.enum(['tabled', 'withdrawn', 'accepted', 'acceptedModified', 'rejected', 'merged', 'obsolete', 'lapsed'])
export type AmendmentStatus = z.infer<typeof AmendmentStatus>

/** The longest wording or justification an amendment may carry, in characters. */
export const MAX_AMENDMENT_TEXT = 10_000

/** A stretch of text with one formatting. */
export const Run = z
  .object({ text: ParagraphText(MAX_AMENDMENT_TEXT), bold: z.literal(true).optional(), italic: z.literal(true).optional() })
  .strict()
  .meta({ id: 'Run' })
export type Run = z.infer<typeof Run>

/** One paragraph's runs. */
export const Paragraph = z.array(Run).max(2_000).meta({ id: 'Paragraph' })

/**
 * A wording as the editor holds it: paragraphs of runs. This is the exact
 * form; `text` beside it is inline Markdown for people to read, which cannot
 * express every formatting (bold "L'" directly before "Alliance").
 */
/** How many paragraphs one wording may hold. */
export const MAX_WORDING_PARAGRAPHS = 200
export const Wording = z.array(Paragraph).max(MAX_WORDING_PARAGRAPHS).meta({ id: 'Wording' })
export type Wording = z.infer<typeof Wording>

export const Amendment = z
  .object({
    id: z.string(),
    number: z.string().meta({ description: '"A12": stable, in the order tabled' }),
    label: z.string().meta({ description: '"A12 · §4": how people cite it' }),
    paragraph: z.number().int(),
    line: z.number().int(),
    kind: AmendmentKind,
    blockId: z.string().nullable().meta({ description: 'null: inserted at the start' }),
    baseText: z.string().meta({ description: 'the block as it was when tabled, as inline Markdown (for reading)' }),
    baseWording: Paragraph.meta({ description: 'the block as it was when tabled, exactly' }),
    text: z.string().meta({ description: 'the proposed wording as inline Markdown, blank lines between paragraphs (for reading)' }),
    wording: Wording.meta({ description: 'the proposed wording, exactly: paragraphs of runs ([] for a deletion)' }),
    justification: z.string(),
    status: AmendmentStatus,
    conflict: z.boolean().meta({ description: 'the block changed under the same words since tabling' }),
    compromise: z.boolean(),
    mergedInto: z.string().nullable(),
    collidesWith: z.array(z.string()).meta({ description: 'ids of tabled amendments touching the same words' }),
    unchanged: z
      .boolean()
      .optional()
      .meta({ description: 'on a tabled amendment read against the text: accepting it now writes nothing, the text already says it (its preview’s `unchanged`)' }),
    partlyInText: z
      .boolean()
      .optional()
      .meta({ description: 'with `conflict`: the conflict is that some of the paragraphs it adds after the block stand there already, and others not' }),
    tabledBy: Person,
    delegation: Delegation.nullable(),
    cosponsors: z.array(Delegation),
    decision: z
      .object({
        by: Person,
        at: z.string(),
        reason: z.string().optional(),
        text: z.string().optional(),
        wording: Wording.optional().meta({ description: 'with `text`: the chair’s wording, for an acceptance as modified, exactly' }),
        vote: z.string().optional().meta({ description: 'the id of the meeting’s vote that decided it' }),
        inserted: z
          .array(z.string())
          .optional()
          .meta({ description: 'on an acceptance: the ids of the paragraphs it wrote after the block, where later insertions there go after them' }),
        result: VoteResult.optional().meta({ description: 'that vote’s result' }),
        day: z
          .string()
          .optional()
          .meta({ description: 'with `vote`: the day the vote closed, YYYY-MM-DD in its meeting’s time zone (as an adoption’s `adoptedAt`), the date the record prints' }),
        rewrote: z
          .object({ before: Paragraph, after: Paragraph })
          .optional()
          .meta({
            description:
              'on an acceptance that rewrote its block: the block’s wording just before and just after, exactly; an amendment tabled earlier on the block is read through these (its words followed through each decision, not guessed from the base and today’s text)',
          }),
        lateTyping: z
          .array(z.object({ by: Person, at: z.string(), text: z.string().meta({ description: 'the paragraph as it read then, as plain text' }) }))
          .optional()
          .meta({
            description:
              'typing that landed in the words this acceptance changed, by someone whose editor had not yet received it: Yjs merged both, so the paragraph differs from the decision; one entry per person',
          }),
        lateTypingChecked: z
          .object({ by: Person, at: z.string() })
          .optional()
          .meta({
            description:
              'a chair or the secretariat said the paragraph reads as meant after such typing (`POST /api/amendments/<aid>/late-typing-checked`); typing noted after `at` holds up the lock again',
          }),
      })
      .optional(),
    response: z.object({ agree: z.boolean(), comment: z.string().optional(), by: Person, at: z.string() }).optional(),
    objectionReply: z
      .object({ text: z.string(), by: Person, at: z.string() })
      .optional()
      .meta({ description: 'a chair’s or the secretariat’s reply to the delegation’s objection (response.agree false); cleared when the delegation answers again' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Amendment' })
export type Amendment = z.infer<typeof Amendment>

const markdown = PlainText(MAX_AMENDMENT_TEXT * 4).meta({ description: 'inline Markdown; give `wording` instead for formatting Markdown cannot say' })

/** A wording given either way: exactly (`wording`) or as inline Markdown (`text`); not both. */
export const WordingInput = z.strictObject({ text: markdown.optional(), wording: Wording.optional() })
export type WordingInput = z.infer<typeof WordingInput>

export const NewAmendment = WordingInput.extend({
  kind: AmendmentKind,
  blockId: z.string().min(1).max(100).nullable(),
  justification: PlainText(MAX_AMENDMENT_TEXT * 4),
  requestId: z
    .string()
    .regex(/^[\w-]{8,100}$/)
    .optional()
    .meta({ description: 'a key the form chose for this tabling: sent again (its answer lost on the way), the same person gets the same amendment back, not a second one' }),
})
export type NewAmendment = z.infer<typeof NewAmendment>

export const AmendmentChange = WordingInput.extend({ justification: PlainText(MAX_AMENDMENT_TEXT * 4).optional() })
export type AmendmentChange = z.infer<typeof AmendmentChange>

export const Decision = WordingInput.extend({
  decision: z.enum(['accept', 'acceptModified', 'reject']),
  reason: PlainText(MAX_AMENDMENT_TEXT).optional(),
})
export type Decision = z.infer<typeof Decision>

export const NewCompromise = WordingInput.extend({
  amendmentIds: z.array(z.string()).min(2).max(100),
  justification: PlainText(MAX_AMENDMENT_TEXT * 4),
  base: Paragraph.optional().meta({
    description:
      'the paragraph as the wording was composed on: what others wrote in it since is kept (the wording is brought up to the paragraph as it stands), and where they changed the same words the compromise is refused (409 `conflict`); without it, the wording replaces the paragraph as it stands',
  }),
})
export type NewCompromise = z.infer<typeof NewCompromise>

export const Response = z.strictObject({ agree: z.boolean(), comment: PlainText(MAX_AMENDMENT_TEXT).optional() })
export type Response = z.infer<typeof Response>

export const ObjectionReply = z.strictObject({ text: PlainText(MAX_AMENDMENT_TEXT) })
export type ObjectionReply = z.infer<typeof ObjectionReply>

export const DecisionReset = z.strictObject({ reason: PlainText(MAX_AMENDMENT_TEXT) })
export type DecisionReset = z.infer<typeof DecisionReset>

/** An amendment standing in the way of the lock: undecided, its delegation's objection unanswered, or its words typed over unseen and not checked since. */
export const OutstandingAmendment = z
  .object({ id: z.string(), number: z.string(), reason: z.enum(['undecided', 'objection', 'lateTyping']) })
  .meta({ id: 'OutstandingAmendment' })
export type OutstandingAmendment = z.infer<typeof OutstandingAmendment>

export const Preview = z.object({
  state: z.enum(['clean', 'conflict', 'obsolete']),
  current: z.string().nullable().meta({ description: 'the block as it stands now, inline Markdown' }),
  currentWording: Paragraph.nullable().meta({ description: 'the block as it stands now, exactly' }),
  text: z.string().nullable().meta({ description: 'the wording accepting would write (rebased), inline Markdown' }),
  wording: Wording.nullable().meta({ description: 'the wording accepting would write (rebased), exactly' }),
  unchanged: z.boolean().meta({ description: 'the text already says what the amendment asks: accepting changes nothing' }),
  diff: z.array(z.tuple([z.union([z.literal(-1), z.literal(0), z.literal(1)]), z.string()])).meta({ description: 'word diff from current to text' }),
})
export type Preview = z.infer<typeof Preview>

/** What the chair confirms after a dry run: those amendments, and no other (one that cannot be accepted any more is skipped). */
export const BulkConfirmation = z.strictObject({ ids: z.array(z.string().min(1).max(100)).max(2_000).optional() })
export type BulkConfirmation = z.infer<typeof BulkConfirmation>

export const BulkAcceptance = z.object({
  accepted: z.array(z.string()),
  skipped: z.array(z.object({ id: z.string(), reason: z.enum(['colliding', 'conflict', 'obsolete', 'voting']) })),
})
export type BulkAcceptance = z.infer<typeof BulkAcceptance>
