import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto'

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

function scrypt(password: string, salt: Buffer, keyLength: number, options: Required<Pick<ScryptOptions, 'N' | 'r' | 'p'>>): Promise<Buffer> {
  // What OpenSSL allocates (128 · r · (N + 2 + p) bytes), which Node's default limit (32 MiB) is below from N = 32768.
  const maxmem = 128 * options.r * (options.N + 2 + options.p)
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFC'), salt, keyLength, { ...options, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

/** Passwords are stored as scrypt hashes: `scrypt$N$r$p$salt$hash`, salt and hash in base64. */
export class Passwords {
  /** A hash that matches nothing, at this cost, checked when the username is unknown so the answer's timing does not tell. */
  private readonly nothing: string

  constructor(private readonly cost = DEFAULT_PASSWORD_COST) {
    this.nothing = ['scrypt', cost, BLOCK_SIZE, PARALLELISM, Buffer.alloc(16).toString('base64'), Buffer.alloc(KEY_LENGTH).toString('base64')].join('$')
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16)
    const key = await scrypt(password, salt, KEY_LENGTH, { N: this.cost, r: BLOCK_SIZE, p: PARALLELISM })
    return ['scrypt', this.cost, BLOCK_SIZE, PARALLELISM, salt.toString('base64'), key.toString('base64')].join('$')
  }

  /** Whether `password` is the one `stored` was made from; with no stored hash, false after as long as a check takes. */
  async verify(password: string, stored: string | null | undefined): Promise<boolean> {
    const [scheme, N, r, p, salt, hash] = (stored ?? this.nothing).split('$')
    if (scheme !== 'scrypt' || !N || !r || !p || !salt || !hash || Number(N) > MAX_PASSWORD_COST) return false
    const expected = Buffer.from(hash, 'base64')
    const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(N), r: Number(r), p: Number(p) })
    return timingSafeEqual(key, expected) && stored != null
  }
}
