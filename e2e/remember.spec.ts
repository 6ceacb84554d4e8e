/**
 * Issue 14, remembered: in a persistent profile the Local Session's folders and settings come back after a reload, with
 * one "Restore access" click where the browser asks again (none where it still grants), a Mirror then runs right; a
 * folder gone meanwhile is shown with Remove; "Forget these folders" clears it all. axe on the restored screen.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, chromium, type BrowserContext, type Page } from '@playwright/test';
import { installOpfsPickers } from './support/opfs-pickers.ts';
import { inventory, mirror, pick } from './support/fixtures.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Models a browser that forgot its grants across the reload (Chrome without "Allow on every visit"): the folders named
 * in localStorage['e2e.askAgain'] answer 'prompt' until requestPermission is called, which (as in Chrome) throws
 * without a user gesture. `window.__rememberAsked` lists the folders asked for, each with whether a click was active.
 */
function askAgainAfterReload(): void {
  const names = new Set<string>(JSON.parse(localStorage.getItem('e2e.askAgain') ?? '[]'));
  const granted = new Set<string>();
  const asked: string[] = [];
  (window as unknown as { __rememberAsked: string[] }).__rememberAsked = asked;
  for (const proto of [FileSystemDirectoryHandle.prototype, FileSystemFileHandle.prototype] as unknown as Array<Record<string, (...a: unknown[]) => Promise<PermissionState>>>) {
    const query = proto.queryPermission!;
    const request = proto.requestPermission!;
    proto.queryPermission = async function (this: FileSystemHandle, ...args: unknown[]) {
      if (names.has(this.name) && !granted.has(this.name)) return 'prompt';
      return query.apply(this, args);
    };
    proto.requestPermission = async function (this: FileSystemHandle, ...args: unknown[]) {
      if (names.has(this.name) && !granted.has(this.name)) {
        const active = navigator.userActivation.isActive;
        asked.push(`${this.name}${active ? '' : ' (no click)'}`);
        if (!active) throw new DOMException('User activation is required to request permissions.', 'SecurityError');
        granted.add(this.name);
        return 'granted';
      }
      return request.apply(this, args);
    };
  }
}

async function expectAccessible(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const grave = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(grave, `axe on "${screen}"`).toEqual([]);
}

let profile = '';
let context: BrowserContext | null = null;

test.beforeEach(async ({ baseURL }) => {
  profile = await mkdtemp(join(tmpdir(), 'quintet-remember-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS, baseURL, viewport: { width: 1200, height: 900 }, locale: 'en-US' });
  await context.addInitScript(installOpfsPickers);
  await context.addInitScript(askAgainAfterReload);
});

test.afterEach(async () => {
  await context?.close();
  context = null;
  await rm(profile, { recursive: true, force: true });
});

async function openPage(): Promise<Page> {
  const page = context!.pages()[0] ?? (await context!.newPage());
  page.on('pageerror', (error) => console.error('[page error]', error));
  await page.goto('/');
  return page;
}

/**
 * What the page has remembered (IndexedDB 'quintet-session'), read from the page: the page saves after each change,
 * asynchronously, so a test that reloads first waits until the change is stored (a loaded machine can be slower than
 * the reload).
 */
async function stored(page: Page): Promise<{ sources: string[]; settings: Record<string, unknown> } | null> {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open('quintet-session');
        open.onerror = () => resolve(null);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('local')) return resolve(null);
          const all = db.transaction('local').objectStore('local').getAll();
          all.onsuccess = () => {
            const record = all.result[0] as { profile?: { sources: string[]; settings: Record<string, unknown> } } | undefined;
            resolve(record?.profile ? { sources: record.profile.sources, settings: record.profile.settings } : null);
            db.close();
          };
        };
      }),
  );
}

const member = (page: Page) => page.getByRole('region', { name: 'Member A' });
const remembered = (page: Page) => page.getByRole('region', { name: 'Folders from your last visit' });

