import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const server = process.env['HEMICYCLE_SERVER'] ?? 'http://localhost:8080'

export default defineConfig({
  plugins: [react()],
  server: {
    // `pnpm dev`: the server runs on 8080, the client here with hot reload; same origin for cookies.
    // The Host header is kept, so the server sees requests from this page as its own origin's.
    proxy: {
      '/api': { target: server, changeOrigin: false },
      '/collab': { target: server.replace(/^http/, 'ws'), ws: true },
    },
  },
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
  },
})
