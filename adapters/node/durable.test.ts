import { afterAll, describe, expect, it } from 'vitest';
import { closeSync, fstatSync, lstatSync, openSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NodeDirSink } from './node-dir-sink.ts';
import { nodeSyncCalls, type SyncCalls } from './durable.ts';
import { WRITEBACK_STEP_BYTES } from './staged-file.ts';
import { removeTempDirs, seedDir, tempDir } from './temp-tree.ts';

afterAll(removeTempDirs);

const staged = async (dir: string) => readdir(join(dir, '.quintet', 'tmp')).catch(() => []);
const bytes = (text: string) => new TextEncoder().encode(text);

/** The real calls, each recorded (and `datasync` answered by `fail` first, if given) before it runs. */
function recording(fail?: (fd: number) => Error | null) {
  const log: Array<{ call: 'datasync'; ino: number; size: number } | { call: 'syncDir'; dir: string }> = [];
  const calls: SyncCalls = {
    datasync: async (fd) => {
      const s = fstatSync(fd);
      log.push({ call: 'datasync', ino: s.ino, size: s.size });
      const error = fail?.(fd);
      if (error) throw error;
      return nodeSyncCalls.datasync(fd);
    },
    syncDir: async (dir) => {
      log.push({ call: 'syncDir', dir });
      return nodeSyncCalls.syncDir(dir);
    },
  };
  return { calls, log };
}

const errnoError = (code: string, words: string) => Object.assign(new Error(`${code}: ${words}`), { code });

