import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { AttendanceChange, Ballot, Meeting, type MeetingEvent, MeetingObserver, NewBallot, NewMeeting, NewVote, ObserversChange, RollChange, RollEntry, Vote, VoidVote } from '@hemicycle/protocol'
import type { AppEnv, Services } from '../http/env.ts'
import { authenticated, errorResponse, jsonResponse } from '../http/openapi.ts'
import { requirePerson } from '../http/session.ts'

const json = <T>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } })
const id = (name: string) => z.string().min(1).max(100).meta({ param: { name, in: 'path' } })
const MeetingIdParam = z.object({ mid: id('mid') })
const VoteIdParam = z.object({ vid: id('vid') })

const refusals = {
  400: errorResponse('Malformed body'),
  401: errorResponse('Not logged in'),
  403: errorResponse('Role not allowed, or not this person’s ballot'),
  404: errorResponse('Unknown meeting, delegation, amendment, resolution or vote'),
  409: errorResponse('Not allowed now: council_full, vote_closed, vote_open, not_on_agenda, wrong_stage, conflict, …'),
  422: errorResponse('Well-formed but invalid (dates, a resolution or person named in the body that does not exist, people who cannot sit for the delegation, unreachable quorum)'),
}

/**
 * Meetings and votes (CONTRACT.md, "Meetings and votes"): the secretariat
 * convenes a meeting and keeps its roll and attendance; the secretariat or
 * the chair opens and closes votes; each delegation present casts one
 * ballot through its delegate or substitute. Everyone logged in may follow.
 */
