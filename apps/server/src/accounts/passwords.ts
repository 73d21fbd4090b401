import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto'

/**
 * scrypt's work factor (N) for new hashes: about 50 ms of CPU and 16 MiB a
 * hash. Each hash carries its own N, so hashes made at another cost keep
 * verifying after the setting (PASSWORD_COST) changes.
 */
export const DEFAULT_PASSWORD_COST = 16384
const BLOCK_SIZE = 8
const PARALLELISM = 1
const KEY_LENGTH = 32
/** The largest cost PASSWORD_COST accepts: 64 MiB a hash. */
export const MAX_PASSWORD_COST = 65536

/** What OpenSSL allocates for one hash at the largest cost accepted (128 · r · (N + 2 + p) bytes, 64 MiB and a little). */
const MAX_MEMORY = 128 * BLOCK_SIZE * (MAX_PASSWORD_COST + 2 + PARALLELISM)

function scrypt(password: string, salt: Buffer, N: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFC'), salt, KEY_LENGTH, { N, r: BLOCK_SIZE, p: PARALLELISM, maxmem: MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

/** Whether `n` is a cost PASSWORD_COST accepts and a stored hash may carry. */
export const isPasswordCost = (n: number) => Number.isInteger(n) && n >= 1024 && n <= MAX_PASSWORD_COST && (n & (n - 1)) === 0

/** A hash as stored: `scrypt$N$r$p$salt$key`, salt and key in base64. */
const format = (N: number, salt: Buffer, key: Buffer) => ['scrypt', N, BLOCK_SIZE, PARALLELISM, salt.toString('base64'), key.toString('base64')].join('$')

/** A stored hash's parts, or null for anything this server would not have written (another block size, a short key...). */
function parse(stored: string): { N: number; salt: Buffer; key: Buffer } | null {
  const [scheme, N, r, p, salt, key, ...rest] = stored.split('$')
  if (scheme !== 'scrypt' || rest.length > 0 || !isPasswordCost(Number(N)) || Number(r) !== BLOCK_SIZE || Number(p) !== PARALLELISM) return null
  const [saltBytes, keyBytes] = [Buffer.from(salt ?? '', 'base64'), Buffer.from(key ?? '', 'base64')]
  return saltBytes.length === 16 && keyBytes.length === KEY_LENGTH ? { N: Number(N), salt: saltBytes, key: keyBytes } : null
}

/** Passwords are stored as scrypt hashes (`format`). */
export class Passwords {
  /** A hash that matches nothing, at this cost, checked when the username is unknown so the answer's timing does not tell. */
  private readonly nothing: string

  constructor(private readonly cost = DEFAULT_PASSWORD_COST) {
    if (!isPasswordCost(cost)) throw new Error(`scrypt's cost must be a power of two from 1024 to ${MAX_PASSWORD_COST}, not ${cost}`)
    this.nothing = format(cost, Buffer.alloc(16), Buffer.alloc(KEY_LENGTH))
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16)
    const key = await scrypt(password, salt, this.cost)
    return format(this.cost, salt, key)
  }

  /** Whether `password` is the one `stored` was made from; with no stored hash, false after as long as a check takes. */
  async verify(password: string, stored: string | null | undefined): Promise<boolean> {
    const parsed = parse(stored ?? this.nothing)
    if (!parsed) return false
    const key = await scrypt(password, parsed.salt, parsed.N)
    return timingSafeEqual(key, parsed.key) && stored != null
  }

  /**
   * Whether a stored hash was made at another cost than the configured one. The login hashes the password again when
   * it is right: until then, that account answers in another time than an unknown username, which is checked at the
   * configured cost, and a cost raised to resist guessing would not protect it.
   */
  outdated(stored: string): boolean {
    return parse(stored)?.N !== this.cost
  }
}
