import { CloseCode } from '@hemicycle/protocol'
import { encodeBody, schema } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createStore } from 'zustand/vanilla'
import type { CollabSession } from './collabSession.ts'
import { initialFacts } from './connectionStatus.ts'
import { LiveResolution } from './liveResolution.ts'

/** The server's copy: the same Yjs changes for every session, as a server gives them. */
const serverCopies = new Map<string, Uint8Array>()
const serverCopy = (text: string, more: readonly string[]) => {
  const key = JSON.stringify([text, more])
  if (!serverCopies.has(key)) {
    const paragraphs = [text, ...more].map((words, index) => schema.node('paragraph', { id: `p${index + 1}` }, [schema.text(words)]))
    serverCopies.set(key, encodeBody(schema.node('doc', null, paragraphs)))
  }
  return serverCopies.get(key)!
}

/** A session without a network: a document and the facts the server's messages would set. */
function fakeSession(text: string, more: readonly string[] = []) {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, serverCopy(text, more))
  const facts = createStore(() => ({ ...initialFacts, loaded: false }))
  let destroyed = false
  return { doc, facts, destroy: () => (destroyed = true), get destroyed() { return destroyed } } as unknown as CollabSession & { destroyed: boolean }
}

function setup(more: readonly string[] = []) {
  const sessions: Array<ReturnType<typeof fakeSession>> = []
  const live = new LiveResolution('r', () => {
    const session = fakeSession('Texte du serveur.', more)
    sessions.push(session)
    return session
  })
  live.subscribe(() => {})
  return { live, sessions }
}

const deny = (session: CollabSession, typed = 0, stored = 0) =>
  session.facts.setState((facts) => ({ ...facts, loaded: true, denial: 'stage: the text cannot be edited directly at this stage', denials: facts.denials + 1, typed, stored }))

