import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { AdoptingBody, AuditEntry, Language, LineText, Numbering, PlainText, Resolution, Stage } from '@hemicycle/protocol'
import { readBody, serializeMarkdownBody } from '@hemicycle/schema'
import { SERVER_VERSION_LABELS } from '@hemicycle/documents'
import { audit } from '../audit.ts'
import { asCsv, asJson, auditPages, textStream } from '../auditLog.ts'
import { documentName } from '../collab/documentKey.ts'
import { listLanguageVersions } from '../translations/repository.ts'
import type { AppEnv, Services } from '../http/env.ts'
import { notFound } from '../http/errors.ts'
import { authenticated, errorResponse, jsonResponse, ResolutionIdParam } from '../http/openapi.ts'
import { requirePerson, requireRole } from '../http/session.ts'
import { storedBody, textHash } from '../resolutions/documents.ts'
import { findResolution, numberingAt, publicResolution } from '../resolutions/repository.ts'
import { moveStage } from '../resolutions/stages.ts'
import { listVersions, recordVersion, type VersionRow } from '../resolutions/versions.ts'
import { versionDoc } from '../documents/exportModel.ts'
import { RECORD_ATTACHMENT, RECORD_NAMESPACE } from '../documents/recordFormat.ts'


const StageRequest = z.strictObject({
  to: Stage,
  // Kept in the record and printed: as every reason and title is kept, without the invisible characters that could mislead.
  reason: PlainText(2000).optional(),
  deadline: z.string().max(40).optional().meta({ description: 'ISO 8601; required to open amendments' }),
  adoptedBy: AdoptingBody.optional(),
  adoptedAt: z.string().max(40).optional(),
  event: LineText(500, 0).optional(),
  confirm: z.boolean().optional().meta({ description: 'true to lock the final text' }),
  acceptOutstandingTranslations: z
    .boolean()
    .optional()
    .meta({ description: 'true to lock although language versions have due or missing blocks (recorded in the audit); otherwise 409 `translations_due` lists them' }),
  acceptOutstandingAmendments: z
    .boolean()
    .optional()
    .meta({ description: 'true to lock over undecided amendments and unanswered objections (409 `amendments_outstanding` lists them otherwise); they lapse, and the audit records them' }),
})

const Version = z.object({ id: z.number().int(), label: z.string(), stage: z.string(), createdBy: z.string().nullable(), createdAt: z.string() }).meta({ id: 'Version' })

const toVersion = (row: VersionRow) => ({
  id: row.id,
  label: row.label,
  stage: row.stage,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
})

const Verification = z.object({
  stage: Stage,
  hash: z.string().nullable(),
  matches: z.boolean().nullable(),
  howToCheck: z
    .object({
      algorithm: z.literal('SHA-256'),
      of: z.string(),
      record: z.string().nullable().meta({ description: 'the archival PDF/A record’s path, once the text is locked' }),
      attachment: z.string().meta({ description: 'the file attached to the record whose bytes are hashed' }),
      metadata: z.string().meta({ description: 'the XMP property of the record holding the hash' }),
      steps: z.array(z.string()),
    })
    .meta({ description: 'How anyone holding the archival record checks it against this answer' }),
})

const refusals = {
  400: errorResponse('Malformed body or missing deadline, reason, confirmation'),
  401: errorResponse('Not logged in'),
  403: errorResponse('Role not allowed'),
  404: errorResponse('Unknown id'),
  409: errorResponse('Not allowed from this stage; or, locking, amendments outstanding (`error.outstanding` lists them)'),
  422: errorResponse('Unusable value (deadline in the past)'),
}

/** The log as one JSON array written as it is read (typed as the route declares it: its types know only `c.json`, which takes a whole value). */
const streamedJson = (pages: AsyncIterable<AuditEntry[]>) => new Response(textStream(asJson(pages)), { status: 200, headers: { 'Content-Type': 'application/json' } }) as never

