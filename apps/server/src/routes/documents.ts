import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { readBooklet } from '../documents/booklet.ts'
import { fileName, frontMatterAt, metaAt, statusSource, textSourceAt, translationOf } from '../documents/exportModel.ts'
import type { ExportJob } from '../documents/exportJobs.ts'
import { EXPORT_LIMITS, type ExportRequest, writeExport } from '../documents/exportWriter.ts'
import { parseLanguages, readParallel } from '../documents/parallel.ts'
import { documentName } from '../collab/documentKey.ts'
import { findLanguageVersion } from '../translations/repository.ts'
import { readDocumentUpdates } from '../collab/storage.ts'
import { readRedline } from '../documents/redline.ts'
import type { AppEnv, Services } from '../http/env.ts'
import { Language, PrintedText, Redline } from '@hemicycle/protocol'
import { conflict, notFound } from '../http/errors.ts'
import { authenticated, errorResponse, ResolutionIdParam } from '../http/openapi.ts'
import { requirePerson } from '../http/session.ts'
import { findResolution, type StoredResolution } from '../resolutions/repository.ts'

/**
 * Documents out: the resolution (at any stage, or as a saved version holds
 * it) as Markdown, HTML, DOCX and PDF; the amendments booklet; the redline
 * between two versions. Every logged-in person may export.
 */
const VersionId = z.coerce.number().int().min(1)

const ExportQuery = z.object({
  version: VersionId.optional().meta({ description: 'a saved version’s id; the text as it stands when absent' }),
  lines: z.enum(['0', '1']).optional().meta({ description: '1 to print line numbers (80 characters a line, as cited)' }),
  language: Language.optional().meta({ description: 'a language version, as it stands, with the stamp in its language; the original when absent' }),
  rule: z
    .enum(['hashed', 'current'])
    .optional()
    .meta({
      description:
        'Markdown only: `hashed` (the default) writes a locked text in the canonical Markdown its hash was taken of; `current` in today’s rule, which reads back as exactly the text (a text locked under rule 1 may not)',
    }),
})
const BookletQuery = z.object({
  status: z.string().max(40).optional().meta({ description: 'only amendments with this status' }),
  delegation: z.string().max(100).optional().meta({ description: 'only amendments this delegation tabled or co-sponsors' }),
  beside: Language.optional().meta({ description: 'a language version: each amendment’s paragraph in it is printed beside the original’s' }),
})
const ParallelQuery = z.object({
  languages: z.string().max(20).meta({ description: 'two or three languages in the order of the columns: fr,en,es' }),
})
const RedlineQuery = z.object({
  from: VersionId.meta({ description: 'the earlier version’s id (e.g. 1, the PROJET)' }),
  to: z
    .union([z.literal('current'), VersionId])
    .default('current')
    .meta({ description: 'the later version’s id, or `current` (the default) for the text as it stands' }),
})

