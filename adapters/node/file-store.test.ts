import { afterAll, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore } from './file-store.ts';
import { removeTempDirs, tempDir } from './temp-tree.ts';
import { loadIndex, saveIndex } from '../../core/inventory/index-cache.ts';

afterAll(removeTempDirs);

describe('FileStore', () => {
  it('keeps values across instances, and deletes them', async () => {
    const state = await tempDir();
    await new FileStore(state).set('base/p1', { version: 1, sources: [['__proto__', 2]] });
    expect(await new FileStore(state).get('base/p1')).toEqual({ version: 1, sources: [['__proto__', 2]] });
    expect(await new FileStore(state).get('other')).toBeUndefined();
    await new FileStore(state).del('base/p1');
    expect(await new FileStore(state).get('base/p1')).toBeUndefined();
    expect((await readdir(state)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it("keeps a directory source's index in <source>/.quintet/index.json", async () => {
    const [state, source] = [await tempDir(), await tempDir()];
    const store = new FileStore(state);
    store.placeIndex('id-1', source);
    const entry = { size: 3, mtime: 7, blockSize: 131072, blocks: ['ab'], hash: 'cd' };
    await saveIndex(store, 'id-1', new Map([['a/b.txt', entry]]));
    expect(JSON.parse(await readFile(join(source, '.quintet', 'index.json'), 'utf8')).key).toBe('index/id-1');
    expect(await readdir(state)).toEqual([]);
    expect([...(await loadIndex(store, 'id-1'))]).toEqual([['a/b.txt', entry]]);
  });

  it('reads a torn file as absent, and falls back to the state directory when the source cannot hold the index', async () => {
    const [state, source] = [await tempDir(), await tempDir()];
    const store = new FileStore(state);
    store.placeIndex('id-2', source);
    await mkdir(join(source, '.quintet'));
    await writeFile(join(source, '.quintet', 'index.json'), '{"key": "index/id-2", "val');
    expect(await store.get('index/id-2')).toBeUndefined();
    // A regular file where the folder should be makes the source unable to hold it (works as root too).
    const blocked = await tempDir();
    await writeFile(join(blocked, '.quintet'), 'not a folder');
    store.placeIndex('id-3', blocked);
    await store.set('index/id-3', { version: 1, entries: [] });
    expect(await store.get('index/id-3')).toEqual({ version: 1, entries: [] });
    expect(await readdir(state)).toHaveLength(1);
  });

  it('never makes a removed source folder again to hold its index: the state directory holds it then', async () => {
    const [state, source] = [await tempDir(), await tempDir()];
    const store = new FileStore(state);
    store.placeIndex('id-4', source);
    await rm(source, { recursive: true });
    await store.set('index/id-4', { version: 1, entries: [] });
    expect(await readdir(source).catch((e: { code?: string }) => e.code)).toBe('ENOENT');
    expect(await store.get('index/id-4')).toEqual({ version: 1, entries: [] });
  });
});
