import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { Resolution } from '@hemicycle/protocol'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv, Services } from '../http/env.ts'
import { badRequest, notFound, tooLarge, unprocessable } from '../http/errors.ts'
import { authenticated, errorResponse, jsonResponse, ResolutionIdParam } from '../http/openapi.ts'
import { requirePerson, requireRole } from '../http/session.ts'
import { importDocx } from '../documents/docxImport.ts'
import { importMarkdown } from '../resolutions/documents.ts'
import { findResolution, listResolutions, publicResolution } from '../resolutions/repository.ts'

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

const importFile = createRoute({
  method: 'post',
  path: '/resolutions/import',
  summary: 'Create a draft resolution from a file (secretariat only)',
  description: `Multipart field \`file\`: a Markdown file with front matter (.md), or a Word document (.docx) whose headings, paragraphs, lists, bold and italic are kept. At most ${IMPORT_LIMIT_BYTES / 1024 / 1024} MiB.`,
  security: authenticated,
  request: {
    body: {
      content: { 'multipart/form-data': { schema: z.object({ file: z.string().meta({ format: 'binary' }) }) } },
      required: true,
    },
  },
  responses: {
    201: jsonResponse(Resolution, 'The new resolution'),
    400: errorResponse('No file'),
    403: errorResponse('Not the secretariat'),
    413: errorResponse('File too large'),
    422: errorResponse('Not a resolution Hemicycle can read'),
  },
})

export function resolutionRoutes(services: Services) {
  const app = new OpenAPIHono<AppEnv>()
  const { db } = services

  // Each path names its own guard: other route groups share the /resolutions/* space (verify is public).
  for (const path of ['/resolutions', '/resolutions/:id']) app.use(path, requirePerson(services))

  app.openapi(list, async (c) => c.json((await listResolutions(db)).map(publicResolution), 200))

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
    if (/\.docx$/i.test(file.name)) {
      const resolution = await importDocx(db, new Uint8Array(await file.arrayBuffer()), file.name, c.get('person'), services.now())
      return c.json(publicResolution(resolution), 201)
    }
    if (!/\.(md|markdown|txt)$/i.test(file.name)) {
      throw unprocessable('unsupported_format', `"${file.name}" is neither a Markdown file (.md) nor a Word document (.docx).`)
    }
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer())
    } catch {
      throw unprocessable('not_text', `"${file.name}" is not UTF-8 text.`)
    }
    const resolution = await importMarkdown(db, text, c.get('person'), services.now())
    return c.json(publicResolution(resolution), 201)
  })

  app.openapi(one, async (c) => {
    const { id } = c.req.valid('param')
    const resolution = await findResolution(db, id)
    if (!resolution) throw notFound('resolution', id)
    return c.json(publicResolution(resolution), 200)
  })

  return app
}
