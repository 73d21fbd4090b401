import react from '@vitejs/plugin-react'
import { defineProject } from 'vitest/config'

export default defineProject({
  plugins: [react()],
  test: {
    name: 'web',
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
    // Loaded once a worker, not once a file (48 s of CPU against 14): no file leaves state behind (fake timers undone in
    // a finally), and the files pass in any order (checked with --sequence.shuffle.files).
    isolate: false,
  },
})
