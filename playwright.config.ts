// e2e in Debian's Chromium (never Playwright's download): one browser context per member.
import { defineConfig } from '@playwright/test';
import { E2E_ADMIN_TOKEN } from './e2e/support/admin-token.ts';

const port = Number(process.env.E2E_PORT ?? 8797);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['json', { outputFile: '.test-output/playwright.json' }]] : [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'npx vite build && npx tsx signaling/node.ts',
    url: `http://localhost:${port}/health`,
    // Every member of every spec comes from 127.0.0.1, like one very busy user: the per-address session-create limit
    // (10, then 1 a minute) would refuse the suite's ~17 sessions when it runs fast. The limit itself is tested in
    // signaling/ (behaviour suite, Node and workerd).
    // QUINTET_ADMIN_TOKEN: the blocked-addresses page (e2e/blocked-admin.spec.ts) lists and clears blocks with it.
    // QUINTET_RESUME_GRACE_MS: a closed tab holds its slot this long before it counts as gone (a reload comes back well
    // within it); shorter than the 60 s default so specs that close a member's tab see it leave in time.
    env: { PORT: String(port), QUINTET_SESSION_CREATE_RATE_BURST: '1000', QUINTET_ADMIN_TOKEN: E2E_ADMIN_TOKEN, QUINTET_RESUME_GRACE_MS: '15000' },
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
