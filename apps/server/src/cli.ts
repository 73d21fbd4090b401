import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { NewAccount } from '@hemicycle/protocol'
import { createAccount } from './accounts/administration.ts'
import { Passwords } from './accounts/passwords.ts'
import { readConfig } from './config.ts'
import { openDatabase } from './db/open.ts'
import { importDocx } from './documents/docxImport.ts'
import { importMarkdown, markdownText } from './documents/markdownImport.ts'
import { ApiError } from './http/errors.ts'

/**
 * `pnpm hemicycle <command>`: administration from the shell, against the
 * same database the server uses (DATA_DIR or DATABASE_URL). With PGlite,
 * stop the server first: the embedded database has one user at a time.
 */
const USAGE = `Usage:
  pnpm hemicycle import <file> [--tracked-changes=accept|reject]
      create a draft resolution from a Markdown file with front matter, or a Word .docx
      (a .docx with pending tracked changes needs the option; what the text could not keep is listed on stderr)
  pnpm hemicycle create-secretariat <username> <full name>
      create a secretariat account, for a deployment started with SEED_DEMO=0; the password is the first
      line of standard input when one is piped in, otherwise a new one is made and printed once`

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv
  const option = args.find((arg) => arg.startsWith('--tracked-changes='))?.split('=')[1]
  const files = args.filter((arg) => !arg.startsWith('--'))
  if (command === 'import' && files.length === 1 && (option === undefined || option === 'accept' || option === 'reject')) {
    const path = resolve(process.env['INIT_CWD'] ?? process.cwd(), files[0]!)
    const bytes = readFileSync(path)
    const config = readConfig()
    const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, template: config.PGLITE_TEMPLATE })
    try {
      const { resolution, warnings } = /\.docx$/i.test(path)
        ? await importDocx(db, new Uint8Array(bytes), basename(path), { by: null, now: new Date(), ...(option ? { trackedChanges: option } : {}) })
        : await importMarkdown(db, markdownText(bytes, basename(path)), { by: null, now: new Date() })
      for (const warning of warnings) process.stderr.write(`hemicycle: ${warning.message}\n`)
      process.stdout.write(`${JSON.stringify({ id: resolution.id, title: resolution.title, stage: resolution.stage })}\n`)
      return 0
    } finally {
      await db.close()
    }
  }
  if (command === 'create-secretariat' && files.length >= 2) {
    const piped = process.stdin.isTTY ? '' : readFileSync(0, 'utf8').split(/\r?\n/)[0]!
    const password = piped || randomBytes(15).toString('base64url')
    const parsed = NewAccount.safeParse({ username: files[0], name: files.slice(1).join(' '), role: 'secretariat', delegationId: null, password })
    if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '))
    const config = readConfig()
    const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, template: config.PGLITE_TEMPLATE })
    try {
      const account = await createAccount({ db, passwords: new Passwords(config.PASSWORD_COST) }, null, parsed.data)
      process.stdout.write(`${JSON.stringify({ id: account.id, username: account.username, name: account.name, ...(piped ? {} : { password }) })}\n`)
      return 0
    } finally {
      await db.close()
    }
  }
  process.stderr.write(`${USAGE}\n`)
  return 2
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`hemicycle: ${error instanceof ApiError ? error.message : (error as Error).message}\n`)
    process.exit(1)
  },
)
