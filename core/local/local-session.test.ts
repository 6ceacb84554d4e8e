import { describe, expect, it } from 'vitest';
import { createLocalSession } from './local-session.ts';
import { LOCAL_TRANSITIONS, LocalSessionError } from './local-session-machine.ts';
import { MemFs } from '../testing/memfs.ts';
import { MemoryStore } from '../testing/memory-store.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { patternBytes } from '../testing/bytes.ts';
import type { LocalPhase } from './local-session-types.ts';

function make() {
  const clock = new ManualClock();
  const session = createLocalSession({ hasher: new NobleHasher(), store: new MemoryStore(), clock });
  const phases: LocalPhase[] = [];
  session.on('phase.changed', (p) => phases.push(p));
  return { session, phases, clock };
}

describe('createLocalSession', () => {
  it('codes sources A1, A2 … and renumbers without gaps', () => {
    const { session } = make();
    const seen: string[][] = [];
    session.on('sources.changed', (s) => seen.push(s.map((x) => `${x.code}:${x.name}`)));
    session.addSource({ source: new MemFs({ name: 'one' }), id: '1' });
    session.addSource({ source: new MemFs({ name: 'two' }), id: '2' });
    expect(session.addSource({ source: MemFs.file('three.txt', 'x'), id: '3' })).toEqual({ code: 'A3', rootKind: 'file', name: 'three.txt' });
    session.removeSource('A2');
    expect(seen.at(-1)).toEqual(['A1:one', 'A2:three.txt']);
    expect(() => session.addSource({ source: new MemFs(), id: '1' })).toThrow(LocalSessionError);
    expect(() => session.removeSource('A9')).toThrow(expect.objectContaining({ code: 'unknown-source' }));
  });

  it('runs inventory → compared → syncing → synced, and a second inventory hashes nothing', async () => {
    const { session, phases } = make();
    const x = MemFs.from({ a: 'new', d: { big: patternBytes(200_000) }, empty: {} });
    const y = MemFs.from({ a: 'old', extra: { f: '1' } });
    session.addSource({ source: x, id: 'x' });
    session.addSource({ source: y, id: 'y' });
    const ready: unknown[] = [];
    session.on('comparison.ready', (c) => ready.push(c));
    const comparison = await session.runInventory();
    expect(ready).toEqual([comparison]);
    expect(session.inventories.map((i) => i.source)).toEqual(['A1', 'A2']);
    const plan = session.planPreset({ kind: 'mirror', from: 'A1', to: 'A2' });
    expect(plan.summary).toMatchObject({ copies: 2, overwrites: 1, directories: 2, deletions: 1 });
    const done: unknown[] = [];
    session.on('sync.done', (r) => done.push(r));
    const result = await session.synchronize(plan);
    expect(result.failures).toEqual([]);
    expect(done).toEqual([result]);
    expect(y.snapshot({ exclude: ['.quintet'] })).toEqual(x.snapshot());
    await session.runInventory();
    expect(session.inventories.map((i) => i.stats.hashedBytes)).toEqual([0, 0]);
    expect(session.comparison?.rows.every((r) => r.status === 'identical')).toBe(true);
    expect(phases).toEqual(['inventory', 'compared', 'syncing', 'synced', 'inventory', 'compared']);
  });

  it('reports files left staged in a folder’s .quintet/tmp/ when it is added and at the inventory, and removes only those on request', async () => {
    const { session, clock } = make();
    const x = MemFs.from({ a: 'same', '.quintet': { tmp: { 'q1.txt': 'half', 'q2.txt': 'written' } } });
    const y = MemFs.from({ a: 'same', b: 'new' });
    const seen: string[][] = [];
    session.on('leftovers.changed', (l) => seen.push(Object.entries(l).map(([code, f]) => `${code}:${f.files.length}:${f.bytes}`)));
    session.addSource({ source: y, id: 'y' });
    session.addSource({ source: x, id: 'x' });
    await new Promise((done) => setTimeout(done, 0));
    expect(seen.at(-1)).toEqual(['A2:2:11']);
    session.removeSource('A1'); // x becomes A1: its count moves with it
    await new Promise((done) => setTimeout(done, 0));
    expect(seen.at(-1)).toEqual(['A1:2:11']);
    session.addSource({ source: y, id: 'y' });
    const comparison = await session.runInventory();
    expect(seen.at(-1)).toEqual(['A1:2:11']);
    expect(comparison.rows.map((r) => r.path)).toEqual(['a', 'b']); // never part of the comparison
    // Retention removes a staged file untouched for a day at the start of a run on that folder (q1, made on the 1st;
    // the session's clock says the 15th): the count follows.
    x.setMtime('.quintet/tmp/q2.txt', clock.now() - 3600 * 1000);
    await session.synchronize(session.planPreset({ kind: 'mirror', from: 'A2', to: 'A1' }));
    expect(seen.at(-1)).toEqual(['A1:1:7']);
    await session.runInventory();
    expect(await session.removeLeftovers('A1')).toEqual({ files: [], bytes: 0 });
    expect(session.leftovers).toEqual({});
    expect(seen.at(-1)).toEqual([]);
    expect(Object.keys(x.snapshot({ under: '.quintet/tmp' }))).toEqual([]);
    expect(new TextDecoder().decode(x.readFile('b'))).toBe('new');
    expect(new TextDecoder().decode(x.readFile('a'))).toBe('same');
    await expect(session.removeLeftovers('A9')).rejects.toMatchObject({ code: 'unknown-source' });
  });

  it('cleans up versions by the retention setting at the start of a run only, and reports it in the result', async () => {
    const { session, clock } = make();
    const x = MemFs.from({ a: 'v1', b: 'b1' });
    const y = MemFs.from({ a: 'v0', b: 'b0', gone: 'g' });
    session.addSource({ source: x, id: 'x' });
    session.addSource({ source: y, id: 'y' });
    expect(session.setSettings({ ...session.settings, analysisMode: 'checksum', retention: { ...session.settings.retention, perFile: 1 } })).toEqual([]);
    const runs: Array<{ runId: string; retention?: unknown }> = [];
    for (const content of ['v2', 'v3']) {
      await session.runInventory();
      runs.push(await session.synchronize(session.planPreset({ kind: 'mirror', from: 'A1', to: 'A2' })));
      clock.advance(3600_000);
      x.writeFile('a', content);
    }
    // Run 1 kept a=v0, b=b0, gone; run 2 kept a=v1. At the start of run 2 run 1 was the newest: nothing went.
    expect(runs[1]?.retention).toBeUndefined();
    await session.runInventory();
    const third = await session.synchronize(session.planPreset({ kind: 'mirror', from: 'A1', to: 'A2' }));
    // Run 3 starts: a has two versions, one too many; b's only version and the deleted file's last one stay.
    expect(third.retention).toEqual([{ source: 'A2', versions: 1, bytes: 2, failed: 0 }]);
    const versions = y.snapshot({ under: '.quintet/versions' });
    const kept = Object.keys(versions).filter((p) => versions[p] !== null).sort();
    expect(kept).toEqual([`${runs[0]?.runId}/b`, `${runs[0]?.runId}/gone`, `${runs[1]?.runId}/a`, `${third.runId}/a`]);
  });

  it('shows a denied source as one root error, inventories the others, and plans nothing on it', async () => {
    const { session } = make();
    const denied = MemFs.from({ a: '1' });
    denied.revoke();
    session.addSource({ source: MemFs.from({ a: '1', b: '2' }), id: 'ok' });
    session.addSource({ source: denied, id: 'no' });
    await session.runInventory();
    expect(session.inventories[1]?.errors).toEqual([expect.objectContaining({ path: '', code: 'permission-denied' })]);
    expect(session.inventories[0]?.items).toHaveLength(2);
    const plan = session.planPreset({ kind: 'mirror', from: 'A1', to: 'A2' });
    expect(plan.actions).toEqual([]);
    expect(plan.refusals).toEqual([{ path: '', reason: 'unreadable', detail: 'A2' }]);
  });

  it('refuses calls the phase does not allow, and returns to idle when sources change', async () => {
    const { session, phases } = make();
    session.addSource({ source: MemFs.from({ a: '1' }), id: 'x' });
    expect(() => session.planPreset({ kind: 'mirror', from: 'A1', to: 'A2' })).toThrow(expect.objectContaining({ code: 'bad-phase' }));
    const running = session.runInventory();
    expect(() => session.addSource({ source: new MemFs(), id: 'y' })).toThrow(expect.objectContaining({ code: 'bad-phase' }));
    await running;
    session.addSource({ source: new MemFs(), id: 'y' });
    expect(session.phase).toBe('idle');
    expect(session.comparison).toBeNull();
    await expect(session.synchronize({ actions: [], refusals: [], summary: { copies: 0, overwrites: 0, directories: 0, deletions: 0, bytes: 0 } })).rejects.toMatchObject({ code: 'bad-phase' });
    expect(phases).toEqual(['inventory', 'compared', 'idle']);
  });

  it('goes back to idle when the inventory is cancelled', async () => {
    const { session } = make();
    session.addSource({ source: MemFs.from({ a: '1' }), id: 'x' });
    await expect(session.runInventory({ signal: { aborted: true } })).rejects.toMatchObject({ code: 'cancelled' });
    expect(session.phase).toBe('idle');
  });

  it('has a transition for every phase', () => {
    expect(Object.keys(LOCAL_TRANSITIONS).sort()).toEqual(['compared', 'idle', 'inventory', 'synced', 'syncing']);
  });
});

