import { useCallback, useState } from 'react'

/** The amendments a chair has ticked (for a compromise): which, tick or untick one, start over. */
export function useSelection(): { selected: ReadonlySet<string>; tick(id: string, checked: boolean): void; clear(): void } {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const tick = useCallback(
    (id: string, checked: boolean) =>
      setSelected((previous) => {
        const next = new Set(previous)
        if (checked) next.add(id)
        else next.delete(id)
        return next
      }),
    [],
  )
  const clear = useCallback(() => setSelected(new Set()), [])
  return { selected, tick, clear }
}
