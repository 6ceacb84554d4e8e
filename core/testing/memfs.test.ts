import { describe, expect, it } from 'vitest';
import { MemFs } from './memfs.ts';
import { utf8 } from './bytes.ts';
import { ManualClock } from './manual-clock.ts';
import { FsError } from '../errors.ts';
import { dirSinkContract } from './dir-sink-contract.ts';

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: FsError) => e.code);

describe('MemFs', () => {
  it('seeds, lists, stats and snapshots a tree', async () => {
    const clock = new ManualClock(1000);
    const fs = MemFs.from({ a: { 'b.txt': 'hi', empty: {} }, 'c.bin': new Uint8Array([1, 2]) }, { clock });
    expect((await fs.list('')).map((e) => e.name).sort()).toEqual(['a', 'c.bin']);
    expect(await fs.stat('a/b.txt')).toEqual({ size: 2, mtime: 1000 });
    expect(await code(fs.stat('a'))).toBe('type-mismatch');
    expect(await code(fs.stat('nope'))).toBe('not-found');
    expect(fs.snapshot()).toEqual({ a: null, 'a/b.txt': utf8('hi'), 'a/empty': null, 'c.bin': new Uint8Array([1, 2]) });
  });

  it('shows nothing until commit, and abort leaves the target as it was', async () => {
    const fs = MemFs.from({ f: 'old' });
    const w = await fs.createWriter('f');
    await w.write(utf8('new'));
    expect(fs.readFile('f')).toEqual(utf8('old'));
    await w.abort();
    expect(fs.readFile('f')).toEqual(utf8('old'));
    const w2 = await fs.createWriter('g');
    await w2.write(utf8('x'));
    expect(fs.readFile('g')).toBeUndefined();
    await w2.commit();
    expect(fs.readFile('g')).toEqual(utf8('x'));
    expect(await code(fs.createWriter('missing/x'))).toBe('not-found');
  });

  it('folds case when asked, keeping the first spelling', async () => {
    const fs = MemFs.from({ Readme: 'a' }, { caseInsensitive: true });
    const w = await fs.createWriter('README');
    await w.write(utf8('b'));
    await w.commit();
    expect(fs.snapshot()).toEqual({ Readme: utf8('b') });
    expect(await fs.stat('readme')).toMatchObject({ size: 1 });
    const strict = MemFs.from({ Readme: 'a', README: 'b' });
    expect(Object.keys(strict.snapshot()).sort()).toEqual(['README', 'Readme']);
  });

  it('keeps NFC and NFD names apart', () => {
    const fs = MemFs.from({ 'caf\u00e9': '1', 'cafe\u0301': '2' }, { caseInsensitive: true });
    expect(Object.keys(fs.snapshot())).toHaveLength(2);
  });

  it('injects faults, revocation and mid-run changes', async () => {
    const fs = MemFs.from({ f: 'abc' });
    fs.failNext('stat', 'f', 'io');
    expect(await code(fs.stat('f'))).toBe('io');
    expect(await code(fs.stat('f'))).toBe('ok');
    const file = await fs.open('f');
    fs.onBeforeRead = () => fs.writeFile('f', 'changed');
    expect(await code(file.read(0, 3))).toBe('changed');
    fs.onBeforeRead = undefined;
    fs.revoke();
    expect(await fs.access('readwrite', false)).toBe('denied');
    expect(await code(fs.list(''))).toBe('permission-denied');
  });

  it('moves in one step, refuses to overwrite, and can lack move', async () => {
    const fs = MemFs.from({ a: { b: 'x' }, c: {} });
    await fs.move?.('a', 'c/a');
    expect(fs.snapshot()).toEqual({ c: null, 'c/a': null, 'c/a/b': utf8('x') });
    expect(await code(fs.move!('c/a', 'c'))).toBe('exists');
    expect(new MemFs({ move: false }).move).toBeUndefined();
  });

  it('fails with no-space past its capacity', async () => {
    const fs = new MemFs({ capacityBytes: 4 });
    const w = await fs.createWriter('f');
    await w.write(new Uint8Array(3));
    expect(await code(w.write(new Uint8Array(3)))).toBe('no-space');
  });

  it('refuses paths longer than its limit, as a platform does', async () => {
    const fs = new MemFs({ maxPathLength: 5 });
    await fs.mkdir('abcde');
    expect(await code(fs.mkdir('abcde/f'))).toBe('invalid-name');
    expect(await code(fs.createWriter('abcdef'))).toBe('invalid-name');
  });

  it('acts as a single-file source', async () => {
    const fs = MemFs.file('one.txt', 'hello');
    expect(fs.rootKind).toBe('file');
    expect(await fs.list('')).toEqual([{ name: 'one.txt', kind: 'file' }]);
    expect(await fs.stat('one.txt')).toMatchObject({ size: 5 });
    expect(await code(fs.mkdir('.quintet'))).toBe('type-mismatch');
  });
});

dirSinkContract('memfs', {
  dir: async (tree) => MemFs.from(tree),
  file: async (name, content) => MemFs.file(name, content),
});
