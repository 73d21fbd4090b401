import { compromiseDraft, deleteBlock, replaceBlock } from '@hemicycle/amendments'
import { candidateOf } from '@hemicycle/documents'
import type { Amendment, BulkAcceptance, Preview } from '@hemicycle/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, importDraft, eventually, expectError, ok, paragraphs, startTestServer, type TestServer } from './harness.ts'

/**
 * Sequences of decisions after which the text must say what each standing
 * decision says, or a person is asked (README: "Merging amendments is never
 * silently wrong"). Each was found by a hostile review, replaying the
 * service's decisions against a model where every word carries its
 * identity: the text came out otherwise, with no conflict.
 */
let server: TestServer
const tokens: Record<string, string> = {}
let clock = new Date('2026-11-23T09:00:00Z')
const tick = () => (clock = new Date(clock.getTime() + 1000))

const post = (path: string, body: unknown, as: string) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })
const get = async <T>(path: string, as: string): Promise<T> => (await server.api(path, { token: tokens[as]! })).json() as Promise<T>

const draft = (...texts: string[]) => importDraft(server, tokens['secretariat']!, tokens['tomas']!, texts)

async function toConsolidation(id: string, amendments: Array<Record<string, unknown>>): Promise<Amendment[]> {
  await ok(await post(`/api/resolutions/${id}/stage`, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat'))
  const tabled: Amendment[] = []
  for (const { as, ...body } of amendments) {
    tick()
    tabled.push(await ok<Amendment>(await post(`/api/resolutions/${id}/amendments`, { justification: 'Parce que.', ...body }, (as as string | undefined) ?? 'claire'), 201))
  }
  await ok(await post(`/api/resolutions/${id}/stage`, { to: 'consolidation' }, 'secretariat'))
  return tabled
}

const decide = (aid: string, body: Record<string, unknown>) => (tick(), post(`/api/amendments/${aid}/decision`, body, 'ingrid'))
const reset = (aid: string) => (tick(), post(`/api/amendments/${aid}/reset`, { reason: 'Correction du procès-verbal.' }, 'secretariat'))
const liveText = async (id: string) => paragraphs((await server.hemicycle.services.collab.open(id)).doc)

/** The chair rewrites a paragraph in the editor (the smallest edit, as typing does), and waits until it is stored. */
async function chairTypes(id: string, blockId: string, text: string) {
  const chair = connectClient(server.wsUrl, id, tokens['ingrid']!)
  await chair.synced
  chair.doc.transact(() => replaceBlock(chair.doc, blockId, [{ text }]))
  await chair.saved()
  await eventually(async () => expect((await liveText(id)).includes(text)).toBe(true))
  chair.destroy()
  tick()
}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
  for (const name of ['secretariat', 'claire', 'kwame', 'lucia', 'ingrid', 'mateo', 'tomas', 'erik']) tokens[name] = await server.login(name)
})
afterAll(() => server?.close())