describe('a live resolution in a tab', () => {
  it('shows the refusal and keeps its copy when nothing typed was refused', () => {
    const { live, sessions } = setup()
    live.setMayWrite(true)
    deny(sessions[0]!)
    // Nothing typed here was refused: the right to write more was withdrawn, and the page says so by its code, not as a refusal of changes.
    expect(live.getSnapshot()).toMatchObject({ session: sessions[0], refusal: { code: 'stage', changesRefused: false } })
    expect(sessions).toHaveLength(1)
  })

  it('rebuilds from the server’s copy when typed changes were refused, offering them back as drafts', () => {
    const { live, sessions } = setup()
    live.setMayWrite(true)
    const first = sessions[0]!
    const paragraph = first.doc.getXmlFragment('body').get(0) as Y.XmlElement
    ;(paragraph.get(0) as Y.XmlText).insert(0, 'Ajout refusé. ')
    deny(first, 9, 4)
    expect(first.destroyed).toBe(true)
    expect(sessions).toHaveLength(2)
    expect(live.getSnapshot().refusal).toEqual({ code: 'stage', reason: 'the text cannot be edited directly at this stage', changesRefused: true })
    sessions[1]!.facts.setState({ loaded: true })
    expect([...live.getSnapshot().unsaved]).toEqual([['p1', [{ text: 'Ajout refusé. Texte du serveur.' }]]])
    // The new socket is told again before it syncs: the changes refused are still the last ones.
    deny(sessions[1]!)
    expect(live.getSnapshot().refusal).toMatchObject({ code: 'stage', changesRefused: true })
    expect(sessions).toHaveLength(2)
    live.dismissUnsaved('p1')
    expect(live.getSnapshot().unsaved.size).toBe(0)
  })

  it('goes on from the server’s copy when the server closed its socket for good, offering back what was typed and not saved', () => {
    const { live, sessions } = setup()
    live.setMayWrite(true)
    const first = sessions[0]!
    first.facts.setState({ loaded: true, synced: true })
    const paragraph = first.doc.getXmlFragment('body').get(0) as Y.XmlElement
    ;(paragraph.get(0) as Y.XmlText).insert(0, 'Perdu. ')
    first.facts.setState({ typed: 9, stored: 4, closedForGood: { code: 4400, reason: 'a paragraph holds at most 10000 characters of text' } })
    expect(first.destroyed).toBe(true)
    expect(sessions).toHaveLength(2)
    expect(live.getSnapshot()).toMatchObject({ session: sessions[1], refusal: null })
    sessions[1]!.facts.setState({ loaded: true })
    expect(live.getSnapshot()).toMatchObject({ unsaved: new Map([['p1', [{ text: 'Perdu. Texte du serveur.' }]]]), unsavedBecause: 'refused' })
  })

  it('opens the text afresh when its instance put its copy away (4410): words it held that the stored text has not are offered back, nothing else', () => {
    // Another instance took other words under the same ids: this tab's copy holds the words the stored text lost.
    const { live, sessions } = setup(['Deuxième.'])
    live.setMayWrite(true)
    const first = sessions[0]!
    first.facts.setState({ loaded: true, synced: true })
    const paragraph = first.doc.getXmlFragment('body').get(0) as Y.XmlElement
    ;(paragraph.get(0) as Y.XmlText).insert(0, 'BBBB ')
    first.facts.setState({ typed: 5, stored: 5, closedForGood: { code: CloseCode.Diverged, reason: 'another server took other changes under the same ids as this copy; open the text afresh' } })
    expect(first.destroyed).toBe(true)
    expect(live.getSnapshot()).toMatchObject({ session: sessions[1], refusal: null })
    sessions[1]!.facts.setState({ loaded: true })
    expect([...live.getSnapshot().unsaved]).toEqual([['p1', [{ text: 'BBBB Texte du serveur.' }]]])
  })

  it('opens the text afresh when it showed others’ words the server never got (4411), offering them back as such', () => {
    // Heard on an instance that died before storing them; their author never came back.
    const { live, sessions } = setup()
    live.setMayWrite(true)
    const first = sessions[0]!
    first.facts.setState({ loaded: true, synced: true })
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(first.doc))
    ;((other.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Perdu. ')
    Y.applyUpdate(first.doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(first.doc)))
    first.facts.setState({ closedForGood: { code: CloseCode.OthersLost, reason: "your copy holds others' changes the server never got and their authors have not brought: open the text afresh" } })
    expect(first.destroyed).toBe(true)
    sessions[1]!.facts.setState({ loaded: true })
    expect(live.getSnapshot()).toMatchObject({ unsaved: new Map([['p1', [{ text: 'Perdu. Texte du serveur.' }]]]), unsavedBecause: 'lost' })
  })

  it('does not go on from a session closed for good before it ever had the document: a new one would be closed the same way', () => {
    const { live, sessions } = setup()
    live.setMayWrite(true)
    sessions[0]!.facts.setState({ closedForGood: { code: 4400, reason: 'awareness state too large' } })
    expect(sessions).toHaveLength(1)
  })

  it('offers back a new paragraph typed as the stage moved, which the server never had', () => {
    const { live, sessions } = setup()
    live.setMayWrite(true)
    const first = sessions[0]!
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.setAttribute('id', 'new')
    paragraph.insert(0, [new Y.XmlText('Un paragraphe nouveau.')])
    first.doc.getXmlFragment('body').insert(1, [paragraph])
    deny(first, 9, 4)
    live.setMayWrite(false)
    sessions[1]!.facts.setState({ loaded: true })
    expect([...live.getSnapshot().unsaved]).toEqual([['new', [{ text: 'Un paragraphe nouveau.' }]]])
  })

  it('says a paragraph deleted as the stage moved is back, with its words, and dismisses it', () => {
    const { live, sessions } = setup(['Deuxième paragraphe.'])
    live.setMayWrite(true)
    const first = sessions[0]!
    first.doc.getXmlFragment('body').delete(1, 1)
    deny(first, 9, 4)
    sessions[1]!.facts.setState({ loaded: true })
    expect([...live.getSnapshot().unsavedDeletions]).toEqual([['p2', [{ text: 'Deuxième paragraphe.' }]]])
    expect(live.getSnapshot().unsaved.size).toBe(0)
    live.dismissUnsaved('p2')
    expect(live.getSnapshot().unsavedDeletions.size).toBe(0)
  })

  it('does not take a paragraph this tab never had for one it deleted', () => {
    const sessions: Array<ReturnType<typeof fakeSession>> = []
    // Someone else added §2 on the server while this tab was being refused: its copy never held it.
    const live = new LiveResolution('r', () => {
      const session = sessions.length === 0 ? fakeSession('Texte du serveur.') : fakeSession('Texte du serveur.', ['Ajouté par un autre.'])
      sessions.push(session)
      return session
    })
    live.subscribe(() => {})
    live.setMayWrite(true)
    const paragraph = sessions[0]!.doc.getXmlFragment('body').get(0) as Y.XmlElement
    ;(paragraph.get(0) as Y.XmlText).insert(0, 'Ajout refusé. ')
    deny(sessions[0]!, 9, 4)
    sessions[1]!.facts.setState({ loaded: true })
    expect(live.getSnapshot().unsavedDeletions.size).toBe(0)
    expect([...live.getSnapshot().unsaved.keys()]).toEqual(['p1'])
  })

  it('rebuilds even when it already knew it could not write, but shows no refusal then', () => {
    const { live, sessions } = setup()
    deny(sessions[0]!, 5, 1)
    expect(sessions).toHaveLength(2)
    expect(live.getSnapshot().refusal).toBeNull()
  })

  it('forgets a refusal once the new rights are known', () => {
    const { live, sessions } = setup()
    live.setMayWrite(true)
    deny(sessions[0]!)
    live.setMayWrite(false)
    expect(live.getSnapshot().refusal).toBeNull()
  })

  it('forgets a refusal once a socket syncs unrefused: the server gave the right back (a stage move refused after the text froze)', () => {
    const { live, sessions } = setup()
    live.setMayWrite(true)
    deny(sessions[0]!)
    // The server closes the socket (4206) and the tab reconnects; this socket is not refused before it syncs.
    sessions[0]!.facts.setState({ socket: 'connected', denial: null, synced: false })
    expect(live.getSnapshot().refusal).not.toBeNull()
    sessions[0]!.facts.setState({ synced: true })
    expect(live.getSnapshot().refusal).toBeNull()
  })

  it('keeps the refusal when the new socket is refused again before it syncs', () => {
    const { live, sessions } = setup()
    live.setMayWrite(true)
    deny(sessions[0]!)
    sessions[0]!.facts.setState({ socket: 'connected', denial: null, synced: false })
    deny(sessions[0]!)
    sessions[0]!.facts.setState({ synced: true })
    expect(live.getSnapshot().refusal).toMatchObject({ code: 'stage' })
  })
})
