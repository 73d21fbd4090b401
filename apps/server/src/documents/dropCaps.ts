import { attribute, elements, leadingElement, replaceElements, type XmlElement } from './wordXml.ts'

/**
 * A drop cap: Word stores the large first letter of a paragraph ("L" of
 * "Le Conseil") as a framed paragraph of its own (w:framePr w:dropCap) and
 * the rest of the word in the next one, and shows them as one paragraph.
 * mammoth made two, "L" and "e Conseil décide.": the letter's runs are put
 * back at the start of the paragraph it drops into.
 */

/**
 * What may stand between the drop cap's paragraph and the next without parting them: bookmarks, proofing marks, and the
 * opening of a block content control (w:sdt) the next paragraph starts, which Word and LibreOffice show it dropped into.
 */
const MARK = String.raw`\s*<w:(?:bookmarkStart|bookmarkEnd|proofErr|permStart|permEnd)\b[^>]*\/>`
const CONTROL_OPENING = String.raw`\s*<w:sdt>\s*(?:<w:sdtPr\s*\/>|<w:sdtPr>(?:(?!<\/w:sdtPr>)[\s\S])*<\/w:sdtPr>)?\s*(?:<w:sdtEndPr\s*\/>|<w:sdtEndPr>(?:(?!<\/w:sdtEndPr>)[\s\S])*<\/w:sdtEndPr>)?\s*<w:sdtContent>`
const BETWEEN = new RegExp(String.raw`^(?:${MARK}|${CONTROL_OPENING})*\s*$`)

/** Whether `xml`, standing between two paragraphs, leaves them one as Word shows them when the first runs on into the next. */
export const joinsParagraphs = (xml: string) => BETWEEN.test(xml)

/** Whether the paragraph is a drop cap now: a tracked formatting change keeps the former properties (w:pPrChange), not shown. */
function isDropCap(paragraphInner: string): boolean {
  const properties = leadingElement(paragraphInner, 'w:pPr')
  const current = properties ? replaceElements(properties.inner, 'w:pPrChange', () => '') : ''
  const frame = elements(current, 'w:framePr')[0]
  const kind = frame ? attribute(frame.tag, 'w:dropCap') : undefined
  return kind !== undefined && kind !== 'none'
}

/** What a paragraph holds after its properties: its runs, links, fields. */
const contentOf = (paragraphInner: string) => paragraphInner.slice(leadingElement(paragraphInner, 'w:pPr')?.end ?? 0)

/** A paragraph with `content` put before its own, after its properties. */
function withLeadingContent(paragraph: XmlElement, content: string): string {
  if (paragraph.tag.endsWith('/>')) return `${paragraph.tag.slice(0, -2).trimEnd()}>${content}</w:p>`
  const split = paragraph.tag.length + (leadingElement(paragraph.inner, 'w:pPr')?.end ?? 0)
  return paragraph.xml.slice(0, split) + content + paragraph.xml.slice(split)
}

/** document.xml with each drop cap's runs at the start of the paragraph that follows it, and its own paragraph gone. */
export function withDropCapsJoined(documentXml: string): string {
  if (!documentXml.includes('w:dropCap')) return documentXml
  const paragraphs = elements(documentXml, 'w:p')
  let out = ''
  let at = 0
  let carried = ''
  paragraphs.forEach((paragraph, index) => {
    const next = paragraphs[index + 1]
    if (isDropCap(paragraph.inner) && next && joinsParagraphs(documentXml.slice(paragraph.end, next.start))) {
      out += documentXml.slice(at, paragraph.start)
      carried += contentOf(paragraph.inner)
      at = paragraph.end
    } else if (carried !== '') {
      out += documentXml.slice(at, paragraph.start) + withLeadingContent(paragraph, carried)
      carried = ''
      at = paragraph.end
    }
  })
  return out + documentXml.slice(at)
}
