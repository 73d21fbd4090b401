import { defineProject } from 'vitest/config'

// The bench's own tools only (its workloads run from `pnpm bench`, not from the tests).
export default defineProject({
  test: { name: 'bench', include: ['src/**/*.test.ts'] },
})
