/** fsa-move over in-memory File System Access handles: what a failed folder move leaves, and the copy-then-remove fallback. */
import { describe, expect, it } from 'vitest';
import { moveFile, moveTree } from './fsa-move.ts';
import { FakeDir, FakeFile, named } from './fake-fsa.ts';

const dirOf = (d: FakeDir) => d as unknown as FileSystemDirectoryHandle;

describe('moveTree failing partway (a folder moved into versions file by file)', () => {
  it('leaves nothing at the version path when every file went back: no empty folders made there', async () => {
    const root = new FakeDir('root', { beforeMove: (f) => { if (f.name === 'x.txt') throw named('NotAllowedError'); } });
    root.put('d/a.txt', 'a');
    root.put('d/sub/x.txt', 'x');
    const versions = await root.getDirectoryHandle('v', { create: true });
    const d = await root.getDirectoryHandle('d');
    await expect(moveTree(dirOf(d), dirOf(root), 'd', dirOf(versions), 'd', 'd', 'v/d')).rejects.toMatchObject({ code: 'permission-denied' });
    expect(await root.tree()).toEqual({ 'd/a.txt': 'a', 'd/sub/x.txt': 'x', 'v/': '' });
  });

  it('a file whose old path a save took meanwhile stays under the version path, alone; the save stays', async () => {
    let saved = false;
    const root = new FakeDir('root', {
      beforeMove: (f) => {
        if (f.name === 'b.txt') throw named('NotAllowedError');
      },
      afterMove: (from, name) => void (name === 'a.txt' && !saved && (saved = true, from.put('a.txt', 'saved'))),
    });
    root.put('d/a.txt', 'old a');
    root.put('d/b.txt', 'b');
    const versions = await root.getDirectoryHandle('v', { create: true });
    await expect(moveTree(dirOf((await root.getDirectoryHandle('d'))), dirOf(root), 'd', dirOf(versions), 'd', 'd', 'v/d')).rejects.toMatchObject({ code: 'permission-denied' });
    expect(await root.tree()).toEqual({ 'd/a.txt': 'saved', 'd/b.txt': 'b', 'v/d/a.txt': 'old a' });
  });
});

describe('moveTree into a path the user can see (an undo puts a deleted folder back)', () => {
  it('never replaces a file saved into the folder it is making while it moves: that file stays, the rest goes back to versions', async () => {
    let saved = false;
    const root = new FakeDir('root', { afterMove: (from, name) => void (name === 'a.txt' && !saved && (saved = true, root.put('d/b.txt', 'saved meanwhile'))) });
    root.put('v/d/a.txt', 'a');
    root.put('v/d/b.txt', 'b');
    const versions = await root.getDirectoryHandle('v');
    await expect(moveTree(dirOf(await versions.getDirectoryHandle('d')), dirOf(versions), 'd', dirOf(root), 'd', 'v/d', 'd')).rejects.toMatchObject({ code: 'changed' });
    expect(await root.tree()).toEqual({ 'd/b.txt': 'saved meanwhile', 'v/d/a.txt': 'a', 'v/d/b.txt': 'b' });
  });
});

describe('moveFile by copy then remove (no FileSystemHandle.move())', () => {
  it('moves the file whole', async () => {
    const root = new FakeDir('root', {}, false);
    const file = root.put('r.txt', 'content');
    const versions = await root.getDirectoryHandle('v', { create: true });
    await moveFile(file as unknown as FileSystemFileHandle, dirOf(root), 'r.txt', dirOf(versions), 'r.txt', 'r.txt', 'v/r.txt');
    expect(await root.tree()).toEqual({ 'v/r.txt': 'content' });
  });

  it('never removes the original when it was saved after the copy read it: the save stays, the move fails as changed', async () => {
    let original: FakeFile | null = null;
    const root = new FakeDir('root', { afterCopy: () => void (original!.data = new File(['saved after the copy'], 'r.txt', { lastModified: 2000 })) }, false);
    original = root.put('r.txt', 'old');
    const versions = await root.getDirectoryHandle('v', { create: true });
    await expect(moveFile(original as unknown as FileSystemFileHandle, dirOf(root), 'r.txt', dirOf(versions), 'r.txt', 'r.txt', 'v/r.txt')).rejects.toMatchObject({ code: 'changed' });
    expect((await root.tree())['r.txt']).toBe('saved after the copy');
    expect((await root.tree())['v/r.txt']).toBe('old'); // the old content, kept: the caller records it (versions.ts KeptPartly)
  });
});
