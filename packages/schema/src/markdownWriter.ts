import type { Node as PMNode } from '@tiptap/pm/model'
import { type MarkdownSerializer, MarkdownSerializerState } from 'prosemirror-markdown'

/**
 * What `serialize` writes, as prosemirror-markdown's own `serialize` writes it, in time linear in the text.
 *
 * Its state appends everything to one string and, before each block, reads that string's last character. On a
 * string built by appending, V8 copies the whole of it to read one character, so a long text took time in the
 * square of its length: 4.5 s for a 10,000-paragraph import's preview, 18 s for 20,000, with every editor's
 * typing held meanwhile, and the same at every export and hash of such a text. The state reads nothing of what
 * it wrote but whether it is empty and its last two characters (`atBlank`, `text`'s check before a link), so
 * after each block all but the last two are set aside, and joined once at the end.
 */
interface StateInternals {
  out: string
  render(node: PMNode, parent: PMNode, index: number): void
  renderContent(parent: PMNode): void
}

/** `serialize`'s options (its type leaves out `tightLists`, which the state reads). */
type Options = Parameters<MarkdownSerializer['serialize']>[1]

type StateConstructor = new (nodes: MarkdownSerializer['nodes'], marks: MarkdownSerializer['marks'], options: Options) => StateInternals

/** Set aside once this long: each setting aside copies what is kept, so pieces much longer than a block keep the copies few. */
const PIECE = 16 * 1024

/** `piece` is how long the output grows before it is set aside (at least 2: the state reads the last two characters). */
export function serializeInPieces(serializer: MarkdownSerializer, content: PMNode, options: Options = {}, piece = PIECE): string {
  const state = new (MarkdownSerializerState as unknown as StateConstructor)(serializer.nodes, serializer.marks, { ...serializer.options, ...options })
  const pieces: string[] = []
  const render = state.render.bind(state)
  state.render = (node, parent, index) => {
    render(node, parent, index)
    if (state.out.length > Math.max(piece, 2)) {
      pieces.push(state.out.slice(0, -2))
      state.out = state.out.slice(-2)
    }
  }
  state.renderContent(content)
  pieces.push(state.out)
  return pieces.join('')
}
