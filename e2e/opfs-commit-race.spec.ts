/**
 * The OPFS writer vouches for what it committed (workers/opfs-write-worker.ts, FileWriter.commit): its word must be
 * about the file it moved into place, not about whatever stands at the path a moment later. Here another writer of the
 * origin (a second tab, say) saves the path right after the worker's move; that save must stay where it is.
 */
import { test, expect, openLocalSession, inventory, mirror } from './support/fixtures.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';

const SAVE = 'a save made right after the commit, longer than both versions\n';

async function sha256(text: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(text).digest('hex');
}

test('a save landing at the path just after the OPFS commit stays, not removed as a corrupt copy', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'src', { 'warm.txt': { text: 'starts the write workers\n' } });
  await writeTree(page, 'dst', {});
  await openLocalSession(page, ['src', 'dst']);
  await inventory(page);
  expect(await mirror(page, 'A1', 'A2')).toBe('Synchronization complete');

  await writeTree(page, 'src', { 'a.txt': { text: 'the new version\n' } });
  await writeTree(page, 'dst', { 'a.txt': { text: 'old\n' } });
  const workers = page.workers().filter((w) => /opfs-write-worker/.test(w.url()));
  expect(workers.length).toBeGreaterThan(0);
  for (const worker of workers) {
    await worker.evaluate((save) => {
      type Movable = FileSystemFileHandle & { move(dir: FileSystemDirectoryHandle, name: string): Promise<void> };
      const proto = FileSystemFileHandle.prototype as Movable;
      const move = proto.move;
      proto.move = async function (this: Movable, dir: FileSystemDirectoryHandle, name: string) {
        await move.call(this, dir, name);
        if (name !== 'a.txt') return;
        // Another writer of the origin saves the file at once (in place, as an editor without a swap file does).
        interface SyncAccess { truncate(size: number): void; write(bytes: Uint8Array, options: { at: number }): number; flush(): void; close(): void }
        const file = (await dir.getFileHandle(name)) as FileSystemFileHandle & { createSyncAccessHandle(): Promise<SyncAccess> };
        const access = await file.createSyncAccessHandle();
        access.truncate(0);
        access.write(new TextEncoder().encode(save), { at: 0 });
        access.flush();
        access.close();
      };
    }, SAVE);
  }
  await inventory(page);
  expect(await mirror(page, 'A1', 'A2')).toBe('Synchronization complete');
  const after = await readTree(page, 'dst', { skip: '.quintet' });
  // Before: the size taken at the path after the move was the save's, 'corrupt', and the save was removed, 'old' put back.
  expect(after.files['a.txt']).toBe(await sha256(SAVE));
  const kept = await readTree(page, 'dst/.quintet/versions');
  expect(Object.entries(kept.files).filter(([path]) => path.endsWith('/a.txt')).map(([, hash]) => hash)).toEqual([await sha256('old\n')]);
});
