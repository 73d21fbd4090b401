import {
  Account,
  type AccountChange,
  type AdoptingBody,
  Amendment,
  type AmendmentChange,
  type AttendanceChange,
  type ConfirmTranslation,
  Ballot,
  BulkAcceptance,
  type Decision,
  AuditEntry,
  Delegation,
  ImportPreview,
  ImportWarning,
  type NewResolution,
  type Language,
  LoginResponse,
  Meeting,
  MeetingObserver,
  Notification,
  Numbering,
  type NewBallot,
  type NewMeeting,
  type NewVote,
  type NewAmendment,
  type NewCompromise,
  type NewAccount,
  type NewDelegation,
  type ObserversChange,
  type DelegationChange,
  Person,
  Preview,
  PrintedText,
  Redline,
  LanguageEntry,
  Resolution,
  type Response,
  TranslationBlock,
  type RollChange,
  RollEntry,
  type Stage,
  Vote,
} from '@hemicycle/protocol'
import { z } from 'zod'
import { api } from './http.ts'

export interface StageMove {
  to: Stage
  reason?: string
  deadline?: string
  confirm?: boolean
  /** Lock although language versions have due or missing blocks (the Steering Committee's explicit acknowledgement, audited). */
  acceptOutstandingTranslations?: boolean
  adoptedBy?: AdoptingBody
  adoptedAt?: string
  event?: string
  acceptOutstandingAmendments?: boolean
}

export const Version = z.object({ id: z.number(), label: z.string(), stage: z.string(), createdBy: z.string().nullable(), createdAt: z.string() })
export type Version = z.infer<typeof Version>

/** What to do with a Word draft's pending tracked changes. */
export type TrackedChanges = 'accept' | 'reject'

function importForm(file: File, heading: { title?: string; language?: Language }): FormData {
  const form = new FormData()
  form.append('file', file)
  if (heading.title) form.append('title', heading.title)
  if (heading.language) form.append('language', heading.language)
  return form
}

/**
 * The routes the client uses, each with the schema its answer must match.
 * `base` is empty in the browser (same origin); tests point it at a server.
 */
