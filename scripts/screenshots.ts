/**
 * `npm run screenshots`: builds the app, serves it on a free port and photographs its main screens in Debian's
 * Chromium, light and dark, into docs/screenshots/ (the README shows them): home, a local session's comparison,
 * the confirmation, the result, and a cloud session of three members. Folders are OPFS folders picked through the
 * real buttons (pickers answered as in e2e). PNGs are squeezed with pngquant when it is installed.
 *
 *   npx tsx scripts/screenshots.ts [--no-build]
 */
import { spawnSync } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { build, CHROMIUM_ARGS, serve } from '../bench/inventory/app.ts';
import { freePort } from '../e2e/support/free-port.ts';
import { installOpfsPickers } from '../e2e/support/opfs-pickers.ts';
import { writeTree, type TreeSpec } from '../e2e/support/opfs-tree.ts';
import { join as joinSession, meshed, startSession } from '../e2e/support/cloud-members.ts';
import { addFolder, inventory as cloudInventory } from '../e2e/support/cloud-run.ts';

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = join(repo, 'docs/screenshots');
const VIEWPORT = { width: 1280, height: 800 };

const SOURCE: TreeSpec = {
  'Lyon/IMG_0001.jpg': { size: 2_400_000, seed: 1 },
  'Lyon/IMG_0002.jpg': { size: 1_900_000, seed: 2 },
  'Nice/IMG_0100.jpg': { size: 3_100_000, seed: 3 },
  'Nice/IMG_0101.jpg': { size: 2_700_000, seed: 4 },
  'notes.txt': { text: 'to sort\n' },
};
const TARGET: TreeSpec = {
  'Lyon/IMG_0001.jpg': { size: 2_400_000, seed: 1 },
  'Lyon/IMG_0002.jpg': { size: 1_900_000, seed: 9 },
  'old.txt': { text: 'old\n' },
};

/** A page of a fresh context in `scheme`, English, with OPFS pickers; `name` is the device name a cloud member shows. */
async function newPage(browser: Browser, url: string, scheme: 'light' | 'dark', name = ''): Promise<Page> {
  const context = await browser.newContext({ baseURL: url, viewport: VIEWPORT, colorScheme: scheme, locale: 'en-US' });
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await context.addInitScript(installOpfsPickers);
  await context.addInitScript((name) => {
    localStorage.setItem('quintet.lang', 'en');
    if (name) localStorage.setItem('quintet.deviceName', name);
  }, name);
  return context.newPage();
}

async function shoot(page: Page, name: string): Promise<void> {
  // No blinking caret or transition caught half-way.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(out, `${name}.png`), animations: 'disabled' });
}

async function local(browser: Browser, url: string, scheme: 'light' | 'dark'): Promise<void> {
  const page = await newPage(browser, url, scheme);
  await page.goto('/');
  await writeTree(page, 'Photos 2025', SOURCE);
  await writeTree(page, 'Backup photos', TARGET);
  await page.getByRole('button', { name: 'Local synchronization' }).waitFor();
  await shoot(page, `${scheme}-home`);
  await page.getByRole('button', { name: 'Local synchronization' }).click();
  for (const [n, folder] of ['Photos 2025', 'Backup photos'].entries()) {
    await page.evaluate((f) => (window as unknown as { __quintetPicks: string[] }).__quintetPicks.push(f), folder);
    await page.getByRole('button', { name: 'Add directory' }).click();
    await page.getByRole('region', { name: 'Member A' }).getByText(`A${n + 1}`, { exact: true }).waitFor();
  }
  await page.getByRole('button', { name: 'Start inventory' }).click();
  await page.getByRole('table', { name: 'Comparison' }).waitFor({ timeout: 120_000 });
  const actions = page.getByRole('region', { name: 'Synchronization actions' });
  await actions.getByLabel('Preset').selectOption('mirror');
  await actions.getByLabel('From').selectOption('A1');
  await actions.getByLabel('To').selectOption('A2');
  await page.getByRole('button', { name: 'Apply preset' }).click();
  await page.getByRole('table', { name: 'Comparison' }).getByText('delete on A2').waitFor();
  await page.getByRole('table', { name: 'Comparison' }).scrollIntoViewIfNeeded();
  await shoot(page, `${scheme}-local-comparison`);
  await page.getByRole('button', { name: 'Start synchronization' }).click();
  await page.getByRole('dialog').waitFor();
  await shoot(page, `${scheme}-confirmation`);
  await page.getByRole('dialog').getByRole('button', { name: 'Synchronize' }).click();
  const heading = page.getByRole('status').getByRole('heading', { level: 2 });
  await heading.filter({ hasText: 'Synchronization complete' }).waitFor({ timeout: 120_000 });
  await heading.scrollIntoViewIfNeeded();
  await shoot(page, `${scheme}-result`);
  await page.context().close();
}

async function cloud(browser: Browser, url: string, scheme: 'light' | 'dark'): Promise<void> {
  const [a, b, c] = await Promise.all(['Alice’s laptop', 'Bob’s desktop', 'Chloé’s laptop'].map((name) => newPage(browser, url, scheme, name)));
  const pages = [a!, b!, c!];
  const { id, password } = await startSession(a!);
  await joinSession(b!, id, password, 'B');
  await joinSession(c!, id, password, 'C');
  for (const page of pages) await meshed(page, 3);
  await writeTree(a!, 'Photos 2025', SOURCE);
  await writeTree(b!, 'Photos 2025', TARGET);
  await writeTree(c!, 'Photos 2025', {});
  for (const [page, letter] of [[a!, 'A'], [b!, 'B'], [c!, 'C']] as const) await addFolder(page, letter, 'Photos 2025');
  await cloudInventory(a!, pages);
  const actions = a!.getByRole('region', { name: 'Synchronization actions' });
  await actions.getByLabel('Preset').selectOption('two-way');
  await a!.getByRole('button', { name: 'Apply preset' }).click();
  await a!.getByRole('button', { name: 'Start synchronization' }).waitFor();
  // The three members and their folders at the top, then the run panel.
  await a!.getByRole('heading', { name: 'Members', exact: true }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shoot(a!, `${scheme}-cloud-session`);
  for (const page of pages) await page.context().close();
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) build(repo);
  await mkdir(out, { recursive: true });
  const port = await freePort();
  const stop = await serve(repo, port);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    for (const scheme of ['light', 'dark'] as const) {
      await local(browser, `http://localhost:${port}`, scheme);
      await cloud(browser, `http://localhost:${port}`, scheme);
      console.log(`${scheme}: done`);
    }
  } finally {
    await browser.close();
    stop();
  }
  const squeeze = spawnSync('pngquant', ['--force', '--skip-if-larger', '--quality=70-95', '--ext', '.png', ...['light', 'dark'].flatMap((s) => ['home', 'local-comparison', 'confirmation', 'result', 'cloud-session'].map((n) => join(out, `${s}-${n}.png`)))], { stdio: 'inherit' });
  if (squeeze.error) console.log('pngquant is not installed: the PNGs stay as Chromium wrote them (apt-get install pngquant).');
  let total = 0;
  for (const s of ['light', 'dark']) for (const n of ['home', 'local-comparison', 'confirmation', 'result', 'cloud-session']) total += (await stat(join(out, `${s}-${n}.png`))).size;
  console.log(`docs/screenshots: 10 PNGs, ${(total / 1024).toFixed(0)} KiB`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
