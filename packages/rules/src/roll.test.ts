import fc from 'fast-check'
import { type Gender, MeetingKind, type Person, type Role } from '@hemicycle/protocol'
import { describe, expect, it } from 'vitest'
import { addBalances, checkRollEntry, checkRollSeat, COUNCIL_SEATS, genderBalance, isBalanced, keptOfEntry, mayRegisterWith, mayVoteFor, rebased, rebasedEntry, takesSeat } from './roll.ts'

const person = (id: string, role: Role, delegation: string | null, gender?: Gender): Person => ({
  id,
  username: id,
  name: id,
  role,
  delegation: delegation ? { id: delegation, party: delegation, country: 'X' } : null,
  ...(gender ? { gender } : {}),
})

describe('the size of a roll', () => {
  for (const kind of MeetingKind.options) {
    it(`${kind}: ${kind === 'council' ? `refuses a ${COUNCIL_SEATS + 1}st party` : 'has no limit'}`, () => {
      expect(checkRollSeat(kind, COUNCIL_SEATS - 1)).toBeNull()
      const full = checkRollSeat(kind, COUNCIL_SEATS)
      if (kind === 'council') expect(full).toMatchObject({ status: 409, code: 'council_full' })
      else expect(full).toBeNull()
    })
  }
})

describe('a seat on a roll', () => {
  const people = new Map([person('leader', 'observer', 'own'), person('delegate', 'delegate', 'own'), person('chair', 'chair', 'own')].map((one) => [one.id, one]))
  const entry = (votingId: string | null, substituteIds: string[], registeredIds: string[]) => ({ votingId, substituteIds, registeredIds })
  it('is taken by a party with a vote, a delegate, or nobody named yet; not by one sending only its leaders as observers', () => {
    expect(takesSeat(entry(null, [], ['leader']), people.get.bind(people))).toBe(false)
    expect(takesSeat(entry(null, [], ['leader', 'leader']), people.get.bind(people))).toBe(false)
    expect(takesSeat(entry(null, [], []), people.get.bind(people))).toBe(true)
    expect(takesSeat(entry(null, [], ['leader', 'chair']), people.get.bind(people))).toBe(true)
    expect(takesSeat(entry('delegate', [], ['delegate', 'leader']), people.get.bind(people))).toBe(true)
    expect(takesSeat(entry(null, ['delegate'], ['delegate']), people.get.bind(people))).toBe(true)
    // An account gone since counts as it was designated: seated.
    expect(takesSeat(entry(null, [], ['gone']), people.get.bind(people))).toBe(true)
  })
})

