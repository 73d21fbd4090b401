import type { ContentMatch, Node as PMNode, NodeType } from '@tiptap/pm/model'
import { BLOCK_ID, SOURCE_ID } from './blockId.ts'
import { MAX_BLOCK_TEXT } from './blockLength.ts'
import { isForbiddenCharacter } from './characters.ts'
import { schema } from './extensions.ts'
import { eachDescendant } from './walk.ts'

/**
 * What a resolution's body may hold, whoever writes it (an editor, a stock
 * y-websocket client, an import): the schema's node names in the places the
 * schema allows them, text only inside textblocks, the attributes the schema
 * knows with sensible values, and two limits that keep every walk and every
 * export cheap.
 */

/** How deep elements may nest: a top-level paragraph is at depth 1, a paragraph in a quote at depth 2. */
export const MAX_DEPTH = 32
/** How many elements and text nodes (one per textblock with text) a body may hold. */
export const MAX_NODES = 50_000

const TOP = schema.topNodeType

function reachableChildren(type: NodeType): Set<string> {
  const names = new Set<string>()
  const seen = new Set([type.contentMatch])
  const queue = [type.contentMatch]
  while (queue.length > 0) {
    const match = queue.pop()!
    for (let index = 0; index < match.edgeCount; index++) {
      const edge = match.edge(index)
      names.add(edge.type.name)
      if (!seen.has(edge.next)) {
        seen.add(edge.next)
        queue.push(edge.next)
      }
    }
  }
  return names
}

/** The element names of the body: every schema node but the document itself and text. */
export const ELEMENT_NAMES: ReadonlySet<string> = new Set(
  Object.values(schema.nodes)
    .filter((type) => type !== TOP && !type.isText)
    .map((type) => type.name),
)

/** Elements that hold text (and only text). */
export const TEXTBLOCK_NAMES: ReadonlySet<string> = new Set(
  Object.values(schema.nodes)
    .filter((type) => type.isTextblock)
    .map((type) => type.name),
)

const CHILDREN = new Map<string | null, ReadonlySet<string>>([
  [null, reachableChildren(TOP)],
  ...[...ELEMENT_NAMES].map((name): [string, ReadonlySet<string>] => [name, reachableChildren(schema.nodes[name]!)]),
])

/**
 * Whether an element named `child` may sit directly inside `parent` (null:
 * the body). Order and count are left to the editor: concurrent edits
 * legitimately leave, say, an empty list item behind.
 */
export function childProblem(parent: string | null, child: string): string | null {
  if (!ELEMENT_NAMES.has(child)) return `"${child.slice(0, 40)}" is not an element of a resolution`
  if (!CHILDREN.get(parent)?.has(child)) return `a ${child} cannot sit inside ${parent === null ? 'the body' : `a ${parent}`}`
  return null
}

/**
 * Whether elements named `children`, in this order, may stand in a `parent`
 * as far as the schema's content expression reads them: a list item starts
 * with a paragraph. An editor's binding cannot build an element whose
 * children break it, and deletes it from the shared text as the change of
 * whoever opens it next: one person's heading at the top of a list item cost
 * another's words, blamed on a third. Not whether something is missing at
 * the end: an emptied container loses nothing.
 */
export function childrenProblem(parent: string, children: readonly string[]): string | null {
  const type = Object.hasOwn(schema.nodes, parent) ? schema.nodes[parent] : undefined
  if (!type || type.isTextblock) return null
  let match: ContentMatch | null = type.contentMatch
  for (const child of children) {
    const childType = Object.hasOwn(schema.nodes, child) ? schema.nodes[child] : undefined
    match = childType && match ? match.matchType(childType) : null
    if (!match) return `a ${parent} cannot hold a ${child.slice(0, 40)} there${parent === 'listItem' ? ': a list item starts with a paragraph' : ''}`
  }
  return null
}

const isInteger = (value: unknown, min: number, max: number) => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max

/** Checks one attribute of an element; `undefined` is a removed attribute, always fine. */
const blockIdValue = (value: unknown) => value === null || (typeof value === 'string' && value.length <= 100 && textProblem(value) === null)
const ATTRIBUTES: Record<string, (value: unknown) => boolean> = {
  [BLOCK_ID]: blockIdValue,
  [SOURCE_ID]: blockIdValue,
  level: (value) => isInteger(value, 1, 3),
  start: (value) => isInteger(value, 0, 1_000_000),
}

export function attributeProblem(element: string, key: string, value: unknown): string | null {
  // Own properties only: "__proto__", "constructor" or "toString" are properties of every object, and read with `in` or
  // an index they made the check throw or pass.
  const type = Object.hasOwn(schema.nodes, element) ? schema.nodes[element] : undefined
  const check = Object.hasOwn(ATTRIBUTES, key) ? ATTRIBUTES[key] : undefined
  if (!type || !check || !Object.hasOwn(type.spec.attrs ?? {}, key)) return `a ${element} has no attribute "${key.slice(0, 40)}"`
  if (value !== undefined && !check(value)) return `the ${element} attribute "${key}" has a value it cannot take`
  return null
}

/** Checks a formatting attribute of text: bold or italic, on (true or `{}`) or off (null). */
export function formatProblem(key: string, value: unknown): string | null {
  if (!Object.hasOwn(schema.marks, key)) return `text cannot be formatted "${key.slice(0, 40)}"`
  const plainEmpty = typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype && Object.keys(value).length === 0
  return value === null || value === true || plainEmpty ? null : `the format "${key}" has a value it cannot take`
}

export function textProblem(text: string): string | null {
  for (let index = 0; index < text.length; index++) if (isForbiddenCharacter(text.charCodeAt(index))) return 'the text holds control characters'
  return null
}

/** A document made elsewhere (an import) against the same limits: its depth and its size. */
export function shapeProblem(doc: PMNode): string | null {
  let nodes = 0
  let tooDeep = false
  const depth = new Map<PMNode, number>([[doc, 0]])
  eachDescendant(doc, (node, _pos, parent) => {
    if (node.isText) return false
    const level = depth.get(parent)! + 1
    nodes += node.isTextblock && node.childCount > 0 ? 2 : 1
    if (level > MAX_DEPTH) tooDeep = true
    depth.set(node, level)
    return !tooDeep
  })
  if (tooDeep) return `it nests deeper than ${MAX_DEPTH} levels`
  if (nodes > MAX_NODES) return `it has more than ${MAX_NODES} blocks`
  return null
}

/** A textblock of a document made elsewhere whose text is longer than `MAX_BLOCK_TEXT`. */
export interface LongBlock {
  /** The § it is, or follows (`numberBlocks`: top-level paragraphs counted; 0 before the first). */
  paragraph: number
  /** Whether it is that § itself, not a heading or list item after it. */
  numbered: boolean
  /** Its length, counted as `MAX_BLOCK_TEXT` counts. */
  length: number
}

/** The first textblock of `doc` longer than `MAX_BLOCK_TEXT`, or null; call on a document `shapeProblem` passed (a walk without recursion all the same). */
export function longBlock(doc: PMNode): LongBlock | null {
  let paragraph = 0
  let found: LongBlock | null = null
  eachDescendant(doc, (node, _pos, parent) => {
    if (found) return false
    if (!node.isTextblock) return true
    const numbered = parent === doc && node.type.name === 'paragraph'
    if (numbered) paragraph += 1
    // Its text nodes' lengths, without joining them into one string.
    let length = 0
    node.forEach((child) => (length += child.isText ? child.text!.length : 0))
    if (length > MAX_BLOCK_TEXT) found = { paragraph, numbered, length }
    return false
  })
  return found
}