describe('Local Session settings and profiles', () => {
  it('applies settings to the inventory and refuses invalid ones', async () => {
    const { session } = make();
    session.addSource({ source: MemFs.from({ 'a.log': '1', '.env': 's', keep: 'k' }), id: 'x' });
    session.addSource({ source: new MemFs(), id: 'y' });
    expect(session.setSettings({ ...session.settings, matching: 'nope' as 'tree' })).toEqual([{ field: 'matching', code: 'invalid-value' }]);
    expect(session.setSettings({ ...session.settings, excludeHidden: true, exclusionPatterns: ['*.log'] })).toEqual([]);
    await session.runInventory();
    expect(session.comparison?.rows.map((r) => r.path)).toEqual(['keep']);
  });

  it('remembers the base per profile between sessions, whatever the order of the sources', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    const x = MemFs.from({ shared: 's', gone: 'g' });
    const y = MemFs.from({ shared: 's', gone: 'g' });
    const first = createLocalSession({ hasher: new NobleHasher(), store, clock });
    first.addSource({ source: x, id: 'x' });
    first.addSource({ source: y, id: 'y' });
    await first.runInventory();
    expect(first.hasBase).toBe(false);
    await first.synchronize(first.planPreset({ kind: 'two-way' }));
    x.delete('gone');
    const second = createLocalSession({ hasher: new NobleHasher(), store, clock });
    second.addSource({ source: y, id: 'y' });
    second.addSource({ source: x, id: 'x' });
    await second.runInventory();
    expect(second.hasBase).toBe(true);
    const plan = second.planPreset({ kind: 'two-way' });
    expect(plan.actions).toEqual([{ type: 'delete', target: 'A1', path: 'gone', kind: 'file' }]);
    await second.synchronize(plan);
    expect(y.snapshot({ exclude: ['.quintet'] })).toEqual(x.snapshot({ exclude: ['.quintet'] }));
  });
});

