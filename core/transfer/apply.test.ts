import { describe, expect, it } from 'vitest';
import { MemFs } from '../testing/memfs.ts';
import { harness } from '../testing/harness.ts';
import { patternBytes, utf8 } from '../testing/bytes.ts';
import { runIdAt } from './run-id.ts';
import type { SyncProgress } from './types.ts';

const Q = ['.quintet'];
const big = patternBytes(300_000, 7); // 3 blocks of 128 KiB

describe('applyPlan', () => {
  it('mirrors and keeps everything replaced or deleted under versions, empty dirs included', async () => {
    const h = harness(
      MemFs.from({ a: 'new', d: { e: 'x' }, empty: {}, p: 'file-now', big }),
      MemFs.from({ a: 'old', gone: { inner: { f: 'y' }, hollow: {} }, p: { q: 'was-dir' }, 'z.txt': 'z' }),
    );
    const result = await h.apply(await h.plan());
    expect(result.failures).toEqual([]);
    expect(result.runId).toBe(runIdAt(h.clock.now()));
    expect(h.y.snapshot({ exclude: Q })).toEqual(h.x.snapshot());
    expect(h.y.snapshot({ under: `.quintet/versions/${result.runId}` })).toEqual({
      a: utf8('old'), gone: null, 'gone/inner': null, 'gone/inner/f': utf8('y'), 'gone/hollow': null,
      p: null, 'p/q': utf8('was-dir'), 'z.txt': utf8('z'),
    });
    expect(result.bytesWritten).toBe(3 + 1 + 8 + big.length);
    expect(result.written?.map((w) => w.path).sort()).toEqual(['a', 'big', 'd/e', 'p']);
  });

  it('works the same on a sink without move (copy then remove)', async () => {
    const h = harness(MemFs.from({ a: 'new', k: {} }), MemFs.from({ a: 'old', k: 'file', d: { e: {} } }, { move: false }));
    const result = await h.apply(await h.plan());
    expect(result.failures).toEqual([]);
    expect(h.y.snapshot({ exclude: Q })).toEqual(h.x.snapshot());
    expect(h.y.snapshot({ under: `.quintet/versions/${result.runId}` })).toEqual({ a: utf8('old'), k: utf8('file'), d: null, 'd/e': null });
  });

  it('leaves the target unchanged when a write fails mid-file, and goes on', async () => {
    const h = harness(MemFs.from({ big, other: 'o' }), MemFs.from({ big: 'before' }));
    const plan = await h.plan();
    h.y.failNext('write', 'big', 'no-space', 1); // second block
    const result = await h.apply(plan);
    expect(result.failures).toEqual([expect.objectContaining({ code: 'no-space', action: expect.objectContaining({ path: 'big' }) })]);
    expect(h.y.snapshot({ exclude: Q })).toEqual({ big: utf8('before'), other: utf8('o') });
    expect(result.done).toBe(1);
  });

  it('keeps the old file in place while the new one is written: the target path is never empty mid-copy', async () => {
    const h = harness(MemFs.from({ big }), MemFs.from({ big: 'before' }));
    const plan = await h.plan();
    const seen: (string | null)[] = [];
    h.x.onBeforeRead = (path, offset) => {
      if (path !== 'big' || offset === 0) return;
      const at = h.y.snapshot({ exclude: Q }).big;
      seen.push(at instanceof Uint8Array ? new TextDecoder().decode(at) : null);
    };
    const result = await h.apply(plan);
    expect(result.failures).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(['before']));
    expect(h.y.snapshot({ under: `.quintet/versions/${result.runId}` })).toEqual({ big: utf8('before') });
  });

  it('reports a vanished source file and a file changed since inventory, and goes on', async () => {
    const h = harness(MemFs.from({ a: 'aaa', b: 'bbb', c: 'ccc', m: big }), MemFs.from({ b: 'old' }));
    const plan = await h.plan();
    h.x.delete('a');
    h.x.writeFile('b', 'BBBB');
    h.x.onBeforeRead = (path, offset) => { if (path === 'm' && offset > 0) h.x.writeFile('m', 'edited mid-copy'); };
    const result = await h.apply(plan);
    const codes = Object.fromEntries(result.failures.map((f) => [f.action.path, f.code]));
    expect(codes).toEqual({ a: 'not-found', b: 'changed', m: 'changed' });
    expect(h.y.snapshot({ exclude: Q })).toEqual({ b: utf8('old'), c: utf8('ccc') });
  });

  it('catches a block whose bytes no longer match the plan', async () => {
    const h = harness(MemFs.from({ a: 'abc' }), new MemFs());
    const plan = await h.plan();
    h.x.writeFile('a', 'xyz', (await h.x.stat('a')).mtime); // same size and mtime, other bytes
    const result = await h.apply(plan);
    expect(result.failures.map((f) => f.code)).toEqual(['changed']);
    expect(h.y.snapshot()).toEqual({});
  });

  it('records every item as failed when the target is revoked, without throwing', async () => {
    const h = harness(MemFs.from({ a: '1', d: { b: '2' } }), MemFs.from({ z: 'z' }));
    const plan = await h.plan();
    h.y.revoke();
    const result = await h.apply(plan);
    expect(result.failures.map((f) => f.code)).toEqual(Array(plan.actions.length).fill('permission-denied'));
    h.y.grant();
    expect(h.y.snapshot()).toEqual({ z: utf8('z') });
  });

  it('counts a delete as done only when its own item is gone, not when its versions folder is not found (a disk unmounted)', async () => {
    const h = harness(MemFs.from({ a: '1' }), MemFs.from({ a: '1', z: 'z' }));
    const plan = await h.plan();
    // The root's own folder gone (adapters/node/no-link-above.ts, the browser's root check): not-found for the
    // versions folder, while z, as far as the run can tell, has not gone anywhere.
    h.y.failAlways('mkdir', undefined, 'not-found');
    const result = await h.apply(plan);
    expect(result.failures.map((f) => [f.action.path, f.code])).toEqual([['z', 'not-found']]);
    expect(result.applied?.map((a) => a.path)).toEqual([]);
  });

  it('skips what lies under a directory it could not create', async () => {
    const h = harness(MemFs.from({ d: { e: { f: '1' } }, g: '2' }), new MemFs());
    const plan = await h.plan();
    h.y.failNext('mkdir', 'd', 'invalid-name');
    const result = await h.apply(plan);
    expect(result.failures.map((f) => [f.action.path, f.code, f.blockedBy])).toEqual([
      ['d', 'invalid-name', undefined], ['d/e', 'invalid-name', 'd'], ['d/e/f', 'invalid-name', 'd'],
    ]);
    expect(h.y.snapshot({ exclude: ['.quintet'] })).toEqual({ g: utf8('2') });
    expect(Object.keys(h.y.snapshot({ under: '.quintet/runs' }))).toEqual([`${result.runId}.json`]); // g was written: the run is recorded
  });

  it('restores the version and reports corrupt when the read-back differs', async () => {
    const h = harness(MemFs.from({ a: 'new' }), MemFs.from({ a: 'old' }));
    const plan = await h.plan();
    const open = h.y.open.bind(h.y);
    let commits = 0;
    h.y.open = async (path) => {
      const file = await open(path);
      return h.y.counts.commit > commits++ ? { ...file, read: async () => utf8('bad') } : file;
    };
    const result = await h.apply(plan);
    expect(result.failures.map((f) => f.code)).toEqual(['corrupt']);
    expect(h.y.snapshot({ exclude: Q })).toEqual({ a: utf8('old') });
  });

  it('reads nothing back from a writer that vouches for its bytes, and records the hashes it checked', async () => {
    const h = harness(MemFs.from({ a: 'new', big }), MemFs.from({ a: 'old' }));
    const plan = await h.plan();
    const create = h.y.createWriter.bind(h.y);
    h.y.createWriter = async (path) => {
      const writer = await create(path);
      return { ...writer, commit: async () => (await writer.commit(), h.y.stat(path)) };
    };
    const opened: string[] = [];
    const open = h.y.open.bind(h.y);
    h.y.open = async (path) => (opened.push(path), open(path));
    const result = await h.apply(plan);
    expect(result.failures).toEqual([]);
    expect(opened).toEqual([]);
    expect(h.y.snapshot({ exclude: Q })).toEqual(h.x.snapshot());
    // The written files are recorded with the source's hashes (the bytes are the source's).
    const [x] = await h.inventories();
    const found = new Map(x.items.flatMap((i) => (i.kind === 'file' ? [[i.path, { hash: i.hash, blocks: i.blocks }] as const] : [])));
    expect(result.written?.length).toBe(2);
    for (const w of result.written ?? []) expect({ hash: w.hash, blocks: w.blocks }, w.path).toEqual(found.get(w.path));
  });

  it('restores the version and reports corrupt when a vouching writer committed another size', async () => {
    const h = harness(MemFs.from({ a: 'new' }), MemFs.from({ a: 'old' }));
    const plan = await h.plan();
    const create = h.y.createWriter.bind(h.y);
    h.y.createWriter = async (path) => {
      const writer = await create(path);
      return { ...writer, commit: async () => (await writer.commit(), { size: 2, mtime: 0 }) };
    };
    const result = await h.apply(plan);
    expect(result.failures.map((f) => f.code)).toEqual(['corrupt']);
    expect(h.y.snapshot({ exclude: Q })).toEqual({ a: utf8('old') });
  });

  it('cancels between blocks, aborts the writer and puts the old file back', async () => {
    const signal = { aborted: false };
    const h = harness(MemFs.from({ big, later: 'l' }), MemFs.from({ big: 'before' }));
    const plan = await h.plan();
    h.x.onBeforeRead = (_p, offset) => { if (offset > 0) signal.aborted = true; };
    const result = await h.apply(plan, { signal, copyConcurrency: 1 });
    expect(result.cancelled).toBe(true);
    expect(result.failures).toEqual([]);
    expect(h.y.snapshot({ exclude: Q })).toEqual({ big: utf8('before') });
  });

  it('adds -2 when the versions folder of that second exists', async () => {
    const h = harness(MemFs.from({ a: '1' }), MemFs.from({ a: '0' }));
    h.y.seed({ '.quintet': { versions: { [runIdAt(h.clock.now())]: {} } } });
    const result = await h.apply(await h.plan());
    expect(result.runId).toBe(`${runIdAt(h.clock.now())}-2`);
    expect(h.y.readFile(`.quintet/versions/${result.runId}/a`)).toEqual(utf8('0'));
  });

  it('reports throttled progress ending at the full byte count', async () => {
    const h = harness(MemFs.from({ big, s: 'x' }), new MemFs());
    const events: SyncProgress[] = [];
    await h.apply(await h.plan(), { onProgress: (p) => events.push(p) });
    expect(events.at(-1)).toMatchObject({ actionsDone: 2, actionsTotal: 2, bytesDone: big.length + 1, bytesTotal: big.length + 1 });
  });

  it('lets the next inventory of the target hash nothing once the written files are indexed', async () => {
    const h = harness(MemFs.from({ a: 'x', d: { b: big } }), new MemFs());
    const result = await h.apply(await h.plan());
    const { recordWritten } = await import('../inventory/index-cache.ts');
    await recordWritten(h.store, 'y', result.written ?? []);
    const [, y] = await h.inventories();
    expect(y.stats.hashedBytes).toBe(0);
  });
});

