/**
 * Sessions left behind: a text's live session, the page left for another in the app, holding changes the server has
 * not stored yet, kept open out of sight until it has (`LiveResolution`). Here, without the editor's modules, for the
 * page's header to ask before logging out.
 */
export interface LeftBehind {
  /** Whether it still holds changes the server has not stored. */
  unsaved(): boolean
  /** Gives it up, with what it holds. */
  drop(): void
}

const lingering = new Set<LeftBehind>()

/**
 * What a session left behind held when the server would no longer take it (the stage moved, the right to write went),
 * by resolution: offered as draft amendments when the text is next opened in this tab. Destroyed with nothing said,
 * the words were lost.
 */
export const leftUnsaved = new Map<string, unknown>()

const warnBeforeUnload = (event: BeforeUnloadEvent) => {
  if (unsavedLeftBehind()) event.preventDefault()
}

export function leaveBehind(entry: LeftBehind): void {
  if (lingering.size === 0 && typeof window !== 'undefined') window.addEventListener('beforeunload', warnBeforeUnload)
  lingering.add(entry)
}

/** Whether `entry` was still left behind; it is no longer. */
export function release(entry: LeftBehind): boolean {
  const was = lingering.delete(entry)
  if (lingering.size === 0 && typeof window !== 'undefined') window.removeEventListener('beforeunload', warnBeforeUnload)
  return was
}

/** Whether a session left behind still holds changes the server has not stored: leaving the tab, or logging out, would lose them. */
export function unsavedLeftBehind(): boolean {
  return [...lingering].some((entry) => entry.unsaved())
}

/** Gives up every session left behind and what they held (logging out: what one person typed is never offered to the next). */
export function dropLeftBehind(): void {
  for (const entry of [...lingering]) {
    release(entry)
    entry.drop()
  }
  leftUnsaved.clear()
}