describe('Local Session rules and names', () => {
  it('plans rules and targeted actions, and refuses names the target cannot hold before the run', async () => {
    const session = createLocalSession({ hasher: new NobleHasher(), store: new MemoryStore(), clock: new ManualClock(), targetTraits: { caseInsensitive: true, windows: true } });
    session.addSource({ source: MemFs.from({ 'CON.txt': 'x', 'ok.txt': 'o', 'Same.md': '1', 'same.md': '2' }), id: 'x' });
    session.addSource({ source: new MemFs(), id: 'y' });
    await session.runInventory();
    const plan = session.planRules({ rules: [{ scope: 'files', mode: 'all', conditions: [], action: { do: 'copy', from: 'A1', to: 'A2' } }], targeted: [] });
    expect(plan.actions.map((a) => a.path)).toEqual(['ok.txt']);
    expect(plan.refusals.map((r) => `${r.path}:${r.detail}`).sort()).toEqual(['CON.txt:windows-reserved', 'Same.md:case-collision', 'same.md:case-collision']);
    const targeted = session.planRules({ rules: [], targeted: [{ paths: ['ok.txt'], action: { do: 'delete', on: 'A2' } }] });
    expect(targeted.refusals).toEqual([{ path: 'ok.txt', reason: 'nothing-to-delete', detail: 'A2' }]);
  });
});