describe('who sits for a delegation', () => {
  const roles: Role[] = ['delegate', 'chair', 'steering', 'observer', 'secretariat']
  for (const role of roles) {
    it(`a ${role} of the delegation ${role === 'observer' || role === 'secretariat' ? 'never votes' : 'may vote or stand in'}, and one of another never`, () => {
      expect(mayVoteFor(person('a', role, 'own'), 'own')).toBe(role !== 'observer' && role !== 'secretariat')
      expect(mayVoteFor(person('a', role, 'other'), 'own')).toBe(false)
      expect(mayRegisterWith(person('a', role, 'own'), 'own')).toBe(role !== 'secretariat')
      expect(mayRegisterWith(person('a', role, 'other'), 'own')).toBe(false)
      expect(mayRegisterWith(person('a', role, null), 'own')).toBe(false)
    })
  }

  const delegate = person('d', 'delegate', 'own')
  const substitute = person('s', 'delegate', 'own')
  const second = person('t', 'chair', 'own')
  const observer = person('o', 'observer', 'own')
  const foreigner = person('f', 'delegate', 'other')
  const entry = { voting: delegate, substitutes: [substitute], registered: [delegate, substitute] }

  it('refuses an observer or another party’s member as delegate or substitute, the delegate as their own substitute, and strangers', () => {
    expect(checkRollEntry('council', 'own', entry)).toBeNull()
    expect(checkRollEntry('council', 'own', { ...entry, registered: [delegate, substitute, observer] })).toBeNull()
    expect(checkRollEntry('council', 'own', { ...entry, voting: observer })?.code).toBe('not_eligible')
    expect(checkRollEntry('council', 'own', { ...entry, substitutes: [foreigner] })?.code).toBe('not_eligible')
    expect(checkRollEntry('council', 'own', { ...entry, substitutes: [delegate] })?.code).toBe('substitute_is_delegate')
    expect(checkRollEntry('council', 'own', { ...entry, registered: [foreigner] })?.code).toBe('not_in_delegation')
  })

  it('keeps, of the places a change leaves out, the people who may still hold them: not a delegate moved to another party or made an observer', () => {
    const moved = person('m', 'delegate', 'other')
    const demoted = person('o', 'observer', 'own')
    const people = new Map([delegate, substitute, moved, demoted].map((each) => [each.id, each]))
    const personOf = (id: string) => people.get(id)
    const current = { votingId: 'm', substituteIds: ['o', 's'], registeredIds: ['m', 'o', 's', 'gone'] }
    expect(keptOfEntry(current, 'own', personOf)).toEqual({ votingId: null, substituteIds: ['s'], registeredIds: ['o', 's', 'gone'] })
    expect(keptOfEntry({ votingId: 'd', substituteIds: ['s'], registeredIds: ['d', 's'] }, 'own', personOf)).toEqual({ votingId: 'd', substituteIds: ['s'], registeredIds: ['d', 's'] })
  })

  it('lets a Steering Committee party designate one substitute, the Council more', () => {
    expect(checkRollEntry('steering', 'own', { ...entry, substitutes: [substitute, second] })).toMatchObject({ status: 422, code: 'too_many_substitutes' })
    expect(checkRollEntry('council', 'own', { ...entry, substitutes: [substitute, second] })).toBeNull()
  })
})

describe('gender balance', () => {
  const table: Array<[Gender[], boolean]> = [
    [[], true],
    [['f'], true],
    [['f', 'm'], true],
    [['f', 'f'], false],
    [['m', 'm', 'f'], true],
    [['m', 'm', 'm'], false],
    [['x', 'x'], true],
    [['f', 'x', 'f'], false],
    [['f', 'f', 'm', 'm', 'x'], true],
  ]
  for (const [genders, balanced] of table) {
    it(`${genders.join(', ') || 'nobody'}: ${balanced ? 'balanced' : 'unbalanced'}`, () => {
      const balance = genderBalance(genders.map((gender, index) => person(String(index), 'delegate', 'own', gender)))
      expect(balance.f + balance.m + balance.x).toBe(genders.length)
      expect(isBalanced(balance)).toBe(balanced)
    })
  }

  it('does not count people whose gender is not recorded', () => {
    expect(genderBalance([person('a', 'delegate', 'own'), person('b', 'delegate', 'own', 'f')])).toEqual({ f: 1, m: 0, x: 0 })
  })

  const balances = fc.record({ f: fc.nat(40), m: fc.nat(40), x: fc.nat(40) })

  it('is the same for women and men, and kept by adding a woman and a man or anyone non-binary', () => {
    fc.assert(
      fc.property(balances, (balance) => {
        expect(isBalanced({ ...balance, f: balance.m, m: balance.f })).toBe(isBalanced(balance))
        expect(isBalanced({ ...balance, f: balance.f + 1, m: balance.m + 1 })).toBe(isBalanced(balance))
        expect(isBalanced({ ...balance, x: balance.x + 1 })).toBe(isBalanced(balance))
      }),
    )
  })

  it('adds up over a meeting', () => {
    fc.assert(
      fc.property(fc.array(balances), (list) => {
        const total = addBalances(list)
        expect(total.f).toBe(list.reduce((sum, balance) => sum + balance.f, 0))
        expect(total.m + total.x).toBe(list.reduce((sum, balance) => sum + balance.m + balance.x, 0))
      }),
    )
  })
})

