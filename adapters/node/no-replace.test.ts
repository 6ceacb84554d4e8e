/**
 * NodeDirSink.move never replaces what stands at its target, even an item that appears there just before the system
 * call that gives the moved file its new name (a save landing between an undo's or a restore's look and its move).
 * The hook: node:fs/promises' rename and link, wrapped so that an armed test writes a file at the target first.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { NodeDirSink } from './node-dir-sink.ts';
import { removeTempDirs, seedDir, tempDir } from './temp-tree.ts';
import { main } from '../../cli/main.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { testIo } from '../../cli/test-io.ts';

/** Set by a test: runs just before the real rename(2) or link(2) onto that target (`after`: just after it). */
const before = vi.hoisted(() => ({ target: '', act: null as null | ((dst: string) => Promise<void>), refuseLinks: false, after: null as null | (() => Promise<void>) }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const hooked = async (dst: unknown) => {
    if (before.act && dst === before.target) await before.act(dst as string);
  };
  const then = async (dst: unknown) => {
    if (before.after && dst === before.target) await before.after();
  };
  return {
    ...real,
    rename: async (src: string, dst: string) => (await hooked(dst), await real.rename(src, dst), await then(dst)),
    link: async (src: string, dst: string) => {
      await hooked(dst);
      if (before.refuseLinks) throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
      await real.link(src, dst);
      await then(dst);
    },
  };
});

afterAll(removeTempDirs);
afterEach(() => Object.assign(before, { target: '', act: null, refuseLinks: false, after: null }));

describe('NodeDirSink.move puts a file in place without replacing anything', () => {
  // A version put back (undo, a restore's staged copy): a file in Quintet's own folder, moved to a user's path.
  it('a file saved at the target just before the move is left as it is; the move fails as exists, its file stays', async () => {
    const root = await tempDir();
    await seedDir(root, { '.quintet': { 'v.txt': 'the version' } });
    const sink = await NodeDirSink.open(root);
    Object.assign(before, { target: join(root, 'x.txt'), act: (dst: string) => writeFile(dst, 'saved meanwhile') });
    await expect(sink.move('.quintet/v.txt', 'x.txt')).rejects.toMatchObject({ code: 'exists', path: 'x.txt' });
    expect(await readFile(join(root, 'x.txt'), 'utf8')).toBe('saved meanwhile');
    expect(await readFile(join(root, '.quintet', 'v.txt'), 'utf8')).toBe('the version');
  });

  it('with nothing there it moves the file itself (same inode, one name)', async () => {
    const root = await tempDir();
    await seedDir(root, { '.quintet': { 'v.txt': 'the version' } });
    const ino = lstatSync(join(root, '.quintet', 'v.txt')).ino;
    const sink = await NodeDirSink.open(root);
    await sink.move('.quintet/v.txt', 'x.txt');
    expect(lstatSync(join(root, 'x.txt'))).toMatchObject({ ino, nlink: 1 });
    expect(lstatSync(join(root, '.quintet', 'v.txt'), { throwIfNoEntry: false })).toBeUndefined();
  });

  it('a user\'s file kept as a version: a save landing at its path just after it is named there is never removed', async () => {
    // keepVersion moves a user's file into .quintet/versions/. By link then unlink, an editor's save renamed over the
    // path between the two calls is what the unlink removes: lost, not even kept as a version.
    const root = await tempDir();
    await seedDir(root, { 'x.txt': 'old x', '.quintet': { versions: { r: {} } } });
    const ino = lstatSync(join(root, 'x.txt')).ino;
    const sink = await NodeDirSink.open(root);
    const kept = join(root, '.quintet', 'versions', 'r', 'x.txt');
    const save = async () => {
      await writeFile(join(root, 'x.txt.swp'), 'saved meanwhile');
      await rename(join(root, 'x.txt.swp'), join(root, 'x.txt'));
    };
    Object.assign(before, { target: kept, after: save });
    await sink.move('x.txt', '.quintet/versions/r/x.txt');
    expect(lstatSync(kept)).toMatchObject({ ino, nlink: 1 });
    expect(await readFile(kept, 'utf8')).toBe('old x');
    expect(await readFile(join(root, 'x.txt'), 'utf8')).toBe('saved meanwhile');
  });

  it('its old name removed by another process between link and unlink: the move is done, the file kept at its new name', async () => {
    const root = await tempDir();
    await seedDir(root, { '.quintet': { 'v.txt': 'the version' } });
    const sink = await NodeDirSink.open(root);
    Object.assign(before, { target: join(root, 'x.txt'), after: () => unlink(join(root, '.quintet', 'v.txt')) });
    await sink.move('.quintet/v.txt', 'x.txt');
    expect(await readFile(join(root, 'x.txt'), 'utf8')).toBe('the version');
    expect(lstatSync(join(root, 'x.txt')).nlink).toBe(1);
  });

  it('where hard links are refused it falls back to a look then rename(2), still moving the file', async () => {
    const root = await tempDir();
    await seedDir(root, { '.quintet': { 'v.txt': 'the version', 'w.txt': 'another' }, 'taken.txt': 'taken' });
    const sink = await NodeDirSink.open(root);
    before.refuseLinks = true;
    Object.assign(before, { target: join(root, 'x.txt'), act: async () => undefined });
    await sink.move('.quintet/v.txt', 'x.txt');
    expect(await readFile(join(root, 'x.txt'), 'utf8')).toBe('the version');
    await expect(sink.move('.quintet/w.txt', 'taken.txt')).rejects.toMatchObject({ code: 'exists' });
    expect(await readFile(join(root, 'taken.txt'), 'utf8')).toBe('taken');
  });

  it('a folder is moved by rename(2), which never replaces a file or a folder holding anything', async () => {
    const root = await tempDir();
    await seedDir(root, { d: { 'a.txt': 'a' } });
    const sink = await NodeDirSink.open(root);
    Object.assign(before, { target: join(root, 'e'), act: (dst: string) => seedDir(dst, { 'saved.txt': 'saved meanwhile' }) });
    await expect(sink.move('d', 'e')).rejects.toMatchObject({ code: 'exists', path: 'e' });
    expect(await readFile(join(root, 'e', 'saved.txt'), 'utf8')).toBe('saved meanwhile');
    expect(await readFile(join(root, 'd', 'a.txt'), 'utf8')).toBe('a');
  });
});

describe('quintet undo puts a deleted file back without replacing a save made since its look', () => {
  it('the save stays, the item is left alone (exists) and its version stays kept', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'keep.txt': 'k' });
    await seedDir(b, { 'keep.txt': 'k', 'd.txt': 'deleted by the run' });
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], await testIo())).toBe(EXIT.done);
    // The undo finds d.txt's path free; the user's editor saves there just before the file is named there.
    Object.assign(before, { target: join(b, 'd.txt'), act: (dst: string) => writeFile(dst, 'saved meanwhile') });
    const io = await testIo();
    expect(await main(['undo', b, '--yes'], io)).toBe(EXIT.doneWithIssues);
    expect(io.text()).toMatch(/d\.txt: the file system refused \(something stands there since: left as it is\)/);
    expect(await readFile(join(b, 'd.txt'), 'utf8')).toBe('saved meanwhile');
    const [run] = await readdir(join(b, '.quintet', 'versions'));
    expect(await readFile(join(b, '.quintet', 'versions', run as string, 'd.txt'), 'utf8')).toBe('deleted by the run');
  });
});