describe('taking a decision back among others', () => {
  it('is refused when another acceptance says the same words and the paragraph changed beside that one’s words since', async () => {
    const { id, blocks } = await draft('Nous soutenons les pays pauvres.')
    const [a1, a2] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'Nous soutenons les pays pauvres et les régions.' },
      { kind: 'replace', blockId: blocks[0], text: 'Nous appuyons les pays pauvres et les régions.', as: 'lucia' },
    ])
    await ok(await decide(a1!.id, { decision: 'accept' }))
    await ok(await decide(a2!.id, { decision: 'accept' }))
    expect(await liveText(id)).toEqual(['Nous appuyons les pays pauvres et les régions.'])
    // The chair adds a word beside A2's "appuyons": A2's words can no longer be told apart from the paragraph's.
    await chairTypes(id, blocks[0]!, 'Nous appuyons fermement les pays pauvres et les régions.')
    // Taking A1 back took "et les régions", which A2, standing accepted, says too.
    await expectError(await reset(a1!.id), 409, 'reset_conflict')
    expect(await liveText(id)).toEqual(['Nous appuyons fermement les pays pauvres et les régions.'])
    expect((await get<Amendment>(`/api/amendments/${a1!.id}`, 'ingrid')).status).toBe('accepted')
  })

  it('is refused when a later decision took its words out; taken back in turn, later first, the paragraph reads as drafted', async () => {
    const { id, blocks } = await draft('Nous soutenons les pays.')
    const [a1, a2, a3] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'Nous soutenons fermement les pays.' },
      { kind: 'replace', blockId: blocks[0], text: 'Nous soutenons les pays pauvres.', as: 'lucia' },
      { kind: 'replace', blockId: blocks[0], text: 'Nous soutenons les pays et les régions.', as: 'kwame' },
    ])
    await ok(await decide(a1!.id, { decision: 'accept' }))
    tick()
    // The chair's compromise of A2 and A3, written on the paragraph as it stands, drops A1's "fermement".
    const compromise = await ok<Amendment>(
      await post(`/api/resolutions/${id}/compromises`, { amendmentIds: [a2!.id, a3!.id], text: 'Nous soutenons les pays pauvres et les régions.', justification: 'Compromis.' }, 'ingrid'),
      201,
    )
    await ok(await decide(compromise.id, { decision: 'accept' }))
    // Taken back, A1 undid nothing, and taking the compromise back then put "fermement" back with no decision for it.
    await expectError(await reset(a1!.id), 409, 'reset_conflict')
    await ok(await reset(compromise.id))
    expect(await liveText(id)).toEqual(['Nous soutenons fermement les pays.'])
    await ok(await reset(a1!.id))
    expect(await liveText(id)).toEqual(['Nous soutenons les pays.'])
  })

  it('is refused for the deletion of the last paragraph once a paragraph was put after the one before it: where is nobody’s choice', async () => {
    const { id, blocks } = await draft('Un.', 'Deux.', 'Trois.')
    const [a1, a2] = await toConsolidation(id, [
      { kind: 'delete', blockId: blocks[2] },
      { kind: 'insertAfter', blockId: blocks[1], text: 'Nouveau.', as: 'lucia' },
    ])
    await ok(await decide(a1!.id, { decision: 'accept' }))
    await ok(await decide(a2!.id, { decision: 'accept' }))
    // Put back at the end, "Trois." read after "Nouveau.", where no decision put it.
    await expectError(await reset(a1!.id), 409, 'reset_conflict')
    expect(await liveText(id)).toEqual(['Un.', 'Deux.', 'Nouveau.'])
  })
})

