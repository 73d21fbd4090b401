import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { ImportPreview, ImportWarning, Language, LineText, NewResolution, Resolution } from '@hemicycle/protocol'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv, Services } from '../http/env.ts'
import { badRequest, invalidRequest, notFound, tooLarge, unprocessable } from '../http/errors.ts'
import { authenticated, errorResponse, jsonResponse, ResolutionIdParam } from '../http/openapi.ts'
import { requirePerson, requireRole } from '../http/session.ts'
import { createEmptyResolution, type Heading } from '../resolutions/documents.ts'
import { findResolution, listResolutions, publicResolution } from '../resolutions/repository.ts'
import { importDocx } from '../documents/docxImport.ts'
import { importUploadedMarkdown } from '../documents/markdownImport.ts'
import { previewImport } from '../documents/importReader.ts'

/** The largest file the import accepts. */
export const IMPORT_LIMIT_BYTES = 5 * 1024 * 1024


const list = createRoute({
  method: 'get',
  path: '/resolutions',
  summary: 'All resolutions, most recently changed first',
  security: authenticated,
  responses: { 200: jsonResponse(z.array(Resolution), 'Resolutions'), 401: errorResponse('Not logged in') },
})

const one = createRoute({
  method: 'get',
  path: '/resolutions/{id}',
  summary: 'One resolution',
  security: authenticated,
  request: { params: ResolutionIdParam },
  responses: { 200: jsonResponse(Resolution, 'The resolution'), 401: errorResponse('Not logged in'), 404: errorResponse('Unknown id') },
})

const ImportQuery = z.object({
  dryRun: z.enum(['0', '1']).optional().meta({ description: '1 to read the file and answer what would be created, with its warnings, creating nothing' }),
  trackedChanges: z
    .enum(['accept', 'reject'])
    .optional()
    .meta({ description: 'what to do with a Word draft’s pending tracked changes; a draft that has some is refused without it (422 `tracked_changes`)' }),
})

const importFile = createRoute({
  method: 'post',
  path: '/resolutions/import',
  summary: 'Create a draft resolution from a file (secretariat only), or preview it',
  description: `Multipart field \`file\`: a Markdown file with front matter (.md), or a Word document (.docx) whose headings, paragraphs, lists, bold and italic are kept. At most ${IMPORT_LIMIT_BYTES / 1024 / 1024} MiB. What a Word file holds that the text cannot (tables, tracked changes, strike-through, comments, images, headers and footers, notes, hidden text, list numbers it cannot print as Word does, superscripts and subscripts set on the line, equations, readings printed above words, and any other word of the file that did not come in) is listed in \`warnings\`: first \`dryRun=1\` to read them before anything is created, then the import itself. A redline or amendments booklet Hemicycle printed is refused (422 \`not_a_draft\`).`,
  security: authenticated,
  request: {
    query: ImportQuery,
    body: {
      content: {
        'multipart/form-data': {
          schema: z.object({
            file: z.string().meta({ format: 'binary' }),
            title: z.string().optional().meta({ description: 'the title to give the resolution instead of the file’s' }),
            language: Language.optional().meta({ description: 'the language to give the resolution instead of the file’s' }),
          }),
        },
      },
      required: true,
    },
  },
  responses: {
    200: jsonResponse(ImportPreview, 'With dryRun=1: what would be created, and the warnings'),
    201: jsonResponse(Resolution.extend({ warnings: z.array(ImportWarning) }), 'The new resolution, and what the file held that it could not keep'),
    400: errorResponse('No file, or a malformed query'),
    403: errorResponse('Not the secretariat'),
    413: errorResponse('File too large'),
    422: errorResponse('Not a resolution Hemicycle can read, a redline or booklet, or pending tracked changes without a decision'),
  },
})

const create = createRoute({
  method: 'post',
  path: '/resolutions',
  summary: 'Create an empty draft resolution (secretariat only)',
  description: 'The draft holds one empty paragraph, to be written in the editor; its stamp is the draft word of its language, dated today.',
  security: authenticated,
  request: { body: { content: { 'application/json': { schema: NewResolution } }, required: true } },
  responses: {
    201: jsonResponse(Resolution, 'The new draft'),
    400: errorResponse('No title, or a language that is not the alliance’s'),
    403: errorResponse('Not the secretariat'),
  },
})