describe('the Node writer makes what it writes durable', () => {
  it('syncs the staged file (all its bytes) before it takes the final name, and that file is what lands there', async () => {
    const dir = await tempDir();
    await seedDir(dir, { 'a.txt': 'old' });
    const sink = await NodeDirSink.open(dir);
    const { calls, log } = recording();
    let targetAtSync: string | null = null;
    sink.sync = {
      ...calls,
      datasync: async (fd) => {
        targetAtSync = await readFile(join(dir, 'a.txt'), 'utf8');
        return calls.datasync(fd);
      },
    };
    const writer = await sink.createWriter('a.txt');
    await writer.write(bytes('new '));
    await writer.write(bytes('content'));
    expect(log).toEqual([]); // nothing synced per write
    await writer.commit();
    expect(targetAtSync).toBe('old'); // the sync ran before the rename
    const synced = log.filter((l) => l.call === 'datasync');
    expect(synced).toEqual([{ call: 'datasync', ino: lstatSync(join(dir, 'a.txt')).ino, size: 11 }]);
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('new content');
  });

  it('a failed sync (EIO, ENOSPC) fails the file cleanly: nothing moved into place, the staged file removed, the old file intact', async () => {
    for (const [errno, code] of [['EIO', 'io'], ['ENOSPC', 'no-space']] as const) {
      const dir = await tempDir();
      await seedDir(dir, { 'a.txt': 'old', 'sub': {} });
      const sink = await NodeDirSink.open(dir);
      sink.sync = recording(() => errnoError(errno, 'flush failed, fdatasync')).calls;
      for (const path of ['a.txt', 'sub/new.txt']) {
        const writer = await sink.createWriter(path);
        await writer.write(bytes('never seen'));
        const error = await writer.commit().then(() => null, (e: { code?: string; message?: string }) => e);
        expect(error?.code).toBe(code);
        expect(error?.message).toMatch(new RegExp(`could not flush the staged file to disk, not moved into place: ${errno}`));
        await writer.abort(); // as the engine does after a failed commit: harmless
      }
      expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('old');
      expect(await readdir(join(dir, 'sub'))).toEqual([]);
      expect(await staged(dir)).toEqual([]);
    }
  });

  it('hands a large file to the disk as it is written (one step at a time), and a step that failed fails the commit', async () => {
    const dir = await tempDir();
    await seedDir(dir, { 'big.bin': 'old' });
    const sink = await NodeDirSink.open(dir);
    const piece = new Uint8Array(4 * 1024 * 1024).fill(7);
    const steps = (2.5 * WRITEBACK_STEP_BYTES) / piece.length;
    const { calls, log } = recording();
    sink.sync = calls;
    const writer = await sink.createWriter('big.bin');
    for (let i = 0; i < steps; i++) await writer.write(piece);
    await writer.commit();
    const sizes = log.filter((l) => l.call === 'datasync').map((l) => (l as { size: number }).size);
    // Syncs started while writing (each at ≥ one step since the last), then the last one over every byte. The first
    // starts well before the end; a later step may start at the last write when the one before finished late (a loaded
    // disk), so only the first is held below the whole size.
    expect(sizes.length).toBeGreaterThanOrEqual(2);
    const handed = sizes.slice(0, -1);
    expect(handed[0]).toBeLessThan(steps * piece.length);
    expect(handed.every((size, i) => size - (handed[i - 1] ?? 0) >= WRITEBACK_STEP_BYTES && size <= steps * piece.length)).toBe(true);
    expect(sizes.at(-1)).toBe(steps * piece.length);
    expect(lstatSync(join(dir, 'big.bin')).size).toBe(steps * piece.length);

    // Linux reports a writeback error to one fdatasync only: the commit must not trust a later one that succeeds.
    let first = true;
    sink.sync = recording(() => (first ? ((first = false), errnoError('EIO', 'writeback failed, fdatasync')) : null)).calls;
    const failing = await sink.createWriter('big.bin');
    for (let i = 0; i < steps; i++) await failing.write(piece);
    const error = await failing.commit().then(() => null, (e: { code?: string; message?: string }) => e);
    expect(error?.code).toBe('io');
    expect(error?.message).toMatch(/could not flush the staged file to disk, not moved into place: EIO/);
    expect(lstatSync(join(dir, 'big.bin')).size).toBe(steps * piece.length); // the first copy, not replaced
    expect(await staged(dir)).toEqual([]);
  });

  it('syncs each changed folder once at flush, not per file: new names, kept versions (their new place first), folders made, removals', async () => {
    const dir = await tempDir();
    await seedDir(dir, { 'old.txt': 'keep me', gone: 'x', sub: {} });
    const sink = await NodeDirSink.open(dir);
    const { calls, log } = recording();
    sink.sync = calls;
    for (const path of ['one.txt', 'two.txt', 'sub/three.txt', 'sub/four.txt']) {
      const w = await sink.createWriter(path);
      await w.write(bytes(path));
      await w.commit();
    }
    await sink.mkdir('new/deep');
    await sink.mkdir('.quintet/versions/r1');
    await sink.move('old.txt', '.quintet/versions/r1/old.txt');
    await sink.remove('gone', { recursive: false });
    expect(log.filter((l) => l.call === 'syncDir')).toEqual([]); // nothing until the run ends
    await sink.flush();
    const dirs = log.flatMap((l) => (l.call === 'syncDir' ? [l.dir] : []));
    const rel = (d: string) => (d === dir ? '.' : d.slice(dir.length + 1));
    expect(dirs.map(rel).sort()).toEqual(['.', '.quintet', '.quintet/versions', '.quintet/versions/r1', 'new', 'sub']);
    expect(rel(dirs[0] as string)).toBe('.quintet/versions/r1'); // where the version went, before the place it left
    expect(log.filter((l) => l.call === 'datasync')).toHaveLength(4);
    await sink.flush(); // nothing changed since: nothing synced again
    expect(log.filter((l) => l.call === 'syncDir')).toHaveLength(dirs.length);
  });

  it('a folder that cannot be synced is reported by flush, naming it; the others are synced all the same', async () => {
    const dir = await tempDir();
    await seedDir(dir, { a: {}, b: {} });
    const sink = await NodeDirSink.open(dir);
    const { calls, log } = recording();
    sink.sync = { ...calls, syncDir: async (d) => (d.endsWith('/a') ? Promise.reject(errnoError('EIO', 'i/o error, fsync')) : calls.syncDir(d)) };
    for (const path of ['a/x.txt', 'b/y.txt']) {
      const w = await sink.createWriter(path);
      await w.write(bytes(path));
      await w.commit();
    }
    const error = await sink.flush().then(() => null, (e: { code?: string; message?: string }) => e);
    expect(error?.code).toBe('io');
    expect(error?.message).toMatch(/could not flush the folder a to disk, so the names written there may not survive a power cut: EIO/);
    expect(log).toContainEqual({ call: 'syncDir', dir: join(dir, 'b') });
    expect(await readFile(join(dir, 'a', 'x.txt'), 'utf8')).toBe('a/x.txt'); // the file itself stays
  });

  it('with sync off (--no-fsync) syncs nothing and flush has nothing to do', async () => {
    const dir = await tempDir();
    const sink = await NodeDirSink.open(dir);
    sink.sync = null;
    const w = await sink.createWriter('a.txt');
    await w.write(bytes('a'));
    await w.commit();
    await expect(sink.flush()).resolves.toBeUndefined();
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('a');
  });

  it.skipIf(process.platform !== 'linux')('takes a file that cannot be synced (EINVAL) as written, and fails on any other error', async () => {
    const fd = openSync('/dev/null', 'w'); // fdatasync(2) of a character device: EINVAL, as on file systems without sync
    try {
      await expect(nodeSyncCalls.datasync(fd)).resolves.toBeUndefined();
    } finally {
      closeSync(fd);
    }
    await expect(nodeSyncCalls.datasync(2 ** 30)).rejects.toMatchObject({ code: 'EBADF' }); // no such descriptor
    await expect(nodeSyncCalls.syncDir(join(await tempDir(), 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('really syncs: the real calls accept a file and a folder of this file system', async () => {
    const dir = await tempDir();
    const sink = await NodeDirSink.open(dir);
    expect(sink.sync).toBe(nodeSyncCalls); // durable by default
    const w = await sink.createWriter('a.txt');
    await w.write(bytes('a'));
    await w.commit();
    await expect(sink.flush()).resolves.toBeUndefined();
  });
});
