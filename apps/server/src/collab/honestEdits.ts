import * as Y from 'yjs'

/** What the property tests of honest clients (`honestOverlaps`, `honestRelays`) type into a client's copy of a text. */
export interface TextEdit {
  /** The paragraph, counted round the text's paragraphs. */
  p: number
  at: number
  insert: string
  remove: number
  fmt?: 'bold' | 'italic' | undefined
  fmtOff: boolean
  fmtLen: number
  /** An id attribute set on the paragraph, if any. */
  attr?: number | undefined
}

export interface ParagraphEdit {
  at: number
  remove: boolean
}

/** The text of a paragraph of `doc`, counted round its paragraphs; null when it has none. */
export function textAt(doc: Y.Doc, index: number): Y.XmlText | null {
  const paragraphs = doc.getXmlFragment('body').toArray() as Y.XmlElement[]
  const text = paragraphs.length === 0 ? null : paragraphs[index % paragraphs.length]!.get(0)
  return text instanceof Y.XmlText ? text : null
}

/** Inserts, deletes and formats in one paragraph, in one transaction, positions taken round what is there. */
export function editText(doc: Y.Doc, edit: TextEdit): void {
  const text = textAt(doc, edit.p)
  if (!text) return
  doc.transact(() => {
    const at = edit.at % (text.length + 1)
    if (edit.insert) text.insert(at, edit.insert)
    if (edit.remove > 0 && at < text.length) text.delete(at, Math.min(edit.remove, text.length - at))
    if (edit.fmt && at < text.length) text.format(at, Math.min(edit.fmtLen + 1, text.length - at), { [edit.fmt]: edit.fmtOff ? null : true })
    if (edit.attr !== undefined) (text.parent as Y.XmlElement).setAttribute('id', `x${edit.attr}`)
  })
}

/** Deletes a paragraph (never the last), or inserts one holding "P<at>". */
export function editParagraphs(doc: Y.Doc, edit: ParagraphEdit): void {
  const body = doc.getXmlFragment('body')
  if (edit.remove && body.length > 1) body.delete(edit.at % body.length, 1)
  else {
    const paragraph = new Y.XmlElement('paragraph')
    body.insert(edit.at % (body.length + 1), [paragraph])
    paragraph.insert(0, [new Y.XmlText(`P${edit.at}`)])
  }
}
