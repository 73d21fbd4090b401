import { writeFileSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { migrate } from '../src/db/migrations.ts'
import { pgliteDatabase } from '../src/db/pglite.ts'

/**
 * Writes to the file given as argument a dump of an embedded database with
 * the schema in place, which every test server's new embedded database then
 * starts as (PGLITE_TEMPLATE): a copy loads in about a second, where
 * creating a cluster and migrating it took three to four. Run in a process
 * of its own: creating a cluster grows PGlite's memory for good.
 */
const [file] = process.argv.slice(2)
if (!file) throw new Error('usage: pgliteTemplate.ts <file>')
const pg = new PGlite('memory://')
await migrate(pgliteDatabase(pg))
writeFileSync(file, Buffer.from(await (await pg.dumpDataDir('gzip')).arrayBuffer()))
await pg.close()
