import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compromiseDraft } from './compromiseDraft.ts'
import { wordingText } from './wording.ts'

const runs = (text: string) => [{ text }]
const draft = (current: string, ...amendments: Array<[string, string]>) => {
  const result = compromiseDraft(
    runs(current),
    amendments.map(([base, wording]) => ({ base: runs(base), wording: [runs(wording)] })),
  )
  return { text: wordingText(result.wording), leftOut: result.leftOut }
}

/** git merge-file's answer for the same three texts, a word a line, as an outside reference. */
function gitMerge(base: string, current: string, proposal: string): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'compromise-'))
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text.split(' ').join('\n') + '\n')
  write('base', base)
  write('current', current)
  write('proposal', proposal)
  try {
    execFileSync('git', ['merge-file', '-q', join(dir, 'current'), join(dir, 'base'), join(dir, 'proposal')])
  } catch {
    return null
  }
  return readFileSync(join(dir, 'current'), 'utf8').trim().split('\n').join(' ')
}

describe('a compromise’s first draft', () => {
  const base = 'Le changement engendre toujours des gagnants et des perdants dans la société.'
  it('applies the changes of both amendments when they touch different words, as git merge-file does', () => {
    const a1 = 'Le changement engendre souvent des gagnants et des perdants dans la société.'
    const a2 = 'Le changement engendre toujours des gagnants et des perdants dans nos sociétés.'
    expect(draft(base, [base, a1], [base, a2])).toEqual({ text: 'Le changement engendre souvent des gagnants et des perdants dans nos sociétés.', leftOut: 0 })
    expect(gitMerge(base, a1, a2)).toBe('Le changement engendre souvent des gagnants et des perdants dans nos sociétés.')
  })

  it('keeps the first amendment’s change where the second touches the same words, and counts what it left out', () => {
    const a1 = 'Le changement engendre souvent des gagnants et des perdants dans la société.'
    const a2 = 'Le changement engendre parfois des gagnants et des perdants dans nos sociétés.'
    expect(draft(base, [base, a1], [base, a2])).toEqual({ text: 'Le changement engendre souvent des gagnants et des perdants dans nos sociétés.', leftOut: 1 })
  })

  it('starts from the paragraph as it stands, with what was changed since the amendments were tabled', () => {
    const now = 'Hélas, le changement engendre toujours des gagnants et des perdants dans la société.'
    const a1 = 'Le changement engendre souvent des gagnants et des perdants dans la société.'
    expect(draft(now, [base, a1]).text).toBe('Hélas, le changement engendre souvent des gagnants et des perdants dans la société.')
    expect(draft(now).text).toBe(now)
  })

  it('leaves out the whole of a move when one half of it touches words an earlier change took: a word neither dropped nor doubled', () => {
    // The second amendment moves "crédits" past "nouveaux", which the first rewrites: taking "crédits" out and
    // writing it back are two changes, and applying the one that does not touch "nouveaux" alone lost the word
    // (or wrote it twice), in a draft that only said one change was left out.
    const tabled = 'Le budget prévoit des crédits nouveaux pour la culture.'
    const first = 'Le budget prévoit des crédits supplémentaires pour la culture.'
    for (const moved of ['Le budget prévoit des nouveaux crédits pour la culture.', 'Le budget prévoit pour la culture des crédits nouveaux.', 'crédits Le budget prévoit des nouveaux pour la culture.']) {
      const result = draft(tabled, [tabled, first], [tabled, moved])
      expect(result.text.split(/[\s.]+/).filter((word) => word === 'crédits')).toHaveLength(1)
      expect(result.leftOut).toBeGreaterThan(0)
    }
    // Plain words and a date alike ("Mars 2024" is one word: rewriting its year touches it).
    expect(draft('euros rouge vert fin', ['euros rouge vert fin', 'euros rouge bleu fin'], ['euros rouge vert fin', 'rouge euros vert fin']).text.split(' ').filter((word) => word === 'euros')).toHaveLength(1)
    expect(draft('euros Mars 2024 fin', ['euros Mars 2024 fin', 'euros Mars 2025 fin'], ['euros Mars 2024 fin', 'Mars euros 2024 fin']).text.split(' ').filter((word) => word === 'Mars')).toHaveLength(1)
  })
})

describe('a compromise drafted after a decision on its paragraph', () => {
  it('puts each amendment’s change on the words it changed, followed through the decisions since, as accepting them would', () => {
    // Found by a hostile review: A1 wrote "les pays et" a second time and was accepted; the draft of A2 ("les" dropped)
    // and A3 ("pauvres"), read from the base and today's text alone, put "pauvres" on A1's copy: "financer les pays
    // pauvres et les pays et régions." Accepted one by one, they change the original words.
    const base = 'aider les pays et les régions.'
    const copied = 'financer les pays et les pays et les régions.'
    const since = [runs(base), runs(copied)]
    const sources = ['aider les pays et régions.', 'aider les pays pauvres et les régions.'].map((wording) => ({ base: runs(base), wording: [runs(wording)], since }))
    expect(wordingText(compromiseDraft(runs(copied), sources).wording)).toBe('financer les pays et les pays pauvres et régions.')
    expect(compromiseDraft(runs(copied), sources).leftOut).toBe(0)
    // Typed into since the decision, the draft follows that too.
    const typed = 'financer vite les pays et les pays et les régions.'
    expect(wordingText(compromiseDraft(runs(typed), sources).wording)).toBe('financer vite les pays et les pays pauvres et régions.')
  })

  it('leaves out what accepting it would call a conflict, the paragraph typed into since the decision', () => {
    // Found by a second hostile review: a decision wrote "pays de la région" again, a word was typed at the end, and the
    // draft put "États" on the first "pays", counting nothing left out, where accepting that amendment is a conflict.
    const base = 'Nous aidons les pays de la région'
    const decided = 'Nous aidons les pays de la région pays de la région'
    const since = [runs(base), runs(decided)]
    for (const current of [decided, `${decided} et du monde`]) {
      const draft = compromiseDraft(runs(current), ['Nous aidons tous les pays de la région', 'Nous aidons les États de la région'].map((text) => ({ base: runs(base), wording: [runs(text)], since })))
      expect(draft.leftOut).toBeGreaterThan(0)
      expect(wordingText(draft.wording)).not.toContain('États')
    }
  })
})
