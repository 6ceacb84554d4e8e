import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, lstatSync, symlinkSync, writeFileSync, mkdirSync, utimesSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keepMetadata, setMeta } from './keep-metadata.ts';
import { NodeDirSink } from './node-dir-sink.ts';
import type { FileItem } from '../../core/inventory/types.ts';
import { removeTempDirs, tempDir } from './temp-tree.ts';

afterAll(removeTempDirs);

describe('setting a copy’s mode and times', () => {
  it('gives a file and a folder the source’s mode and time, and says the time as kept', async () => {
    const dir = await tempDir();
    const [src, dst, srcDir, dstDir] = [join(dir, 'src.txt'), join(dir, 'dst.txt'), join(dir, 'srcdir'), join(dir, 'dstdir')];
    writeFileSync(src, 'a');
    writeFileSync(dst, 'a');
    mkdirSync(srcDir);
    mkdirSync(dstDir);
    chmodSync(src, 0o640);
    chmodSync(srcDir, 0o750);
    utimesSync(src, 1_600_000_000, 1_600_000_000.5);
    utimesSync(srcDir, 1_500_000_000, 1_500_000_000);
    expect(setMeta(dst, lstatSync(src))).toBe(1_600_000_000_500);
    expect(lstatSync(dst).mode & 0o777).toBe(0o640);
    setMeta(dstDir, lstatSync(srcDir));
    expect(lstatSync(dstDir).mode & 0o777).toBe(0o750);
    expect(Math.floor(lstatSync(dstDir).mtimeMs)).toBe(1_500_000_000_000);
  });

  it('never follows a link standing at the name: the file it points to keeps its mode and time', async () => {
    const dir = await tempDir();
    const [src, outside, swapped] = [join(dir, 'src.txt'), join(dir, 'outside-secret'), join(dir, 'dst.txt')];
    writeFileSync(src, 'a');
    chmodSync(src, 0o666);
    writeFileSync(outside, 'secret');
    chmodSync(outside, 0o600);
    const before = lstatSync(outside);
    symlinkSync(outside, swapped); // the target's file, swapped for a link after the caller looked at it
    expect(() => setMeta(swapped, lstatSync(src))).toThrow(/ELOOP|symbolic/);
    expect(lstatSync(outside).mode & 0o777).toBe(0o600);
    expect(lstatSync(outside).mtimeMs).toBe(before.mtimeMs);
    expect(readFileSync(outside, 'utf8')).toBe('secret');
  });

  it('a Mirror leaves alone a file of the target edited during the run: neither the source’s time on it nor its index told it is the source’s', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    writeFileSync(join(a, 'f.txt'), 'same');
    writeFileSync(join(b, 'f.txt'), 'same');
    utimesSync(join(a, 'f.txt'), 1_600_000_000, 1_600_000_000);
    utimesSync(join(b, 'f.txt'), 1_700_000_000, 1_700_000_000);
    const item = (mtime: number): FileItem => ({ kind: 'file', path: 'f.txt', size: 4, mtime, blockSize: 1024, blocks: ['h'], hash: 'h' });
    // Inventoried with the same content, then saved on the target (same size) before the run's end.
    writeFileSync(join(b, 'f.txt'), 'edit');
    utimesSync(join(b, 'f.txt'), 1_750_000_000, 1_750_000_000);
    const sinks = new Map([['A1', await NodeDirSink.open(a)], ['A2', await NodeDirSink.open(b)]]);
    const out = await keepMetadata({ sinks, applied: [], written: [], direction: { from: 'A1', to: 'A2', items: [item(1_600_000_000_000)], targetItems: [item(1_700_000_000_000)] } });
    expect(Math.floor(lstatSync(join(b, 'f.txt')).mtimeMs)).toBe(1_750_000_000_000);
    expect(out.written).toEqual([]);
    expect(readFileSync(join(b, 'f.txt'), 'utf8')).toBe('edit');
  });
});
