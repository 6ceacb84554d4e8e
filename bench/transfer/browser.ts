/** One Debian Chromium (persistent profile on disk) with two pages on two origins of the app's server: members A and B. */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { installOpfsPickers } from '../../e2e/support/opfs-pickers.ts';
import { CHROMIUM_ARGS } from '../inventory/app.ts';
import { recordPeerConnections } from './pc-stats.ts';

export interface Pages {
  context: BrowserContext;
  a: Page;
  b: Page;
  /** A's page on http://localhost:port/, B's on http://127.0.0.1:port/: separate storage (OPFS, IndexedDB, localStorage). */
  urls: [string, string];
}

export async function launchPages(profileDir: string, port: number): Promise<Pages> {
  const context = await chromium.launchPersistentContext(profileDir, { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1200, height: 800 }, locale: 'en-US' });
  // tsx (esbuild keepNames) wraps named functions in __name(); functions sent to the page need it defined there.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await context.addInitScript(installOpfsPickers);
  await context.addInitScript(recordPeerConnections);
  await context.addInitScript(() => {
    localStorage.setItem('quintet.lang', 'en');
    localStorage.setItem('quintet.deviceName', location.hostname === 'localhost' ? 'bench-a' : 'bench-b');
  });
  const urls: [string, string] = [`http://localhost:${port}/`, `http://127.0.0.1:${port}/`];
  const a = context.pages()[0] ?? (await context.newPage());
  const b = await context.newPage();
  for (const page of [a, b]) {
    page.on('pageerror', (error) => console.error('[page error]', error));
    page.on('console', (message) => message.type() === 'warning' && console.warn('[page warning]', message.text()));
  }
  await a.goto(urls[0]);
  await b.goto(urls[1]);
  return { context, a, b, urls };
}
