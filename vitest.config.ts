// Unit and integration tests under Node: core/ with fakes, signaling, Node adapters, CLI.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'signaling/**/*.test.ts', 'adapters/node/**/*.test.ts', 'adapters/browser/staged-name.test.ts', 'cli/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