export function createEndpoints(base = '') {
  const resolutionPath = (id: string) => `${base}/api/resolutions/${encodeURIComponent(id)}`
  const amendmentPath = (id: string) => `${base}/api/amendments/${encodeURIComponent(id)}`
  const meetingPath = (id: string) => `${base}/api/meetings/${encodeURIComponent(id)}`
  const votePath = (id: string) => `${base}/api/votes/${encodeURIComponent(id)}`
  const post = <T extends z.ZodType>(path: string, schema: T, body: unknown = {}) => api(path, schema, { method: 'POST', body })
  return {
    login: (username: string, password: string) => post(`${base}/api/login`, LoginResponse, { username, password }),
    logout: () => api(`${base}/api/logout`, z.null(), { method: 'POST' }),
    me: () => api(`${base}/api/me`, Person),
    resolutions: (signal?: AbortSignal) => api(`${base}/api/resolutions`, z.array(Resolution), signal ? { signal } : {}),
    createResolution: (draft: NewResolution) => post(`${base}/api/resolutions`, Resolution, draft),
    /** What importing the file would create, with what it holds that the text cannot keep; nothing is created. */
    previewImport: (file: File, trackedChanges?: TrackedChanges) =>
      api(`${base}/api/resolutions/import?dryRun=1${trackedChanges ? `&trackedChanges=${trackedChanges}` : ''}`, ImportPreview, { method: 'POST', body: importForm(file, {}) }),
    importResolution: (file: File, heading: { title?: string; language?: Language }, trackedChanges?: TrackedChanges) =>
      api(`${base}/api/resolutions/import${trackedChanges ? `?trackedChanges=${trackedChanges}` : ''}`, Resolution.extend({ warnings: z.array(ImportWarning) }), {
        method: 'POST',
        body: importForm(file, heading),
      }),
    resolution: (id: string, signal?: AbortSignal) => api(resolutionPath(id), Resolution, signal ? { signal } : {}),
    moveStage: (id: string, move: StageMove) => post(`${resolutionPath(id)}/stage`, Resolution, move),
    setDeadline: (id: string, deadline: string) => post(`${resolutionPath(id)}/deadline`, Resolution, { deadline }),
    replyToObjection: (aid: string, text: string) => post(`${amendmentPath(aid)}/objection-reply`, Amendment, { text }),
    checkLateTyping: (aid: string) => post(`${amendmentPath(aid)}/late-typing-checked`, Amendment, {}),
    resetDecision: (aid: string, reason: string) => post(`${amendmentPath(aid)}/reset`, Amendment, { reason }),
    versions: (id: string) => api(`${resolutionPath(id)}/versions`, z.array(Version)),
    printedText: (id: string, signal?: AbortSignal) => api(`${resolutionPath(id)}/print.json`, PrintedText, signal ? { signal } : {}),
    numbering: (id: string, signal?: AbortSignal) => api(`${resolutionPath(id)}/numbering`, Numbering, signal ? { signal } : {}),
    saveVersion: (id: string, label: string) => post(`${resolutionPath(id)}/versions`, Version, { label }),
    redline: (id: string, from: number, to: number | 'current') => api(`${resolutionPath(id)}/redline.json?from=${from}&to=${to}`, Redline),
    /**
     * The resolution as its Markdown file (front matter and body), in the current canonical rule: it reads back as
     * exactly the text, where a text locked under rule 1 hashes to Markdown that may not (an empty §, a "1)" §).
     */
    languages: (id: string, signal?: AbortSignal) => api(`${resolutionPath(id)}/languages`, z.array(LanguageEntry), signal ? { signal } : {}),
    addLanguage: (id: string, language: Language) => post(`${resolutionPath(id)}/languages`, LanguageEntry, { language }),
    translationBlocks: (id: string, language: Language) => api(`${resolutionPath(id)}/languages/${language}/blocks`, z.array(TranslationBlock)),
    /** Refused with 409 `changed_since_read` (carrying the block as it now stands) when either text differs from `read`. */
    confirmTranslation: (id: string, language: Language, sourceId: string, read: NonNullable<ConfirmTranslation['read']>) =>
      post(`${resolutionPath(id)}/languages/${language}/blocks/${encodeURIComponent(sourceId)}/confirm`, TranslationBlock, { read } satisfies ConfirmTranslation),
    amendments: (id: string) => api(`${resolutionPath(id)}/amendments`, z.array(Amendment)),
    amendment: (aid: string) => api(amendmentPath(aid), Amendment),
    table: (id: string, amendment: NewAmendment) => post(`${resolutionPath(id)}/amendments`, Amendment, amendment),
    editAmendment: (aid: string, change: AmendmentChange) => api(amendmentPath(aid), Amendment, { method: 'PATCH', body: change }),
    withdraw: (aid: string) => post(`${amendmentPath(aid)}/withdraw`, Amendment),
    cosponsor: (aid: string) => post(`${amendmentPath(aid)}/cosponsor`, Amendment),
    preview: (aid: string) => api(`${amendmentPath(aid)}/preview`, Preview),
    decide: (aid: string, decision: Decision) => post(`${amendmentPath(aid)}/decision`, Amendment, decision),
    respond: (aid: string, response: Response) => post(`${amendmentPath(aid)}/response`, Amendment, response),
    compromise: (id: string, compromise: NewCompromise) => post(`${resolutionPath(id)}/compromises`, Amendment, compromise),
    /** `ids`: the dry run's list, confirmed; none for a dry run. */
    acceptNonColliding: (id: string, dryRun = false, ids?: readonly string[]) => post(`${resolutionPath(id)}/amendments/accept-non-colliding${dryRun ? '?dryRun=1' : ''}`, BulkAcceptance, ids ? { ids } : {}),
    notifications: () => api(`${base}/api/notifications`, z.array(Notification)),
    audit: (id: string) => api(`${resolutionPath(id)}/audit`, z.array(AuditEntry)),
    markRead: (read: { ids: string[] } | { all: true; upTo?: string }) => api(`${base}/api/notifications/read`, z.null(), { method: 'POST', body: read }),
    delegations: () => api(`${base}/api/delegations`, z.array(Delegation)),
    accounts: () => api(`${base}/api/people`, z.array(Account)),
    createPerson: (account: NewAccount) => post(`${base}/api/people`, Account, account),
    changePerson: (pid: string, change: AccountChange) => api(`${base}/api/people/${encodeURIComponent(pid)}`, Account, { method: 'PATCH', body: change }),
    setPassword: (pid: string, password: string) => api(`${base}/api/people/${encodeURIComponent(pid)}/password`, z.null(), { method: 'POST', body: { password } }),
    createDelegation: (delegation: NewDelegation) => post(`${base}/api/delegations`, Delegation, delegation),
    changeDelegation: (did: string, change: DelegationChange) => api(`${base}/api/delegations/${encodeURIComponent(did)}`, Delegation, { method: 'PATCH', body: change }),
    removeDelegation: (did: string) => api(`${base}/api/delegations/${encodeURIComponent(did)}`, z.null(), { method: 'DELETE' }),
    meetings: (signal?: AbortSignal) => api(`${base}/api/meetings`, z.array(Meeting), signal ? { signal } : {}),
    meeting: (id: string, signal?: AbortSignal) => api(meetingPath(id), Meeting, signal ? { signal } : {}),
    createMeeting: (meeting: Partial<NewMeeting> & Pick<NewMeeting, 'kind' | 'title' | 'startsAt' | 'endsAt'>) => post(`${base}/api/meetings`, Meeting, meeting),
    roll: (id: string) => api(`${meetingPath(id)}/roll`, z.array(RollEntry)),
    setRoll: (id: string, delegationId: string, change: RollChange) =>
      api(`${meetingPath(id)}/roll/${encodeURIComponent(delegationId)}`, RollEntry, { method: 'PUT', body: change }),
    attendance: (id: string, change: AttendanceChange) => post(`${meetingPath(id)}/attendance`, RollEntry, change),
    observers: (id: string) => api(`${meetingPath(id)}/observers`, z.array(MeetingObserver)),
    setObservers: (id: string, change: ObserversChange) => api(`${meetingPath(id)}/observers`, z.array(MeetingObserver), { method: 'PUT', body: change }),
    observerAttendance: (id: string, change: AttendanceChange) => post(`${meetingPath(id)}/observers/attendance`, z.array(MeetingObserver), change),
    votes: (id: string) => api(`${meetingPath(id)}/votes`, z.array(Vote)),
    openVote: (id: string, vote: NewVote) => post(`${meetingPath(id)}/votes`, Vote, vote),
    vote: (vid: string) => api(votePath(vid), Vote),
    cast: (vid: string, ballot: NewBallot) => post(`${votePath(vid)}/ballots`, Ballot, ballot),
    closeVote: (vid: string) => post(`${votePath(vid)}/close`, Vote),
    voidVote: (vid: string, reason: string) => post(`${votePath(vid)}/void`, Vote, { reason }),
  }
}

export type Endpoints = ReturnType<typeof createEndpoints>

export const endpoints = createEndpoints()
