import type { Stage } from '@hemicycle/protocol'
import { numberingFrozen } from '@hemicycle/rules'
import type { FrozenNumbering } from '@hemicycle/schema'
import { useCallback, useEffect } from 'react'
import { endpoints } from './endpoints.ts'
import { useFetched } from './useFetched.ts'

/** How long to wait before asking again for numbers that could not be read. */
const RETRY_MS = 5_000

/**
 * The § and line numbers frozen when amendments opened, while they are in
 * force at `stage` (`numberingFrozen`); null when the text is numbered as it
 * stands; undefined until known — the text as it stands would cite other
 * paragraphs than the cards do, so nothing is shown rather than that, and a
 * failed request is made again. Asked again at each stage: reopening
 * amendments freezes afresh.
 */
export function useNumbering(resolutionId: string, stage: Stage): FrozenNumbering | null | undefined {
  const fetchNumbering = useCallback(
    async (signal?: AbortSignal) => ({ resolutionId, stage, frozen: numberingFrozen(stage) ? (await endpoints.numbering(resolutionId, signal)).frozen : null }),
    [resolutionId, stage],
  )
  const [fetched, retry] = useFetched(fetchNumbering)
  useEffect(() => {
    if (fetched.state !== 'error') return
    const timer = setTimeout(retry, RETRY_MS)
    return () => clearTimeout(timer)
  }, [fetched, retry])
  // Numbered as it stands: known at once, without waiting for an answer that can only say so.
  if (!numberingFrozen(stage)) return null
  // What was read for another stage (the freeze before amendments reopened) is not the freeze now.
  return fetched.state === 'ready' && fetched.value.stage === stage && fetched.value.resolutionId === resolutionId ? fetched.value.frozen : undefined
}
