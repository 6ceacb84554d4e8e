import { describe, expect, it } from 'vitest';
import { walkSource } from './walk.ts';
import { MemFs } from '../testing/memfs.ts';
import { FsError } from '../errors.ts';

describe('walkSource', () => {
  it('finds directories, empty ones included, and files with stat', async () => {
    const fs = MemFs.from({ a: { b: { 'c.txt': 'abc' }, empty: {} }, 'd.txt': '' });
    const r = await walkSource({ source: fs });
    expect(r.entries.map((e) => e.path).sort()).toEqual(['a', 'a/b', 'a/b/c.txt', 'a/empty', 'd.txt']);
    expect(r.entries.find((e) => e.path === 'a/b/c.txt')).toMatchObject({ kind: 'file', size: 3 });
    expect(r.errors).toEqual([]);
  });

  it('skips exclusions and counts them', async () => {
    const fs = MemFs.from({ '.quintet': { versions: { x: '1' } }, '.DS_Store': '', sub: { '.Quintet': {}, 'a.crswap': '' } });
    const r = await walkSource({ source: fs });
    expect(r.entries.map((e) => e.path).sort()).toEqual(['sub']);
    expect(r.excluded).toBe(4);
  });

  it('records a directory it cannot list and goes on', async () => {
    const fs = MemFs.from({ bad: { x: '1' }, good: { y: '2' } });
    fs.failNext('list', 'bad', 'permission-denied');
    const r = await walkSource({ source: fs });
    expect(r.entries.map((e) => e.path).sort()).toEqual(['bad', 'good', 'good/y']);
    expect(r.errors).toEqual([expect.objectContaining({ path: 'bad', code: 'permission-denied' })]);
  });

  it('walks a single-file source', async () => {
    const r = await walkSource({ source: MemFs.file('.DS_Store', 'x') });
    expect(r.entries).toEqual([expect.objectContaining({ kind: 'file', path: '.DS_Store', size: 1 })]);
  });

  it('keeps no more than the asked metadata calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const tree: Record<string, string> = {};
    for (let i = 0; i < 200; i++) tree[`f${i}`] = 'x';
    const fs = MemFs.from(tree, {
      latency: async () => {
        peak = Math.max(peak, ++inFlight);
        for (let i = 0; i < 3; i++) await Promise.resolve();
        inFlight--;
      },
    });
    const r = await walkSource({ source: fs, concurrency: 16 });
    expect(r.entries).toHaveLength(200);
    expect(peak).toBe(16);
  });

  it('stops when cancelled', async () => {
    const fs = MemFs.from({ a: { b: '1' } });
    await expect(walkSource({ source: fs, signal: { aborted: true } })).rejects.toMatchObject({ code: 'cancelled' } satisfies Partial<FsError>);
  });
});
