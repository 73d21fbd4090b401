import { defineProject } from 'vitest/config'

export default defineProject({
  test: { name: 'amendments', include: ['src/**/*.test.ts'] },
})
