import { readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'

/**
 * `pnpm --filter @hemicycle/server build`: the server as plain JavaScript in
 * `dist/`, so production runs on `node` with no TypeScript loader (which
 * would cost start-up time and memory). The server's own dependencies stay
 * in node_modules, loaded as published; the workspace's packages (TypeScript
 * source) and what they depend on are bundled in, since pnpm lets the server
 * resolve only its own dependencies.
 */
const root = fileURLToPath(new URL('.', import.meta.url))
const own = Object.keys((JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { dependencies: Record<string, string> }).dependencies)
const packageName = (path: string) => path.split('/').slice(0, path.startsWith('@') ? 2 : 1).join('/')

const ownDependenciesOutside: Plugin = {
  name: 'own-dependencies-outside',
  setup(context) {
    context.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('node:') || (own.includes(packageName(args.path)) && !args.path.startsWith('@hemicycle/')) ? { path: args.path, external: true } : undefined,
    )
  },
}

rmSync(`${root}dist`, { recursive: true, force: true })
await build({
  absWorkingDir: root,
  // The import reading, export and language version threads' modules sit beside the chunks that start them (`documents/jobThread.ts`).
  entryPoints: {
    main: 'src/main.ts',
    cli: 'src/cli.ts',
    importReaderThread: 'src/documents/importReaderThread.ts',
    exportThread: 'src/documents/exportThread.ts',
    versionMakerThread: 'src/documents/versionMakerThread.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  conditions: ['source'],
  plugins: [ownDependenciesOutside],
  // Bundled CommonJS packages call require() for Node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
})
