import { rebase, type Run, runsOfNode } from '@hemicycle/amendments'
import { candidateOf, suggestions } from '@hemicycle/documents'
import { type Amendment, delegationColor } from '@hemicycle/protocol'
import { blockIdOf } from '@hemicycle/schema'
import { type Editor, Extension } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'

/** Which amendments to show in the text, and how to name them. */
export interface SuggestionInfo {
  show: boolean
  amendments: readonly Amendment[]
  /** "A3 (Parti progressiste)": the label a suggestion carries. */
  label: (amendment: Amendment) => string
}

export const suggestionsKey = new PluginKey<DecorationSet>('suggestions')

const BREAK = ' ¶ '
const joined = (wording: readonly Run[][]): Run[] => wording.flatMap((runs, index) => (index === 0 ? runs : [{ text: BREAK }, ...runs]))

/** The document position of a character offset in a textblock's text (which counts only its text nodes, as `runsOfNode` does). */
function positionIn(node: PMNode, start: number, offset: number): number {
  let chars = 0
  let position = start + 1
  for (let index = 0; index < node.childCount; index++) {
    const child = node.child(index)
    const length = child.isText ? child.text!.length : 0
    if (child.isText && offset <= chars + length) return position + offset - chars
    chars += length
    position += child.nodeSize
  }
  return position
}

function element(tag: 'ins' | 'sup', amendment: Amendment, label: string, content: string | readonly Run[]): HTMLElement {
  const node = document.createElement(tag)
  node.className = tag === 'ins' ? 'suggestion-insert' : 'suggestion-label'
  node.contentEditable = 'false'
  node.dataset['amendment'] = amendment.number
  node.title = label
  node.style.setProperty('--change-color', delegationColor(amendment.delegation?.id ?? null))
  if (typeof content === 'string') node.textContent = content
  // Words added bold or italic are shown so: accepting writes them so.
  else for (const run of content) node.append(formatted(run))
  return node
}

function formatted(run: Run): Node {
  let node: Node = document.createTextNode(run.text)
  for (const [mark, tag] of [['italic', 'em'], ['bold', 'strong']] as const) {
    if (!run[mark]) continue
    const wrapper = document.createElement(tag)
    wrapper.append(node)
    node = wrapper
  }
  return node
}

const runsKey = (runs: readonly Run[]) => runs.map((run) => `${run.bold ? 'b' : ''}${run.italic ? 'i' : ''}:${run.text}`).join('|')

/** A block's suggestions, placed once its position in the document is known. */
type Placed = (pos: number) => Decoration

/** The tabled amendments of each block, by block id. */
function tabledByBlock(amendments: readonly Amendment[]): Map<string, Amendment[]> {
  const byBlock = new Map<string, Amendment[]>()
  for (const amendment of amendments) {
    if (amendment.status !== 'tabled' || amendment.blockId === null) continue
    byBlock.set(amendment.blockId, [...(byBlock.get(amendment.blockId) ?? []), amendment])
  }
  return byBlock
}

/** One textblock's suggestions, relative to its start: the rebasing is the costly part, and depends on nothing else. */
function blockSuggestions(node: PMNode, amendments: readonly Amendment[], info: SuggestionInfo): Placed[] {
  const placed: Placed[] = []
  const current = runsOfNode(node)
  for (const amendment of amendments) {
    // As the server read it last (announced when an acceptance changes it): its paragraphs stand after the block already,
    // all of them (accepting writes nothing) or some (accepting is refused). That reading looks past this block, which
    // a block's drawing does not.
    if (amendment.unchanged || amendment.partlyInText) continue
    const label = info.label(amendment)
    const rebased = rebase(candidateOf(amendment, info.amendments), current)
    if (rebased.state !== 'clean') continue
    const key = `${amendment.id}:${amendment.updatedAt}`
    const color = delegationColor(amendment.delegation?.id ?? null)
    const labelAt = (at: number): Placed => (pos) =>
      Decoration.widget(pos + at, () => element('sup', amendment, label, amendment.number), { side: -1, ignoreSelection: true, key: `${key}:label` })
    if (amendment.kind === 'insertAfter') {
      const end = node.nodeSize - 1
      const runs = [{ text: ` ${BREAK}` }, ...joined(rebased.wording)]
      placed.push(labelAt(end), (pos) => Decoration.widget(pos + end, () => element('ins', amendment, label, runs), { side: 1, ignoreSelection: true, key: `${key}:after:${runsKey(runs)}` }))
      continue
    }
    const list = suggestions(current, joined(rebased.wording))
    list.forEach((suggestion, index) => {
      const at = positionIn(node, 0, suggestion.kind === 'insert' ? suggestion.at : suggestion.from)
      if (index === 0) placed.push(labelAt(at))
      if (suggestion.kind === 'insert') {
        const { runs } = suggestion
        placed.push((pos) => Decoration.widget(pos + at, () => element('ins', amendment, label, runs), { side: 1, ignoreSelection: true, key: `${key}:${index}:${runsKey(runs)}` }))
      } else if (suggestion.kind === 'format') {
        const to = positionIn(node, 0, suggestion.to)
        const style = `--change-color: ${color}; font-weight: ${suggestion.bold ? 'bold' : 'normal'}; font-style: ${suggestion.italic ? 'italic' : 'normal'}`
        placed.push((pos) => Decoration.inline(pos + at, pos + to, { class: 'suggestion-format', 'data-amendment': amendment.number, title: label, style }))
      } else {
        const to = positionIn(node, 0, suggestion.to)
        placed.push((pos) =>
          Decoration.inline(pos + at, pos + to, { class: 'suggestion-delete', 'data-amendment': amendment.number, title: label, style: `--change-color: ${color}` }),
        )
      }
    })
  }
  return placed
}

