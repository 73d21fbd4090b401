import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { describe, expect, it } from 'vitest'
import { freshPostgresUrl } from '../../test/harness.ts'
import type { Database } from './database.ts'
import { openDatabase } from './open.ts'
import { openPGlite } from './pglite.ts'

// Beside the other files, unlike pglite.test.ts, which measures time: nothing here does.
describe('what "saved" survives', () => {
  // The README says so: saved on PGlite survives the process, not the machine; a PostgreSQL server flushes each commit.
  it('is in the operating system’s hands on PGlite (fsync off); with a PostgreSQL server, each commit waits for its flush (synchronous_commit on)', { timeout: 60_000 }, async () => {
    const settings = async (db: Database) => {
      const [fsync] = await db.query<{ fsync: string }>('show fsync')
      const [commit] = await db.query<{ synchronous_commit: string }>('show synchronous_commit')
      return { fsync: fsync!.fsync, commit: commit!.synchronous_commit }
    }
    const embedded = await openPGlite('memory://')
    const server = await openDatabase({ url: await freshPostgresUrl(), dataDir: 'memory://' })
    try {
      expect(await settings(embedded)).toEqual({ fsync: 'off', commit: 'on' })
      // fsync is the server's own setting (the tests' throwaway cluster turns it off for speed); Hemicycle's sessions never relax commits.
      expect((await settings(server)).commit).toBe('on')
    } finally {
      await embedded.close()
      await server.close()
    }
  })
})

describe('a template for new embedded databases (PGLITE_TEMPLATE)', () => {
  it('starts a new database, in memory or in a new directory, as a copy of the dump or of a closed cluster\'s directory, and leaves an existing one as it is', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hemicycle-template-test-'))
    try {
      const source = new PGlite('memory://')
      await source.exec(`create table marker (word text); insert into marker values ('modèle')`)
      const template = join(dir, 'template.tar.gz')
      writeFileSync(template, Buffer.from(await (await source.dumpDataDir('gzip')).arrayBuffer()))
      await source.close()
      const marker = async (db: Database) => (await db.query<{ word: string }>('select word from marker'))[0]?.word

      const inMemory = await openPGlite('memory://', template)
      expect(await marker(inMemory)).toBe('modèle')
      await inMemory.close()

      const onDisk = join(dir, 'data')
      const first = await openPGlite(onDisk, template)
      expect(await marker(first)).toBe('modèle')
      await first.query(`update marker set word = 'amendé'`)
      await first.close()
      // Only its owner may read it, as initdb leaves a cluster.
      expect(statSync(onDisk).mode & 0o777).toBe(0o700)
      // Opened again, with the template or without: the directory's own data, not a copy of the dump over it.
      for (const again of [template, undefined]) {
        const reopened = await openPGlite(onDisk, again)
        expect(await marker(reopened)).toBe('amendé')
        await reopened.close()
      }

      // A copy cut short (the process killed while laying it out) leaves no PG_VERSION: the next start lays it out again.
      const cutShort = join(dir, 'cut-short')
      mkdirSync(join(cutShort, 'base'), { recursive: true })
      writeFileSync(join(cutShort, 'postgresql.conf'), 'half')
      const resumed = await openPGlite(cutShort, template)
      expect(await marker(resumed)).toBe('modèle')
      await resumed.close()

      // A closed cluster's directory as the template: its files are copied, and it is never opened itself.
      const folder = join(dir, 'folder-template')
      await (await openPGlite(folder, template)).close()
      const fromFolder = join(dir, 'from-folder')
      const copied = await openPGlite(fromFolder, folder)
      expect(await marker(copied)).toBe('modèle')
      await copied.query(`update marker set word = 'copié'`)
      await copied.close()
      expect(statSync(fromFolder).mode & 0o777).toBe(0o700)
      const again = await openPGlite(join(dir, 'from-folder-again'), folder)
      expect(await marker(again)).toBe('modèle')
      await again.close()
      // In memory only a dump can be loaded; a directory that holds no cluster is no template.
      await expect(openPGlite('memory://', folder)).rejects.toThrow(/a database in memory starts from a dump/)
      mkdirSync(join(dir, 'not-a-cluster'))
      await expect(openPGlite(join(dir, 'from-nothing'), join(dir, 'not-a-cluster'))).rejects.toThrow(/without PG_VERSION/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
