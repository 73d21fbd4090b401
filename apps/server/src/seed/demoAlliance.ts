import { readFileSync } from 'node:fs'
import type { Gender, Role } from '@hemicycle/protocol'
import type { Passwords } from '../accounts/passwords.ts'
import { insertDelegation, insertPerson } from '../accounts/people.ts'
import type { Database } from '../db/database.ts'
import { insertMeeting, writeSeat } from '../meetings/repository.ts'
import { importMarkdown } from '../documents/markdownImport.ts'

/**
 * The demo alliance created on the first start with an empty database:
 * five member parties' delegations (each a woman and a man), a working-group
 * chair, two Steering Committee members, two observers (one a party leader
 * without a seat), a translator, the secretariat, the Kuala Lumpur draft,
 * and the Council meeting that will vote on it. The parties are invented; the draft is real.
 */
export const DEMO_DELEGATIONS = [
  { id: 'fr-pp', party: 'Parti progressiste', country: 'France' },
  { id: 'cl-psp', party: 'Partido Socialista Progresista', country: 'Chile' },
  { id: 'my-pbs', party: 'Parti Bersatu Sosial', country: 'Malaysia' },
  { id: 'gh-sdp', party: 'Social Democratic Party', country: 'Ghana' },
  { id: 'se-sap', party: 'Arbetarpartiet', country: 'Sweden' },
] as const

type DelegationId = (typeof DEMO_DELEGATIONS)[number]['id']

export const DEMO_PEOPLE: ReadonlyArray<{ username: string; name: string; role: Role; delegation: DelegationId | null; gender: Gender }> = [
  { username: 'secretariat', name: 'Amina Diallo', role: 'secretariat', delegation: null, gender: 'f' },
  { username: 'claire', name: 'Claire Martin', role: 'delegate', delegation: 'fr-pp', gender: 'f' },
  { username: 'julien', name: 'Julien Moreau', role: 'delegate', delegation: 'fr-pp', gender: 'm' },
  { username: 'lucia', name: 'Lucía Fernández', role: 'delegate', delegation: 'cl-psp', gender: 'f' },
  { username: 'mateo', name: 'Mateo Rojas', role: 'steering', delegation: 'cl-psp', gender: 'm' },
  { username: 'aisyah', name: 'Nur Aisyah Binti Ahmad', role: 'delegate', delegation: 'my-pbs', gender: 'f' },
  { username: 'hafiz', name: 'Hafiz Rahman', role: 'delegate', delegation: 'my-pbs', gender: 'm' },
  { username: 'ama', name: 'Ama Owusu', role: 'steering', delegation: 'gh-sdp', gender: 'f' },
  { username: 'kwame', name: 'Kwame Mensah', role: 'delegate', delegation: 'gh-sdp', gender: 'm' },
  { username: 'ingrid', name: 'Ingrid Johansson', role: 'chair', delegation: 'se-sap', gender: 'f' },
  { username: 'erik', name: 'Erik Lindqvist', role: 'delegate', delegation: 'se-sap', gender: 'm' },
  { username: 'tomas', name: 'Tomás Silva', role: 'observer', delegation: null, gender: 'm' },
  { username: 'kofi', name: 'Kofi Boateng', role: 'observer', delegation: 'gh-sdp', gender: 'm' },
  { username: 'traductrice', name: 'Élise Fontaine', role: 'translator', delegation: null, gender: 'f' },
]

/** The Council's roll in Kuala Lumpur: each party's voting delegate and its designated substitute; the Ghanaian party's leader attends without a vote. */
export const DEMO_ROLL: ReadonlyArray<{ delegation: DelegationId; voting: string; substitute: string; others: readonly string[] }> = [
  { delegation: 'fr-pp', voting: 'claire', substitute: 'julien', others: [] },
  { delegation: 'cl-psp', voting: 'lucia', substitute: 'mateo', others: [] },
  { delegation: 'my-pbs', voting: 'aisyah', substitute: 'hafiz', others: [] },
  { delegation: 'gh-sdp', voting: 'kwame', substitute: 'ama', others: ['kofi'] },
  { delegation: 'se-sap', voting: 'erik', substitute: 'ingrid', others: [] },
]

/**
 * Creates the demo alliance if the database has nobody in it yet. Returns
 * whether it did. A demo created before it had a translator gets its
 * translator (`traductrice`).
 */
export async function seedDemoAlliance(db: Database, { password, passwords, fixturePath, now }: { password: string; passwords: Passwords; fixturePath: string; now: Date }) {
  const [{ count } = { count: 0 }] = await db.query<{ count: number }>('select count(*)::int as count from people')
  if (count > 0) {
    const demo = await db.query<{ id: string }>(`select id from people where id in ('person-secretariat', 'person-traductrice')`)
    const translator = DEMO_PEOPLE.find((person) => person.username === 'traductrice')!
    if (demo.length === 1 && demo[0]!.id === 'person-secretariat') {
      await insertPerson(db, { id: 'person-traductrice', username: translator.username, name: translator.name, role: translator.role, delegationId: null, gender: translator.gender, passwordHash: await passwords.hash(password) })
    }
    return false
  }
  // Every demo account has the one demo password, so one hash (one salt) for all hides nothing a salt each would;
  // scrypt costs ~50 ms of CPU a hash: fifteen were 0.75 s at every first start (and at each of the test suite's servers).
  const hash = await passwords.hash(password)
  await db.transaction(async (tx) => {
    for (const delegation of DEMO_DELEGATIONS) await insertDelegation(tx, delegation)
    for (const person of DEMO_PEOPLE) {
      await insertPerson(tx, {
        id: `person-${person.username}`,
        username: person.username,
        name: person.name,
        role: person.role,
        delegationId: person.delegation,
        gender: person.gender,
        passwordHash: hash,
      })
    }
  })
  const { resolution: draft } = await importMarkdown(db, readFileSync(fixturePath, 'utf8'), { by: null, now })
  await db.transaction(async (tx) => {
    const meeting = {
      id: 'meeting-kuala-lumpur',
      kind: 'council' as const,
      title: 'Council of the Progressive Alliance',
      place: 'Kuala Lumpur, Malaysia',
      startsAt: '2019-08-30',
      endsAt: '2019-08-31',
      timeZone: 'Asia/Kuala_Lumpur',
      resolutionIds: [draft.id],
    }
    await insertMeeting(tx, meeting, 'person-secretariat', now)
    const id = (username: string) => `person-${username}`
    for (const seat of DEMO_ROLL) {
      await writeSeat(
        tx,
        meeting.id,
        { delegationId: seat.delegation, votingId: id(seat.voting), substituteIds: [id(seat.substitute)], registeredIds: [seat.voting, seat.substitute, ...seat.others].map(id), seated: true },
        now,
      )
    }
  })
  return true
}
