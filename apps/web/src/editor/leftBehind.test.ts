import { describe, expect, it } from 'vitest'
import { dropLeftBehind, leaveBehind, leftUnsaved, release, unsavedLeftBehind } from './leftBehind.ts'

describe('sessions left behind', () => {
  it('say whether any still holds unsaved changes, and are given up, with what they held, at logout', () => {
    let unsaved = true
    let dropped = 0
    const entry = { unsaved: () => unsaved, drop: () => void dropped++ }
    leaveBehind(entry)
    leftUnsaved.set('r', { words: 'kept' })
    expect(unsavedLeftBehind()).toBe(true)
    unsaved = false
    expect(unsavedLeftBehind()).toBe(false)
    unsaved = true
    dropLeftBehind()
    expect({ dropped, unsaved: unsavedLeftBehind(), kept: leftUnsaved.size, again: release(entry) }).toEqual({ dropped: 1, unsaved: false, kept: 0, again: false })
  })
})
