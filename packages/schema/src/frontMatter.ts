import YAML from 'yaml'

/**
 * A resolution file is YAML front matter followed by the Markdown body, as in
 * the alliance's drafts. Keys keep their order, and keys Hemicycle does not
 * know are carried through untouched.
 */
export type FrontMatter = Record<string, unknown>

export interface ResolutionFile {
  frontMatter: FrontMatter
  body: string
}

export class FrontMatterError extends Error {
  override name = 'FrontMatterError'
}

const FENCE = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/

export function splitResolutionFile(text: string): ResolutionFile {
  const source = text.replace(/^\uFEFF/, '')
  const match = FENCE.exec(source)
  if (!match) return { frontMatter: {}, body: source }
  let parsed: unknown
  try {
    parsed = YAML.parse(match[1] ?? '', { schema: 'core' })
  } catch (error) {
    throw new FrontMatterError(`The front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}`)
  }
  if (parsed === null || parsed === undefined) {
    // Lines that are all YAML comments are no front matter: "---", "# Résolution sur le climat", "---" is a title between
    // two rules, and reading it as front matter dropped the title without a word.
    if (/\S/.test(match[1] ?? '')) return { frontMatter: {}, body: source }
    return { frontMatter: {}, body: source.slice(match[0].length) }
  }
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new FrontMatterError('The front matter must be a set of "key: value" lines.')
  }
  return { frontMatter: parsed as FrontMatter, body: source.slice(match[0].length).replace(/^(\r?\n)+/, '') }
}

const PLAIN = /^[\p{L}\p{N}][\p{L}\p{N}_.-]*$/u
/** Words YAML 1.1 readers take for something other than text: quoted, so every reader sees text. */
const YAML_WORDS = /^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|\.inf|\.nan)$/i
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** Plain when a word or a date reads back the same in any YAML reader, double-quoted (escaped by the serialiser) otherwise. */
function style(node: YAML.Scalar): void {
  if (typeof node.value !== 'string') return
  const plain = ISO_DATE.test(node.value) || (PLAIN.test(node.value) && !YAML_WORDS.test(node.value))
  node.type = plain ? 'PLAIN' : 'QUOTE_DOUBLE'
}

/**
 * Front matter is written by the YAML serialiser, keys included, so nothing
 * a file brought in (a key holding a newline, a value holding "---") can end
 * the block early or add a paragraph to the body.
 */
export function joinResolutionFile({ frontMatter, body }: ResolutionFile): string {
  const entries = Object.entries(frontMatter).filter(([, value]) => value !== undefined && value !== null)
  if (entries.length === 0) return body
  const document = new YAML.Document(Object.fromEntries(entries), { schema: 'core' })
  if (YAML.isMap(document.contents)) {
    for (const pair of document.contents.items) {
      if (YAML.isScalar(pair.key)) style(pair.key)
      if (YAML.isScalar(pair.value)) style(pair.value)
    }
  }
  return `---\n${document.toString({ lineWidth: 0 })}---\n\n${body}`
}