describe('taking a decision back, found by a second review', () => {
  it('is refused for a deleted paragraph whose neighbour after it is gone: before or after a paragraph inserted since is nobody’s choice', async () => {
    const { id, blocks } = await draft('Un.', 'Deux.', 'Trois.', 'Quatre.')
    const [deleteTwo, insert, deleteThree] = await toConsolidation(id, [
      { kind: 'delete', blockId: blocks[1] },
      { kind: 'insertAfter', blockId: blocks[0], text: 'Nouveau.', as: 'lucia' },
      { kind: 'delete', blockId: blocks[2], as: 'kwame' },
    ])
    for (const amendment of [deleteTwo, insert, deleteThree]) await ok(await decide(amendment!.id, { decision: 'accept' }))
    expect(await liveText(id)).toEqual(['Un.', 'Nouveau.', 'Quatre.'])
    // "Trois." gone, nothing was checked, and "Deux." came back before "Nouveau.".
    await expectError(await reset(deleteTwo!.id), 409, 'reset_conflict')
    expect(await liveText(id)).toEqual(['Un.', 'Nouveau.', 'Quatre.'])
  })

  it('is refused for a deleted paragraph whose two neighbours the chair joined since', async () => {
    const { id, blocks } = await draft('Un.', 'Deux.', 'Trois.')
    const [deletion] = await toConsolidation(id, [{ kind: 'delete', blockId: blocks[1] }])
    await ok(await decide(deletion!.id, { decision: 'accept' }))
    // Backspace at the start of "Trois.": one paragraph, "Un." keeps its id.
    const chair = connectClient(server.wsUrl, id, tokens['ingrid']!)
    await chair.synced
    chair.doc.transact(() => {
      replaceBlock(chair.doc, blocks[0]!, [{ text: 'Un. Trois.' }])
      deleteBlock(chair.doc, blocks[2]!)
    })
    await chair.saved()
    await eventually(async () => expect(await liveText(id)).toEqual(['Un. Trois.']))
    chair.destroy()
    tick()
    // It came back after "Un. Trois.".
    await expectError(await reset(deletion!.id), 409, 'reset_conflict')
    expect(await liveText(id)).toEqual(['Un. Trois.'])
  })

  it('reads a deletion accepted as modified for its words, as a replacement: taking back another decision may not take them', async () => {
    const { id, blocks } = await draft('Nous soutenons les pays pauvres.')
    const [a1, a2] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'Nous soutenons les pays pauvres et les régions.' },
      { kind: 'delete', blockId: blocks[0], as: 'lucia' },
    ])
    await ok(await decide(a1!.id, { decision: 'accept' }))
    // The chair keeps the paragraph, in her words, which say "et les régions" too.
    await ok(await decide(a2!.id, { decision: 'acceptModified', text: 'Nous appuyons les pays pauvres et les régions.' }))
    await expectError(await reset(a1!.id), 409, 'reset_conflict')
    expect(await liveText(id)).toEqual(['Nous appuyons les pays pauvres et les régions.'])
  })

  it('takes back one decision when the chair typed beside another’s words, far from its own', async () => {
    const { id, blocks } = await draft('Nous aidons les pays pauvres du Sud et les régions isolées du Nord.')
    const [a1, a2] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'Nous aidons les pays démunis du Sud et les régions isolées du Nord.' },
      { kind: 'replace', blockId: blocks[0], text: 'Nous aidons les pays pauvres du Sud et les régions éloignées du Nord.', as: 'lucia' },
    ])
    await ok(await decide(a1!.id, { decision: 'accept' }))
    await ok(await decide(a2!.id, { decision: 'accept' }))
    await chairTypes(id, blocks[0]!, 'Nous aidons les pays démunis du Sud et les régions très éloignées du Nord.')
    // A2's words can no longer be told apart, but taking A1 back ("démunis" → "pauvres") takes out none of them.
    await ok(await reset(a1!.id))
    expect(await liveText(id)).toEqual(['Nous aidons les pays pauvres du Sud et les régions très éloignées du Nord.'])
    // A2 itself waits until its words read as it wrote them: the chair takes "très" out, and it can be taken back.
    await expectError(await reset(a2!.id), 409, 'reset_conflict')
    await chairTypes(id, blocks[0]!, 'Nous aidons les pays pauvres du Sud et les régions éloignées du Nord.')
    await ok(await reset(a2!.id))
    expect(await liveText(id)).toEqual(['Nous aidons les pays pauvres du Sud et les régions isolées du Nord.'])
  })
})

describe('a compromise composed after a decision that wrote a phrase again', () => {
  it('starts from a draft that puts each amendment’s change where accepting it would, and writes that', async () => {
    const { id, blocks } = await draft('aider les pays et les régions.')
    const [a1, a2, a3] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'financer les pays et les pays et les régions.' },
      { kind: 'replace', blockId: blocks[0], text: 'aider les pays et régions.', as: 'lucia' },
      { kind: 'replace', blockId: blocks[0], text: 'aider les pays pauvres et les régions.', as: 'kwame' },
    ])
    await ok(await decide(a1!.id, { decision: 'accept' }))
    // Accepted one by one, A2 and A3 change the original words, not A1's copy (acceptedInTurn.test.ts).
    expect((await get<Preview>(`/api/amendments/${a3!.id}/preview`, 'ingrid')).text).toBe('financer les pays et les pays pauvres et les régions.')
    // The composer (CompromiseComposer.tsx) drafts from the live paragraph and the amendments as the API lists them.
    const listed = await get<Amendment[]>(`/api/resolutions/${id}/amendments`, 'ingrid')
    const chosen = [a2!, a3!].map((a) => listed.find((l) => l.id === a.id)!)
    const start = compromiseDraft([{ text: (await liveText(id))[0]! }], chosen.map((a) => candidateOf(a, listed)))
    expect(start.leftOut).toBe(0)
    tick()
    const compromise = await ok<Amendment>(await post(`/api/resolutions/${id}/compromises`, { amendmentIds: chosen.map((a) => a.id), wording: start.wording, justification: 'Compromis.' }, 'ingrid'), 201)
    await ok(await decide(compromise.id, { decision: 'accept' }))
    expect(await liveText(id)).toEqual(['financer les pays et les pays pauvres et régions.'])
  })
})

