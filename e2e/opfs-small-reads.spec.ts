/**
 * Small files are read by the hash worker a group at a time, as one Blob of their File snapshots
 * (workers/hash-worker.ts `hashBlobs`): every file's hashes and kept bytes come out its own, and one file changed
 * after its snapshot fails alone as 'changed' — the group's read fails whole, and is read again file by file.
 * The page holds the hash workers' batches until the walk has taken every snapshot, then the test rewrites a file.
 */
import type { Page } from '@playwright/test';
import { test, expect, openLocalSession, inventory, mirror } from './support/fixtures.ts';
import { readTree, writeTree, type TreeSpec } from './support/opfs-tree.ts';

interface HoldWindow {
  __snapshots: number;
  __heldNames: string[];
  __release: () => void;
}

/** Counts `getFile()` snapshots and holds every `hashBlobs` message to a worker until `__release()`. */
async function holdBatches(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as HoldWindow;
    w.__snapshots = 0;
    w.__heldNames = [];
    const getFile = FileSystemFileHandle.prototype.getFile;
    FileSystemFileHandle.prototype.getFile = function (this: FileSystemFileHandle) {
      w.__snapshots++;
      return getFile.call(this);
    };
    const post = Worker.prototype.postMessage as (this: Worker, message: unknown, transfer?: Transferable[]) => void;
    const held: Array<[Worker, unknown, Transferable[] | undefined]> = [];
    let holding = true;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, transfer?: Transferable[]) {
      const m = message as { path?: string[]; argumentList?: Array<{ value?: Array<{ blob?: File }> }> };
      if (!holding || m?.path?.[0] !== 'hashBlobs') return post.call(this, message, transfer);
      for (const item of m.argumentList?.[0]?.value ?? []) if (item.blob) w.__heldNames.push(item.blob.name);
      held.push([this, message, transfer]);
    } as typeof Worker.prototype.postMessage;
    w.__release = () => {
      holding = false;
      for (const [worker, message, transfer] of held.splice(0)) post.call(worker, message, transfer);
    };
  });
}

function inventoryErrors(page: Page): Promise<Array<{ source: string; errors: Array<{ path: string; code: string }> }>> {
  return page.evaluate(() =>
    (window as unknown as { __quintet: { session: { inventories: Array<{ source: string; errors: Array<{ path: string; code: string }> }> } } }).__quintet.session.inventories.map((i) => ({
      source: i.source,
      errors: i.errors.map(({ path, code }) => ({ path, code })),
    })),
  );
}

const FILES = 60;
function smallTree(seed: number): TreeSpec {
  const spec: TreeSpec = {};
  for (let i = 0; i < FILES; i++) spec[`f${String(i).padStart(2, '0')}.txt`] = { size: 100 + ((i * 977) % 9000), seed: seed + i };
  return spec;
}

test('sixty small files read in groups: each hashed and mirrored byte for byte', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'src', smallTree(1));
  await writeTree(page, 'dst', {});
  await openLocalSession(page, ['src', 'dst']);
  await inventory(page);
  expect(await inventoryErrors(page)).toEqual([{ source: 'A1', errors: [] }, { source: 'A2', errors: [] }]);
  // A Local Mirror copies small files from the bytes the inventory kept: a group's bytes cut back into each file's.
  expect(await mirror(page, 'A1', 'A2')).toBe('Synchronization complete');
  expect((await readTree(page, 'dst', { skip: '.quintet' })).files).toEqual((await readTree(page, 'src')).files);
});

test('one small file rewritten after its snapshot fails alone as changed, the rest of its group is hashed', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'src', smallTree(1));
  await writeTree(page, 'dst', {});
  await openLocalSession(page, ['src', 'dst']);

  await holdBatches(page);
  const inventoried = inventory(page);
  await page.waitForFunction((n) => (window as unknown as HoldWindow).__snapshots >= n, FILES);
  // The first batches went out one file at a time while the walk began; the later files wait in one batch, sent on
  // release: the file changed is among those, so its group holds many files.
  const held = await page.evaluate(() => (window as unknown as HoldWindow).__heldNames);
  const changed = Object.keys(smallTree(1)).filter((name) => !held.includes(name)).at(-1)!;
  expect(changed).toBeTruthy();
  await writeTree(page, 'src', { [changed]: { size: 100, seed: 999 } });
  await page.evaluate(() => (window as unknown as HoldWindow).__release());
  await inventoried;
  expect(await inventoryErrors(page)).toEqual([{ source: 'A1', errors: [{ path: changed, code: 'changed' }] }, { source: 'A2', errors: [] }]);

  expect(await mirror(page, 'A1', 'A2')).toMatch(/^Synchronization (complete|finished)/);
  const source = (await readTree(page, 'src')).files;
  const copied = (await readTree(page, 'dst', { skip: '.quintet' })).files;
  delete source[changed];
  delete copied[changed];
  expect(copied).toEqual(source);
  expect(Object.keys(copied)).toHaveLength(FILES - 1);
});
