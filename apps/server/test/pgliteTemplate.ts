import { writeFileSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { openPGlite } from '../src/db/pglite.ts'
import { migrate } from '../src/db/migrations.ts'
import { pgliteDatabase } from '../src/db/pglite.ts'

/**
 * Writes to the file given as argument a dump of an embedded database with
 * the schema in place, which every test server's new embedded database then
 * starts as (PGLITE_TEMPLATE): a copy loads in about a second, where
 * creating a cluster and migrating it took three to four. The same database
 * is laid out in the directory given second, for new databases on disk: its
 * files are copied in about 0.3 s. Run in a process of its own: creating a
 * cluster grows PGlite's memory for good.
 */
const [file, directory] = process.argv.slice(2)
if (!file || !directory) throw new Error('usage: pgliteTemplate.ts <file> <directory>')
const pg = new PGlite('memory://')
await migrate(pgliteDatabase(pg))
// Not compressed: each of the run's few hundred test databases loads it, and PGlite decompressed gzip through a web
// stream, about 0.3 s of CPU a load.
writeFileSync(file, Buffer.from(await (await pg.dumpDataDir('none')).arrayBuffer()))
await pg.close()
await (await openPGlite(directory, file)).close()
