/** The DirSink contract as a suite over a factory: memfs, the Node adapter (and what the browser adapter follows) pass it alike. */
import { describe, expect, it } from 'vitest';
import type { DirSink } from '../ports.ts';
import type { TreeSpec } from './memfs.ts';
import { utf8 } from './bytes.ts';
import { fromUtf8 } from '../bytes.ts';

/** Makes a directory source seeded with `tree`, or a single-file source. */
export interface SinkFactory {
  dir(tree: TreeSpec): Promise<DirSink>;
  file(name: string, content: string): Promise<DirSink>;
}

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));
const names = async (sink: DirSink, path: string) => (await sink.list(path)).map((e) => `${e.name}:${e.kind}`).sort();
const text = async (sink: DirSink, path: string) => {
  const f = await sink.open(path);
  return fromUtf8(await f.read(0, f.size));
};
const write = async (sink: DirSink, path: string, content: string) => {
  const w = await sink.createWriter(path);
  await w.write(utf8(content));
  await w.commit();
};
/** Nothing staged is left behind: `.quintet/tmp` is absent or empty. */
const noStaged = async (sink: DirSink) => {
  const left = await sink.list('.quintet/tmp').catch(() => []);
  expect(left).toEqual([]);
};

/** Registers the DirSink contract tests for a factory. */
export function dirSinkContract(name: string, make: SinkFactory): void {
  describe(`DirSink contract: ${name}`, () => {
    it('lists, stats and reads; missing paths are not-found, a directory is not a file', async () => {
      const sink = await make.dir({ a: { 'b.txt': 'hello', empty: {} }, 'c.txt': '' });
      expect(sink.rootKind).toBe('directory');
      expect(await names(sink, '')).toEqual(['a:directory', 'c.txt:file']);
      expect(await names(sink, 'a')).toEqual(['b.txt:file', 'empty:directory']);
      expect(await sink.stat('a/b.txt')).toMatchObject({ size: 5 });
      expect(await sink.stat('c.txt')).toMatchObject({ size: 0 });
      expect(await code(sink.stat('a'))).toBe('type-mismatch');
      expect(await code(sink.stat('nope'))).toBe('not-found');
      expect(await code(sink.list('nope'))).toBe('not-found');
      const f = await sink.open('a/b.txt');
      expect(f.size).toBe(5);
      expect(fromUtf8(await f.read(1, 3))).toBe('ell');
      expect((await f.read(3, 100)).length).toBe(2); // past the end: fewer bytes
      expect((await f.read(5, 10)).length).toBe(0);
      expect(await code(sink.open('a'))).toBe('type-mismatch');
      expect(await sink.access('readwrite', false)).toBe('granted');
    });

    it('shows a new file only on commit, and abort leaves the target as it was', async () => {
      const sink = await make.dir({ f: 'old', d: {} });
      const w = await sink.createWriter('f');
      await w.write(utf8('new'));
      expect(await text(sink, 'f')).toBe('old');
      await w.abort();
      expect(await text(sink, 'f')).toBe('old');
      const g = await sink.createWriter('d/g');
      await g.write(utf8('x'));
      await g.write(utf8('yz'));
      expect(await code(sink.stat('d/g'))).toBe('not-found');
      await g.commit();
      expect(await text(sink, 'd/g')).toBe('xyz');
      expect(await code(g.write(utf8('late')))).not.toBe('ok');
      await write(sink, 'f', 'replaced');
      expect(await text(sink, 'f')).toBe('replaced');
      await noStaged(sink);
    });

    it('refuses a writer without a parent, a bad name, or a commit over a directory', async () => {
      const sink = await make.dir({ d: { inner: 'x' } });
      expect(await code(sink.createWriter('missing/x'))).toBe('not-found');
      expect(await code(sink.createWriter('..'))).toBe('invalid-name');
      const w = await sink.createWriter('d');
      await w.write(utf8('file'));
      expect(await code(w.commit())).toBe('type-mismatch');
      expect(await text(sink, 'd/inner')).toBe('x');
      await noStaged(sink);
    });

    it('reads a snapshot: a file replaced since open reads as changed', async () => {
      const sink = await make.dir({ f: 'abc' });
      const before = await sink.open('f');
      await write(sink, 'f', 'other content');
      expect(await code(before.read(0, 3))).toBe('changed');
    });

    it('makes directories with their parents, idempotently, never over a file', async () => {
      const sink = await make.dir({ f: 'x' });
      await sink.mkdir('a/b/c');
      await sink.mkdir('a/b/c');
      expect(await names(sink, 'a/b')).toEqual(['c:directory']);
      expect(await code(sink.mkdir('f'))).toBe('type-mismatch');
      expect(await code(sink.mkdir('f/sub'))).toBe('type-mismatch');
    });

    it('removes files and trees, refuses a non-empty directory unless recursive, never the root', async () => {
      const sink = await make.dir({ f: 'x', d: { e: { g: 'y' } }, empty: {} });
      await sink.remove('f', { recursive: false });
      await sink.remove('empty', { recursive: false });
      expect(await code(sink.remove('d', { recursive: false }))).toBe('io');
      await sink.remove('d', { recursive: true });
      expect(await names(sink, '')).toEqual([]);
      expect(await code(sink.remove('f', { recursive: false }))).toBe('not-found');
      expect(await code(sink.remove('', { recursive: true }))).toBe('permission-denied');
    });

    it('moves files and directories in one step, never over something', async () => {
      const sink = await make.dir({ a: { b: 'x' }, c: {}, f: 'y' });
      if (!sink.move) return; // a sink without move: core copies then removes
      await sink.move('a', 'c/a');
      expect(await text(sink, 'c/a/b')).toBe('x');
      expect(await code(sink.stat('a/b'))).toBe('not-found');
      await sink.move('f', 'c/g');
      expect(await text(sink, 'c/g')).toBe('y');
      expect(await code(sink.move('c/a', 'c'))).toBe('exists');
      expect(await code(sink.move('c/g', 'c/a/b'))).toBe('exists');
      expect(await code(sink.move('c/a', 'c/a/inside'))).toBe('invalid-name');
      expect(await code(sink.move('nope', 'x'))).toBe('not-found');
      expect(await text(sink, 'c/a/b')).toBe('x');
    });

    it('acts as a single-file source', async () => {
      const sink = await make.file('one.txt', 'hello');
      expect(sink.rootKind).toBe('file');
      expect(sink.name).toBe('one.txt');
      expect(await sink.list('')).toEqual([{ name: 'one.txt', kind: 'file' }]);
      expect(await sink.stat('one.txt')).toMatchObject({ size: 5 });
      expect(await text(sink, 'one.txt')).toBe('hello');
      expect(await code(sink.mkdir('.quintet'))).toBe('type-mismatch');
    });
  });
}
