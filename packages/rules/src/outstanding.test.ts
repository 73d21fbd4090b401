import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkLateTypingCheck } from './corrections.ts'
import { type AmendmentStanding, checkOutstandingAmendments, compromiseFell, lateTypingStanding, lateTypingUnchecked, objectionUnanswered, outstandingAmendments } from './outstanding.ts'

const STATUSES = ['tabled', 'withdrawn', 'accepted', 'acceptedModified', 'rejected', 'merged', 'obsolete', 'lapsed']
const RESPONSES: Array<AmendmentStanding['response']> = [null, { agree: true }, { agree: false }]
const REPLIES: Array<AmendmentStanding['objectionReply']> = [null, { at: '2026-11-24T10:00:00Z' }]

const standing = (status: string, response: AmendmentStanding['response'] = null, objectionReply: AmendmentStanding['objectionReply'] = null, number = 'A1'): AmendmentStanding => ({
  id: `id-${number}`,
  number,
  status,
  response,
  objectionReply,
})

/** The procedure, restated: what keeps one amendment from the lock. */
function expectedReason(status: string, response: AmendmentStanding['response'], reply: AmendmentStanding['objectionReply']): 'undecided' | 'objection' | null {
  if (status === 'tabled') return 'undecided'
  const answerable = status === 'acceptedModified' || status === 'merged'
  if (answerable && response?.agree === false && reply === null) return 'objection'
  return null
}