describe('a list changed from what someone saw (rebased)', () => {
  const ids = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 6 })

  it('keeps what the change adds and removes, and everything else as the list now stands (property)', () => {
    fc.assert(
      fc.property(ids, ids, ids, (current, basis, wanted) => {
        const result = new Set(rebased(current, basis, wanted))
        expect(result.size).toBe(rebased(current, basis, wanted).length)
        for (const id of new Set([...current, ...basis, ...wanted])) {
          const added = wanted.includes(id) && !basis.includes(id)
          const removed = basis.includes(id) && !wanted.includes(id)
          expect(result.has(id)).toBe(added || (!removed && current.includes(id)))
        }
      }),
    )
  })

  it('gives each of two people adding someone from the same list their addition, and the whole list when nothing changed meanwhile', () => {
    const first = rebased(['a'], ['a'], ['a', 'b'])
    expect(rebased(first, ['a'], ['a', 'c'])).toEqual(['a', 'b', 'c'])
    expect(rebased(['a', 'b'], ['a', 'b'], ['c'])).toEqual(['c'])
  })
})

describe('a delegation’s entry changed from what someone saw (rebasedEntry)', () => {
  const ids = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 6 })
  const voting = fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null })
  const entry = fc.record({ votingId: voting, substituteIds: ids, registeredIds: ids })
  const change = fc.record({ votingId: voting, substituteIds: ids, registeredIds: ids }, { requiredKeys: [] })

  it('applies each list’s change as rebased does, keeps a field left out, and changes the voting delegate only when the change names another (property)', () => {
    fc.assert(
      fc.property(entry, entry, change, (current, basis, wanted) => {
        const result = rebasedEntry(current, basis, wanted)
        const votingChanged = wanted.votingId !== undefined && wanted.votingId !== basis.votingId
        const theirsChanged = current.votingId !== basis.votingId
        if (votingChanged && theirsChanged && current.votingId !== wanted.votingId) {
          expect(result).toBeNull()
          return
        }
        expect(result).not.toBeNull()
        expect(result!.votingId).toBe(votingChanged ? wanted.votingId : current.votingId)
        expect(result!.substituteIds).toEqual(wanted.substituteIds ? rebased(current.substituteIds, basis.substituteIds, wanted.substituteIds) : current.substituteIds)
        expect(result!.registeredIds).toEqual(wanted.registeredIds ? rebased(current.registeredIds, basis.registeredIds, wanted.registeredIds) : current.registeredIds)
      }),
    )
  })

  it('gives two changes made from the same entry both their effects, in either order, unless both chose a voting delegate (property)', () => {
    fc.assert(
      fc.property(entry, change, change, (basis, first, second) => {
        const oneThenOther = rebasedEntry(rebasedEntry(basis, basis, first)!, basis, second)
        const otherThenOne = rebasedEntry(rebasedEntry(basis, basis, second)!, basis, first)
        const bothChoose = [first, second].every((one) => one.votingId !== undefined && one.votingId !== basis.votingId) && first.votingId !== second.votingId
        if (bothChoose) {
          expect(oneThenOther).toBeNull()
          expect(otherThenOne).toBeNull()
          return
        }
        expect(oneThenOther!.votingId).toBe(otherThenOne!.votingId)
        expect(new Set(oneThenOther!.substituteIds)).toEqual(new Set(otherThenOne!.substituteIds))
        expect(new Set(oneThenOther!.registeredIds)).toEqual(new Set(otherThenOne!.registeredIds))
      }),
    )
  })

  it('keeps a substitute someone designated while another registered a colleague from the same form', () => {
    const basis = { votingId: 'a', substituteIds: [], registeredIds: ['a'] }
    const designated = rebasedEntry(basis, basis, { ...basis, substituteIds: ['b'] })!
    expect(rebasedEntry(designated, basis, { ...basis, registeredIds: ['a', 'c'] })).toEqual({ votingId: 'a', substituteIds: ['b'], registeredIds: ['a', 'c'] })
    expect(rebasedEntry({ ...basis, votingId: 'b' }, basis, { votingId: 'c' })).toBeNull()
    expect(rebasedEntry({ ...basis, votingId: 'b' }, basis, { votingId: 'b' })).toEqual({ ...basis, votingId: 'b' })
  })
})