test('two folders and a setting come back after a reload with one Restore access click; a Mirror then runs with them', async () => {
  const page = await openPage();
  await writeTree(page, 'rem-src', { 'a.txt': { text: 'a\n' }, 'sub/b.txt': { text: 'b\n' }, 'debug.log': { text: 'noise\n' }, 'same.txt': { text: 'same\n' } });
  await writeTree(page, 'rem-dst', { 'same.txt': { text: 'same\n' }, 'old.txt': { text: 'old\n' } });
  await page.getByRole('button', { name: 'Local synchronization' }).click();
  await pick(page, 'Add directory', 'rem-src');
  await pick(page, 'Add directory', 'rem-dst');
  await expect(member(page).getByText('A2', { exact: true })).toBeVisible();
  await page.getByLabel('Exclusion patterns').fill('*.log');
  await page.getByLabel('Exclusion patterns').blur();
  await expect.poll(async () => (await stored(page))?.settings.exclusionPatterns, { timeout: 30_000 }).toEqual(['*.log']);

  // The browser forgets the grants over the reload: the page must ask, within a click.
  await page.evaluate(() => localStorage.setItem('e2e.askAgain', JSON.stringify(['rem-src', 'rem-dst'])));
  await page.reload();
  await expect(remembered(page)).toBeVisible();
  await expect(remembered(page)).toContainText('rem-src');
  await expect(remembered(page)).toContainText('rem-dst');
  await expect(page.getByLabel('Exclusion patterns')).toHaveValue('*.log'); // settings need no access: back at once
  await expect(member(page).getByText('A1', { exact: true })).toHaveCount(0);
  await expectAccessible(page, 'local, remembered folders waiting for access');

  await remembered(page).getByRole('button', { name: 'Restore access' }).click();
  await expect(member(page).getByText('A2', { exact: true })).toBeVisible();
  const lines = await member(page).getByRole('listitem').allTextContents();
  expect(lines.map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([expect.stringMatching(/^A1 Directory rem-src/), expect.stringMatching(/^A2 Directory rem-dst/)]);
  expect(await page.evaluate(() => (window as unknown as { __rememberAsked: string[] }).__rememberAsked)).toEqual(['rem-src', 'rem-dst']);
  await expect(remembered(page)).toContainText('The folders of your last visit are back.');
  await expectAccessible(page, 'local, remembered folders back');

  await inventory(page);
  expect(await mirror(page, 'A1', 'A2')).toBe('Synchronization complete');
  const dst = await readTree(page, 'rem-dst');
  expect(Object.keys(dst.files).filter((p) => !p.startsWith('.quintet/')).sort()).toEqual(['a.txt', 'same.txt', 'sub/b.txt']);
  // old.txt was deleted, so kept: the result names the versions folder, on A2 only.
  await expect(page.getByRole('status')).toContainText(/Replaced and deleted items are in \.quintet\/versions\/\S+ of A2\./);
});

test('without a prompt the folders come back by themselves; a gone one shows with Remove; a run that replaced nothing names no versions folder; Forget clears it', async () => {
  const page = await openPage();
  await writeTree(page, 'g-one', { 'x.txt': { text: 'x\n' } });
  await writeTree(page, 'g-two', { 'y.txt': { text: 'y\n' } });
  await writeTree(page, 'g-three', {});
  await page.getByRole('button', { name: 'Local synchronization' }).click();
  for (const folder of ['g-one', 'g-two', 'g-three']) await pick(page, 'Add directory', folder);
  await expect(member(page).getByText('A3', { exact: true })).toBeVisible();
  await page.getByLabel('Analysis mode').selectOption('checksum');
  await expect.poll(async () => (await stored(page))?.settings.analysisMode, { timeout: 30_000 }).toBe('checksum');
  await page.evaluate(async () => (await navigator.storage.getDirectory()).removeEntry('g-two', { recursive: true }));

  await page.reload();
  await expect(member(page).getByText('A2', { exact: true })).toBeVisible();
  await expect(member(page).getByText('g-one')).toBeVisible();
  await expect(member(page).getByText('g-three')).toBeVisible();
  await expect(member(page).getByText('A3', { exact: true })).toHaveCount(0);
  await expect(page.getByLabel('Analysis mode')).toHaveValue('checksum');
  await expect(remembered(page)).toContainText('g-two: no longer found');
  await expect(remembered(page).getByRole('button', { name: 'Restore access' })).toHaveCount(0);
  await remembered(page).getByRole('button', { name: 'Remove g-two' }).click();
  await expect(remembered(page)).not.toContainText('g-two');

  // Only a copy into an empty folder: nothing replaced or deleted, so no versions folder is named.
  await inventory(page);
  expect(await mirror(page, 'A1', 'A2')).toBe('Synchronization complete');
  await expect(page.getByRole('status')).toContainText('1 action done');
  await expect(page.getByRole('status')).not.toContainText('.quintet/versions');
  // A folder added under the removed one's code shows none of its figures.
  await writeTree(page, 'g-empty', {});
  await member(page).getByRole('button', { name: 'Remove A2' }).click();
  await pick(page, 'Add directory', 'g-empty');
  await expect(member(page).getByRole('listitem').filter({ hasText: 'g-empty' })).not.toContainText('file');
  await expect(page.getByRole('status')).not.toContainText('action done');
  await expect.poll(async () => (await stored(page))?.sources, { timeout: 30_000 }).toEqual(['g-one', 'g-empty']);

  await page.reload();
  await expect(member(page).getByText('g-empty')).toBeVisible();
  await expect(remembered(page)).not.toContainText('g-two');
  await remembered(page).getByRole('button', { name: 'Forget these folders' }).click();
  await expect(member(page).getByText('No directory or file yet.')).toBeVisible();
  await page.reload();
  await expect(member(page)).toBeVisible();
  await expect(remembered(page)).toHaveCount(0);
  await expect(member(page).getByRole('listitem')).toHaveCount(0);
});
