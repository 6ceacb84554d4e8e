/**
 * A target file another tab of the origin holds open (its inventory or its copy reads it through a read-only sync
 * access handle, workers/sync-read.ts) cannot be moved nor removed meanwhile: Chrome answers NoModificationAllowedError.
 * The item fails and the file stays; nothing is left behind. Before, the move fell back to copy then remove: the copy
 * went under `.quintet/versions/`, the removal failed, and that copy (of a large file, as a rule) stayed there, named
 * by no manifest, in no Versions view.
 */
import { test, expect, openLocalSession, inventory, mirror } from './support/fixtures.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';

test('a target locked by another reader fails its item, and leaves no copy under versions', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'src', { 'x.bin': { text: 'the new version\n' } });
  await writeTree(page, 'dst', { 'x.bin': { text: 'the old version, still read elsewhere\n' } });
  const before = await readTree(page, 'dst');
  await openLocalSession(page, ['src', 'dst']);
  await inventory(page);

  // Another reader holds dst/x.bin through a read-only sync access handle, as a second tab's worker does.
  await page.evaluate(async () => {
    const dst = await (await navigator.storage.getDirectory()).getDirectoryHandle('dst');
    const file = await dst.getFileHandle('x.bin');
    const code = "onmessage = async (e) => { const a = await e.data.createSyncAccessHandle({ mode: 'read-only' }); postMessage(a.mode); onmessage = () => { a.close(); postMessage('closed'); }; };";
    const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
    const reply = () => new Promise((resolve) => (worker.onmessage = (e) => resolve(e.data)));
    const opened = reply();
    worker.postMessage(file);
    if ((await opened) !== 'read-only') throw new Error('no read-only handle');
    (window as unknown as { __unlock: () => Promise<unknown> }).__unlock = () => {
      const closed = reply();
      worker.postMessage('close');
      return closed;
    };
  });
  expect(await mirror(page, 'A1', 'A2')).toBe('Synchronization finished with 1 error');
  await page.evaluate(() => (window as unknown as { __unlock: () => Promise<unknown> }).__unlock());

  const after = await readTree(page, 'dst');
  const kept = Object.keys(after.files).filter((p) => p.startsWith('.quintet/versions/'));
  expect(kept).toEqual([]);
  expect(after.files['x.bin']).toBe(before.files['x.bin']);
});
