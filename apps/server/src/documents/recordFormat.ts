/**
 * Names the archival record (`record.ts`) uses and the verify answer cites,
 * apart from the renderer so that citing them does not load the PDF library.
 */
export const RECORD_NAMESPACE = 'urn:hemicycle:record:1.0:'
export const RECORD_ATTACHMENT = 'text.md'
