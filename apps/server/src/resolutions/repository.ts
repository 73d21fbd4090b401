import { randomUUID } from 'node:crypto'
import { type AdoptingBody, asLine, holdsControlCharacter, Language, type Resolution, STAMP_WORDS, type Stage, type VoteResult } from '@hemicycle/protocol'
import { type AgendaMeeting, isCalendarDate, latestMeeting, numberingFrozen, tablingOpen } from '@hemicycle/rules'
import { adoptionRecord } from '@hemicycle/documents'
import type { FrontMatter, FrozenNumbering, MarkdownRule } from '@hemicycle/schema'
import type { Queryable } from '../db/database.ts'
import { badRequest, unprocessable } from '../http/errors.ts'

interface ResolutionRow {
  id: string
  title: string
  stage: Stage
  language: Language
  draft_date: string | null
  event: string
  organisation: string
  front_matter: FrontMatter
  amendment_deadline: Date | null
  adopted_by: AdoptingBody | null
  adopted_at: string | null
  adoption_event: string | null
  adoption_vote: (VoteResult & { voteId: string }) | null
  locked_hash: string | null
  hash_rule: MarkdownRule | null
  frozen_numbering: FrozenNumbering | null
  /** The meetings that have it on their agenda (`AGENDA_MEETINGS`): the latest to start gives its time zone and end. */
  agenda_meetings: AgendaMeeting[] | null
  created_at: Date
  updated_at: Date
}

/** A resolution as stored: whether tabling is open is the clock's to say, when it is shown (`publicResolution`). */
export interface StoredResolution extends Omit<Resolution, 'tablingOpen'> {
  /** The front matter as imported, unknown keys included. */
  frontMatter: FrontMatter
  lockedHash: string | null
  /** The canonical Markdown `lockedHash` (and each version's) was taken of. */
  hashRule: MarkdownRule | null
  frozenNumbering: FrozenNumbering | null
}

function toResolution(row: ResolutionRow): StoredResolution {
  const words = STAMP_WORDS[row.language]
  const meeting = latestMeeting(row.agenda_meetings)
  return {
    id: row.id,
    title: row.title,
    stage: row.stage,
    stamp: row.stage === 'adopted' ? { label: words.adopted, date: row.adopted_at } : { label: words.draft, date: row.draft_date },
    event: row.stage === 'adopted' && row.adoption_event ? row.adoption_event : row.event,
    language: row.language,
    organisation: row.organisation,
    deadline: row.amendment_deadline?.toISOString() ?? null,
    timeZone: meeting?.timeZone ?? 'UTC',
    meetingEndsAt: meeting?.endsAt ?? null,
    adoption:
      row.stage === 'adopted' && row.adopted_by && row.adopted_at
        ? { by: row.adopted_by, at: row.adopted_at, event: row.adoption_event ?? row.event, ...(row.adoption_vote ? { vote: row.adoption_vote } : {}) }
        : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    frontMatter: row.front_matter,
    lockedHash: row.locked_hash,
    // A hash with no rule beside it was taken by code older than the column (an instance not yet upgraded when 009 ran): rule 1.
    hashRule: row.hash_rule ?? (row.locked_hash === null ? null : 1),
    frozenNumbering: row.frozen_numbering,
  }
}

/** The API's view of a resolution: the contract's fields only, with whether tabling is open by the server's clock `now`. */
export function publicResolution({ frontMatter: _f, lockedHash: _h, hashRule: _r, frozenNumbering: _n, ...resolution }: StoredResolution, now: Date): Resolution {
  return { ...resolution, tablingOpen: tablingOpen(resolution.stage, resolution.deadline ? new Date(resolution.deadline) : null, now) }
}

/**
 * The meetings with the resolution (`r`) on their agenda, as JSON, for the latest to start to be found by the instant it
 * starts (`latestMeeting`): their dates, a day or an instant with its offset, do not sort as written.
 */
export const AGENDA_MEETINGS = `(select json_agg(json_build_object('timeZone', m.time_zone, 'startsAt', m.starts_at, 'endsAt', m.ends_at))
  from meeting_agenda a join meetings m on m.id = a.meeting_id where a.resolution_id = r.id)`

const SELECT_RESOLUTION = `select r.*, ${AGENDA_MEETINGS} as agenda_meetings from resolutions r`

