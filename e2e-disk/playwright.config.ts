// The real-disk lane: headed Debian Chromium on Xvfb, the native folder chooser, real folders (e2e-disk/README.md).
// Kept apart from e2e/ (OPFS pickers, headless): it needs xvfb and xdotool and drives its own browser over CDP.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_DISK_PORT ?? 8862);

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  // Quiet machine: a whole scenario takes well under a minute; waits are several times that.
  timeout: 600_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  outputDir: '../.test-output/disk-results',
  reporter: process.env.CI ? [['list'], ['json', { outputFile: '../.test-output/playwright-disk.json' }]] : [['list']],
  use: { baseURL: `http://localhost:${port}`, actionTimeout: 60_000 },
  webServer: {
    command: 'npx vite build && npx tsx signaling/node.ts',
    cwd: '..',
    url: `http://localhost:${port}/health`,
    env: { PORT: String(port) },
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
  },
});
