import { Role, Stage } from '@hemicycle/protocol'
import { describe, expect, it } from 'vitest'
import { checkAmendmentAction } from './amendmentRights.ts'
import { readOnlyReason } from './rights.ts'
import { checkVersionWork, checkTranslationsAtLock, checkVersionCreation, mayEditVersion, versionReadOnlyReason } from './translationRights.ts'

const writers: Record<Stage, Role[]> = {
  draft: ['secretariat', 'translator'],
  amendments: ['secretariat', 'translator'],
  consolidation: ['secretariat', 'translator'],
  final: [],
  adopted: [],
}

describe('language versions', () => {
  for (const stage of Stage.options) {
    for (const role of Role.options) {
      const allowed = writers[stage].includes(role)
      it(`are ${allowed ? 'written' : 'read only'} by a ${role} in ${stage}`, () => {
        expect(mayEditVersion(stage, role)).toBe(allowed)
        expect(versionReadOnlyReason(stage, role) === null).toBe(allowed)
        expect(checkVersionWork(stage, role) === null).toBe(allowed)
      })
    }
  }

  it('say why they are read only: the lock, the role, or being an observer', () => {
    expect(versionReadOnlyReason('final', 'translator')).toBe('stage')
    expect(versionReadOnlyReason('draft', 'delegate')).toBe('role')
    expect(versionReadOnlyReason('draft', 'observer')).toBe('observer')
    expect(checkVersionWork('adopted', 'translator')?.code).toBe('wrong_stage')
    expect(checkVersionWork('draft', 'chair')?.status).toBe(403)
  })

  it('are added by the secretariat alone, and only before the lock', () => {
    expect(checkVersionCreation('consolidation', 'secretariat')).toBeNull()
    expect(checkVersionCreation('draft', 'translator')?.status).toBe(403)
    expect(checkVersionCreation('final', 'secretariat')?.code).toBe('wrong_stage')
  })
})

describe('translators', () => {
  const traductrice = { id: 't', username: 'traductrice', name: 'T', role: 'translator' as const, delegation: { id: 'fr-pp', party: 'P', country: 'F' } }
  it('never edit the original, at any stage, and are told it is their role', () => {
    for (const stage of Stage.options) expect(readOnlyReason(stage, 'translator')).toBe('role')
  })

  it('never table or decide amendments, even with a delegation', () => {
    const context = { stage: 'amendments' as const, deadline: null, now: new Date() }
    expect(checkAmendmentAction('table', traductrice, context)?.status).toBe(403)
    expect(checkAmendmentAction('decide', traductrice, { ...context, stage: 'consolidation' })?.status).toBe(403)
  })
})

describe('the lock and outstanding translations', () => {
  const outstanding = [
    { language: 'es' as const, sourceId: 'a', paragraph: 4, status: 'due' as const },
    { language: 'en' as const, sourceId: 'b', paragraph: 0, status: 'missing' as const },
  ]
  it('is refused while a version has due or missing blocks, naming them', () => {
    const refusal = checkTranslationsAtLock(outstanding, false)
    expect(refusal).toMatchObject({ status: 409, code: 'translations_due' })
    expect(refusal!.message).toContain('es (1 block: §4)')
    expect(refusal!.message).toContain('en (1 block')
  })

  const LONGEST = 50_000
  it('names every outstanding block of the longest text at once, without a pause for everyone else', () => {
    // A version just added to a text of the most paragraphs a resolution may hold (MAX_NODES, @hemicycle/schema): every block is missing. Copying each language's list
    // at every block took 18.5 s here; the event loop shared by every editor must not wait on a refusal.
    const everything = Array.from({ length: LONGEST }, (_, index) => ({ language: 'en' as const, sourceId: `b${index}`, paragraph: index + 1, status: 'missing' as const }))
    const started = performance.now()
    const refusal = checkTranslationsAtLock(everything, false)
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(refusal!.message).toContain(`en (${LONGEST} blocks: §1, §2, `)
    expect(refusal!.message).toContain(`, §${LONGEST}).`)
  })

  it('is allowed with the outstanding translations acknowledged, or with none outstanding', () => {
    expect(checkTranslationsAtLock(outstanding, true)).toBeNull()
    expect(checkTranslationsAtLock([], false)).toBeNull()
  })
})