const HeadingFields = z.object({
  title: LineText(500, 0).optional(),
  language: z.union([Language, z.literal('')]).optional(),
})

/** The title and language the secretariat typed beside the file, if any (empty fields keep the file's). */
function headingOf(form: Record<string, unknown>): Heading {
  const fields = HeadingFields.safeParse({ title: form['title'], language: form['language'] })
  if (!fields.success) throw invalidRequest(fields.error.issues)
  const { title, language } = fields.data
  return { ...(title ? { title } : {}), ...(language ? { language } : {}) }
}

export function resolutionRoutes(services: Services) {
  const app = new OpenAPIHono<AppEnv>()
  const { db } = services

  // Each path names its own guard: other route groups share the /resolutions/* space (verify is public).
  for (const path of ['/resolutions', '/resolutions/:id']) app.use(path, requirePerson(services))

  app.openapi(list, async (c) => {
    const now = services.now()
    return c.json((await listResolutions(db)).map((resolution) => publicResolution(resolution, now)), 200)
  })

  app.post('/resolutions', requireRole('secretariat'))
  app.openapi(create, async (c) => {
    const resolution = await createEmptyResolution(db, c.req.valid('json'), c.get('person'), services.now())
    return c.json(publicResolution(resolution, services.now()), 201)
  })

  // Registered for the documentation; the handler below reads the multipart body itself.
  app.openAPIRegistry.registerPath(importFile)
  const limit = bodyLimit({
    maxSize: IMPORT_LIMIT_BYTES + 64 * 1024,
    onError: () => {
      throw tooLarge(IMPORT_LIMIT_BYTES)
    },
  })
  app.post('/resolutions/import', requirePerson(services), requireRole('secretariat'), limit, async (c) => {
    let form: Record<string, string | File | (string | File)[]>
    try {
      form = await c.req.parseBody()
    } catch {
      throw badRequest('invalid_multipart', 'Send the file as multipart/form-data in a field named "file".')
    }
    const file = form['file']
    if (!(file instanceof File)) throw badRequest('missing_file', 'Send the file as multipart/form-data in a field named "file".')
    if (file.size === 0) throw unprocessable('empty_file', 'The file is empty.')
    if (file.size > IMPORT_LIMIT_BYTES) throw tooLarge(IMPORT_LIMIT_BYTES)
    const query = ImportQuery.safeParse(c.req.query())
    if (!query.success) throw badRequest('invalid_request', 'dryRun is 0 or 1; trackedChanges is accept or reject.')
    const { dryRun, trackedChanges } = query.data
    const heading = headingOf(form)
    const word = /\.docx$/i.test(file.name)
    if (!word && !/\.(md|markdown|txt)$/i.test(file.name)) {
      throw unprocessable('unsupported_format', `"${file.name}" is neither a Markdown file (.md) nor a Word document (.docx).`)
    }
    const bytes = new Uint8Array(await file.arrayBuffer())
    const job = word ? { format: 'docx' as const, bytes, fileName: file.name, ...(trackedChanges ? { trackedChanges } : {}) } : { format: 'markdown' as const, bytes, fileName: file.name }
    const { signal } = c.req.raw
    if (dryRun === '1') return c.json(await previewImport(job, signal), 200)
    const options = { by: c.get('person'), now: services.now(), heading, signal }
    const { resolution, warnings } = word
      ? await importDocx(db, bytes, file.name, { ...options, ...(trackedChanges ? { trackedChanges } : {}) })
      : await importUploadedMarkdown(db, bytes, file.name, options)
    return c.json({ ...publicResolution(resolution, services.now()), warnings }, 201)
  })

  app.openapi(one, async (c) => {
    const { id } = c.req.valid('param')
    const resolution = await findResolution(db, id)
    if (!resolution) throw notFound('resolution', id)
    return c.json(publicResolution(resolution, services.now()), 200)
  })

  return app
}
