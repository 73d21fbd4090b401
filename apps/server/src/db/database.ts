/**
 * The one storage interface of the server: PostgreSQL's dialect, spoken
 * either by embedded PGlite or by a PostgreSQL server. Rows come back as
 * plain objects; `bytea` as Uint8Array, `timestamptz` as Date, `jsonb` parsed.
 */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>
}

/**
 * A statement run often enough that parsing and planning it each time
 * shows: prepared once per connection. `types` are its parameters' types,
 * in order, as PostgreSQL names them.
 */
export interface Statement {
  readonly name: string
  readonly sql: string
  readonly types: readonly string[]
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  /** Runs a prepared statement: the same rows as `query(statement.sql, params)`. Outside any transaction. */
  run<Row = Record<string, unknown>>(statement: Statement, params: readonly unknown[]): Promise<Row[]>
  /** Runs several statements separated by semicolons (migrations). */
  exec(sql: string): Promise<void>
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>
  /**
   * Takes the lock named `key`, held across every instance sharing this
   * database until the returned function releases it: `exclusive` excludes
   * every other holder, `shared` only exclusive ones.
   */
  lock(key: string, mode: 'exclusive' | 'shared'): Promise<() => Promise<void>>
  close(): Promise<void>
}
