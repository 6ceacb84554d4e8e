// Lint: TypeScript rules everywhere, and the rule that keeps core/ pure (docs/architecture.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/.work/**', '**/*.svelte', '.test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts', 'core/**/*.fixture.ts'],
    languageOptions: { globals: { ...globals.es2021 } },
    rules: {
      'no-restricted-imports': ['error', {
        // Exact module names, so core's own core/crypto/ stays importable; node:* covers the prefixed forms.
        paths: ['fs', 'fs/promises', 'path', 'os', 'crypto', 'child_process', 'stream', 'buffer', 'worker_threads', 'net', 'http', 'https']
          .map((name) => ({ name, message: 'core/ is platform-free: reach the platform through core/ports.ts.' })),
        patterns: [
          { group: ['node:*'], message: 'core/ is platform-free: reach the platform through core/ports.ts.' },
          { group: ['svelte', 'svelte/*', '**/adapters/**', '**/web/**', '**/workers/**', '**/signaling/**', '**/cli/**', 'idb-keyval', 'comlink'], message: 'core/ never imports an edge; the edges import core.' },
        ],
      }],
      'no-restricted-globals': ['error',
        ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'indexedDB', 'process', 'Buffer', 'crypto', 'fetch', 'setTimeout', 'setInterval', 'self', 'require']
          .map((name) => ({ name, message: `core/ is platform-free: ${name} comes through a port.` })),
      ],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Time comes through the Clock port.' },
        { object: 'Math', property: 'random', message: 'Randomness comes through the Random port.' },
      ],
    },
  },
);
