/**
 * Large OPFS files read by the workers through read-only sync access handles (workers/sync-read.ts): the inventory's
 * hashes and a Local Mirror's copy come out right, and a file changed after its snapshot still fails as 'changed',
 * the check the handle's reads need (a stale File snapshot's read fails by itself, a handle reads whatever is there).
 * The page holds a chosen worker request while the test changes the file; the workers' Blob reads are made to fail
 * ('io', never 'changed'), so what passes went through the handle.
 */
import type { Page } from '@playwright/test';
import { test, expect, openLocalSession, inventory, mirror } from './support/fixtures.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';

const MiB = 1024 * 1024;

interface HoldWindow {
  __hold: 'hash' | 'copy' | null;
  __held: boolean;
  __release: () => void;
  __sources: number;
  __hooked?: boolean;
}

/** The page's next hashBlob (hash worker) or 'copy' (write worker) message waits until `release(page)`. */
async function holdNext(page: Page, kind: 'hash' | 'copy'): Promise<void> {
  await page.evaluate((kind) => {
    const w = window as unknown as HoldWindow;
    if (!w.__hooked) {
      w.__hooked = true;
      w.__sources = 0;
      const held = new Map<Worker, Array<[unknown, Transferable[] | undefined]>>();
      const post = Worker.prototype.postMessage as (this: Worker, message: unknown, transfer?: Transferable[]) => void;
      Worker.prototype.postMessage = function (this: Worker, message: unknown, transfer?: Transferable[]) {
        const m = message as { path?: string[]; argumentList?: Array<{ value?: unknown }>; op?: string; source?: unknown };
        const kindOf = m?.path?.[0] === 'hashBlob' ? 'hash' : m?.op === 'copy' ? 'copy' : null;
        const source = kindOf === 'hash' ? m.argumentList?.[2]?.value : m?.source;
        if (source instanceof FileSystemFileHandle) w.__sources++;
        // While one is held, the worker's later messages wait behind it: they must arrive in the order sent.
        const queue = held.get(this);
        if (queue) return void queue.push([message, transfer]);
        if (kindOf === null || kindOf !== w.__hold) return post.call(this, message, transfer);
        w.__hold = null;
        w.__held = true;
        held.set(this, [[message, transfer]]);
        w.__release = () => {
          for (const [m, t] of held.get(this) ?? []) post.call(this, m, t);
          held.delete(this);
        };
      } as typeof Worker.prototype.postMessage;
    }
    w.__held = false;
    w.__hold = kind;
  }, kind);
}

/** Waits for the held message, makes the workers' Blob reads fail, then runs `meanwhile` and lets the message go. */
async function whileHeld(page: Page, meanwhile: () => Promise<void>): Promise<void> {
  await page.waitForFunction(() => (window as unknown as HoldWindow).__held);
  const workers = page.workers().filter((w) => /(hash|opfs-write)-worker/.test(w.url()));
  expect(workers.length).toBeGreaterThan(0);
  for (const worker of workers) {
    await worker.evaluate(() => {
      for (const name of ['arrayBuffer', 'stream', 'slice'] as const) {
        Object.defineProperty(Blob.prototype, name, { configurable: true, value: () => { throw new DOMException('a Blob read, in a test that allows none', 'EncodingError'); } });
      }
    });
  }
  await meanwhile();
  await page.evaluate(() => (window as unknown as HoldWindow).__release());
}

function sources(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as HoldWindow).__sources);
}

function inventoryErrors(page: Page): Promise<Array<{ source: string; errors: Array<{ path: string; code: string; message: string }> }>> {
  return page.evaluate(() =>
    (window as unknown as { __quintet: { session: { inventories: Array<{ source: string; errors: Array<{ path: string; code: string; message: string }> }> } } }).__quintet.session.inventories.map((i) => ({ source: i.source, errors: i.errors })),
  );
}

test('a 20 MiB file is hashed and mirrored through sync handles, every byte right', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'src', { 'big.bin': { size: 20 * MiB + 12_345, seed: 5 } });
  await writeTree(page, 'dst', {});
  await openLocalSession(page, ['src', 'dst']);

  await holdNext(page, 'hash');
  const inventoried = inventory(page);
  await whileHeld(page, async () => undefined);
  await inventoried;
  expect(await inventoryErrors(page)).toEqual([{ source: 'A1', errors: [] }, { source: 'A2', errors: [] }]);

  await holdNext(page, 'copy');
  const mirrored = mirror(page, 'A1', 'A2');
  await whileHeld(page, async () => undefined);
  expect(await mirrored).toBe('Synchronization complete');
  // One handle sent for the hash, one with the copy's first range (of three), none with the others.
  expect(await sources(page)).toBe(2);
  expect((await readTree(page, 'dst', { skip: '.quintet' })).files).toEqual((await readTree(page, 'src')).files);
});

test('a file rewritten between its snapshot and its hashing is reported changed by the sync-handle read', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'src', { 'big.bin': { size: 3 * MiB, seed: 3 } });
  await writeTree(page, 'dst', {});
  await openLocalSession(page, ['src', 'dst']);

  await holdNext(page, 'hash');
  const inventoried = inventory(page);
  // The walk took the snapshot; the same size, other bytes, before the worker reads it.
  await whileHeld(page, () => writeTree(page, 'src', { 'big.bin': { size: 3 * MiB, seed: 4 } }));
  await inventoried;
  const [a1, a2] = await inventoryErrors(page);
  expect(a1!.errors).toEqual([{ path: 'big.bin', code: 'changed', message: expect.stringContaining('changed while read') }]);
  expect(a2!.errors).toEqual([]);
});

test('a source touched after the engine checked it and before the copy read it fails as changed, not copied', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'src', { 'big.bin': { size: 3 * MiB, seed: 6 }, 'small.txt': { text: 's\n' } });
  await writeTree(page, 'dst', {});
  const source = await readTree(page, 'src');
  await openLocalSession(page, ['src', 'dst']);
  await inventory(page);

  await holdNext(page, 'copy');
  const mirrored = mirror(page, 'A1', 'A2');
  // The same bytes written again: only its time moves, so the block hashes the engine checks still match. The
  // handle's check (size and time against the snapshot's) is all that sees it, as a stale snapshot's read would.
  await whileHeld(page, () => writeTree(page, 'src', { 'big.bin': { size: 3 * MiB, seed: 6 } }));
  expect(await mirrored).toBe('Synchronization finished with 1 error');
  await expect(page.getByRole('status')).toContainText('A2/big.bin: changed since the inventory');
  const after = await readTree(page, 'dst', { skip: '.quintet' });
  expect(after.files).toEqual({ 'small.txt': source.files['small.txt'] });
  const quintet = await readTree(page, 'dst/.quintet').catch(() => ({ files: {} }));
  expect(Object.keys(quintet.files).filter((p) => p.startsWith('tmp/'))).toEqual([]);
});