/**
 * What was worked out per textblock for one set of amendments, by block id.
 * A block met again with the same content (`Node.eq`: same text, marks and
 * attributes) needs no rebasing, so a keystroke rebases the amendments of its
 * own paragraph only, not those of the whole resolution. Content, not node
 * identity: the collaboration binding rebuilds every node on each change
 * that arrives from someone else.
 */
interface SuggestionCache {
  info: SuggestionInfo
  byBlock: Map<string, Amendment[]>
  blocks: Map<string, { node: PMNode; placed: Placed[] }>
}

const suggestionCache = (info: SuggestionInfo): SuggestionCache => ({ info, byBlock: tabledByBlock(info.amendments), blocks: new Map() })

/**
 * Each tabled amendment's change drawn in the live text as a suggestion:
 * words it adds as widgets, words it removes struck through, words it sets
 * in another formatting so set (and marked), each labelled
 * with the amendment's number. Decorations only: the document (and so the
 * shared Yjs text) is never touched. Changes are rebased on the paragraph
 * as it stands; one that no longer applies cleanly is not drawn.
 */
export function suggestionDecorations(doc: PMNode, info: SuggestionInfo, cache: SuggestionCache = suggestionCache(info)): DecorationSet {
  if (!info.show) return DecorationSet.empty
  const decorations: Decoration[] = []
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true
    const id = blockIdOf(node)
    const amendments = id ? cache.byBlock.get(id) : undefined
    if (!id || !amendments) return false
    let known = cache.blocks.get(id)
    if (!known || !(known.node === node || known.node.eq(node))) {
      known = { node, placed: blockSuggestions(node, amendments, info) }
      cache.blocks.set(id, known)
    }
    for (const place of known.placed) decorations.push(place(pos))
    return false
  })
  return DecorationSet.create(doc, decorations)
}

/**
 * Amendments shown in the text as suggestions, on demand. `editor.storage.suggestions`
 * holds what to show; `showSuggestions` stores it and redraws.
 */
export const Suggestions = Extension.create<Record<string, never>, { info: SuggestionInfo }>({
  name: 'suggestions',
  addStorage() {
    return { info: { show: false, amendments: [], label: (amendment) => amendment.number } }
  },
  addProseMirrorPlugins() {
    const storage = this.storage
    let cache = suggestionCache(storage.info)
    const draw = (doc: PMNode) => {
      if (cache.info !== storage.info) cache = suggestionCache(storage.info)
      return suggestionDecorations(doc, storage.info, cache)
    }
    return [
      new Plugin({
        key: suggestionsKey,
        state: {
          init: (_config, state) => draw(state.doc),
          apply: (tr, previous, _old, state) => (tr.docChanged || tr.getMeta(suggestionsKey) ? draw(state.doc) : previous),
        },
        props: { decorations: (state) => suggestionsKey.getState(state) },
      }),
    ]
  },
})

declare module '@tiptap/core' {
  interface Storage {
    suggestions: { info: SuggestionInfo }
  }
}

/** Shows (or hides) the amendments in the text, redrawn with the amendments given. */
export function showSuggestions(editor: Editor, info: SuggestionInfo): void {
  editor.storage.suggestions.info = info
  editor.view.dispatch(editor.state.tr.setMeta(suggestionsKey, true))
}
