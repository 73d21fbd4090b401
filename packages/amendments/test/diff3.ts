import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseResolutionMarkdown } from '@hemicycle/schema'
import { editsBetween, isWord, mergeTokens, runsOfTokens, type Token, tokenKey, tokensOfRuns } from '../src/index.ts'

/**
 * The outside reference for the merge: `git merge-file --diff3`, one token
 * per line (its key: formatting and text, JSON-escaped so no token spans two
 * lines). Git merges lines, and two changes touching or overlapping in its
 * line numbering conflict, as ours do; it knows nothing of words, so where
 * we are stricter (changes to words with only a space between them) it may
 * merge what we call a conflict.
 */
export type Outcome = 'agree' | 'bothCleanDifferent' | 'engineCleanGitConflict' | 'engineConflictGitClean'

export interface MergeCase {
  seed: number
  base: Token[]
  current: Token[]
  proposal: Token[]
}

export interface Verdict {
  outcome: Outcome
  engine: Token[] | null
  git: Token[] | null
  /** Whether a word the case inserts, deletes or changes also stands elsewhere in the base: a diff may pick either copy. */
  repeatedWord: boolean
  /** Whether both results hold the same words the same number of times (order aside). */
  sameWords: boolean
}

const keyLines = (tokens: readonly Token[]) => tokens.map((token) => `${JSON.stringify(tokenKey(token))}\n`).join('')

function fromKey(key: string): Token {
  return { bold: key[0] === 'b', italic: key[1] === 'i', text: key.slice(2) }
}

/**
 * Runs `git merge-file --diff3` over many cases in one shell loop (a Node
 * process spawning git per case spends most of its time spawning).
 */
