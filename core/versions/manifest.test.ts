import { describe, expect, it } from 'vitest';
import { MemFs } from '../testing/memfs.ts';
import { harness } from '../testing/harness.ts';
import { utf8 } from '../testing/bytes.ts';
import { manifestRuns, readManifest, RUNS_DIR, writeManifest, type RunManifest } from './manifest.ts';
import { cleanUpVersions } from './retention.ts';

describe('run manifest', () => {
  it('lists, in order, what a Mirror created, replaced and deleted on its target, with the hash it left and where each version went', async () => {
    const h = harness(MemFs.from({ new: { 'n.txt': 'n' }, 'r.txt': 'new r' }), MemFs.from({ 'r.txt': 'old r', 'd.txt': 'gone' }));
    const result = await h.apply(await h.plan());
    expect(result.unrecorded).toBeUndefined();
    const m = await readManifest(h.y, result.runId);
    expect(m).toMatchObject({ v: 1, run: result.runId, kind: 'sync', startedAt: result.startedAt });
    const byPath = Object.fromEntries((m?.entries ?? []).map((e) => [e.path, e]));
    expect(byPath['d.txt']).toEqual({ type: 'deleted', path: 'd.txt', left: null, kept: { path: `.quintet/versions/${result.runId}/d.txt`, kind: 'file' } });
    expect(byPath.new).toEqual({ type: 'created', path: 'new', left: { kind: 'directory' } });
    const written = Object.fromEntries((result.written ?? []).map((w) => [w.path, w]));
    expect(byPath['new/n.txt']).toMatchObject({ type: 'created', from: 'A1', left: { kind: 'file', size: 1, hash: written['new/n.txt']?.hash } });
    expect(byPath['r.txt']).toMatchObject({ type: 'replaced', kept: { path: `.quintet/versions/${result.runId}/r.txt`, kind: 'file' }, left: { hash: written['r.txt']?.hash } });
    expect(h.y.readFile(`.quintet/versions/${result.runId}/r.txt`)).toEqual(utf8('old r'));
    // Order is the order applied: the deletion comes before the directory, the directory before its file.
    expect(m?.entries.map((e) => e.path)).toEqual(['d.txt', 'new', ...m!.entries.slice(2).map((e) => e.path)]);
    expect(m?.entries.map((e) => e.path).indexOf('new/n.txt')).toBeGreaterThan(1);
  });

  it('a run that changes nothing writes nothing, and the source of a run is never written', async () => {
    const h = harness(MemFs.from({ a: 'same' }), MemFs.from({ a: 'same' }));
    const result = await h.apply(await h.plan());
    expect(result.done).toBe(0);
    expect(h.y.snapshot({ under: '.quintet' })).toEqual({});
    expect(await manifestRuns(h.y)).toEqual([]);
    const h2 = harness(MemFs.from({ a: 'x' }), new MemFs());
    await h2.apply(await h2.plan());
    expect(h2.x.snapshot({ under: '.quintet' })).toEqual({});
  });

  it('a second run in the same second that only creates gets its own id, never overwriting the first manifest', async () => {
    const h = harness(MemFs.from({ a: 'a' }), new MemFs());
    const first = await h.apply(await h.plan());
    h.x.writeFile('b', 'b');
    const second = await h.apply(await h.plan());
    expect(second.runId).toBe(`${first.runId}-2`);
    expect((await manifestRuns(h.y)).sort()).toEqual([first.runId, second.runId]);
  });

  it('a run whose id another process took meanwhile (same second) writes under the next free id, never over it; its versions stay findable and removable', async () => {
    const fs = MemFs.from({ '.quintet/versions/20240101-120000/x.txt': 'kept by the later run' });
    const run = (kind: RunManifest['kind'], entries: RunManifest['entries']): RunManifest => ({ v: 1, run: '20240101-120000', kind, startedAt: 0, endedAt: 0, entries });
    expect(await writeManifest(fs, run('restore', []))).toBe('20240101-120000');
    const kept = { path: '.quintet/versions/20240101-120000/x.txt', kind: 'file' as const };
    const later = await writeManifest(fs, run('sync', [{ type: 'deleted', path: 'x.txt', left: null, kept }]));
    expect(later).toBe('20240101-120000-2');
    expect((await readManifest(fs, '20240101-120000'))?.kind).toBe('restore');
    expect((await readManifest(fs, later))?.entries[0]?.kept).toEqual(kept);
    // Retention may remove it (a year old, and the file stands again), though it sits in the other run's folder.
    fs.writeFile('x.txt', 'back');
    fs.writeFile('.quintet/versions/20250101-120000/y.txt', 'a newer run, whose versions stay');
    await writeManifest(fs, { ...run('sync', [{ type: 'deleted', path: 'y.txt', left: null, kept: { path: '.quintet/versions/20250101-120000/y.txt', kind: 'file' } }]), run: '20250101-120000', startedAt: 1000 });
    const result = await cleanUpVersions(fs, 400 * 24 * 3600 * 1000);
    expect(result.failures).toEqual([]);
    expect(result.removed.map((v) => v.kept)).toEqual([kept.path]);
  });

  it('a run whose id another process took during the run says which manifest its target got (an undo of it reads that one)', async () => {
    const h = harness(MemFs.from({ a: 'new a' }), MemFs.from({ a: 'old a' }));
    const plan = await h.plan();
    const runId = '20240101-120000';
    // While the run reads its source, a `quintet restore` of the target, started the same second, writes its manifest.
    h.x.onBeforeRead = () => void h.y.writeFile(`${RUNS_DIR}/${runId}.json`, JSON.stringify({ v: 1, run: runId, kind: 'restore', startedAt: 0, endedAt: 0, entries: [] }));
    const result = await h.apply(plan, { runId });
    expect(result.runId).toBe(runId);
    expect(result.manifestRuns).toEqual({ A2: `${runId}-2` });
    expect((await readManifest(h.y, `${runId}-2`))?.kind).toBe('sync');
    expect((await readManifest(h.y, runId))?.kind).toBe('restore');
  });

  it('a manifest that cannot be written is reported in the result, not dropped; the run itself stands', async () => {
    const h = harness(MemFs.from({ a: 'a' }), new MemFs());
    h.y.failNext('mkdir', RUNS_DIR, 'no-space');
    const result = await h.apply(await h.plan());
    expect(result.failures).toEqual([]);
    expect(result.unrecorded).toEqual([{ target: 'A2', message: expect.stringContaining('no-space') }]);
    expect(h.y.readFile('a')).toEqual(utf8('a'));
  });

  it('refuses a manifest that is not one, or whose kept paths leave the versions folder', async () => {
    const fs = MemFs.from({ '.quintet': { runs: { 'r1.json': '{', 'r2.json': JSON.stringify({ v: 1, run: 'r2', kind: 'sync', startedAt: 0, endedAt: 0, entries: [{ type: 'deleted', path: 'a', left: null, kept: { path: 'a', kind: 'file' } }] }) } } });
    await expect(readManifest(fs, 'r1')).rejects.toMatchObject({ code: 'corrupt' });
    await expect(readManifest(fs, 'r2')).rejects.toMatchObject({ code: 'corrupt' });
    expect(await readManifest(fs, 'r3')).toBeNull();
  });
});
