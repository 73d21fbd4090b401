import type { Node as PMNode } from '@tiptap/pm/model'

/**
 * Visits every node below `root` in document order, with the position
 * ProseMirror's `descendants` would give it, its parent and its index.
 * Return false to skip a node's children. Iterative: a document nested
 * thousands deep costs memory, never the call stack.
 */
export function eachDescendant(root: PMNode, visit: (node: PMNode, pos: number, parent: PMNode, index: number) => boolean | void): void {
  const stack: Array<{ parent: PMNode; index: number; pos: number }> = [{ parent: root, index: 0, pos: 0 }]
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!
    if (top.index >= top.parent.childCount) {
      stack.pop()
      continue
    }
    const index = top.index
    const node = top.parent.child(index)
    const pos = top.pos
    top.index += 1
    top.pos += node.nodeSize
    if (visit(node, pos, top.parent, index) !== false && node.childCount > 0) stack.push({ parent: node, index: 0, pos: pos + 1 })
  }
}
