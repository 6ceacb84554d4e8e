import { describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../../core/events.ts';
import type { LocalSession, LocalSessionEvents } from '../../../core/local/local-session-types.ts';
import type { Comparison } from '../../../core/compare/types.ts';
import type { Plan } from '../../../core/plan/types.ts';
import type { RunResult } from '../../../core/transfer/types.ts';
import { DEFAULT_SETTINGS } from '../../../core/settings/settings.ts';

// The page's ports (IndexedDB, workers) are not needed: the session is handed in.
const time = vi.hoisted(() => ({ now: 0 }));
vi.mock('./platform.ts', () => ({ clock: { now: () => time.now, after: () => () => undefined }, store: {}, platformHasher: () => ({}) }));
const { LocalSessionState } = await import('./local-session.svelte.ts');

const emptyPlan: Plan = { actions: [], refusals: [], summary: { copies: 0, overwrites: 0, bytes: 0, directories: 0, deletions: 0 } };

/** A stand-in Local Session: its emitter, and every call recorded. */
function fakeSession() {
  const calls: string[] = [];
  const events = new Emitter<LocalSessionEvents>();
  const session = {
    phase: 'idle', settings: { ...DEFAULT_SETTINGS, exclusionPatterns: [] }, hasBase: false, inventories: [],
    sources: [] as { code: string }[], walks: {} as Record<string, string>,
    walkOf(code: string) {
      return this.walks[code] ?? null;
    },
    on: events.on.bind(events),
    setSettings: (s: { analysisMode: string }) => (calls.push(`setSettings ${s.analysisMode}`), []),
    planPreset: (p: unknown) => (calls.push(`planPreset ${JSON.stringify(p)}`), emptyPlan),
    planRules: (i: { rules: unknown[]; targeted: unknown[] }) => (calls.push(`planRules ${i.rules.length} ${JSON.stringify(i.targeted)}`), emptyPlan),
    removeLeftovers: async (code: string) => (calls.push(`removeLeftovers ${code}`), { files: [], bytes: 0 }),
  };
  return { session: session as unknown as LocalSession, events, calls };
}

describe('LocalSessionState only projects the engine’s events', () => {
  it('names the sources the last inventory looked at only where their observer reported changes', () => {
    const { session, events } = fakeSession();
    const s = new LocalSessionState(session);
    const fake = session as unknown as { sources: { code: string }[]; walks: Record<string, string> };
    fake.sources = [{ code: 'A1' }, { code: 'A2' }, { code: 'A3' }];
    fake.walks = { A1: 'partial', A2: 'whole', A3: 'partial' };
    events.emit('comparison.ready', { sources: ['A1', 'A2', 'A3'], rows: [] } as unknown as Comparison);
    expect(s.observedOnly).toEqual(['A1', 'A3']);
    fake.walks = { A1: 'whole', A2: 'whole', A3: 'whole' };
    events.emit('comparison.ready', { sources: ['A1', 'A2', 'A3'], rows: [] } as unknown as Comparison);
    expect(s.observedOnly).toEqual([]);
  });

  it('shows the files left staged in each folder as the engine reports them, and asks the engine to remove them', async () => {
    const { session, events, calls } = fakeSession();
    const s = new LocalSessionState(session);
    const found = { files: [{ name: 'x.txt', size: 3, mtime: 1 }], bytes: 3 };
    events.emit('leftovers.changed', { A2: found });
    expect(s.leftovers).toEqual({ A2: found });
    await s.removeLeftovers('A2');
    expect(calls).toEqual(['removeLeftovers A2']);
    events.emit('leftovers.changed', {});
    expect(s.leftovers).toEqual({});
  });

  it('says each source’s inventory time left once its walk is over, from the hashing’s own rate', () => {
    const { session, events } = fakeSession();
    const s = new LocalSessionState(session);
    const hashing = (files: number, bytes: number, at: number) => {
      time.now = at;
      events.emit('inventory.progress', { source: 'A1', files: 100, bytes: 10_000, hashedBytes: bytes, rate: 0, done: false, toHash: { files: 100, bytes: 10_000 }, hashedFiles: files, current: `f${files}` });
    };
    events.emit('inventory.progress', { source: 'A1', files: 50, bytes: 5000, hashedBytes: 0, rate: 0, done: false });
    expect(s.inventoryLeft).toEqual({ A1: null }); // the walk: nothing to say yet
    hashing(0, 0, 1000);
    hashing(10, 1000, 2000);
    expect(s.inventoryLeft.A1).toBeCloseTo(9); // 9,000 bytes at 1,000 B/s; 90 files at 10/s
    expect(s.progress.A1?.current).toBe('f10');
    events.emit('inventory.progress', { source: 'A1', files: 100, bytes: 10_000, hashedBytes: 10_000, rate: 0, done: true, toHash: { files: 100, bytes: 10_000 }, hashedFiles: 100 });
    expect(s.inventoryLeft.A1).toBe(0);
  });

  it('phase, sources, progress, comparison, sync progress and result follow the events; a sources change drops the plan and the figures', () => {
    const { session, events } = fakeSession();
    const s = new LocalSessionState(session);
    events.emit('phase.changed', 'inventory');
    events.emit('inventory.progress', { source: 'A1', files: 3, bytes: 30, hashedBytes: 30, rate: 10, done: false });
    expect(s.phase).toBe('inventory');
    expect(s.busy).toBe(true);
    expect(s.progress.A1?.files).toBe(3);
    const comparison = { sources: ['A1', 'A2'], rows: [] } as unknown as Comparison;
    events.emit('comparison.ready', comparison);
    events.emit('phase.changed', 'compared');
    expect(s.comparison).toBe(comparison);
    expect(s.canPlan).toBe(true);
    s.applyPreset('mirror', 'A1', 'A2');
    s.toggleSelected('x');
    expect(s.plan).toBe(emptyPlan);
    expect([...s.selected]).toEqual(['x']);
    events.emit('sync.progress', { actionsDone: 1, actionsTotal: 2, bytesDone: 5, bytesTotal: 10, rate: 1 } as never);
    expect(s.syncProgress).toMatchObject({ bytesDone: 5 });
    const result = { applied: [], failures: [], bytesWritten: 0 } as unknown as RunResult;
    events.emit('sync.done', result);
    expect(s.result).toBe(result);
    events.emit('permission.refused', ['A2']);
    expect(s.permissionRefused).toEqual(['A2']);
    events.emit('sources.changed', [{ code: 'A1', rootKind: 'directory', name: 'a' }]);
    expect([s.plan, s.comparison, s.selected.size]).toEqual([null, null, 0]);
    // A folder added under a code another had must not show that one's figures or result.
    expect([s.progress, s.result, s.syncProgress, s.permissionRefused]).toEqual([{}, null, null, []]);
    expect(s.sources).toEqual([{ code: 'A1', rootKind: 'directory', name: 'a' }]);
  });

  it('clicks become calls on the session: settings, preset, rules and targeted actions', () => {
    const { session, events, calls } = fakeSession();
    const s = new LocalSessionState(session);
    events.emit('sources.changed', [{ code: 'A1', rootKind: 'directory', name: 'a' }, { code: 'A2', rootKind: 'directory', name: 'b' }]);
    s.updateSettings({ analysisMode: 'checksum' });
    s.applyRules(); // not compared yet: no call
    events.emit('phase.changed', 'compared');
    s.applyPreset('two-way', '', '');
    s.toggleSelected('docs/a.txt');
    s.targetSelection('copy:A1');
    expect(calls).toEqual([
      'setSettings checksum',
      'planPreset {"kind":"two-way"}',
      'planRules 0 [{"paths":["docs/a.txt"],"action":{"do":"copy","from":"A1","to":"A2"}}]',
    ]);
    expect(s.selected.size).toBe(0);
    expect(s.targeted).toHaveLength(1);
  });

  it('the conflict centre’s plan is shown only while the page may plan, and replaces the preset it came from', () => {
    const { session, events } = fakeSession();
    const s = new LocalSessionState(session);
    const resolutions: Plan = { ...emptyPlan, actions: [{ type: 'delete', target: 'A1', path: 'a.conflict-A2-20240115-120000.txt', kind: 'file' }] };
    s.showPlan(resolutions); // idle: refused
    expect(s.plan).toBeNull();
    events.emit('phase.changed', 'compared');
    s.applyPreset('two-way', '', '');
    expect(s.lastPreset).not.toBeNull();
    s.showPlan(resolutions);
    expect([s.plan, s.lastPreset]).toEqual([resolutions, null]);
    events.emit('phase.changed', 'syncing');
    s.showPlan(emptyPlan);
    expect(s.plan).toBe(resolutions);
  });
});
