/**
 * The browser member's write path under a user working in the same folders during a run, and under Chrome refusing a
 * write: what is saved at the wrong moment is never erased unkept (adapters/browser/fsa-move.ts, staged-writer.ts), and
 * a refused file fails alone (fsa-errors.ts). Saves and refusals come from the page at a chosen call to the File System
 * Access API (a hook on its prototype), so the race is hit every time.
 */
import type { Page } from '@playwright/test';
import { test, expect, openLocalSession, inventory, mirror } from './support/fixtures.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';

/**
 * The OPFS write worker made unusable, as in a browser without sync handles: files go through StagedWriter, the path of
 * every folder picked on disk.
 */
async function withoutOpfsWorker(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Native = window.Worker;
    window.Worker = class extends Native {
      constructor(url: string | URL, options?: WorkerOptions) {
        if (options?.name?.startsWith('quintet-opfs-write')) throw new Error('no OPFS write worker in this test');
        super(url, options);
      }
    };
  });
}

/**
 * The page's first close() of a writable file does `what` first: `save`, the user's editor saving dst/doc.txt (its own
 * writer closes normally); `abort`, Chrome's refusal of the file (AbortError, the write discarded).
 */
async function onFirstClose(page: Page, what: 'save' | 'abort'): Promise<void> {
  await page.evaluate((what) => {
    const proto = FileSystemWritableFileStream.prototype;
    const original = proto.close;
    let armed = true;
    proto.close = async function (this: FileSystemWritableFileStream) {
      if (!armed) return original.call(this);
      armed = false;
      if (what === 'abort') {
        await this.abort();
        throw new DOMException('Write operation blocked by Safe Browsing.', 'AbortError');
      }
      const dst = await (await navigator.storage.getDirectory()).getDirectoryHandle('dst');
      const w = await (await dst.getFileHandle('doc.txt', { create: true })).createWritable();
      await w.write('the editor saved this\n');
      await w.close();
      return original.call(this);
    };
  }, what);
}

/** Every file of `tree` whose content hash is `hash`, by path. */
function withHash(tree: { files: Record<string, string> }, hash: string): string[] {
  return Object.keys(tree.files).filter((p) => tree.files[p] === hash).sort();
}

test('a file saved into a folder while Mirror keeps that folder as a version is not erased', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'src', { 'keep.txt': { text: 'k\n' } });
  await writeTree(page, 'dst', { 'keep.txt': { text: 'k\n' }, 'old/a.txt': { text: 'a\n' }, 'old/deep/b.txt': { text: 'b\n' } });
  await writeTree(page, 'ref', { 'saved.txt': { text: 'saved during the run\n' } });
  const saved = (await readTree(page, 'ref')).files['saved.txt']!;
  const before = await readTree(page, 'dst');

  await openLocalSession(page, ['src', 'dst']);
  await inventory(page);
  // The user saves dst/old/saved.txt just as Quintet removes `old` (kept under versions, Mirror's deletion).
  await page.evaluate(() => {
    const proto = FileSystemDirectoryHandle.prototype;
    const original = proto.removeEntry;
    let armed = true;
    proto.removeEntry = async function (this: FileSystemDirectoryHandle, name: string, options?: FileSystemRemoveOptions) {
      if (armed && name === 'old') {
        armed = false;
        const dst = await (await navigator.storage.getDirectory()).getDirectoryHandle('dst');
        const file = await (await dst.getDirectoryHandle('old')).getFileHandle('saved.txt', { create: true });
        const w = await file.createWritable();
        await w.write('saved during the run\n');
        await w.close();
      }
      return original.call(this, name, options);
    };
  });

  const headline = await mirror(page, 'A1', 'A2');
  const after = await readTree(page, 'dst');
  // The save survives (it was erased with the folder before).
  expect(withHash(after, saved)).toHaveLength(1);
  // The folder is left as it was, with the save: the deletion fails and says so, the next run plans it again.
  expect(after.files['old/saved.txt']).toBe(saved);
  for (const path of ['old/a.txt', 'old/deep/b.txt']) expect(withHash(after, before.files[path]!)).toEqual([path]);
  expect(headline).toBe('Synchronization finished with 1 error');
  await expect(page.getByRole('status')).toContainText('A2/old');
  expect(after.dirs.filter((d) => /^\.quintet\/versions\/[^/]+\/old/.test(d))).toEqual([]); // no half-kept tree left behind
  expect(Object.keys(after.files).filter((p) => p.startsWith('.quintet/tmp/'))).toEqual([]);
});

