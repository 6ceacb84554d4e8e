import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { dirSinkContract } from '../../core/testing/dir-sink-contract.ts';
import { NodeDirSink } from './node-dir-sink.ts';
import { nodeError } from './node-errors.ts';
import { removeTempDirs, seedDir, tempDir } from './temp-tree.ts';
import { walkSource } from '../../core/inventory/walk.ts';

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

  it('reads its staged bytes back through the open file: equal, or not once the disk holds other bytes', async () => {
    const dir = await tempDir();
    const sink = await NodeDirSink.open(dir);
    const w = await sink.createWriter('f.bin');
    const bytes = new Uint8Array(200_000).map((_, i) => i % 251);
    await w.write(bytes);
    expect(await w.readBackEquals!(0, bytes)).toBe(true);
    expect(await w.readBackEquals!(100_000, bytes.subarray(100_000))).toBe(true);
    expect(await w.readBackEquals!(1, bytes.subarray(0, 10))).toBe(false);
    expect(await w.readBackEquals!(199_999, bytes.subarray(0, 2))).toBe(false); // past the end: short
    // Something else changes the staged file on disk: the read-back sees it.
    const [staged] = await readdir(join(dir, '.quintet', 'tmp'));
    await writeFile(join(dir, '.quintet', 'tmp', staged as string), Uint8Array.of(9), { flag: 'r+' });
    expect(await w.readBackEquals!(0, bytes)).toBe(false);
    const s = await w.stagedStat!();
    expect(s.size).toBe(200_000);
    await w.commit();
    expect((await sink.stat('f.bin')).mtime).toBe(s.mtime); // the move keeps it
  });

  it('reads a file in parts through one descriptor, let go at its end, and still refuses a file changed in between', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'f'), new Uint8Array(300_000).fill(7));
    const sink = await NodeDirSink.open(dir);
    const file = await sink.open('f');
    const fds = async () => (await readdir('/proc/self/fd')).length;
    const before = await fds();
    expect((await file.read(0, 100_000)).length).toBe(100_000);
    expect(await fds()).toBe(before + 1); // held for the next part
    expect((await file.read(100_000, 200_000)).length).toBe(200_000);
    expect(await fds()).toBe(before); // the end was read: let go
    const again = await sink.open('f');
    await again.read(0, 10);
    await writeFile(join(dir, 'f'), Uint8Array.of(1), { flag: 'r+' });
    await utimes(join(dir, 'f'), 1, 1);
    await expect(again.read(10, 10)).rejects.toMatchObject({ code: 'changed' });
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
});