describe('applyPlan — many small files (finding 14: per-file latency on real disk)', () => {
  /** Runs a Mirror of `files` into an empty target and returns the most writers ever open at once. */
  async function peakWriters(files: Record<string, string | Uint8Array>, options: { copyConcurrency?: number } = {}): Promise<number> {
    const h = harness(MemFs.from(files), MemFs.from({}));
    const plan = await h.plan();
    const create = h.y.createWriter.bind(h.y);
    let open = 0;
    let peak = 0;
    h.y.createWriter = async (path) => {
      const writer = await create(path);
      peak = Math.max(peak, ++open);
      const close = <T>(p: Promise<T>) => p.finally(() => open--);
      return { write: (c) => writer.write(c), commit: () => close(writer.commit()), abort: () => close(writer.abort()) };
    };
    const result = await h.apply(plan, options);
    expect(result.failures).toEqual([]);
    return peak;
  }

  it('keeps up to 16 small files in flight, 4 large ones, and the caller’s bound when it gives one', async () => {
    const small = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}.txt`, `small ${i}`]));
    expect(await peakWriters(small)).toBe(16);
    const large = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`b${i}.bin`, patternBytes(300_000, i + 1)]));
    expect(await peakWriters(large)).toBe(4);
    expect(await peakWriters(small, { copyConcurrency: 2 })).toBe(2);
  });
});
