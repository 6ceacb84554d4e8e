import { afterAll, describe, expect, it } from 'vitest';
import { lstatSync } from 'node:fs';
import { chmod, readdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from './main.ts';
import { EXIT } from './exit-codes.ts';
import { testIo, treeOf } from './test-io.ts';
import { errno } from './faulty-sink.ts';
import { NodeDirSink } from '../adapters/node/node-dir-sink.ts';
import type { DirSink, FileStat } from '../core/ports.ts';
import { removeTempDirs, seedDir, tempDir } from '../adapters/node/temp-tree.ts';

afterAll(removeTempDirs);

/** Every file under `dir`, recursively, as relative paths. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

/** On the target's sink: `atSync` runs at each staged file's fdatasync, inside its commit, just before the rename. */
function atCommit(target: string, atSync: () => Promise<void>, fail = false) {
  return (sink: DirSink, dir: string) => {
    if (dir === target && sink instanceof NodeDirSink && sink.sync) {
      const real = sink.sync;
      sink.sync = {
        ...real,
        datasync: async (fd) => {
          await atSync();
          if (fail) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
          return real.datasync(fd);
        },
      };
    }
    return sink;
  };
}

describe('quintet local replaces a file without ever leaving its path empty', () => {
  it('the old file stays at its path until the rename replaces it; its version is the same file under versions', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'x.txt': 'new x' });
    await seedDir(b, { 'x.txt': 'old x' });
    const inode = lstatSync(join(b, 'x.txt')).ino;
    const seen: string[] = [];
    const io = await testIo({ wrapSink: atCommit(b, async () => void seen.push(await readFile(join(b, 'x.txt'), 'utf8').catch(() => '(nothing)'))) });
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], io)).toBe(EXIT.done);
    expect(seen[0]).toBe('old x'); // a kill or a power cut here would find the old file in place, not an empty path
    expect(await readFile(join(b, 'x.txt'), 'utf8')).toBe('new x');
    const versions = (await filesUnder(join(b, '.quintet', 'versions'))).filter((p) => p.endsWith('x.txt'));
    expect(versions).toHaveLength(1);
    const kept = join(b, '.quintet', 'versions', versions[0] as string);
    expect(await readFile(kept, 'utf8')).toBe('old x');
    expect(lstatSync(kept).ino).toBe(inode); // the old file itself, not a copy
    expect(lstatSync(kept).nlink).toBe(1); // and its only name now
  });

  it('a commit that fails leaves the old file where it was and no version of it', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'x.txt': 'new x' });
    await seedDir(b, { 'x.txt': 'old x' });
    const inode = lstatSync(join(b, 'x.txt')).ino;
    const io = await testIo({ wrapSink: atCommit(b, async () => undefined, true) });
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], io)).toBe(EXIT.doneWithIssues);
    expect(await readFile(join(b, 'x.txt'), 'utf8')).toBe('old x');
    expect(lstatSync(join(b, 'x.txt'))).toMatchObject({ ino: inode, nlink: 1 }); // the version's second name is gone
    expect((await filesUnder(join(b, '.quintet', 'versions'))).filter((p) => p.endsWith('x.txt'))).toEqual([]);
  });
});

describe('quintet local sees an edit saved on the target while the new file is flushed to the disk', () => {
  it('an editor\'s save (a new file renamed over the old) during the flush is left in place, not replaced unseen', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'x.txt': 'new x' });
    await seedDir(b, { 'x.txt': 'old x' });
    const save = async () => {
      await writeFile(join(b, 'x.txt.swp'), 'saved during the flush');
      await rename(join(b, 'x.txt.swp'), join(b, 'x.txt'));
    };
    const io = await testIo({ wrapSink: atCommit(b, save) });
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], io)).toBe(EXIT.doneWithIssues);
    expect(await readFile(join(b, 'x.txt'), 'utf8')).toBe('saved during the flush');
    expect(io.text()).toMatch(/A2 x\.txt — changed/);
  });
});

describe('quintet local keeps the old file when a replacement fails after its commit', () => {
  it('the new file, found wrong and not removable, leaves the old one kept under versions, not dropped', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'x.txt': 'new x' });
    await seedDir(b, { 'x.txt': 'old x' });
    const io = await testIo({
      wrapSink: (sink, dir) => {
        if (dir !== b || !(sink instanceof NodeDirSink)) return sink;
        // The writer vouches for a size other than the plan's (so the copy fails after its rename), and the new file
        // cannot be removed (EACCES): the only name the old file still has is its version's.
        const create = sink.createWriter.bind(sink);
        sink.createWriter = async (path) => {
          const w = await create(path);
          return { ...w, commit: async () => ({ ...(await w.commit() as FileStat), size: 1 }) };
        };
        const remove = sink.remove.bind(sink);
        sink.remove = async (path, options) => (path === 'x.txt' ? Promise.reject(errno('EACCES', 'permission denied, unlink', path)) : remove(path, options));
        return sink;
      },
    });
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], io)).toBe(EXIT.doneWithIssues);
    const contents = await Promise.all((await filesUnder(b)).filter((p) => p.endsWith('x.txt')).map((p) => readFile(join(b, p), 'utf8')));
    expect(contents).toContain('old x');
  });
});

describe('quintet local never follows a folder replaced by a link between the inventory and the sync', () => {
  it('writes, removes and changes nothing outside the target, and says why each item failed', async () => {
    const [a, b, out] = [await tempDir(), await tempDir(), await tempDir()];
    await seedDir(a, { d: { e: { 'new.txt': 'new', 'same.txt': 'same' } } });
    await seedDir(b, { d: { e: { 'gone.txt': 'extra', 'same.txt': 'same' } } });
    await seedDir(out, { e: { 'gone.txt': 'outside, same name', 'same.txt': 'same' } });
    await chmod(join(out, 'e'), 0o700);
    await chmod(join(a, 'd', 'e', 'same.txt'), 0o600);
    const before = await treeOf(out);
    const io = await testIo({
      interactive: true,
      // The go-ahead comes after the inventory: the folder is swapped for a link to elsewhere meanwhile.
      confirm: async () => {
        await rename(join(b, 'd'), join(b, 'd-moved'));
        await symlink(out, join(b, 'd'));
        return true;
      },
    });
    expect(await main(['local', a, b, '--preset', 'mirror'], io)).toBe(EXIT.doneWithIssues);
    expect(await treeOf(out)).toEqual(before);
    expect(io.text()).toMatch(/A2 d\/e\/new\.txt — link: symbolic link/);
    // Through the link, the path leads to another file than the inventory saw: refused as such, or as a link.
    expect(io.text()).toMatch(/A2 d\/e\/gone\.txt — (link: symbolic link|changed)/);
  });
});