test('a file of a folder moved to versions that cannot go back (a save took its old path) is named in the run’s manifest', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'src', { 'keep.txt': { text: 'k\n' }, 'new.txt': { text: 'n\n' } });
  await writeTree(page, 'dst', { 'keep.txt': { text: 'k\n' }, 'old/a.txt': { text: 'old a\n' }, 'old/b.txt': { text: 'b\n' } });
  await openLocalSession(page, ['src', 'dst']);
  await inventory(page);
  // Right after Chrome's move() takes old/a.txt into versions, the user saves a new old/a.txt: the folder's removal
  // fails, and a.txt cannot go back over the save.
  await page.evaluate(() => {
    const proto = FileSystemFileHandle.prototype as FileSystemFileHandle & { move(dir: FileSystemDirectoryHandle, name: string): Promise<void> };
    const original = proto.move;
    let armed = true;
    proto.move = async function (this: FileSystemFileHandle, dir: FileSystemDirectoryHandle, name: string) {
      const result = await original.call(this, dir, name);
      if (armed && name === 'a.txt') {
        armed = false;
        const dst = await (await navigator.storage.getDirectory()).getDirectoryHandle('dst');
        const w = await (await (await dst.getDirectoryHandle('old')).getFileHandle('a.txt', { create: true })).createWritable();
        await w.write('saved during the run\n');
        await w.close();
      }
      return result;
    };
  });
  expect(await mirror(page, 'A1', 'A2')).toBe('Synchronization finished with 1 error');
  const found = await page.evaluate(async () => {
    const q = await (await (await navigator.storage.getDirectory()).getDirectoryHandle('dst')).getDirectoryHandle('.quintet');
    const manifests: string[] = [];
    for await (const [, h] of (await q.getDirectoryHandle('runs')).entries()) if (h.kind === 'file') manifests.push(await (await (h as FileSystemFileHandle).getFile()).text());
    const entries = manifests.flatMap((m) => (JSON.parse(m) as { entries: Array<{ path: string; kept?: { path: string } }> }).entries);
    const kept = entries.find((e) => e.path === 'old')?.kept?.path;
    let text: string | null = null;
    if (kept) {
      let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('dst');
      for (const part of kept.split('/')) dir = await dir.getDirectoryHandle(part);
      text = await (await (await dir.getFileHandle('a.txt')).getFile()).text();
    }
    return { paths: entries.map((e) => e.path).sort(), text };
  });
  expect(found).toEqual({ paths: ['new.txt', 'old'], text: 'old a\n' });
  const after = await readTree(page, 'dst');
  expect(Object.keys(after.files).filter((p) => p.startsWith('old/')).sort()).toEqual(['old/a.txt', 'old/b.txt']);
});

test('without move(), a file saved after its copy to versions is not removed: the save stays, the copy is its kept version', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'src', { 'keep.txt': { text: 'k\n' } });
  await writeTree(page, 'dst', { 'keep.txt': { text: 'k\n' }, 'old.txt': { text: 'old\n' } });
  await writeTree(page, 'ref', { 'old.txt': { text: 'old\n' }, 'saved.txt': { text: 'saved after the copy\n' } });
  const ref = (await readTree(page, 'ref')).files;
  await openLocalSession(page, ['src', 'dst']);
  await inventory(page);
  // A Chrome without FileSystemHandle.move() (the copy-then-remove fallback); the user saves old.txt just after the
  // copy to versions is closed, before the original is removed.
  await page.evaluate(() => {
    delete (FileSystemHandle.prototype as { move?: unknown }).move;
    delete (FileSystemFileHandle.prototype as { move?: unknown }).move;
    // The copy's writable, wrapped: Chrome's close() (its swap file renamed, a Safe Browsing check on disk: up to
    // seconds) is when the save lands. pipeTo() closes it through the stream, not through close() on the prototype.
    const proto = FileSystemFileHandle.prototype;
    const original = proto.createWritable;
    let armed = true;
    proto.createWritable = async function (this: FileSystemFileHandle, options?: FileSystemCreateWritableOptions) {
      const real = await original.call(this, options);
      if (!armed || this.name !== 'old.txt') return real;
      armed = false;
      const writer = real.getWriter();
      return new WritableStream({
        write: (chunk) => writer.write(chunk),
        abort: (reason) => writer.abort(reason),
        close: async () => {
          await writer.close();
          const dst = await (await navigator.storage.getDirectory()).getDirectoryHandle('dst');
          const w = await original.call(await dst.getFileHandle('old.txt'), {});
          await w.write('saved after the copy\n');
          await w.close();
        },
      }) as unknown as FileSystemWritableFileStream;
    };
  });
  const headline = await mirror(page, 'A1', 'A2');
  const after = await readTree(page, 'dst');
  expect(headline).toBe('Synchronization finished with 1 error');
  expect(after.files['old.txt']).toBe(ref['saved.txt']);
  expect(withHash(after, ref['old.txt']!).filter((p) => p.startsWith('.quintet/versions/'))).toHaveLength(1);
});

