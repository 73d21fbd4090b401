import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', '.tools/**', '**/test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Packages are pure: they never reach into an app, nor do I/O.
    files: ['packages/**/*.ts'],
    ignores: ['packages/**/*.test.ts', 'packages/*/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@hemicycle/server', '@hemicycle/web', '**/apps/**'], message: 'packages/ must not import an app.' },
            { group: ['node:*', 'fs', 'net', 'http', 'ws', 'pg', '@electric-sql/*', 'hono', 'hono/*', 'react', 'react-dom'], message: 'packages/ hold pure logic; do I/O in apps/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
)
