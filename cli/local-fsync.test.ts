import { afterAll, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from './main.ts';
import { EXIT } from './exit-codes.ts';
import { testIo } from './test-io.ts';
import { NodeDirSink } from '../adapters/node/node-dir-sink.ts';
import { nodeSyncCalls, type SyncCalls } from '../adapters/node/durable.ts';
import { removeTempDirs, seedDir, tempDir } from '../adapters/node/temp-tree.ts';

afterAll(removeTempDirs);

const staged = async (dir: string) => readdir(join(dir, '.quintet', 'tmp')).catch(() => []);
const errnoError = (code: string, words: string) => Object.assign(new Error(`${code}: ${words}`), { code });

/** Wraps the target's real sync calls (the sink itself is left as it is: the adapter's own code path runs). */
function onTarget(target: string, wrap: (real: SyncCalls) => SyncCalls) {
  return (sink: import('../core/ports.ts').DirSink, dir: string) => {
    if (dir === target && sink instanceof NodeDirSink && sink.sync) sink.sync = wrap(sink.sync);
    return sink;
  };
}

describe('quintet local writes durably', () => {
  it('syncs every file it writes before its rename, and each changed folder once at the end', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'x.txt': 'x', 'y.txt': 'y', sub: { 'z.txt': 'z' } });
    await seedDir(b, { 'x.txt': 'old x' });
    let datasyncs = 0;
    const dirs: string[] = [];
    const io = await testIo({
      wrapSink: onTarget(b, (real) => ({
        datasync: (fd) => (datasyncs++, real.datasync(fd)),
        syncDir: (d) => (dirs.push(d), real.syncDir(d)),
      })),
    });
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], io)).toBe(EXIT.done);
    expect(datasyncs).toBe(4); // three files and the run's manifest
    expect(new Set(dirs).size).toBe(dirs.length); // once each
    for (const d of [b, join(b, 'sub'), join(b, '.quintet', 'runs')]) expect(dirs).toContain(d);
    expect(await readFile(join(b, 'x.txt'), 'utf8')).toBe('x');
  });

  it('an fdatasync that fails (EIO) fails that file: counted with its message, the old file back in place, nothing staged left', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'x.txt': 'new x', 'y.txt': 'new y' });
    await seedDir(b, { 'x.txt': 'old x' });
    let failed = false;
    const io = await testIo({
      wrapSink: onTarget(b, (real) => ({
        ...real,
        // The first file synced fails; which one that is depends on the order the copies reach their commits.
        datasync: async (fd) => {
          if (!failed) {
            failed = true;
            throw errnoError('EIO', 'i/o error, fdatasync');
          }
          return real.datasync(fd);
        },
      })),
    });
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], io)).toBe(EXIT.doneWithIssues);
    const text = io.text();
    expect(text).toMatch(/Failed \(1\):\n {2}A2 [xy]\.txt — io: could not flush the staged file to disk, not moved into place: EIO/);
    const failedPath = /A2 ([xy]\.txt) — io/.exec(text)?.[1];
    const kept = await readFile(join(b, 'x.txt'), 'utf8');
    if (failedPath === 'x.txt') {
      expect(kept).toBe('old x');
      expect(await readFile(join(b, 'y.txt'), 'utf8')).toBe('new y');
    } else {
      expect(kept).toBe('new x');
      expect((await readdir(b)).includes('y.txt')).toBe(false);
    }
    expect(await staged(b)).toEqual([]);
  });

  it('a folder that cannot be flushed is reported and makes the exit code 3; the files stay', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { sub: { 'z.txt': 'z' } });
    const io = await testIo({
      wrapSink: onTarget(b, (real) => ({ ...real, syncDir: async (d) => (d === join(b, 'sub') ? Promise.reject(errnoError('EIO', 'i/o error, fsync')) : real.syncDir(d)) })),
    });
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], io)).toBe(EXIT.doneWithIssues);
    expect(io.text()).toMatch(/Not flushed to disk \(A2\): could not flush the folder sub to disk, so the names written there may not survive a power cut: EIO/);
    expect(await readFile(join(b, 'sub', 'z.txt'), 'utf8')).toBe('z');
  });

  it('undo syncs the folders it changed too, and says so when it cannot', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'x.txt': 'new x' });
    await seedDir(b, { 'x.txt': 'old x' });
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], await testIo())).toBe(EXIT.done);
    const dirs: string[] = [];
    const io = await testIo({ wrapSink: onTarget(b, (real) => ({ ...real, syncDir: (d) => (dirs.push(d), real.syncDir(d)) })) });
    expect(await main(['undo', b, '--yes'], io)).toBe(EXIT.done);
    expect(await readFile(join(b, 'x.txt'), 'utf8')).toBe('old x');
    expect(dirs).toContain(b);
    const failing = await testIo({ wrapSink: onTarget(b, (real) => ({ ...real, syncDir: async () => Promise.reject(errnoError('EIO', 'i/o error, fsync')) })) });
    expect(await main(['undo', b, '--yes'], failing)).toBe(EXIT.doneWithIssues); // the undo of the undo
    expect(failing.text()).toMatch(/Not flushed to disk: could not flush \d+ folders .* EIO/);
    expect(await readFile(join(b, 'x.txt'), 'utf8')).toBe('new x');
  });

  it('--no-fsync turns both off', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'x.txt': 'x' });
    const seen: Array<SyncCalls | null> = [];
    const io = await testIo({ wrapSink: (sink) => (sink instanceof NodeDirSink && seen.push(sink.sync), sink) });
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes', '--no-fsync'], io)).toBe(EXIT.done);
    expect(seen).toEqual([null, null]);
    expect(await readFile(join(b, 'x.txt'), 'utf8')).toBe('x');
    const durable: Array<SyncCalls | null> = [];
    const io2 = await testIo({ wrapSink: (sink) => (sink instanceof NodeDirSink && durable.push(sink.sync), sink) });
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], io2)).toBe(EXIT.done);
    expect(durable).toEqual([nodeSyncCalls, nodeSyncCalls]);
  });
});
