/** fsa-move over in-memory File System Access handles: what a failed folder move leaves, and the copy-then-remove fallback. */
import { describe, expect, it } from 'vitest';
import { moveFile, moveTree } from './fsa-move.ts';

const named = (name: string) => Object.assign(new Error(name), { name });

/** A file handle; `move` absent when `movable` is false (a Chrome without FileSystemHandle.move()). */
class FakeFile {
  readonly kind = 'file';
  move?: (dir: FakeDir, name: string) => Promise<void>;
  constructor(public name: string, public parent: FakeDir, public data: File, movable: boolean, readonly hooks: Hooks) {
    if (movable) {
      this.move = async (dir, to) => {
        await hooks.beforeMove?.(this);
        const [from, name] = [this.parent, this.name];
        from.children.delete(name);
        dir.children.set(to, this); // replaces what stood there, as Chrome's move() does
        this.parent = dir;
        this.name = to;
        await hooks.afterMove?.(from, name);
      };
    }
  }

  async getFile(): Promise<File> {
    if (this.parent.children.get(this.name) !== this) throw named('NotFoundError');
    return this.data;
  }

  async createWritable(): Promise<WritableStream> {
    const parts: BlobPart[] = [];
    return new WritableStream({
      write: (chunk: Uint8Array<ArrayBuffer>) => void parts.push(chunk),
      close: async () => {
        this.data = new File(parts, this.name, { lastModified: Date.now() });
        await this.hooks.afterCopy?.(this);
      },
    });
  }
}

interface Hooks {
  beforeMove?: (file: FakeFile) => void | Promise<void>;
  afterMove?: (from: FakeDir, name: string) => void | Promise<void>;
  afterCopy?: (copy: FakeFile) => void | Promise<void>;
}

class FakeDir {
  readonly kind = 'directory';
  readonly children = new Map<string, FakeDir | FakeFile>();
  constructor(readonly name: string, readonly hooks: Hooks = {}, readonly movable = true) {}

  async getFileHandle(name: string, options: { create?: boolean } = {}): Promise<FakeFile> {
    const found = this.children.get(name);
    if (found instanceof FakeFile) return found;
    if (found) throw named('TypeMismatchError');
    if (!options.create) throw named('NotFoundError');
    const file = new FakeFile(name, this, new File([], name), this.movable, this.hooks);
    this.children.set(name, file);
    return file;
  }

  async getDirectoryHandle(name: string, options: { create?: boolean } = {}): Promise<FakeDir> {
    const found = this.children.get(name);
    if (found instanceof FakeDir) return found;
    if (found) throw named('TypeMismatchError');
    if (!options.create) throw named('NotFoundError');
    const dir = new FakeDir(name, this.hooks, this.movable);
    this.children.set(name, dir);
    return dir;
  }

  async removeEntry(name: string, options: { recursive?: boolean } = {}): Promise<void> {
    const found = this.children.get(name);
    if (!found) throw named('NotFoundError');
    if (found instanceof FakeDir && found.children.size > 0 && !options.recursive) throw named('InvalidModificationError');
    this.children.delete(name);
  }

  async *entries(): AsyncGenerator<[string, FakeDir | FakeFile]> {
    for (const entry of [...this.children]) yield entry;
  }

  /** Writes a file at `path` below this folder (folders made), as a save would; returns its handle. */
  put(path: string, content: string, lastModified = 1000): FakeFile {
    const [name, ...rest] = path.split('/');
    if (rest.length > 0) {
      const sub = this.children.get(name!) ?? new FakeDir(name!, this.hooks, this.movable);
      this.children.set(name!, sub);
      return (sub as FakeDir).put(rest.join('/'), content, lastModified);
    }
    const file = new FakeFile(name!, this, new File([content], name!, { lastModified }), this.movable, this.hooks);
    this.children.set(name!, file);
    return file;
  }

  /** The tree below, files as text. */
  async tree(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [name, item] of this.children) {
      if (item instanceof FakeFile) out[name] = await item.data.text();
      else for (const [sub, text] of Object.entries(await item.tree())) out[`${name}/${sub}`] = text;
      if (item instanceof FakeDir && item.children.size === 0) out[`${name}/`] = '';
    }
    return out;
  }
}

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