describe('the lock guard on amendments', () => {
  it('names each amendment that stands in the way, for every status, answer and reply', () => {
    for (const status of STATUSES) {
      for (const response of RESPONSES) {
        for (const reply of REPLIES) {
          const reason = expectedReason(status, response, reply)
          const amendment = standing(status, response, reply)
          expect({ status, response, reply, outstanding: outstandingAmendments([amendment]) }).toEqual({
            status,
            response,
            reply,
            outstanding: reason ? [{ id: 'id-A1', number: 'A1', reason }] : [],
          })
          expect(objectionUnanswered(amendment)).toBe(reason === 'objection')
          const refusal = checkOutstandingAmendments([amendment], false)
          expect(refusal === null).toBe(reason === null)
          expect(checkOutstandingAmendments([amendment], true)).toBeNull()
        }
      }
    }
  })

  it('refuses the lock while an amendment is undecided, listing it', () => {
    const refusal = checkOutstandingAmendments([standing('accepted', null, null, 'A1'), standing('tabled', null, null, 'A2')], false)
    expect(refusal).toMatchObject({ status: 409, code: 'amendments_outstanding', outstanding: [{ number: 'A2', reason: 'undecided' }] })
    expect(refusal!.message).toContain('undecided: A2')
  })

  it('refuses the lock while a delegation’s objection is unanswered, and allows it once a chair replies or the delegation agrees', () => {
    const objecting = standing('acceptedModified', { agree: false }, null, 'A3')
    expect(checkOutstandingAmendments([objecting], false)).toMatchObject({ outstanding: [{ number: 'A3', reason: 'objection' }] })
    expect(checkOutstandingAmendments([{ ...objecting, objectionReply: { at: '2026-11-24T10:00:00Z' } }], false)).toBeNull()
    expect(checkOutstandingAmendments([{ ...objecting, response: { agree: true } }], false)).toBeNull()
    expect(checkOutstandingAmendments([standing('merged', { agree: false }, null, 'A4')], false)).toMatchObject({ outstanding: [{ number: 'A4', reason: 'objection' }] })
    // Merged into a compromise that fell, none of its words are in the text: its objection holds nothing back.
    expect(checkOutstandingAmendments([{ ...standing('merged', { agree: false }, null, 'A4'), compromiseFell: true }], false)).toBeNull()
    expect(['rejected', 'withdrawn', 'lapsed', 'obsolete', 'accepted', 'acceptedModified', 'tabled', null].map(compromiseFell)).toEqual([true, true, true, true, false, false, false, false])
  })

  it('lets the Steering Committee lock over outstanding amendments only when it says so explicitly', () => {
    const list = [standing('tabled', null, null, 'A1'), standing('merged', { agree: false }, null, 'A2')]
    expect(checkOutstandingAmendments(list, false)?.outstanding.map((item) => item.number)).toEqual(['A1', 'A2'])
    expect(checkOutstandingAmendments(list, true)).toBeNull()
  })

  it('never lets a list with anything outstanding through without the override, whatever else it holds', () => {
    const arbitrary = fc.record({
      status: fc.constantFrom(...STATUSES),
      response: fc.constantFrom(...RESPONSES),
      reply: fc.constantFrom(...REPLIES),
    })
    fc.assert(
      fc.property(fc.array(arbitrary, { maxLength: 12 }), (items) => {
        const list = items.map((item, index) => standing(item.status, item.response, item.reply, `A${index + 1}`))
        const blocking = items.filter((item) => expectedReason(item.status, item.response, item.reply) !== null).length
        const refusal = checkOutstandingAmendments(list, false)
        expect(refusal?.outstanding.length ?? 0).toBe(blocking)
      }),
    )
  })

  it('refuses the lock while words of an acceptance were typed over unseen and nobody checked the paragraph since', () => {
    const typedOver = { ...standing('accepted', null, null, 'A5'), lateTyping: { lastAt: '2026-11-24T10:00:00.000Z', checkedAt: null } }
    const refusal = checkOutstandingAmendments([typedOver], false)
    expect(refusal).toMatchObject({ outstanding: [{ number: 'A5', reason: 'lateTyping' }] })
    expect(refusal!.message).toContain('typed over unseen, paragraph not checked: A5')
    expect(checkOutstandingAmendments([typedOver], true)).toBeNull()
    // Checked after the last such typing: through. Typed over again after the check: held up again.
    expect(checkOutstandingAmendments([{ ...typedOver, lateTyping: { lastAt: '2026-11-24T10:00:00.000Z', checkedAt: '2026-11-24T10:00:00.000Z' } }], false)).toBeNull()
    expect(checkOutstandingAmendments([{ ...typedOver, lateTyping: { lastAt: '2026-11-24T11:00:00.000Z', checkedAt: '2026-11-24T10:00:00.000Z' } }], false)).not.toBeNull()
    // Taken back or decided otherwise since, its words are no longer the acceptance's.
    for (const status of STATUSES) expect(lateTypingUnchecked({ ...typedOver, status })).toBe(status === 'accepted' || status === 'acceptedModified')
    // Read from a decision's record: the latest note, whatever their order, and the check.
    expect(lateTypingStanding({ lateTyping: [{ at: '2026-11-24T11:00:00.000Z' }, { at: '2026-11-24T10:00:00.000Z' }], lateTypingChecked: { at: '2026-11-24T10:30:00.000Z' } })).toEqual({
      lastAt: '2026-11-24T11:00:00.000Z',
      checkedAt: '2026-11-24T10:30:00.000Z',
    })
    expect([lateTypingStanding(null), lateTypingStanding({ lateTyping: [] })]).toEqual([null, null])
    // An objection and typing over on one amendment: listed once, for the objection.
    expect(outstandingAmendments([{ ...typedOver, status: 'acceptedModified', response: { agree: false } }])).toEqual([{ id: 'id-A5', number: 'A5', reason: 'objection' }])
  })

  it('lets chairs and the secretariat, during consolidation, check a paragraph typed over, and nobody else or anything else', () => {
    const typedOver = { number: 'A5', status: 'accepted', lateTyping: { lastAt: '2026-11-24T10:00:00.000Z', checkedAt: null } }
    expect(checkLateTypingCheck('chair', 'consolidation', typedOver)).toBeNull()
    expect(checkLateTypingCheck('secretariat', 'consolidation', typedOver)).toBeNull()
    for (const role of ['delegate', 'steering', 'observer', 'translator'] as const) expect(checkLateTypingCheck(role, 'consolidation', typedOver)).toMatchObject({ status: 403 })
    for (const stage of ['draft', 'amendments', 'final', 'adopted'] as const) expect(checkLateTypingCheck('chair', stage, typedOver)).toMatchObject({ status: 409, code: 'wrong_stage' })
    expect(checkLateTypingCheck('chair', 'consolidation', { ...typedOver, lateTyping: null })).toMatchObject({ status: 409, code: 'nothing_to_check' })
    expect(checkLateTypingCheck('chair', 'consolidation', { ...typedOver, lateTyping: { ...typedOver.lateTyping, checkedAt: '2026-11-24T10:00:01.000Z' } })).toMatchObject({ code: 'nothing_to_check' })
  })
})