describe('typing after a decision beside a run of repeated words', () => {
  it('leaves the conflict the decision left: a word typed at the end says nothing of which "agir" the decision wrote', async () => {
    const { id, blocks } = await draft('Nous appelons à agir, agir.')
    const [a1, a2] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'Nous appelons à agir, agir, agir.' },
      { kind: 'replace', blockId: blocks[0], text: 'Nous appelons à agir vite, agir.', as: 'lucia' },
    ])
    await ok(await decide(a1!.id, { decision: 'accept' }))
    // A1's ", agir" may stand after either "agir", one of them where A2 writes "vite".
    expect((await get<Preview>(`/api/amendments/${a2!.id}/preview`, 'ingrid')).state).toBe('conflict')
    await chairTypes(id, blocks[0]!, 'Nous appelons à agir, agir, agir ensemble.')
    expect((await get<Preview>(`/api/amendments/${a2!.id}/preview`, 'ingrid')).state).toBe('conflict')
    await expectError(await decide(a2!.id, { decision: 'accept' }), 409, 'conflict')
    expect(await liveText(id)).toEqual(['Nous appelons à agir, agir, agir ensemble.'])
  })
})

describe('typing before a decision that wrote a phrase again', () => {
  it('leaves which copy an amendment changes a conflict, as without the typing', async () => {
    const { id, blocks } = await draft('Nous aidons les pays et les régions.')
    const [a1, a2, a3] = await toConsolidation(id, [
      { kind: 'replace', blockId: blocks[0], text: 'Nous aidons les États et les régions.' },
      { kind: 'replace', blockId: blocks[0], text: 'Nous aidons les pays et les régions pauvres.', as: 'lucia' },
      { kind: 'replace', blockId: blocks[0], text: 'Nous aidons les pays et les régions du monde.', as: 'kwame' },
    ])
    // Found by a second hostile review: the chair types a word, then a compromise writes "pays et les" once more (it
    // could stand after "les" or after "et les"); read in one diff with the typing, "pays" → "États" went to the copy.
    await chairTypes(id, blocks[0]!, 'Nous aidons les pays et les territoires.')
    const compromise = await ok<Amendment>(
      await post(`/api/resolutions/${id}/compromises`, { amendmentIds: [a2!.id, a3!.id], text: 'Nous aidons les pays et les pays et les territoires.', justification: 'Compromis.' }, 'ingrid'),
      201,
    )
    await ok(await decide(compromise.id, { decision: 'accept' }))
    expect((await get<Preview>(`/api/amendments/${a1!.id}/preview`, 'ingrid')).state).toBe('conflict')
    await expectError(await decide(a1!.id, { decision: 'accept' }), 409, 'conflict')
    expect(await liveText(id)).toEqual(['Nous aidons les pays et les pays et les territoires.'])
  })
})

describe('accepting every amendment that collides with nothing', () => {
  it('skips in its dry run the deletion the run skips: a list item’s first paragraph above a sub-list', async () => {
    const { id } = await draft('Un paragraphe.', '- Premier point.\n\n  - Sous-point.')
    const client = connectClient(server.wsUrl, id, tokens['tomas']!)
    await client.synced
    const ids: string[] = []
    const walk = (node: Y.XmlElement | Y.XmlFragment) => {
      for (const child of node.toArray()) {
        if (!(child instanceof Y.XmlElement)) continue
        const blockId = child.getAttribute('id')
        if (typeof blockId === 'string') ids.push(blockId)
        walk(child)
      }
    }
    walk(client.doc.getXmlFragment('body'))
    client.destroy()
    const [deletion] = await toConsolidation(id, [{ kind: 'delete', blockId: ids[1] }])
    tick()
    const dry = await ok<BulkAcceptance>(await post(`/api/resolutions/${id}/amendments/accept-non-colliding?dryRun=1`, {}, 'ingrid'))
    tick()
    const real = await ok<BulkAcceptance>(await post(`/api/resolutions/${id}/amendments/accept-non-colliding`, {}, 'ingrid'))
    expect(real).toEqual({ accepted: [], skipped: [{ id: deletion!.id, reason: 'conflict' }] })
    expect(dry).toEqual(real)
  })
})