export async function listResolutions(db: Queryable): Promise<StoredResolution[]> {
  const rows = await db.query<ResolutionRow>(`${SELECT_RESOLUTION} order by r.updated_at desc, r.title`)
  return rows.map(toResolution)
}

export async function findResolution(db: Queryable, id: string): Promise<StoredResolution | null> {
  const [row] = await db.query<ResolutionRow>(`${SELECT_RESOLUTION} where r.id = $1`, [id])
  return row ? toResolution(row) : null
}

export async function resolutionExists(db: Queryable, id: string): Promise<boolean> {
  const rows = await db.query('select 1 from resolutions where id = $1', [id])
  return rows.length > 0
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** Reads the contract's front-matter keys, refusing values Hemicycle cannot hold. */
export function metadataFromFrontMatter(frontMatter: FrontMatter) {
  const text = (key: string, fallback: string) => {
    const value = frontMatter[key]
    if (value === undefined || value === null) return fallback
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw unprocessable('invalid_front_matter', `The front-matter key "${key}" must be text.`)
    }
    // Kept on one line as the routes keep a typed title (composed, no invisible characters): a file must not smuggle in what a form cannot.
    const line = asLine(String(value))
    if (holdsControlCharacter(line)) throw badRequest('invalid_character', `The front-matter key "${key}" holds a control character.`)
    return line
  }
  const title = text('title', '')
  if (title.length === 0) throw unprocessable('missing_title', 'The file has no title: add "title: …" to its front matter.')
  if (title.length > 500) throw unprocessable('invalid_front_matter', 'The title is longer than 500 characters.')
  const language = Language.safeParse(text('language', 'fr').toLowerCase())
  if (!language.success) throw unprocessable('invalid_front_matter', 'The language must be fr, en or es.')
  const draftDate = text('draft_date', '')
  // A date-shaped non-date ("2019-02-30") would be printed in the stamp of every export.
  if (draftDate && !(ISO_DATE.test(draftDate) && isCalendarDate(draftDate))) {
    throw unprocessable('invalid_front_matter', 'draft_date must be a calendar date written YYYY-MM-DD.')
  }
  return {
    title,
    language: language.data,
    draftDate: draftDate || null,
    event: text('event', ''),
    organisation: text('organisation', ''),
  }
}

export async function insertResolution(
  db: Queryable,
  frontMatter: FrontMatter,
  now: Date,
): Promise<StoredResolution> {
  const meta = metadataFromFrontMatter(frontMatter)
  const [row] = await db.query<ResolutionRow>(
    `insert into resolutions (id, title, stage, language, draft_date, event, organisation, front_matter, created_at, updated_at)
     values ($1, $2, 'draft', $3, $4, $5, $6, $7::text::json, $8, $8) returning *, null as agenda_meetings`,
    [randomUUID(), meta.title, meta.language, meta.draftDate, meta.event, meta.organisation, JSON.stringify(frontMatter), now],
  )
  return toResolution(row!)
}

/**
 * The front matter to write out: the imported keys in their order, the
 * contract's keys brought up to date, and empty ones left out unless the
 * file had them.
 */
export function currentFrontMatter(resolution: StoredResolution): FrontMatter {
  const current: FrontMatter = {
    title: resolution.title,
    status: resolution.stamp.label,
    draft_date: resolution.adoption ? (resolution.frontMatter['draft_date'] as string | undefined) : resolution.stamp.date,
    event: resolution.event,
    organisation: resolution.organisation,
    language: resolution.language,
    adopted_by: resolution.adoption?.by,
    adopted_at: resolution.adoption?.at,
    adoption_record: resolution.adoption ? adoptionRecord(resolution.adoption, resolution.language) : undefined,
  }
  const out: FrontMatter = { ...resolution.frontMatter }
  for (const [key, value] of Object.entries(current)) {
    if ((value !== null && value !== undefined && value !== '') || key in out) out[key] = value ?? ''
  }
  return out
}

/**
 * The frozen § and line numbers a text at `stage` is cited by, when in force
 * for the resolution now and for that text: the text as it stands, a
 * language version of it (through its blocks' `sourceId`), and a version
 * saved before versions kept their own freeze (`versionNumbering`).
 */
export function numberingAt(resolution: StoredResolution, stage: string): FrozenNumbering | null {
  // A version's stage is one of the five, as stored with it.
  const frozen = numberingFrozen(resolution.stage) && numberingFrozen(stage as Stage)
  return frozen ? resolution.frozenNumbering : null
}
