import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type AmendmentStanding, checkOutstandingAmendments, compromiseFell, objectionUnanswered, outstandingAmendments } from './outstanding.ts'

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
})
