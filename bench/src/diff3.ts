import { cpus } from 'node:os'
import { judgeAll, mergeCase, show, tally, type Tally } from '../../packages/amendments/test/diff3.ts'

/**
 * The merge against `git merge-file --diff3` on many seeded cases from the
 * draft (the test suite runs 2,000 of the same; this runs 20,000 and prints
 * the table).
 */
export function diff3Benchmark(count = Number(process.env['BENCH_DIFF3_CASES'] ?? 20_000)): { tally: Tally; seconds: number; examples: string[] } {
  const started = performance.now()
  const cases = Array.from({ length: count }, (_, i) => mergeCase(i + 1))
  const verdicts = judgeAll(cases)
  const examples = verdicts.flatMap((verdict, i) =>
    verdict.outcome === 'bothCleanDifferent' || verdict.outcome === 'engineCleanGitConflict'
      ? [`${verdict.outcome} (seed ${cases[i]!.seed}, repeated word: ${verdict.repeatedWord}, same words: ${verdict.sameWords}): ours "${show(verdict.engine)}" git "${show(verdict.git)}"`]
      : [],
  )
  return { tally: tally(verdicts), seconds: (performance.now() - started) / 1000, examples }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { tally: counts, seconds, examples } = diff3Benchmark()
  console.log(`# Merge against git merge-file --diff3 — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`)
  console.log(`| outcome | cases | share |\n|---|---|---|`)
  for (const key of ['agree', 'bothCleanDifferent', 'engineCleanGitConflict', 'engineConflictGitClean'] as const) {
    console.log(`| ${key} | ${counts[key]} | ${((100 * counts[key]) / counts.cases).toFixed(1)}% |`)
  }
  console.log(`\n${counts.cases} cases in ${seconds.toFixed(0)} s. Examples where the two differ without a conflict on our side:`)
  for (const line of examples.slice(0, 10)) console.log(`- ${line}`)
}
