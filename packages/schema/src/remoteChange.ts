import type { Transaction } from '@tiptap/pm/state'
import { ySyncPluginKey } from '@tiptap/y-tiptap'

/**
 * Whether a transaction brings changes in from the shared document (other
 * people's, and undo, which goes through it): y-tiptap marks them with its
 * plugin's key. The editor's own filters must never refuse one, or the
 * editor would part from the document.
 */
export const isRemoteChange = (tr: Transaction): boolean => tr.getMeta(ySyncPluginKey) !== undefined