describe('Local Session: small copies in flight', () => {
  /** A Mirror of 80 small files into an empty folder; the most writers open at once. */
  async function peakWriters(smallCopyConcurrency?: number): Promise<number> {
    const x = MemFs.from(Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`f${i}.txt`, `small ${i}`])));
    const y = MemFs.from({});
    const create = y.createWriter.bind(y);
    let open = 0;
    let peak = 0;
    y.createWriter = async (path) => {
      const writer = await create(path);
      peak = Math.max(peak, ++open);
      const close = <T>(p: Promise<T>) => p.finally(() => open--);
      return { write: (c) => writer.write(c), commit: () => close(writer.commit()), abort: () => close(writer.abort()) };
    };
    const session = createLocalSession({ hasher: new NobleHasher(), store: new MemoryStore(), clock: new ManualClock(), ...(smallCopyConcurrency ? { smallCopyConcurrency } : {}) });
    session.addSource({ source: x, id: 'x' });
    session.addSource({ source: y, id: 'y' });
    await session.runInventory();
    const result = await session.synchronize(session.planPreset({ kind: 'mirror', from: 'A1', to: 'A2' }));
    expect(result.failures).toEqual([]);
    expect(y.snapshot({ exclude: ['.quintet'] })).toEqual(x.snapshot());
    return peak;
  }

  it('copies as many at once as the caller asks (the quintet command: 64, so its syncs share journal commits), else the engine’s 16', async () => {
    expect(await peakWriters()).toBe(16);
    expect(await peakWriters(64)).toBe(64);
  });
});

describe('Local Session: undo, then two-way again', () => {
  /** A two-way run carries x's edit of f to y; the run is undone on y (y holds the old f again). */
  async function editRunUndo() {
    const { undoLastRun } = await import('../versions/undo.ts');
    const store = new MemoryStore();
    const clock = new ManualClock();
    const x = MemFs.from({ f: 'old' });
    const y = MemFs.from({ f: 'old' });
    const session = createLocalSession({ hasher: new NobleHasher(), store, clock });
    session.addSource({ source: x, id: 'x' });
    session.addSource({ source: y, id: 'y' });
    await session.runInventory();
    await session.synchronize(session.planPreset({ kind: 'two-way' })); // the base: f = old on both
    x.writeFile('f', 'edit', clock.now() + 5000);
    clock.advance(60_000);
    await session.runInventory();
    await session.synchronize(session.planPreset({ kind: 'two-way' }));
    expect(new TextDecoder().decode(y.readFile('f'))).toBe('edit');
    clock.advance(60_000);
    const undone = await undoLastRun({ sink: y, hasher: new NobleHasher(), clock });
    expect(undone.restored).toEqual(['f']);
    expect(new TextDecoder().decode(y.readFile('f'))).toBe('old');
    return { session, x, y };
  }
  const texts = (fs: MemFs) => Object.values(fs.snapshot({ exclude: ['.quintet'] })).map((b) => (b ? new TextDecoder().decode(b) : null)).sort();

  it('without forgetting the base, the next two-way reads the undone side as an edit and carries the old content over x’s edit', async () => {
    const { session, x } = await editRunUndo();
    await session.runInventory();
    await session.synchronize(session.planPreset({ kind: 'two-way' }));
    expect(new TextDecoder().decode(x.readFile('f'))).toBe('old'); // why forgetBase exists: x's edit left its place
  });

  it('with forgetBase after the undo, the next two-way keeps both contents on both sides (a conflict), x’s edit in place', async () => {
    const { session, x, y } = await editRunUndo();
    await session.forgetBase(['f']);
    await session.runInventory();
    await session.synchronize(session.planPreset({ kind: 'two-way' }));
    expect(new TextDecoder().decode(x.readFile('f'))).toBe('edit');
    expect(texts(x)).toEqual(['edit', 'old']);
    expect(texts(y)).toEqual(['edit', 'old']);
  });
});
