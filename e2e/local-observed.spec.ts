/**
 * Issue 16: a second inventory looks again only at what FileSystemObserver reported (docs/protocol.md §3.1), in real
 * Chromium on OPFS folders changed outside Quintet, and still sees every change; a synchronization's own writes too.
 */
import type { Page } from '@playwright/test';
import { test, expect, openLocalSession, inventory, mirror } from './support/fixtures.ts';
import { readTree, writeTree, type TreeSpec } from './support/opfs-tree.ts';

type Win = { __quintet: { session: { walkOf(code: string): string | null; inventories: { source: string; stats: { files: number }; items: { path: string; kind: string; size?: number }[] }[] } } };

const walks = (page: Page) => page.evaluate(() => ['A1', 'A2'].map((c) => (window as unknown as Win).__quintet.session.walkOf(c)));

type Change = { write: string; text: string } | { remove: string };

/**
 * Changes the OPFS folder `root` outside Quintet, and returns once a FileSystemObserver of the test's own, started
 * before, has seen every change: Quintet's, observing the same folder, has had them delivered by then too.
 */
async function changeOutside(page: Page, root: string, changes: Change[]): Promise<void> {
  const missed = await page.evaluate(
    async ({ root, changes }) => {
      const top = await (await navigator.storage.getDirectory()).getDirectoryHandle(root);
      const seen = new Set<string>();
      type Rec = { relativePathComponents: string[] };
      type Obs = { observe(h: FileSystemHandle, o: object): Promise<void>; disconnect(): void };
      const Observer = (globalThis as unknown as { FileSystemObserver: new (cb: (r: Rec[]) => void) => Obs }).FileSystemObserver;
      const observer = new Observer((records) => records.forEach((r) => seen.add(r.relativePathComponents.join('/'))));
      await observer.observe(top, { recursive: true });
      const dirOf = async (parts: string[]) => {
        let dir = top;
        for (const part of parts) dir = await dir.getDirectoryHandle(part, { create: true });
        return dir;
      };
      for (const c of changes) {
        const parts = ('write' in c ? c.write : c.remove).split('/');
        const name = parts.pop()!;
        const dir = await dirOf(parts);
        if ('remove' in c) await dir.removeEntry(name);
        else {
          const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
          await w.write(c.text);
          await w.close();
        }
      }
      const wanted = changes.map((c) => ('write' in c ? c.write : c.remove));
      const covered = (p: string) => [...seen].some((s) => s === p || p.startsWith(`${s}/`));
      const until = Date.now() + 30_000;
      while (!wanted.every(covered) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      observer.disconnect();
      return wanted.filter((p) => !covered(p));
    },
    { root, changes },
  );
  expect(missed, 'changes the test observer never saw').toEqual([]);
}

test('a second inventory looks only at what the observer reported, and sees every change made outside', async ({ page }) => {
  await page.goto('/');
  const spec: TreeSpec = {};
  for (let i = 0; i < 20; i++) spec[`docs/d${i}.txt`] = { text: `doc ${i}\n` };
  for (let i = 0; i < 20; i++) spec[`notes/n${i}.txt`] = { text: `note ${i}\n` };
  await writeTree(page, 'src', spec);
  await writeTree(page, 'dst', { 'old.txt': { text: 'old' } });
  await openLocalSession(page, ['src', 'dst']);
  await inventory(page);
  expect(await walks(page)).toEqual(['whole', 'whole']);
  await expect(page.getByText(/watched since the last inventory/)).toHaveCount(0);

  await changeOutside(page, 'src', [
    { write: 'docs/d3.txt', text: 'edited outside Quintet, longer than before' },
    { write: 'new/added.txt', text: 'added outside' },
    { remove: 'notes/n5.txt' },
  ]);
  await inventory(page);
  expect(await walks(page)).toEqual(['partial', 'partial']);
  await expect(page.getByText('A1, A2: watched since the last inventory, only what changed was looked at again')).toBeVisible();
  const table = page.getByRole('table', { name: 'Comparison' });
  await expect(table.getByRole('rowheader', { name: 'new/added.txt', exact: true })).toBeVisible();
  await expect(table.getByRole('rowheader', { name: 'notes/n5.txt', exact: true })).toHaveCount(0);
  // The partial inventory equals the folder as it is now: every file's hash against the test's own read of it.
  const src = await readTree(page, 'src');
  const items = await page.evaluate(() => (window as unknown as Win).__quintet.session.inventories[0]!.items.filter((i) => i.kind === 'file').map((i) => i.path));
  expect(items.sort()).toEqual(Object.keys(src.files).sort());
  const edited = await page.evaluate(() => (window as unknown as Win).__quintet.session.inventories[0]!.items.find((i) => i.path === 'docs/d3.txt'));
  expect(edited?.size).toBe('edited outside Quintet, longer than before'.length);

  // Mirror, then inventory again: the target's own writes are looked at again (partially) and everything is identical.
  expect(await mirror(page, 'A1', 'A2')).toBe('Synchronization complete');
  await changeOutside(page, 'src', [{ remove: 'docs/d0.txt' }]);
  await inventory(page);
  expect(await walks(page)).toEqual(['partial', 'partial']);
  const dst = await readTree(page, 'dst', { skip: '.quintet' });
  const stats = await page.evaluate(() => (window as unknown as Win).__quintet.session.inventories.map((i) => i.stats.files));
  expect(stats).toEqual([Object.keys(src.files).length - 1, Object.keys(dst.files).length]);
  await expect(table.getByRole('rowheader', { name: 'docs/d0.txt', exact: true })).toBeVisible();

  // "Look at every file again": a whole walk, whatever the observer reported.
  await page.getByRole('button', { name: 'Look at every file again' }).click();
  await expect(page.getByRole('button', { name: 'Cancel inventory' })).toHaveCount(0, { timeout: 120_000 });
  await expect.poll(() => walks(page)).toEqual(['whole', 'whole']);
  await expect(page.getByText(/watched since the last inventory/)).toHaveCount(0);
});