test('a save landing on the target while a staged copy is closed is kept, not replaced unseen (folder written by createWritable)', async ({ page }) => {
  await withoutOpfsWorker(page);
  await page.goto('/');
  await writeTree(page, 'src', { 'doc.txt': { text: 'from the source\n' } });
  await writeTree(page, 'dst', { 'doc.txt': { text: 'the target before\n' } });
  await writeTree(page, 'ref', { 'doc.txt': { text: 'the editor saved this\n' } });
  const edit = (await readTree(page, 'ref')).files['doc.txt']!;

  await openLocalSession(page, ['src', 'dst']);
  await inventory(page);
  // The user's editor saves dst/doc.txt while Chrome closes Quintet's staged file (its swap file, its type check).
  await onFirstClose(page, 'save');

  await mirror(page, 'A1', 'A2');
  const after = await readTree(page, 'dst');
  // The save is in place or under versions (the target before it was the user's to overwrite).
  expect(withHash(after, edit)).toHaveLength(1);
  expect(Object.keys(after.files).filter((p) => p.startsWith('.quintet/tmp/'))).toEqual([]);
});

test('a write Chrome aborts (a Safe Browsing verdict on close) fails that file alone, not the run as if the user had stopped it', async ({ page }) => {
  await withoutOpfsWorker(page);
  await page.goto('/');
  const files = Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [`${n}.txt`, { text: `${n}\n` }]));
  await writeTree(page, 'src', files);
  await writeTree(page, 'dst', {});
  await openLocalSession(page, ['src', 'dst']);
  await inventory(page);
  // Chrome rejects close() with an AbortError when its download protection blocks the file; a headless Chromium never
  // does, so the first staged file's close answers as Chrome would.
  await onFirstClose(page, 'abort');
  expect(await mirror(page, 'A1', 'A2')).toBe('Synchronization finished with 1 error');
  const after = await readTree(page, 'dst', { skip: '.quintet' });
  expect(Object.keys(after.files)).toHaveLength(3);
  await expect(page.getByRole('status')).toContainText(/A2\/[abcd]\.txt: read or write error/);
});

/**
 * Records, in the order the page asks for them, the write worker's 'flush' and 'commit' requests for a file of `size`
 * bytes and every move of a handle named `name` (keeping the target as a version is one; the worker writes OPFS files
 * and moves the staged copy, the page moves the target). At that move it also notes the size of each file staged in
 * dst/.quintet/tmp/, as the page reads it: what a tab closed right then would leave beside the target kept as a version.
 */
