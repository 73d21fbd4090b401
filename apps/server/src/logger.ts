/** One JSON line per event on stderr; quiet below the configured level. */
export type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent'

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

function serialise(value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value
}

export function createLogger(level: Level): Logger {
  const log = (at: Exclude<Level, 'silent'>) => (message: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[at] < ORDER[level]) return
    const entry = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, serialise(value)]))
    process.stderr.write(`${JSON.stringify({ at: new Date().toISOString(), level: at, message, ...entry })}\n`)
  }
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
}
