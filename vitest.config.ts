// Unit and integration tests under Node: core/ with fakes, signaling, Node adapters, CLI; and web/ (the page's state
// classes and plain modules such as i18n), compiled by the Svelte plugin so runes work.
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    projects: [
      {
        test: {
          name: 'node',
          include: ['core/**/*.test.ts', 'signaling/**/*.test.ts', 'adapters/node/**/*.test.ts', 'adapters/browser/staged-name.test.ts', 'adapters/browser/blob-file.test.ts', 'adapters/browser/fsa-dir-sink.test.ts', 'adapters/browser/fsa-errors.test.ts', 'adapters/browser/fsa-move.test.ts', 'adapters/browser/source-registry.test.ts', 'cli/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/shared/**/*.test.ts', 'bench/transfer/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        plugins: [svelte()],
        resolve: { conditions: ['browser'] },
        test: { name: 'web', include: ['web/**/*.test.ts'], environment: 'node', testTimeout: 30_000 },
      },
    ],
  },
});