async function recordWriteOrder(page: Page, name: string, size: number): Promise<void> {
  await page.addInitScript(([name, size]) => {
    const timeline: string[] = [];
    (window as unknown as { timeline: string[] }).timeline = timeline;
    const post = Worker.prototype.postMessage as (this: Worker, message: unknown, transfer?: Transferable[]) => void;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, transfer?: Transferable[]) {
      const m = message as { op?: string; size?: number };
      if ((m?.op === 'flush' || m?.op === 'commit') && m.size === size) timeline.push(m.op);
      return post.call(this, message, transfer ?? []);
    } as typeof Worker.prototype.postMessage;
    // Chromium defines move() on FileSystemFileHandle and FileSystemDirectoryHandle themselves, not on FileSystemHandle.
    const proto = FileSystemFileHandle.prototype as unknown as { move: (...args: unknown[]) => Promise<void> };
    const move = proto.move;
    proto.move = async function (this: FileSystemHandle, ...args: unknown[]) {
      if (this.name === name) {
        timeline.push(`move ${name}`);
        const dst = await (await navigator.storage.getDirectory()).getDirectoryHandle('dst');
        const tmp = await dst.getDirectoryHandle('.quintet').then((q) => q.getDirectoryHandle('tmp')).catch(() => null);
        if (!tmp) timeline.push('nothing staged');
        for await (const entry of (tmp as unknown as { values(): AsyncIterable<FileSystemFileHandle> } | null)?.values() ?? []) {
          timeline.push(`staged ${await entry.getFile().then((f) => f.size, (e: Error) => e.name)}`);
        }
      }
      return move.apply(this, args);
    };
  }, [name, size] as const);
}

for (const [label, name, size] of [['A large file', 'big.bin', 4 * 1024 * 1024], ['A small file', 'small.bin', 10_000]] as const) {
  test(`${label} bound for OPFS is flushed, closed and its size checked (whole in .quintet/tmp/) before its target is moved to versions`, async ({ page }) => {
    await recordWriteOrder(page, name, size);
    await page.goto('/');
    await writeTree(page, 'src', { [name]: { size, seed: 11 } });
    await writeTree(page, 'dst', { [name]: { text: 'the target before\n' } });
    const [source, target] = [(await readTree(page, 'src')).files[name]!, (await readTree(page, 'dst')).files[name]!];
    await openLocalSession(page, ['src', 'dst']);
    await inventory(page);
    expect(await mirror(page, 'A1', 'A2')).toBe('Synchronization complete');
    // Flushed and checked, so that when the target is kept as a version the whole file already lies closed in
    // .quintet/tmp/; then the staged copy is moved into place (by the worker, at its commit).
    expect(await page.evaluate(() => (window as unknown as { timeline: string[] }).timeline)).toEqual(['flush', `move ${name}`, `staged ${size}`, 'commit']);
    const after = await readTree(page, 'dst');
    expect(after.files[name]).toBe(source);
    expect(withHash(after, target)).toHaveLength(1); // the target before, under versions
  });
}

test('files a closed tab left staged in a folder are shown when it is added and removed by Remove now, the user’s files untouched', async ({ page }) => {
  await page.goto('/');
  await writeTree(page, 'src', { 'doc.txt': { text: 'same\n' } });
  // What a tab closed mid-run leaves: staged copies in .quintet/tmp/ (names as adapters/browser/staged-name.ts makes
  // them), beside the user's files, a version kept by an earlier run and a folder of the user's that is also named tmp.
  await writeTree(page, 'dst', {
    'doc.txt': { text: 'same\n' },
    'notes/tmp.txt': { text: 'mine\n' },
    'tmp/draft.txt': { text: 'mine too\n' },
    '.quintet/versions/20261130-120000/old.txt': { text: 'kept\n' },
    '.quintet/tmp/m3x1a-0-k2.txt': { size: 1000, seed: 3 },
    '.quintet/tmp/m3x1b-1-q9.bin': { size: 2500, seed: 4 },
  });
  const before = await readTree(page, 'dst');
  await openLocalSession(page, ['src', 'dst']);
  const line = page.locator('.leftovers', { hasText: 'A2:' });
  const text = 'A2: an interrupted synchronization (a tab closed or reloaded) left 2 half-written files (3.5 kB) in .quintet/tmp/';
  await expect(line).toContainText(text); // as soon as the folder is added
  await inventory(page);
  await expect(line).toContainText(text);
  await expect(page.locator('.leftovers')).toHaveCount(1); // A1 holds none
  await line.getByRole('button', { name: 'Remove now' }).click();
  await expect(page.locator('.leftovers')).toHaveCount(0);
  const after = await readTree(page, 'dst');
  const kept = Object.fromEntries(Object.entries(before.files).filter(([path]) => !path.startsWith('.quintet/tmp/')));
  expect(after.files).toEqual(kept);
  // An inventory after it finds nothing staged.
  await inventory(page);
  await expect(page.getByText(/Inventory complete/)).toBeVisible();
  await expect(page.locator('.leftovers')).toHaveCount(0);
});
