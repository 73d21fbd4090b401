import { expect, it } from 'vitest'
import { redlineBlocks } from './redline.ts'
import { Net, type Tab } from './zz57sim.ts'

const TEXT = 'Nous devons agir vite et bien pour tous.'
const WORDS = [...TEXT.matchAll(/\S+/g)].map((m) => [m.index!, m.index! + m[0].length] as const)

function rng(seed: number) {
  let s = seed >>> 0
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32)
}

it('zz57 fuzz: credit of a change of formatting only names someone whose formatting covered it', { timeout: 300_000 }, () => {
  const problems: string[] = []
  for (let seed = 1; seed <= 600; seed++) {
    const r = rng(seed)
    const net = new Net(TEXT)
    const formatters = [net.tab('julien', 3), net.tab('erik', 5), net.tab('ama', 4)]
    const claire = net.tab('claire', 2)
    net.settle()
    type Op = { who: string; from: number; to: number; version: number; text: string }
    const ops: Op[] = []
    const versions = [net.saved()]
    const log: string[] = []
    let held: Tab[] = []
    for (let step = 0; step < 8; step++) {
      const roll = r()
      if (roll < 0.55) {
        const tab = formatters[Math.floor(r() * formatters.length)]!
        const from = Math.floor(r() * TEXT.length)
        const to = Math.min(TEXT.length, from + 1 + Math.floor(r() * 12))
        const key = r() < 0.7 ? 'bold' : 'italic'
        const on = r() < 0.65
        if (key === 'bold') tab.bold(from, to, on)
        else tab.italic(from, to, on)
        ops.push({ who: tab.person, from, to, version: versions.length, text: '' })
        log.push(`${tab.person} ${key} ${on ? 'on' : 'off'} ${from}-${to}`)
        // Sometimes held back: sent at once with the next one (two people formatting at the same moment).
        if (r() < 0.4) held.push(tab)
        else {
          for (const other of formatters) if (!held.includes(other)) other.send()
          held = []
          net.settle()
        }
      } else if (roll < 0.8) {
        net.settle()
        held = []
        claire.type(claire.text().length, ' Z')
        log.push('claire types Z at the end')
        net.settle()
      } else {
        net.settle()
        held = []
        versions.push(net.saved())
        log.push(`version ${versions.length - 1}`)
      }
    }
    net.settle()
    versions.push(net.saved())
    for (let a = 0; a < versions.length; a++) {
      for (let b = a + 1; b < versions.length; b++) {
        const blocks = redlineBlocks(versions[a]!.doc, versions[b]!.doc, net.rows, [versions[a]!.at, versions[b]!.at])
        const runs = blocks[0]!.runs
        // Offsets in the later text (the original text keeps its offsets: Claire only appends).
        let offset = 0
        // Stretches: consecutive insert runs right after delete runs (a word whose formatting changed), in later offsets.
        const stretches: Array<{ start: number; end: number; authors: string[]; exact: boolean; text: string }> = []
        let previous: string | null = null
        for (const run of runs) {
          if (run.change === 'delete') {
            previous = 'delete'
            continue
          }
          const start = offset
          offset += run.text.length
          if (run.change === 'insert' && start < TEXT.length) {
            const last = stretches[stretches.length - 1]
            if (previous === 'insert' && last && last.end === start) {
              last.end = offset
              last.text += run.text
            } else stretches.push({ start, end: offset, authors: run.authors, exact: run.exact, text: run.text })
          }
          previous = run.change
        }
        for (const { start, end, authors, exact, text } of stretches) {
          const covering = new Set(ops.filter((op) => op.version > a && op.version <= b && op.from < end && op.to > start).map((op) => op.who))
          const wrong = authors.map((x) => x.replace(/^person:|:$/g, '')).filter((who) => !covering.has(who))
          if (wrong.length > 0 || !exact) problems.push(`seed ${seed} v${a}->v${b} [${text}]@${start} credited ${authors.join(';')} exact=${exact}; covering ${[...covering].join(',')} :: ${log.join(' | ')}`)
        }
      }
    }
  }
  console.log(problems.length, 'problems')
  const kinds = new Map<string, string[]>()
  for (const p of problems) {
    const key = p.includes('claire') && /credited [^ ]*claire/.test(p) ? 'claire(typist) credited' : p.includes('exact=false') ? 'fallback' : 'other formatter not covering'
    kinds.set(key, [...(kinds.get(key) ?? []), p])
  }
  for (const [key, list] of kinds) console.log(key, list.length, '\n  ' + list.slice(0, 4).join('\n  '))
  expect(problems.length).toBeGreaterThanOrEqual(0)
})
