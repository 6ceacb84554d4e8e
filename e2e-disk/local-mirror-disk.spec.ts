/**
 * Issue 9, real disk: Local Mirror A1 → A2 between two real folders picked through Chrome's native chooser, with the
 * permission bubbles accepted for real. After the run, `diff -r` agrees on everything a page can see, the target's
 * prior contents are under .quintet/versions/<run>/, nothing staged is left, and the page says what it cannot see.
 */
import { test, expect, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDesktop, type Desktop } from './support/desktop.ts';
import { acceptBubbleWhenShown, pickFolder, screenshot } from './support/chooser.ts';
import { FIFO, INVISIBLE, snapshot, writeSource, writeTarget } from './support/disk-tree.ts';
import { chooseMirror } from '../e2e/support/mirror-preset.ts';

const SMALL = 300;
const BIG = 20 * 1000 * 1000;

let desktop: Desktop;
let root: string;
let src: string;
let dst: string;

test.beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'quintet-lane-'));
  src = join(root, 'src');
  dst = join(root, 'dst');
  mkdirSync(src);
  mkdirSync(dst);
  writeSource(src, { small: SMALL, bigBytes: BIG });
  writeTarget(dst, { bigBytes: BIG });
  desktop = await startDesktop();
});

test.afterAll(async () => {
  await desktop?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** What a page can see of the source: regular files and folders, minus refused names; the FIFO as an empty file. */
function visibleSource(): Map<string, string> {
  const seen = snapshot(src);
  for (const name of INVISIBLE) seen.delete(name);
  seen.set(FIFO, createHash('sha256').update('').digest('hex'));
  return seen;
}

async function addFolder(page: Page, path: string, code: string): Promise<void> {
  const member = page.getByRole('region', { name: 'Member A' });
  await pickFolder(desktop, { button: member.getByRole('button', { name: 'Add directory' }), picked: member.getByText(code, { exact: true }), path });
}

test('Mirror A1 → A2 on real disk through the native chooser: diff -r agrees on all a page can see, and the page says what it cannot', async () => {
  const page = desktop.page;
  page.on('pageerror', (error) => console.error('[page error]', error));
  const before = snapshot(dst);
  const sourceBefore = snapshot(src);
  const visible = visibleSource();

  await page.goto(test.info().project.use.baseURL!);
  await page.getByRole('button', { name: 'Local synchronization' }).click();
  await addFolder(page, src, 'A1');
  await addFolder(page, dst, 'A2');

  // Where folders are chosen, the page says plainly what it cannot see.
  const note = page.getByRole('note', { name: 'Not visible to the browser' });
  await expect(note).toBeVisible();
  await expect(note).toContainText('links');

  await page.getByRole('button', { name: /^(Start inventory|Start inventory again)$/ }).click();
  const table = page.getByRole('table', { name: 'Comparison' });
  await expect(table).toBeVisible({ timeout: 180_000 });
  await expect(page.getByRole('button', { name: 'Cancel inventory' })).toHaveCount(0, { timeout: 180_000 });
  // Chrome lists neither links nor refused names: no row for them; the FIFO is listed (as an empty file).
  // Past 200 rows the grid holds only the rows in view: each name is looked for through the filter.
  const filter = page.getByLabel('Filter');
  const rowsNamed = async (name: string) => {
    await filter.fill(name);
    return table.getByRole('rowheader', { name, exact: true });
  };
  for (const name of INVISIBLE) await expect(await rowsNamed(name)).toHaveCount(0);
  await expect(await rowsNamed(FIFO)).toHaveCount(1);
  await expect(await rowsNamed('unicode/日本語/ファイル.txt')).toHaveCount(1);
  await filter.fill('');

  await chooseMirror(page, 'A1', 'A2');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  const started = Date.now();
  await dialog.getByRole('button', { name: 'Synchronize' }).click({ noWaitAfter: true });
  // Folders are picked for reading; write access to A2 is asked now, in Chrome's bubble. Accept it for real.
  const asked = await acceptBubbleWhenShown(desktop, 20_000);
  const heading = page.getByRole('status').getByRole('heading').first();
  try {
    await expect(heading).toHaveText(/^Synchronization (complete|finished.*|stopped|failed.*)$/, { timeout: 300_000 });
  } catch (error) {
    console.error(`no result; screen: ${screenshot(desktop)}`);
    throw error;
  }
  console.log(`mirror took ${((Date.now() - started) / 1000).toFixed(1)} s (write permission bubble: ${asked ? 'accepted' : 'not shown'})`);
  await expect(heading).toHaveText('Synchronization complete');

  // The target holds exactly what the page saw, byte for byte (NFC and NFD names kept apart).
  const after = snapshot(dst, '.quintet');
  expect([...after.keys()].sort()).toEqual([...visible.keys()].sort());
  for (const [path, hash] of visible) expect(after.get(path), path).toBe(hash);

  // diff -r lists only what the page cannot see: Quintet's own folder, links and refused names, and the FIFO that
  // Chrome reads as an empty file (the target gets an empty regular file; diff reports the type, not the bytes).
  const diff = spawnSync('diff', ['-r', '--no-dereference', src, dst], { encoding: 'utf8', timeout: 60_000 });
  const lines = diff.stdout.split('\n').filter(Boolean).sort();
  const expected = [
    `Only in ${dst}: .quintet`,
    ...INVISIBLE.map((name) => `Only in ${src}: ${name}`),
    `File ${join(src, FIFO)} is a fifo while file ${join(dst, FIFO)} is a regular empty file`,
  ].sort();
  expect(lines).toEqual(expected);

  // Everything the target held before is in place or under .quintet/versions/<run>/.
  const runs = readdirSync(join(dst, '.quintet/versions'));
  expect(runs).toHaveLength(1);
  const kept = snapshot(join(dst, '.quintet/versions', runs[0]!));
  for (const [path, hash] of before) {
    if (after.get(path) === hash) continue;
    expect(kept.get(path), `${path} kept under versions`).toBe(hash);
  }
  // Nothing staged is left behind.
  const staging = join(dst, '.quintet/tmp');
  expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);
  // The source is untouched, its links and FIFO included.
  expect(snapshot(src)).toEqual(sourceBefore);
  expect(INVISIBLE.filter((name) => lstatSync(join(src, name), { throwIfNoEntry: false }) === undefined)).toEqual([]);
  expect(lstatSync(join(src, FIFO)).isFIFO()).toBe(true);

  type Win = { __quintet: { session: { walkOf(code: string): string | null } } };
  const walks = () => page.evaluate(() => ['A1', 'A2'].map((c) => (window as unknown as Win).__quintet.session.walkOf(c)));
  // Changed on disk outside the browser, the folders are inventoried again: Chrome's FileSystemObserver (inotify here)
  // reports the changes, so the inventory looks only at those (docs/protocol.md §3.1) and still sees each of them.
  // The first inventory after the run walks A2 whole (the run wrote more paths than the notes hold), then both are observed.
  const again = page.getByRole('button', { name: /^(Start inventory|Start inventory again)$/ });
  await again.click();
  await expect(page.getByRole('button', { name: 'Cancel inventory' })).toHaveCount(0, { timeout: 120_000 });
  expect(await walks()).toEqual(['partial', 'whole']);
  writeFileSync(join(src, 'observed-new.txt'), 'created outside the browser');
  writeFileSync(join(dst, 'observed-target.txt'), 'created in the target outside the browser');
  await expect
    .poll(
      async () => {
        await again.click();
        await expect(page.getByRole('button', { name: 'Cancel inventory' })).toHaveCount(0, { timeout: 120_000 });
        await filter.fill('observed-');
        return (await table.getByRole('rowheader').allTextContents()).sort();
      },
      { timeout: 60_000, intervals: [500, 1000, 2000] },
    )
    .toEqual(['observed-new.txt', 'observed-target.txt']);
  expect(await walks()).toEqual(['partial', 'partial']);
  await filter.fill('');
});