const FORMATS = {
  md: { type: 'text/markdown; charset=utf-8', name: 'Markdown with front matter' },
  html: { type: 'text/html; charset=utf-8', name: 'a self-contained HTML page' },
  docx: { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', name: 'a Word document' },
  pdf: { type: 'application/pdf', name: 'PDF' },
} as const
type Format = keyof typeof FORMATS

const refusals = {
  400: errorResponse('Malformed query'),
  401: errorResponse('Not logged in'),
  404: errorResponse('Unknown resolution, version or delegation'),
  // 408 `client_gone` is logged, not listed: its client has gone, no response reaches it.
  422: errorResponse('`too_complex`: the export would take more than its time or memory (`exportWriter.ts`); export a part of it'),
  429: errorResponse(`\`too_many_exports\`: this person has ${EXPORT_LIMITS.maxPerPerson} exports being produced or waiting already; Retry-After says when to try again`),
  503: errorResponse('`export_busy`: the line of exports waiting is full; Retry-After says when to try again'),
}

const fileResponse = (format: Format, description: string) => ({
  description,
  content: { [FORMATS[format].type.split(';')[0]!]: { schema: z.string().meta({ format: format === 'docx' || format === 'pdf' ? 'binary' : 'text' }) } },
})

function send(c: Context<AppEnv>, body: string | Uint8Array, format: Format, name: string): Response {
  c.header('Content-Type', FORMATS[format].type)
  c.header('Content-Disposition', `attachment; filename="${name}"`)
  c.header('Cache-Control', 'no-store')
  return c.body(typeof body === 'string' ? body : new Uint8Array(body), 200)
}

/** The export's place in the line is the person's (`EXPORT_LIMITS.maxPerPerson`), and leaves it when the client goes. */
const exportRequest = (c: Context<AppEnv>): ExportRequest => ({ signal: c.req.raw.signal, person: c.get('person')?.id })

/**
 * An export produced on the thread and sent as the file `name`: `read` reads
 * what it needs once it has its place in the line, so an export refused
 * (503, 429) reads nothing.
 */
async function exported(c: Context<AppEnv>, format: Format, read: () => Promise<{ job: ExportJob; name: string }>): Promise<Response> {
  let name = ''
  const output = await writeExport(async () => {
    const asked = await read()
    name = asked.name
    return asked.job
  }, exportRequest(c))
  return send(c, output, format, name)
}

export function documentRoutes(services: Services) {
  const app = new OpenAPIHono<AppEnv>()
  const { db } = services
  const resolutionOf = async (id: string): Promise<StoredResolution> => {
    const resolution = await findResolution(db, id)
    if (!resolution) throw notFound('resolution', id)
    return resolution
  }

  // Each path names its own guard: other route groups share the /resolutions/* space (verify is public).
  for (const format of Object.keys(FORMATS)) app.use(`/resolutions/:id/export.${format}`, requirePerson(services))
  for (const kind of ['booklet', 'redline']) for (const format of ['docx', 'pdf']) app.use(`/resolutions/:id/${kind}.${format}`, requirePerson(services))
  for (const format of ['pdf', 'docx', 'html']) app.use(`/resolutions/:id/parallel.${format}`, requirePerson(services))

  for (const format of Object.keys(FORMATS) as Format[]) {
    app.openapi(
      createRoute({
        method: 'get',
        path: `/resolutions/{id}/export.${format}`,
        summary: `The resolution as ${FORMATS[format].name}`,
        description:
          'The alliance’s letterhead, the title, the stamp (PROJET or ADOPTÉE with its date, in the resolution’s language), the event, and the text with its § numbers. `version` exports a saved version; `lines=1` prints line numbers (each text wraps at 80 characters of its own); `language` exports a language version, its title and stamp (PROYECTO, ADOPTED…) in that language.',
        security: authenticated,
        request: { params: ResolutionIdParam, query: ExportQuery },
        responses: { 200: fileResponse(format, FORMATS[format].name), ...refusals },
      }),
      (c) => {
        const { id } = c.req.valid('param')
        const { version, lines, language, rule } = c.req.valid('query')
        return exported(c, format, async () => {
          const resolution = await resolutionOf(id)
          // Written on the export thread, from the text's Yjs updates: reading the text and writing 8,000 paragraphs held the event loop 0.3–0.6 s.
          const text = await textSourceAt(services, resolution, version, language)
          const name = fileName(resolution, text.version ? `v${text.version.id}` : (text.translation?.language ?? ''), format)
          const frontMatter = frontMatterAt(resolution, text.stage, text.translation)
          // A locked text is written in the canonical Markdown its hash was taken of, so the body of this file hashes to it.
          if (format === 'md') return { job: { kind: 'markdown', updates: text.updates, original: text.original, frontMatter, rule: text.version || rule === 'current' ? undefined : resolution.hashRule }, name }
          const meta = metaAt(resolution, text.stage, text.translation, text.numbering)
          return { job: { kind: 'resolution', format, updates: text.updates, original: text.original, statuses: text.statuses, meta, lineNumbers: lines === '1', frontMatter }, name }
        })
      },
    )
  }

  for (const format of ['docx', 'pdf'] as const) {
    app.openapi(
      createRoute({
        method: 'get',
        path: `/resolutions/{id}/booklet.${format}`,
        summary: `The amendments booklet as ${FORMATS[format].name}`,
        description:
          'Every amendment in the order of the text: number, § and line, tabling and co-sponsoring delegations, original and proposed wording side by side with the changes marked, justification and decision. Filter by `status` and by `delegation` (tabled or co-sponsored). `beside` prints each amendment’s paragraph as a language version has it now (amendments are tabled against the original).',
        security: authenticated,
        request: { params: ResolutionIdParam, query: BookletQuery },
        responses: { 200: fileResponse(format, 'The booklet'), ...refusals },
      }),
      (c) => {
        const { id } = c.req.valid('param')
        const query = c.req.valid('query')
        return exported(c, format, async () => {
          const resolution = await resolutionOf(id)
          return { job: { kind: 'booklet', format, reading: await readBooklet(services, resolution, query) }, name: fileName(resolution, 'amendments', format) }
        })
      },
    )

    app.openapi(
      createRoute({
        method: 'get',
        path: `/resolutions/{id}/redline.${format}`,
        summary: `The changes between two versions, or a version and the text as it stands, as ${FORMATS[format].name}`,
        description:
          'Insertions and deletions between version `from` and version `to`, or the text as it stands when `to` is absent or `current` (the PROJET against the adopted text, or against now). Each change is attributed to the amendment it came from, otherwise to the people whose updates touched its paragraph between the two versions, and dated when it was made or decided. The DOCX carries real Word tracked changes (w:ins, w:del) with those authors and dates, § numbers included, so rejecting them all gives back version `from`.',
        security: authenticated,
        request: { params: ResolutionIdParam, query: RedlineQuery },
        responses: { 200: fileResponse(format, 'The redline'), ...refusals },
      }),
      (c) => {
        const { id } = c.req.valid('param')
        const { from, to } = c.req.valid('query')
        return exported(c, format, async () => {
          const resolution = await resolutionOf(id)
          const reading = await readRedline(services, resolution, from, to, c.req.raw.signal)
          return { job: { kind: 'redline', format, reading }, name: fileName(resolution, `redline-v${from}-${to === 'current' ? 'current' : `v${to}`}`, format) }
        })
      },
    )
  }

  for (const format of ['pdf', 'docx', 'html'] as const) {
    app.openapi(
      createRoute({
        method: 'get',
        path: `/resolutions/{id}/parallel.${format}`,
        summary: `Two or three languages side by side, paragraph by paragraph, as ${format === 'html' ? 'a self-contained HTML page' : FORMATS[format].name}`,
        description:
          'One column per language of `languages` (the original or versions the resolution has), one row per block of the original with its § number, each language’s text of that block level with the others; each column headed by its title and its stamp in its language.',
        security: authenticated,
        request: { params: ResolutionIdParam, query: ParallelQuery },
        responses: { 200: fileResponse(format, 'The parallel edition'), ...refusals },
      }),
      (c) => {
        const { id } = c.req.valid('param')
        const languages = parseLanguages(c.req.valid('query').languages)
        return exported(c, format, async () => {
          const resolution = await resolutionOf(id)
          return { job: { kind: 'parallel', format, reading: await readParallel(services, resolution, languages) }, name: fileName(resolution, `parallel-${languages.join('-')}`, format) }
        })
      },
    )
  }

  app.use('/resolutions/:id/record.pdf', requirePerson(services))
  app.openapi(
    createRoute({
      method: 'get',
      path: '/resolutions/{id}/record.pdf',
      summary: 'The archival record of the locked or adopted text, as PDF/A-3b',
      description:
        'The text as locked, with its fonts embedded and, in its XMP metadata, the resolution’s id, its stage, the adoption (by, at, event) and the SHA-256 recorded at the lock; the canonical Markdown the hash is taken of is attached as `text.md`. `lines=1` prints line numbers. 409 `not_locked` before the lock; 409 `text_changed` if the stored text no longer has the recorded hash.',
      security: authenticated,
      request: { params: ResolutionIdParam, query: ExportQuery.pick({ lines: true, language: true }) },
      responses: { 200: fileResponse('pdf', 'The archival record'), ...refusals, 409: errorResponse('Not locked yet, or the stored text no longer matches its hash') },
    }),
    (c) => {
      const { id } = c.req.valid('param')
      const { lines, language } = c.req.valid('query')
      return exported(c, 'pdf', async () => {
        const resolution = await resolutionOf(id)
        const translation = await translationOf(db, resolution, language)
        const hash = translation ? ((await findLanguageVersion(db, resolution.id, translation.language))?.locked_hash ?? null) : resolution.lockedHash
        if (resolution.lockedHash === null) throw conflict('not_locked', 'The archival record is made of the locked text: the Steering Committee locks it first (stage final).')
        if (hash === null) throw conflict('not_locked', `The ${translation?.language} version was added after the lock and carries no hash.`)
        // The text is read, and checked against the hash, on the export thread (a `text_changed` refusal comes from there).
        const updates = await readDocumentUpdates(db, documentName({ resolutionId: resolution.id, language: translation?.language ?? null }))
        const adoption = resolution.stage === 'adopted' ? resolution.adoption : null
        const facts = {
          resolutionId: resolution.id,
          stage: resolution.stage,
          sha256: hash,
          adoptedBy: adoption?.by ?? null,
          adoptedAt: adoption?.at ?? null,
          adoptionEvent: adoption?.event ?? null,
          verify: `/api/resolutions/${resolution.id}/verify${translation ? `?language=${translation.language}` : ''}`,
        }
        const statuses = translation ? await statusSource(services, resolution.id, translation.language) : null
        const job: ExportJob = { kind: 'record', resolution, updates, facts, lineNumbers: lines === '1', translation, statuses }
        return { job, name: fileName(resolution, translation ? `record-${translation.language}` : 'record', 'pdf') }
      })
    },
  )

  app.use('/resolutions/:id/print.json', requirePerson(services))
  app.openapi(
    createRoute({
      method: 'get',
      path: '/resolutions/{id}/print.json',
      summary: 'The text as it stands, laid out as the exports lay it out, for the print view',
      description:
        'Each block with its § and each line with its number as cited: the numbers frozen when amendments opened, from then through consolidation (`GET …/numbering`), as the screen and every export cite them.',
      security: authenticated,
      request: { params: ResolutionIdParam },
      responses: { 200: { description: 'The printed text', content: { 'application/json': { schema: PrintedText } } }, ...refusals },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const json = (await writeExport(async () => {
        const resolution = await resolutionOf(id)
        const text = await textSourceAt(services, resolution, undefined, undefined)
        const meta = metaAt(resolution, text.stage, text.translation, text.numbering)
        return { kind: 'resolution', format: 'json', updates: text.updates, original: text.original, statuses: text.statuses, meta, lineNumbers: true, frontMatter: frontMatterAt(resolution, text.stage, text.translation) }
      }, exportRequest(c))) as string
      return new Response(json, { status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } }) as never
    },
  )

  app.use('/resolutions/:id/redline.json', requirePerson(services))
  app.openapi(
    createRoute({
      method: 'get',
      path: '/resolutions/{id}/redline.json',
      summary: 'The changes between two versions (or a version and the text as it stands), for display, each with its authors and date',
      security: authenticated,
      request: { params: ResolutionIdParam, query: RedlineQuery },
      responses: { 200: { description: 'The redline', content: { 'application/json': { schema: Redline } } }, ...refusals },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { from, to } = c.req.valid('query')
      // Computed and serialised on the export thread: what `c.json` would send, as its text.
      const json = (await writeExport(async () => ({ kind: 'redline', format: 'json', reading: await readRedline(services, await resolutionOf(id), from, to, c.req.raw.signal) }), exportRequest(c))) as string
      return new Response(json, { status: 200, headers: { 'Content-Type': 'application/json' } }) as never
    },
  )

  return app
}
