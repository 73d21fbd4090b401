import { useEffect, useState } from 'react'
import type * as Y from 'yjs'

/** Re-renders the caller when the document changes, at most once a frame: for views derived from the live text. */
export function useDocumentChanges(doc: Y.Doc | null): number {
  const [changes, setChanges] = useState(0)
  useEffect(() => {
    if (!doc) return
    let frame = 0
    const changed = () => {
      cancelAnimationFrame(frame)
      frame = requestAnimationFrame(() => setChanges((count) => count + 1))
    }
    doc.on('update', changed)
    return () => {
      doc.off('update', changed)
      cancelAnimationFrame(frame)
    }
  }, [doc])
  return changes
}
