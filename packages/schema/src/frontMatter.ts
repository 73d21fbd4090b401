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
  if (parsed === null || parsed === undefined) return { frontMatter: {}, body: source.slice(match[0].length) }
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new FrontMatterError('The front matter must be a set of "key: value" lines.')
  }
  return { frontMatter: parsed as FrontMatter, body: source.slice(match[0].length).replace(/^(\r?\n)+/, '') }
}

const PLAIN = /^[\p{L}\p{N}][\p{L}\p{N}_.-]*$/u
const YAML_WORDS = /^(?:true|false|yes|no|on|off|null|~|[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|\.inf|\.nan)$/i
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

function scalar(value: string): string {
  if (ISO_DATE.test(value)) return value
  return PLAIN.test(value) && !YAML_WORDS.test(value) ? value : JSON.stringify(value)
}

function line(key: string, value: unknown): string {
  if (typeof value === 'string') return `${key}: ${scalar(value)}`
  return YAML.stringify({ [key]: value }, { schema: 'core' }).replace(/\n$/, '')
}

export function joinResolutionFile({ frontMatter, body }: ResolutionFile): string {
  const entries = Object.entries(frontMatter).filter(([, value]) => value !== undefined && value !== null)
  const head = entries.length > 0 ? `---\n${entries.map(([key, value]) => line(key, value)).join('\n')}\n---\n\n` : ''
  return head + body
}
