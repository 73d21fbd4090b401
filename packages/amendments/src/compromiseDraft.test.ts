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
})
