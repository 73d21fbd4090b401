import { z } from 'zod'
import { Delegation, Person } from './model.ts'
import { PlainText } from './text.ts'

export const AmendmentKind = z.enum(['replace', 'insertAfter', 'delete'])
export type AmendmentKind = z.infer<typeof AmendmentKind>

export const AmendmentStatus = z.enum(['tabled', 'withdrawn', 'accepted', 'acceptedModified', 'rejected', 'merged', 'obsolete'])
export type AmendmentStatus = z.infer<typeof AmendmentStatus>

/** The longest wording or justification an amendment may carry, in characters. */
export const MAX_AMENDMENT_TEXT = 10_000

export const Amendment = z
  .object({
    id: z.string(),
    number: z.string().meta({ description: '"A12": stable, in the order tabled' }),
    label: z.string().meta({ description: '"A12 · §4": how people cite it' }),
    paragraph: z.number().int(),
    line: z.number().int(),
    kind: AmendmentKind,
    blockId: z.string().nullable().meta({ description: 'null: inserted at the start' }),
    baseText: z.string().meta({ description: 'the block as it was when tabled, inline Markdown' }),
    text: z.string().meta({ description: 'the proposed wording, inline Markdown, blank lines between paragraphs' }),
    justification: z.string(),
    status: AmendmentStatus,
    conflict: z.boolean().meta({ description: 'the block changed under the same words since tabling' }),
    compromise: z.boolean(),
    mergedInto: z.string().nullable(),
    collidesWith: z.array(z.string()).meta({ description: 'ids of tabled amendments touching the same words' }),
    tabledBy: Person,
    delegation: Delegation.nullable(),
    cosponsors: z.array(Delegation),
    decision: z.object({ by: Person, at: z.string(), reason: z.string().optional(), text: z.string().optional() }).optional(),
    response: z.object({ agree: z.boolean(), comment: z.string().optional(), by: Person, at: z.string() }).optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Amendment' })
export type Amendment = z.infer<typeof Amendment>

const wording = PlainText(MAX_AMENDMENT_TEXT * 4)

export const NewAmendment = z.object({
  kind: AmendmentKind,
  blockId: z.string().min(1).max(100).nullable(),
  text: wording.optional(),
  justification: PlainText(MAX_AMENDMENT_TEXT * 4),
})
export type NewAmendment = z.infer<typeof NewAmendment>

export const AmendmentChange = z.object({ text: wording.optional(), justification: PlainText(MAX_AMENDMENT_TEXT * 4).optional() })
export type AmendmentChange = z.infer<typeof AmendmentChange>

export const Decision = z.object({
  decision: z.enum(['accept', 'acceptModified', 'reject']),
  text: wording.optional(),
  reason: PlainText(MAX_AMENDMENT_TEXT).optional(),
})
export type Decision = z.infer<typeof Decision>

export const NewCompromise = z.object({
  amendmentIds: z.array(z.string()).min(2).max(100),
  text: wording,
  justification: PlainText(MAX_AMENDMENT_TEXT * 4),
})
export type NewCompromise = z.infer<typeof NewCompromise>

export const Response = z.object({ agree: z.boolean(), comment: PlainText(MAX_AMENDMENT_TEXT).optional() })
export type Response = z.infer<typeof Response>

export const Preview = z.object({
  state: z.enum(['clean', 'conflict', 'obsolete']),
  current: z.string().nullable().meta({ description: 'the block as it stands now' }),
  text: z.string().nullable().meta({ description: 'the wording accepting would write (rebased)' }),
  diff: z.array(z.tuple([z.union([z.literal(-1), z.literal(0), z.literal(1)]), z.string()])).meta({ description: 'word diff from current to text' }),
})
export type Preview = z.infer<typeof Preview>

export const BulkAcceptance = z.object({
  accepted: z.array(z.string()),
  skipped: z.array(z.object({ id: z.string(), reason: z.enum(['colliding', 'conflict', 'obsolete']) })),
})
export type BulkAcceptance = z.infer<typeof BulkAcceptance>
