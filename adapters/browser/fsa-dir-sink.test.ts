import { describe, expect, it } from 'vitest';
import { FsaDirSink } from './fsa-dir-sink.ts';
import { FakeDir } from './fake-fsa.ts';

const MiB = 1024 * 1024;

/** A directory handle holding files in memory, counting the bytes read through Blob.slice (calls to the browser in Chrome). */
function folder(files: Record<string, File>) {
  const counter = { sliced: 0 };
  const counted = new WeakSet<File>();
  const fileHandle = (name: string) => ({
    kind: 'file' as const,
    name,
    getFile: async () => {
      const file = files[name];
      if (!file) throw Object.assign(new Error('gone'), { name: 'NotFoundError' });
      if (counted.has(file)) return file;
      counted.add(file);
      const slice = file.slice.bind(file);
      file.slice = (start?: number, end?: number) => ((counter.sliced += (end ?? file.size) - (start ?? 0)), slice(start, end));
      return file;
    },
  });
  const dir = {
    kind: 'directory' as const,
    name: 'root',
    getFileHandle: async (name: string) => {
      if (!files[name]) throw Object.assign(new Error('gone'), { name: 'NotFoundError' });
      return fileHandle(name);
    },
    removeEntry: async (name: string) => void delete files[name],
  };
  return { dir: dir as unknown as FileSystemDirectoryHandle, counter };
}

function content(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i += 4096) out[i] = (i / 4096 + seed) & 255;
  return out;
}

describe('FsaDirSink.open of a large file, once per request (as a block server does)', () => {
  it('hands the same open file back while size and time hold, so its read windows serve every request: each byte read about once', async () => {
    const data = content(32 * MiB, 1);
    const { dir, counter } = folder({ 'big.bin': new File([data], 'big.bin', { lastModified: 1000 }) });
    const sink = new FsaDirSink(dir);
    const block = 512 * 1024;
    for (let off = 0; off < data.length; off += 2 * block) {
      const file = await sink.open('big.bin'); // one request: two blocks
      for (const at of [off, off + block]) expect(Buffer.from(await file.read(at, block)).equals(Buffer.from(data.subarray(at, at + block)))).toBe(true);
    }
    // One fresh file per request read 8 MiB and 8 MiB ahead for each 1 MiB asked: 16 times the file.
    expect(counter.sliced).toBeLessThanOrEqual(data.length + 2 * block);
  });

  it('opens the file anew once it changed, and after it was removed', async () => {
    const files: Record<string, File> = { 'big.bin': new File([content(4 * MiB, 1)], 'big.bin', { lastModified: 1000 }) };
    const { dir } = folder(files);
    const sink = new FsaDirSink(dir);
    const first = await sink.open('big.bin');
    expect(await sink.open('big.bin')).toBe(first);
    const changed = content(4 * MiB, 2);
    files['big.bin'] = new File([changed], 'big.bin', { lastModified: 2000 });
    const second = await sink.open('big.bin');
    expect(second).not.toBe(first);
    expect(Buffer.from(await second.read(0, 4096)).equals(Buffer.from(changed.subarray(0, 4096)))).toBe(true);
    await sink.remove('big.bin', { recursive: false });
    files['big.bin'] = new File([changed], 'big.bin', { lastModified: 2000 }); // same size and time, another file
    expect(await sink.open('big.bin')).not.toBe(second);
  });

  it('does not keep small files open (one request reads them whole)', async () => {
    const { dir } = folder({ 's.txt': new File([content(64 * 1024, 3)], 's.txt', { lastModified: 5 }) });
    const sink = new FsaDirSink(dir);
    expect(await sink.open('s.txt')).not.toBe(await sink.open('s.txt'));
  });
});

describe('FsaDirSink on a folder whose disk was unmounted since it was listed (its handle now the empty mount point)', () => {
  it('makes nothing at its root: the folders and files a run would write there fail as not found, for the whole folder', async () => {
    const root = new FakeDir('disk');
    root.put('old.txt', 'old');
    root.put('docs/a.txt', 'a');
    const sink = new FsaDirSink(root as unknown as FileSystemDirectoryHandle);
    expect((await sink.list('')).map((e) => e.name).sort()).toEqual(['docs', 'old.txt']);
    root.children.clear(); // unmounted: the mount point left, empty
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string; path?: string }) => `${e.code} ${e.path}`);
    expect(await code(sink.mkdir('.quintet/versions/r'))).toBe('not-found ');
    expect(await code(sink.mkdir('new'))).toBe('not-found ');
    expect(await code(sink.createWriter('top.txt'))).toBe('not-found ');
    // A delete's move to versions, or a removal, of an item listed at the root: the root gone, not the item.
    expect(await code(sink.move('old.txt', 'elsewhere.txt'))).toBe('not-found ');
    expect(await code(sink.remove('old.txt', { recursive: false }))).toBe('not-found ');
    expect(await root.tree()).toEqual({});
  });

  it('still writes at its root once one item it listed there is found (a file the user removed meanwhile is not an unmount)', async () => {
    const root = new FakeDir('disk');
    root.put('old.txt', 'old');
    root.put('keep.txt', 'k');
    const sink = new FsaDirSink(root as unknown as FileSystemDirectoryHandle);
    await sink.list('');
    root.children.delete('old.txt');
    await sink.mkdir('new');
    expect(await root.tree()).toEqual({ 'keep.txt': 'k', 'new/': '' });
  });

  it('still writes at its root after a run moved every item it listed there to versions (a Mirror replacing it all)', async () => {
    const root = new FakeDir('disk');
    root.put('a.txt', 'a');
    const sink = new FsaDirSink(root as unknown as FileSystemDirectoryHandle);
    await sink.list('');
    await sink.mkdir('.quintet/versions/r');
    await sink.move('a.txt', '.quintet/versions/r/a.txt');
    await sink.mkdir('c');
    expect(await root.tree()).toEqual({ '.quintet/versions/r/a.txt': 'a', 'c/': '' });
  });
});
