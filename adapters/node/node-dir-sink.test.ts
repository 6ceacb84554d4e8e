import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdir, readdir, readFile, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { dirSinkContract } from '../../core/testing/dir-sink-contract.ts';
import { NodeDirSink } from './node-dir-sink.ts';
import { nodeError } from './node-errors.ts';
import { SYNC_BYTES } from './sync-bytes.ts';
import { removeTempDirs, seedDir, tempDir } from './temp-tree.ts';
import { walkSource } from '../../core/inventory/walk.ts';
import { kindAt } from '../../core/transfer/versions.ts';
import type { DirSource } from '../../core/ports.ts';

afterAll(removeTempDirs);

dirSinkContract('node:fs', {
  dir: async (tree) => {
    const dir = await tempDir();
    await seedDir(dir, tree);
    return NodeDirSink.open(dir);
  },
  file: async (name, content) => {
    const dir = await tempDir();
    await writeFile(join(dir, name), content);
    return NodeDirSink.open(join(dir, name));
  },
});

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

describe('NodeDirSink on what a browser never shows', () => {
  it('reports links (to a file, to a directory, dangling) and special files with a reason, and follows none', async () => {
    const dir = await tempDir();
    await seedDir(dir, { 'real.txt': 'x', sub: { inner: 'y' }, 'a:b.txt': 'colon', 'back\\slash.txt': 'bs' });
    await symlink('real.txt', join(dir, 'to-file'));
    await symlink('sub', join(dir, 'to-dir'));
    await symlink('missing', join(dir, 'dangling'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const socketPath = join(dir, 'sock');
    const server = createServer();
    await new Promise<void>((ok) => server.listen(socketPath, ok));
    try {
      const sink = await NodeDirSink.open(dir);
      const walked = await walkSource({ source: sink });
      const seen = walked.entries.map((e) => e.path).sort();
      expect(seen).toEqual(['a:b.txt', 'real.txt', 'sub', 'sub/inner']);
      const errors = Object.fromEntries(walked.errors.map((e) => [e.path, `${e.code}: ${e.message}`]));
      expect(errors['to-file']).toMatch(/^link: symbolic link to a file \(real.txt\)/);
      expect(errors['to-dir']).toMatch(/^link: symbolic link to a directory/);
      expect(errors['dangling']).toMatch(/^link: dangling symbolic link/);
      expect(errors['fifo']).toMatch(/^special: FIFO/);
      expect(errors['sock']).toMatch(/^special: socket/);
      expect(errors['back\\slash.txt']).toMatch(/^invalid-name/);
      expect(await code(sink.open('to-file'))).toBe('link');
      expect(await code(sink.list('to-dir'))).toBe('link'); // never listed through the link
      expect(await code(sink.createWriter('to-dir/x'))).toBe('link');
    } finally {
      server.close();
    }
  });

  it('reads a name with a colon, and refuses paths that would leave the root', async () => {
    const dir = await tempDir();
    await seedDir(dir, { 'a:b.txt': 'colon' });
    const sink = await NodeDirSink.open(dir);
    const f = await sink.open('a:b.txt');
    expect(new TextDecoder().decode(await f.read(0, 5))).toBe('colon');
    expect(await code(sink.stat('../x'))).toBe('invalid-name');
    expect(await code(sink.createWriter('a/../../x'))).toBe('invalid-name');
  });

  it('maps errno codes to FsError codes, keeping the message', () => {
    const e = nodeError(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), 'f');
    expect([e.code, e.message]).toEqual(['no-space', 'ENOSPC: no space left on device, write']);
    expect(nodeError(Object.assign(new Error('x'), { code: 'EACCES' }), 'f').code).toBe('permission-denied');
    expect(nodeError(Object.assign(new Error('x'), { code: 'ELOOP' }), 'f').code).toBe('link');
    expect(nodeError(new Error('odd'), 'f').code).toBe('io');
  });

  it('keeps the mtime and only the rwx bits it is given (keep) on the staged file, and commits with them', async () => {
    const dir = await tempDir();
    const sink = await NodeDirSink.open(dir);
    const w = await sink.createWriter('f.bin');
    await w.write(Uint8Array.of(1, 2, 3));
    const mtime = 1_600_000_000_123;
    expect(await w.keep!({ mtime, mode: 0o4751 })).toEqual({ mtime: true, mode: true });
    expect(await w.commit()).toEqual({ size: 3, mtime, mode: 0o751 }); // the vouched stat is what was kept
    const s = await lstat(join(dir, 'f.bin'));
    expect(s.mode & 0o7777).toBe(0o751); // never setuid from another member's say-so
    expect((await sink.stat('f.bin')).mtime).toBe(mtime);
    const plain = await sink.createWriter('g');
    expect(await plain.keep!({})).toEqual({ mtime: false, mode: false });
    await plain.abort();
  });

  it('reads a file in parts through one descriptor, let go at its end, and still refuses a file changed in between', async () => {
    const dir = await tempDir();
    // Parts larger than SYNC_BYTES: smaller reads are synchronous open/read/close (sync-bytes.ts).
    await writeFile(join(dir, 'f'), new Uint8Array(1_000_000).fill(7));
    const sink = await NodeDirSink.open(dir);
    const file = await sink.open('f');
    const fds = async () => (await readdir('/proc/self/fd')).length;
    const before = await fds();
    expect((await file.read(0, 300_000)).length).toBe(300_000);
    expect(await fds()).toBe(before + 1); // held for the next part
    expect((await file.read(300_000, 700_000)).length).toBe(700_000);
    expect(await fds()).toBe(before); // the end was read: let go
    const again = await sink.open('f');
    await again.read(0, 300_000);
    await writeFile(join(dir, 'f'), Uint8Array.of(1), { flag: 'r+' });
    await utimes(join(dir, 'f'), 1, 1);
    await expect(again.read(300_000, 300_000)).rejects.toMatchObject({ code: 'changed' });
    expect(await fds()).toBe(before);
  });

  it('makes the staging folder again when it went away between two files', async () => {
    const dir = await tempDir();
    const sink = await NodeDirSink.open(dir);
    await (await sink.createWriter('a')).commit();
    await rm(join(dir, '.quintet'), { recursive: true });
    const w = await sink.createWriter('b');
    await w.write(Uint8Array.of(1));
    await w.commit();
    expect(await readFile(join(dir, 'b'))).toEqual(Buffer.of(1));
  });

  it('follows no link standing for a folder above the path, even one put there while a file is written', async () => {
    const [dir, out] = [await tempDir(), await tempDir()];
    await seedDir(dir, { d: { e: {} } });
    await seedDir(out, { e: { 'o.txt': 'outside' } });
    const sink = await NodeDirSink.open(dir);
    const w = await sink.createWriter('d/e/new.txt');
    await w.write(Uint8Array.of(1));
    await rename(join(dir, 'd'), join(dir, 'moved'));
    await symlink(out, join(dir, 'd'));
    expect(await code(w.commit())).toBe('link');
    expect(await code(sink.createWriter('d/e/other.txt'))).toBe('link');
    expect(await code(sink.mkdir('d/e/f'))).toBe('link');
    expect(await code(sink.remove('d/e/o.txt', { recursive: false }))).toBe('link');
    expect(await code(sink.move('d/e/o.txt', 'kept.txt'))).toBe('link');
    expect(await code(sink.link('d/e/o.txt', 'kept.txt'))).toBe('link');
    // Nor for reading: a file outside would be served to the other members as this source's.
    expect(await code(sink.open('d/e/o.txt'))).toBe('link');
    expect(await readdir(join(out, 'e'))).toEqual(['o.txt']);
    expect(await readdir(join(dir, '.quintet', 'tmp'))).toEqual([]);
  });

  it('stages under .quintet/tmp and leaves nothing there after commit or abort', async () => {
    const dir = await tempDir();
    const sink = await NodeDirSink.open(dir);
    const w = await sink.createWriter('new.txt');
    await w.write(new Uint8Array([1, 2, 3]));
    expect(await readdir(join(dir, '.quintet', 'tmp'))).toHaveLength(1);
    await w.abort();
    expect(await readdir(join(dir, '.quintet', 'tmp'))).toEqual([]);
    await mkdir(join(dir, 'd'));
    const v = await sink.createWriter('d/x');
    await v.write(new Uint8Array([4]));
    await v.commit();
    expect(await readdir(join(dir, '.quintet', 'tmp'))).toEqual([]);
    expect(await readdir(join(dir, 'd'))).toEqual(['x']);
  });

  it('vouches for what it committed (the size written, the time on disk), small and large writes alike', async () => {
    const dir = await tempDir();
    const sink = await NodeDirSink.open(dir);
    const w = await sink.createWriter('f.bin');
    await w.write(new Uint8Array(10).fill(1));
    await w.write(new Uint8Array(SYNC_BYTES + 5).fill(2)); // through libuv's pool
    await w.write(new Uint8Array(3).fill(3));
    const committed = await w.commit();
    expect(committed).toEqual(await sink.stat('f.bin'));
    expect(committed).toMatchObject({ size: SYNC_BYTES + 18 });
    const bytes = await readFile(join(dir, 'f.bin'));
    expect([bytes[0], bytes[10], bytes[SYNC_BYTES + 14], bytes[SYNC_BYTES + 15], bytes.length]).toEqual([1, 2, 2, 3, SYNC_BYTES + 18]);
  });

  it('gives a new file the mode and times of its source before moving it into place, and says when it could not', async () => {
    const [src, dir] = [await tempDir(), await tempDir()];
    await seedDir(src, { s: 'source' });
    await chmod(join(src, 's'), 0o640);
    await utimes(join(src, 's'), 1_600_000_000.25, 1_500_000_000.125);
    const sink = await NodeDirSink.open(dir);
    sink.metadataFrom = new Map([['kept', join(src, 's')], ['lost', join(src, 'gone')]]);
    for (const name of ['kept', 'lost', 'plain']) {
      const w = await sink.createWriter(name);
      await w.write(new TextEncoder().encode(name));
      const committed = await w.commit();
      expect(committed).toEqual(await sink.stat(name)); // the time it vouches for is the one it set
    }
    const kept = await lstat(join(dir, 'kept'));
    expect([kept.mode & 0o777, Math.floor(kept.mtimeMs), Math.floor(kept.atimeMs)]).toEqual([0o640, 1_500_000_000_125, 1_600_000_000_250]);
    expect(sink.metadataKept.get('kept')).toBeNull();
    expect(sink.metadataKept.get('lost')).toMatch(/ENOENT/);
    expect(sink.metadataKept.has('plain')).toBe(false);
    expect(await readFile(join(dir, 'lost'), 'utf8')).toBe('lost'); // the content is committed all the same
  });

  it('says what stands at a path without an error for nothing, as the stat-based answer does', async () => {
    const dir = await tempDir();
    await seedDir(dir, { f: 'x', d: { g: 'y' } });
    await symlink('f', join(dir, 'link'));
    const sink = await NodeDirSink.open(dir);
    const kindOf = (path: string) => sink.kindOf(path);
    // The engine's answer from stat alone, for a sink without kindOf.
    const viaStat = { rootKind: sink.rootKind, name: sink.name, stat: (path: string) => sink.stat(path) } as DirSource;
    for (const [path, kind] of [['f', 'file'], ['d', 'directory'], ['d/g', 'file'], ['', 'directory'], ['missing', null], ['d/missing', null]] as const) {
      expect(await kindOf(path), path).toBe(kind);
      expect(await kindAt(viaStat, path), path).toBe(kind);
    }
    expect(await kindOf('f/under-a-file')).toBeNull();
    expect(await code(kindOf('link'))).toBe('link');
    expect(await code(kindOf('../x'))).toBe('invalid-name');
    const lone = await NodeDirSink.open(join(dir, 'f'));
    expect([await lone.kindOf('f'), await lone.kindOf(''), await lone.kindOf('other')]).toEqual(['file', 'directory', null]);
  });

  it('makes the staging folder again when it was removed under a run', async () => {
    const dir = await tempDir();
    const sink = await NodeDirSink.open(dir);
    await (await sink.createWriter('a')).commit();
    await rm(join(dir, '.quintet'), { recursive: true });
    const w = await sink.createWriter('b');
    await w.write(new Uint8Array([7]));
    await w.commit();
    expect(await readFile(join(dir, 'b'))).toEqual(Buffer.from([7]));
  });

  it('reads large files through the pool and small ones at once, refusing either once changed', async () => {
    const dir = await tempDir();
    await seedDir(dir, { small: 'abc', large: new Uint8Array(SYNC_BYTES + 1).fill(5) });
    const sink = await NodeDirSink.open(dir);
    const [small, large] = [await sink.open('small'), await sink.open('large')];
    expect(await small.read(1, 10)).toEqual(new Uint8Array([98, 99]));
    expect((await large.read(0, SYNC_BYTES + 1)).every((b) => b === 5)).toBe(true);
    await writeFile(join(dir, 'small'), 'abcd');
    await writeFile(join(dir, 'large'), 'x');
    expect(await code(small.read(0, 3))).toBe('changed');
    expect(await code(large.read(0, SYNC_BYTES + 1))).toBe('changed');
  });
});
