import { existsSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { DEFAULT_PASSWORD_COST, isPasswordCost, MAX_PASSWORD_COST } from './accounts/passwords.ts'
import { COMPOSER_CLAIM_MS } from './collab/composer.ts'
import { LOST_CHANGES_GRACE_MS } from './collab/lostChanges.ts'

/** The folder holding pnpm-workspace.yaml: found upwards, so the TypeScript source and the built server agree. */
function findRepositoryRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir
    if (dirname(dir) === dir) return from
  }
}

const repositoryRoot = findRepositoryRoot(dirname(fileURLToPath(import.meta.url)))

/** A duration for a timer: Node runs a timer longer than 2^31 - 1 ms after 1 ms instead (a heartbeat set that long ended every socket at once). */
const milliseconds = () => z.coerce.number().int().max(2 ** 31 - 1)

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  /** Relative paths are taken from the repository root, so the server and the CLI agree wherever they run. */
  DATA_DIR: z
    .string()
    .default('data')
    .transform((dir) => (dir.startsWith('memory://') || isAbsolute(dir) ? dir : resolve(repositoryRoot, dir))),
  /**
   * A dump of an embedded database (PGlite's `dumpDataDir`, .tar or .tar.gz) that a new one starts as, instead of an
   * empty cluster: creating a cluster costs about 3 s of CPU, loading a dump about 1 s, and the test suite starts
   * hundreds. For a new DATA_DIR on disk it may also be a closed cluster's directory, whose files are copied (about
   * 0.3 s). Ignored when DATA_DIR already holds a database, and with DATABASE_URL; relative to the repository, as DATA_DIR.
   */
  PGLITE_TEMPLATE: z
    .string()
    .optional()
    .transform((file) => (file ? (isAbsolute(file) ? file : resolve(repositoryRoot, file)) : undefined)),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DEMO_PASSWORD: z.string().min(1).default('demo'),
  /**
   * scrypt's work factor for new password hashes, a power of two: 16384 costs about 50 ms of CPU a login. Each hash keeps
   * its own, so changing it takes effect as passwords are set. The test suite, which logs in thousands of times, runs
   * at 1024.
   */
  PASSWORD_COST: z.coerce.number().refine(isPasswordCost, `PASSWORD_COST must be a power of two from 1024 to ${MAX_PASSWORD_COST}`).default(DEFAULT_PASSWORD_COST),
  WEB_ROOT: z.string().default(join(repositoryRoot, 'apps/web/dist')),
  /**
   * The persistence bound: updates reach the database within this many
   * milliseconds (plus the write itself). Each write is a statement whose
   * fixed cost dwarfs a row's (PGlite: ~0.8 ms on the event loop for one
   * row, ~0.9 ms for three), so a wider window stores the same changes in
   * fewer statements; "saved" shows a fifth of a second later at most.
   */
  PERSIST_INTERVAL_MS: z.coerce.number().int().min(1).max(1000).default(200),
  COMPACT_AFTER_ROWS: z.coerce.number().int().min(1).default(500),
  COMPACT_EVERY_MS: milliseconds().min(1).default(5 * 60_000),
  UNLOAD_AFTER_MS: milliseconds().min(0).default(30_000),
  /** Once documents have unloaded and nothing has happened on any live document for this long, V8 gives their memory back (0: never). */
  RELEASE_MEMORY_AFTER_MS: milliseconds().min(0).default(5000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Where people reach Hemicycle (e.g. https://hemicycle.example.org): only pages of this origin may change things, and https makes cookies Secure. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** 1 behind a reverse proxy: the client address (for login throttling) is the last X-Forwarded-For entry. */
  TRUST_PROXY: z.enum(['0', '1']).default('0'),
  /**
   * Websockets one session may hold open on an instance (a tab holds one per text it shows): each holds memory and a place in
   * every broadcast, and a hand-written client could open thousands. More are refused (429 too_many_connections).
   */
  MAX_SOCKETS_PER_SESSION: z.coerce.number().int().min(1).default(256),
  /** How often open websockets are pinged; one that has neither answered the previous ping nor sent anything since is closed (its other end is gone). */
  HEARTBEAT_MS: milliseconds().min(100).default(30_000),
  /** How long stopping waits for unsaved changes to reach the database before giving up (and exiting non-zero). */
  SHUTDOWN_TIMEOUT_MS: milliseconds().min(0).default(10_000),
  SEED_DEMO: z.enum(['0', '1']).default('1'),
  /** Several instances behind one address share live documents through Redis pub/sub (redis://host:port); they must share DATABASE_URL too. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** How long a stage change waits for the other instances holding the text to follow before it is refused (503). */
  FENCE_TIMEOUT_MS: milliseconds().min(100).default(10_000),
  FENCE_HEARD_MS: milliseconds().min(1000).default(20_000),
  /** How long the claim of one instance to compose a document's typed text lasts unless renewed (`collab/composer.ts`): after its death, nobody composes for up to this long and a third. */
  COMPOSER_CLAIM_MS: milliseconds().min(300).default(COMPOSER_CLAIM_MS),
  /** A change another instance made and has not said it stored after this long is stored by the instances holding it (its maker died). */
  TAKE_OVER_AFTER_MS: milliseconds().min(100).default(3000),
  /**
   * How long a tab may show other people's changes the server never got (heard on an instance that died before storing
   * them) while their authors do not bring them back; then it is told to open the text afresh (4411).
   */
  LOST_CHANGES_GRACE_MS: milliseconds().min(100).default(LOST_CHANGES_GRACE_MS),
}).refine((env) => !env.REDIS_URL || env.DATABASE_URL, {
  message: 'REDIS_URL needs DATABASE_URL: instances sharing live documents must share one PostgreSQL database (the embedded one belongs to one process)',
  path: ['REDIS_URL'],
})

export type Config = z.infer<typeof Env>

/** Reads the configuration from the environment, failing at start with every problem listed. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n')
    throw new Error(`Invalid configuration:\n${problems}`)
  }
  return parsed.data
}

export const FIXTURE_PATH = join(repositoryRoot, 'fixtures/cohesion-sociale-et-progres.fr.md')