export function meetingRoutes(services: Services) {
  const app = new OpenAPIHono<AppEnv>()
  const meetings = () => services.meetings
  app.use('/meetings', requirePerson(services))
  app.use('/meetings/*', requirePerson(services))
  app.use('/votes/*', requirePerson(services))

  app.openapi(
    createRoute({
      method: 'post',
      path: '/meetings',
      summary: 'Convene a meeting (secretariat)',
      security: authenticated,
      request: json(NewMeeting),
      responses: { 201: jsonResponse(Meeting, 'The meeting'), ...refusals },
    }),
    async (c) => c.json(await meetings().create(c.get('person'), c.req.valid('json')), 201),
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/meetings',
      summary: 'Meetings, latest first',
      security: authenticated,
      responses: { 200: jsonResponse(z.array(Meeting), 'Meetings'), 401: refusals[401] },
    }),
    async (c) => c.json(await meetings().list(), 200),
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/meetings/{mid}',
      summary: 'One meeting',
      security: authenticated,
      request: { params: MeetingIdParam },
      responses: { 200: jsonResponse(Meeting, 'The meeting'), 401: refusals[401], 404: refusals[404] },
    }),
    async (c) => c.json(await meetings().meeting(c.req.valid('param').mid), 200),
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/meetings/{mid}/roll',
      summary: 'The roll: each delegation’s delegate, substitutes, registered people, attendance and gender balance',
      security: authenticated,
      request: { params: MeetingIdParam },
      responses: { 200: jsonResponse(z.array(RollEntry), 'The roll, by country'), 401: refusals[401], 404: refusals[404] },
    }),
    async (c) => c.json(await meetings().roll(c.req.valid('param').mid), 200),
  )

  app.openapi(
    createRoute({
      method: 'put',
      path: '/meetings/{mid}/roll/{delegationId}',
      summary: 'Seat a delegation or change its entry (secretariat); a seated delegation registers its own people',
      description:
        'Fields left out stay as they are. The delegate and substitutes are always among the registered. A Council roll holds at most 30 delegations (409 `council_full`); in the Steering Committee a party designates at most one substitute.',
      security: authenticated,
      request: { params: MeetingIdParam.extend({ delegationId: id('delegationId') }), ...json(RollChange) },
      responses: { 200: jsonResponse(RollEntry, 'The delegation’s entry'), ...refusals },
    }),
    async (c) => {
      const { mid, delegationId } = c.req.valid('param')
      return c.json(await meetings().setRoll(mid, delegationId, c.get('person'), c.req.valid('json')), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/meetings/{mid}/attendance',
      summary: 'Record that a registered person is present, or no longer (secretariat)',
      security: authenticated,
      request: { params: MeetingIdParam, ...json(AttendanceChange) },
      responses: { 200: jsonResponse(RollEntry, 'Their delegation’s entry'), ...refusals },
    }),
    async (c) => c.json(await meetings().attendance(c.req.valid('param').mid, c.get('person'), c.req.valid('json')), 200),
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/meetings/{mid}/observers',
      summary: 'The observers who belong to no party, registered beside the delegations, and their attendance',
      security: authenticated,
      request: { params: MeetingIdParam },
      responses: { 200: jsonResponse(z.array(MeetingObserver), 'The observers, by name'), 401: refusals[401], 404: refusals[404] },
    }),
    async (c) => c.json(await meetings().observers(c.req.valid('param').mid), 200),
  )

  app.openapi(
    createRoute({
      method: 'put',
      path: '/meetings/{mid}/observers',
      summary: 'Register the observers who belong to no party (secretariat): the whole list',
      description:
        'Each must be an observer without a party (422 `not_an_observer`, `observer_of_a_party`: a party’s people, its leaders included, are registered with its entry on the roll). Those who stay keep their attendance. They never vote.',
      security: authenticated,
      request: { params: MeetingIdParam, ...json(ObserversChange) },
      responses: { 200: jsonResponse(z.array(MeetingObserver), 'The observers'), ...refusals },
    }),
    async (c) => c.json(await meetings().setObservers(c.req.valid('param').mid, c.get('person'), c.req.valid('json')), 200),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/meetings/{mid}/observers/attendance',
      summary: 'Record that an observer without a party is present, or no longer (secretariat)',
      security: authenticated,
      request: { params: MeetingIdParam, ...json(AttendanceChange) },
      responses: { 200: jsonResponse(z.array(MeetingObserver), 'The observers'), ...refusals },
    }),
    async (c) => c.json(await meetings().observerAttendance(c.req.valid('param').mid, c.get('person'), c.req.valid('json')), 200),
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/meetings/{mid}/votes',
      summary: 'The meeting’s votes, in the order opened',
      security: authenticated,
      request: { params: MeetingIdParam },
      responses: { 200: jsonResponse(z.array(Vote), 'Votes'), 401: refusals[401], 404: refusals[404] },
    }),
    async (c) => c.json(await meetings().votes(c.req.valid('param').mid, c.get('person')), 200),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/meetings/{mid}/votes',
      summary: 'Open a vote on an amendment (consolidation) or on adoption (final) (secretariat, chair)',
      security: authenticated,
      request: { params: MeetingIdParam, ...json(NewVote) },
      responses: { 201: jsonResponse(Vote, 'The open vote'), ...refusals },
    }),
    async (c) => c.json(await meetings().openVote(c.req.valid('param').mid, c.get('person'), c.req.valid('json')), 201),
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/votes/{vid}',
      summary: 'One vote: tally, and once closed the result and the roll-call',
      security: authenticated,
      request: { params: VoteIdParam },
      responses: { 200: jsonResponse(Vote, 'The vote'), 401: refusals[401], 404: refusals[404] },
    }),
    async (c) => c.json(await meetings().vote(c.req.valid('param').vid, c.get('person')), 200),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/votes/{vid}/ballots',
      summary: 'Cast or change your delegation’s ballot',
      description: 'By the delegation’s voting delegate when present, otherwise by a present substitute; a second ballot replaces the first. 409 `vote_closed` once closed.',
      security: authenticated,
      request: { params: VoteIdParam, ...json(NewBallot) },
      responses: { 200: jsonResponse(Ballot, 'The ballot, with its choice'), ...refusals },
    }),
    async (c) => c.json(await meetings().cast(c.req.valid('param').vid, c.get('person'), c.req.valid('json')), 200),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/votes/{vid}/close',
      summary: 'Close the vote: the result is fixed and takes effect (secretariat, chair)',
      description:
        'A passed amendment vote accepts the amendment (rebased; a conflict is refused with 409 and the vote stays open), a failed one rejects it. A passed adoption vote adopts the resolution in the name of the meeting’s body.',
      security: authenticated,
      request: { params: VoteIdParam },
      responses: { 200: jsonResponse(Vote, 'The closed vote, with its result'), ...refusals },
    }),
    async (c) => c.json(await meetings().close(c.req.valid('param').vid, c.get('person')), 200),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/votes/{vid}/void',
      summary: 'Void a vote that cannot take effect (secretariat)',
      description:
        'Only while the close is refused whatever the ballots say (the amendment’s words conflict with the text, or accepting it would break the rules on the text): the vote closes with no result, its choices stay hidden, `notApplied.code` is `voided` with the reason, and the amendment can be decided again. 409 `vote_closable` for a vote that can be closed.',
      security: authenticated,
      request: { params: VoteIdParam, ...json(VoidVote) },
      responses: { 200: jsonResponse(Vote, 'The voided vote'), ...refusals },
    }),
    async (c) => c.json(await meetings().voidVote(c.req.valid('param').vid, c.get('person'), c.req.valid('json')), 200),
  )

  // Server-sent events are not described in OpenAPI, like the resolution's.
  app.get('/meetings/:mid/events', async (c) => {
    const meeting = await meetings().meeting(c.req.param('mid'))
    return services.streams.open<MeetingEvent>(c, [], (push) => meetings().subscribe(meeting.id, push))
  })

  return app
}
