import { defineProject } from 'vitest/config'

export default defineProject({
  // Pure modules with no state between files: loaded once a worker, not once a file.
  test: { name: 'protocol', include: ['src/**/*.test.ts'], isolate: false },
})
