// zz57 scratch: y-tiptap's binding code as the schema package loads it (one Yjs, one ProseMirror).
export { updateYFragment, ySyncPluginKey } from '@tiptap/y-tiptap'
export { Transform } from '@tiptap/pm/transform'