export function procedureRoutes(services: Services) {
  const app = new OpenAPIHono<AppEnv>()
  const { db } = services
  const exists = async (id: string) => {
    const resolution = await findResolution(db, id)
    if (!resolution) throw notFound('resolution', id)
    return resolution
  }

  app.use('/resolutions/:id/stage', requirePerson(services))
  app.openapi(
    createRoute({
      method: 'post',
      path: '/resolutions/{id}/stage',
      summary: 'Move the resolution to another stage of the procedure',
      security: authenticated,
      request: { params: ResolutionIdParam, body: { content: { 'application/json': { schema: StageRequest } }, required: true } },
      responses: { 200: jsonResponse(Resolution, 'The resolution at its new stage'), ...refusals },
    }),
    async (c) => {
      const moved = await moveStage(services, c.req.valid('param').id, c.get('person'), c.req.valid('json'))
      return c.json(publicResolution(moved, services.now()), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/resolutions/{id}/verify',
      summary: 'Whether the stored text still matches the hash recorded at the lock (public); `language` checks that language’s version',
      request: { params: ResolutionIdParam, query: z.object({ language: Language.optional().meta({ description: 'a version’s language; the original without it' }) }) },
      responses: { 200: jsonResponse(Verification, 'The check'), 400: refusals[400], 404: refusals[404] },
    }),
    async (c) => {
      const resolution = await exists(c.req.valid('param').id)
      const { language } = c.req.valid('query')
      const version = language === undefined || language === resolution.language ? null : language
      let hash = resolution.lockedHash
      if (version !== null) {
        const row = (await listLanguageVersions(db, resolution.id)).find((candidate) => candidate.language === version)
        if (!row) throw notFound(`${version} version of this resolution`, resolution.id)
        hash = row.locked_hash
      }
      // Checked under the rule the lock hashed with: a text locked before rule 2 was hashed under rule 1.
      const matches = hash === null ? null : textHash(await storedBody(db, documentName({ resolutionId: resolution.id, language: version })), resolution.hashRule) === hash
      const record = `/api/resolutions/${resolution.id}/record.pdf${version !== null ? `?language=${version}` : ''}`
      const howToCheck = {
        algorithm: 'SHA-256' as const,
        of: 'the canonical Markdown of the text (the body, without front matter), UTF-8',
        record: hash === null ? null : record,
        attachment: RECORD_ATTACHMENT,
        metadata: `${RECORD_NAMESPACE}sha256`,
        steps: [
          `Take the text out of the archival record (${record}, PDF/A-3b), where it is attached as ${RECORD_ATTACHMENT}: pdfdetach -saveall record.pdf.`,
          `Hash it: sha256sum ${RECORD_ATTACHMENT}. It must equal the hash in the record's XMP metadata (hemicycle:sha256, pdfinfo -meta record.pdf) and the hash in this answer.`,
          'If it does, the record holds the text the alliance locked; "matches": true says the alliance still stores that same text.',
        ],
      }
      return c.json({ stage: resolution.stage, hash, matches, howToCheck }, 200)
    },
  )

  app.use('/resolutions/:id/numbering', requirePerson(services))
  app.openapi(
    createRoute({
      method: 'get',
      path: '/resolutions/{id}/numbering',
      summary: 'The § and line numbers frozen when amendments opened, while they are in force',
      description:
        'From the opening of amendments through consolidation the text is cited by the numbers it had then (CONTRACT.md, "The text"): each block\'s § and first line, by block id. A block added since takes the number before it and a letter (§4a after §4; line 14a after line 14), as a frozen paragraph\'s lines past those it had do; `numberBlocks` in `@hemicycle/schema` counts them so for the screen, the print view and every export. Under the empty key, the line after the text\'s last. `frozen` is null when the text is numbered as it stands.',
      security: authenticated,
      request: { params: ResolutionIdParam },
      responses: { 200: jsonResponse(Numbering, 'The numbering in force'), 401: refusals[401], 404: refusals[404] },
    }),
    async (c) => {
      const resolution = await exists(c.req.valid('param').id)
      return c.json({ frozen: numberingAt(resolution, resolution.stage) }, 200)
    },
  )

  app.use('/resolutions/:id/versions', requirePerson(services))
  app.use('/resolutions/:id/versions/*', requirePerson(services))
  app.openapi(
    createRoute({
      method: 'get',
      path: '/resolutions/{id}/versions',
      summary: 'Saved versions: the creation, each stage change, and those taken on demand',
      security: authenticated,
      request: { params: ResolutionIdParam },
      responses: { 200: jsonResponse(z.array(Version), 'Versions, oldest first'), 401: refusals[401], 404: refusals[404] },
    }),
    async (c) => {
      const resolution = await exists(c.req.valid('param').id)
      const versions = await listVersions(db, resolution.id)
      return c.json(versions.map(toVersion), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/resolutions/{id}/versions/{vid}',
      summary: 'One version, with its text as Markdown',
      security: authenticated,
      request: { params: ResolutionIdParam.extend({ vid: z.coerce.number().int().min(1).meta({ param: { name: 'vid', in: 'path' } }) }) },
      responses: { 200: jsonResponse(Version.extend({ markdown: z.string() }), 'The version'), 401: refusals[401], 404: refusals[404] },
    }),
    async (c) => {
      const { id, vid } = c.req.valid('param')
      await exists(id)
      const { row, doc } = await versionDoc(db, id, vid)
      const markdown = serializeMarkdownBody(readBody(doc))
      doc.destroy()
      return c.json({ ...toVersion(row), markdown }, 200)
    },
  )

  app.post('/resolutions/:id/versions', requireRole('secretariat'))
  app.openapi(
    createRoute({
      method: 'post',
      path: '/resolutions/{id}/versions',
      summary: 'Save the text as it stands as a version (secretariat)',
      security: authenticated,
      request: { params: ResolutionIdParam, body: { content: { 'application/json': { schema: z.strictObject({ label: LineText(200, 0).optional() }) } }, required: false } },
      responses: { 201: jsonResponse(Version, 'The new version'), ...refusals },
    }),
    async (c) => {
      const resolution = await exists(c.req.valid('param').id)
      const label = c.req.valid('json')?.label?.trim() || SERVER_VERSION_LABELS.saved
      const document = await services.collab.open(resolution.id)
      await services.collab.store(document)
      const now = services.now()
      const person = c.get('person')
      const id = await recordVersion(db, { resolutionId: resolution.id, label, stage: resolution.stage, state: document.wholeState(), personId: person.id, at: now })
      await audit(db, { person, action: 'version', resolutionId: resolution.id, detail: { version: id, label } })
      return c.json({ id, label, stage: resolution.stage, createdBy: person.id, createdAt: now.toISOString() }, 201)
    },
  )

  app.use('/resolutions/:id/audit', requirePerson(services), requireRole('secretariat'))
  app.openapi(
    createRoute({
      method: 'get',
      path: '/resolutions/{id}/audit',
      summary: 'The audit log of a resolution (secretariat)',
      security: authenticated,
      request: { params: ResolutionIdParam },
      responses: { 200: jsonResponse(z.array(AuditEntry), 'Entries, oldest first'), 401: refusals[401], 403: refusals[403], 404: refusals[404] },
    }),
    async (c) => {
      const resolution = await exists(c.req.valid('param').id)
      return streamedJson(auditPages(db, resolution.id))
    },
  )

  app.use('/audit', requirePerson(services), requireRole('secretariat'))
  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit',
      summary: 'The whole audit log, as JSON or CSV (secretariat)',
      security: authenticated,
      request: { query: z.object({ format: z.enum(['json', 'csv']).optional() }) },
      responses: {
        200: { description: 'Entries, oldest first', content: { 'application/json': { schema: z.array(AuditEntry) }, 'text/csv': { schema: z.string() } } },
        401: refusals[401],
        403: refusals[403],
      },
    }),
    async (c) => {
      const pages = auditPages(db, null)
      if (c.req.valid('query').format !== 'csv') return streamedJson(pages)
      return c.body(textStream(asCsv(pages)), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': 'attachment; filename="hemicycle-audit.csv"',
      })
    },
  )

  return app
}