export function gitMergeAll(cases: ReadonlyArray<Pick<MergeCase, 'base' | 'current' | 'proposal'>>): Array<Token[] | null> {
  const dir = mkdtempSync(join(tmpdir(), 'hemicycle-diff3-'))
  try {
    cases.forEach(({ base, current, proposal }, i) => {
      writeFileSync(join(dir, `${i}.base`), keyLines(base))
      writeFileSync(join(dir, `${i}.current`), keyLines(current))
      writeFileSync(join(dir, `${i}.proposal`), keyLines(proposal))
    })
    const script = `cd "$1" && i=0; while [ $i -lt $2 ]; do git merge-file -p --diff3 $i.current $i.base $i.proposal > $i.out; echo $? > $i.status; i=$((i+1)); done`
    const run = spawnSync('bash', ['-c', script, 'diff3', dir, String(cases.length)], {
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    })
    if (run.status !== 0) throw new Error(`git merge-file loop failed: ${run.stderr}`)
    return cases.map((_, i) => {
      const status = Number(readFileSync(join(dir, `${i}.status`), 'utf8'))
      if (status < 0 || status > 127) throw new Error(`git merge-file failed on case ${i}`)
      if (status > 0) return null
      return readFileSync(join(dir, `${i}.out`), 'utf8')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => fromKey(JSON.parse(line) as string))
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const sameRuns = (a: readonly Token[], b: readonly Token[]) => JSON.stringify(runsOfTokens(a)) === JSON.stringify(runsOfTokens(b))

function wordCounts(tokens: readonly Token[]): string {
  const counts = new Map<string, number>()
  for (const token of tokens) if (isWord(token)) counts.set(tokenKey(token), (counts.get(tokenKey(token)) ?? 0) + 1)
  return JSON.stringify([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

function touchesRepeatedWord(base: readonly Token[], side: readonly Token[]): boolean {
  const text = (token: Token) => token.text.toLowerCase()
  for (const edit of editsBetween(base, side)) {
    const involved = [...base.slice(edit.from, edit.to), ...edit.insert].filter(isWord).map(text)
    const elsewhere = new Set([...base.slice(0, edit.from), ...base.slice(edit.to)].filter(isWord).map(text))
    if (involved.some((word) => elsewhere.has(word))) return true
  }
  return false
}

/** Our merge against git's on each case. */
export function judgeAll(cases: readonly MergeCase[]): Verdict[] {
  const gits = gitMergeAll(cases)
  return cases.map(({ base, current, proposal }, i) => {
    const ours = mergeTokens(base, current, proposal)
    const engine = ours.ok ? ours.tokens : null
    const theirs = gits[i]!
    const repeatedWord = touchesRepeatedWord(base, current) || touchesRepeatedWord(base, proposal)
    const sameWords = engine !== null && theirs !== null && wordCounts(engine) === wordCounts(theirs)
    let outcome: Outcome
    if (engine === null) outcome = theirs === null ? 'agree' : 'engineConflictGitClean'
    else if (theirs === null) outcome = 'engineCleanGitConflict'
    else outcome = sameRuns(engine, theirs) ? 'agree' : 'bothCleanDifferent'
    return { outcome, engine, git: theirs, repeatedWord, sameWords }
  })
}

/** A small seeded generator (mulberry32), so every case can be told again by its seed. */
export function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const fixture = readFileSync(new URL('../../../fixtures/cohesion-sociale-et-progres.fr.md', import.meta.url), 'utf8')
const PARAGRAPHS: string[] = []
parseResolutionMarkdown(fixture).doc.descendants((node) => {
  if (node.isTextblock && node.textContent.trim().length > 0) PARAGRAPHS.push(node.textContent)
  return !node.isTextblock
})
const VOCABULARY = ['durable', 'solidaire', 'tous', 'les', 'de', 'la', 'progrès', 'social', 'nous', 'Alliance', 'économique', 'également', 'élevé', 'eleve']

/**
 * A case built from the draft: a stretch of one of its paragraphs (some
 * words bold), and two sides each making one to three changes of the kinds
 * people make: replacing, inserting, deleting or moving a word, repeating a
 * word, punctuation, accents, double spaces, bold, capitals.
 */
export function mergeCase(seed: number): MergeCase {
  const next = random(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!
  const paragraph = pick(PARAGRAPHS).split(' ')
  const start = Math.floor(next() * Math.max(1, paragraph.length - 12))
  const words = paragraph.slice(start, start + 6 + Math.floor(next() * 20))
  const base = tokensOfRuns(words.map((word, i) => ({ text: i === 0 ? word : ` ${word}`, ...(next() < 0.08 ? { bold: true as const } : {}) })))
  const side = () => {
    let tokens = base.map((token) => ({ ...token }))
    const changes = 1 + Math.floor(next() * 3)
    for (let n = 0; n < changes; n++) {
      const wordsAt = tokens.flatMap((token, i) => (isWord(token) ? [i] : []))
      if (wordsAt.length === 0) break
      const at = pick(wordsAt)
      const word = (text: string): Token => ({ text, bold: false, italic: false })
      const space = word(' ')
      switch (pick(['replace', 'insert', 'delete', 'move', 'repeat', 'punctuation', 'accent', 'doubleSpace', 'bold', 'capital'] as const)) {
        case 'replace':
          tokens[at] = word(pick(VOCABULARY))
          break
        case 'insert':
          tokens.splice(at, 0, word(pick(VOCABULARY)), space)
          break
        case 'delete':
          tokens.splice(at, tokens[at + 1]?.text === ' ' ? 2 : 1)
          break
        case 'move': {
          const [moved] = tokens.splice(at, 1)
          const to = pick(tokens.flatMap((token, i) => (isWord(token) ? [i] : [])).concat([0]))
          tokens.splice(to, 0, moved!, space)
          break
        }
        case 'repeat':
          tokens.splice(at, 0, { ...tokens[at]! }, space)
          break
        case 'punctuation':
          tokens.splice(at + 1, 0, word(pick([',', ';', '.', ' :'])))
          break
        case 'accent':
          tokens[at] = { ...tokens[at]!, text: tokens[at]!.text.replace(/e/, 'é').replace(/^[^é]*$/, (w) => `${w}é`) }
          break
        case 'doubleSpace': {
          const spaces = tokens.flatMap((token, i) => (token.text === ' ' ? [i] : []))
          if (spaces.length > 0) tokens[pick(spaces)] = word('  ')
          break
        }
        case 'bold':
          tokens[at] = { ...tokens[at]!, bold: !tokens[at]!.bold }
          break
        case 'capital':
          tokens[at] = { ...tokens[at]!, text: tokens[at]!.text[0]!.toUpperCase() + tokens[at]!.text.slice(1) }
          break
      }
      tokens = tokensOfRuns(runsOfTokens(tokens))
    }
    return tokens
  }
  return { seed, base, current: side(), proposal: side() }
}

export type Tally = Record<Outcome, number> & { cases: number }

export function tally(verdicts: readonly Verdict[]): Tally {
  const out: Tally = { cases: verdicts.length, agree: 0, bothCleanDifferent: 0, engineCleanGitConflict: 0, engineConflictGitClean: 0 }
  for (const verdict of verdicts) out[verdict.outcome]++
  return out
}

/** A case as people read it: bold between asterisks. */
export function show(tokens: readonly Token[] | null): string {
  return tokens === null ? '(conflict)' : runsOfTokens(tokens).map((run) => (run.bold ? `**${run.text}**` : run.text)).join('')
}
