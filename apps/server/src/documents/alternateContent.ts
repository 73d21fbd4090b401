/**
 * An alternative for newer readers (mc:AlternateContent): Word shows the
 * first choice (mc:Choice) it can read, an older reader the fallback
 * (mc:Fallback). mammoth reads only the fallback; where a file holds none,
 * the choice's words, which Word shows, went missing, and the unread-words
 * check, which skips every choice, did not see them go.
 */

/** An alternative's, a choice's or a fallback's opening, closing or self-closing tag. */
const TAG = /<(\/?)mc:(AlternateContent|Choice|Fallback)(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*?(\/?)>/g

const REQUIRES = /\sRequires\s*=\s*(?:"[^"]*"|'[^']*')/

/**
 * document.xml with the first choice of each alternative that has no fallback made its fallback, so mammoth reads it
 * and the check counts it. Its tag keeps its namespace declarations, which its content may need. Two passes over the
 * tags, not a recursion per level, so alternatives nested deep cost their length: the first finds which alternatives
 * hold a fallback (it may follow the choice), the second renames.
 */
export function withLoneChoicesRead(documentXml: string): string {
  if (!documentXml.includes('<mc:Choice')) return documentXml
  const withFallback: boolean[] = []
  const open: number[] = []
  for (const [, closing, name, selfClosing] of documentXml.matchAll(TAG)) {
    if (name === 'AlternateContent') {
      if (closing) open.pop()
      else if (!selfClosing) open.push(withFallback.push(false) - 1)
    } else if (name === 'Fallback' && !closing && open.length > 0) withFallback[open.at(-1)!] = true
  }
  let alternative = -1
  /** For each alternative or choice open, whether it wants its first choice read (an alternative) or is read (a choice). */
  const stack: { name: string; read: boolean }[] = []
  return documentXml.replace(TAG, (tag, closing: string, name: string, selfClosing: string) => {
    if (closing) {
      const top = stack.at(-1)
      // A stray closing tag closes nothing, and is left as written.
      if (top?.name !== name) return tag
      stack.pop()
      return top.read && name === 'Choice' ? '</mc:Fallback>' : tag
    }
    if (selfClosing) return tag
    if (name === 'AlternateContent') {
      alternative++
      stack.push({ name, read: withFallback[alternative] === false })
      return tag
    }
    const parent = stack.at(-1)
    const read = name === 'Choice' && parent?.name === 'AlternateContent' && parent.read
    // Only the first choice is read, as Word reads one.
    if (read) parent.read = false
    stack.push({ name, read })
    return read ? tag.replace('<mc:Choice', '<mc:Fallback').replace(REQUIRES, '') : tag
  })
}
