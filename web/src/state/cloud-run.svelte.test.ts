import { describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../../core/events.ts';
import type { CloudMember } from '../../../core/cloud/member.ts';
import type { CloudEvents } from '../../../core/cloud/cloud-session-types.ts';
import type { CloudRunEvents } from '../../../core/cloud/run/cloud-run-types.ts';
import type { Comparison } from '../../../core/compare/types.ts';
import type { ResolvedPlan } from '../../../core/cloud/run/cloud-run-plan.ts';
import type { RunProgressMessage, RunResultMessage } from '../../../core/protocol/run-messages.ts';
import { DEFAULT_SETTINGS, type SessionSettings } from '../../../core/settings/settings.ts';
import { CloudRunState } from './cloud-run.svelte.ts';
import { history } from './run-history.svelte.ts';
import { lineText, liveLog } from './live-log.svelte.ts';
import { i18n } from '../i18n/i18n.svelte.ts';

/** A stand-in member: the engine's two emitters and the few values the state reads; every call is recorded. */
function fakeMember(leader: boolean) {
  const calls: string[] = [];
  const session = Object.assign(new Emitter<CloudEvents>(), { members: [{ id: 'm1', letter: 'A', name: 'office' }, { id: 'm2', letter: 'B', name: 'nas' }] });
  const results = new Map<string, RunResultMessage>();
  const run = Object.assign(new Emitter<CloudRunEvents>(), {
    results, sources: [{ code: 'A1', rootKind: 'directory', name: 'a' }, { code: 'B1', rootKind: 'directory', name: 'b' }], hasBase: true, observedOnly: ['B1'],
    needsWrite: async () => ['B1'],
    undo: { last: 's', current: null },
    planPreset: (p: unknown) => (calls.push(`planPreset ${JSON.stringify(p)}`), { actions: [], refusals: [], summary: { copies: 0, overwrites: 0, bytes: 0, directories: 0, deletions: 0 } }),
  });
  const member = {
    session, run, isLeader: leader, settings: { ...DEFAULT_SETTINGS, exclusionPatterns: [] } as SessionSettings,
    startInventory: async () => void calls.push('startInventory'),
    changeSettings: (s: SessionSettings) => (calls.push(`changeSettings ${s.analysisMode}`), { issues: [], sent: Promise.resolve() }),
  };
  return { member: member as unknown as CloudMember, session, run, results, calls };
}
const tick = () => new Promise((r) => setTimeout(r, 0));
const comparison = { sources: ['A1', 'B1'], rows: [] } as unknown as Comparison;
const progress = (stage: 'inventory' | 'sync', bytes: number, rate: number): RunProgressMessage => ({ type: 'run-progress', v: 1, run: 'r', stage, files: 1, filesTotal: 2, bytes, bytesTotal: 1000, rate, done: false });

describe('CloudRunState only projects the engine’s events', () => {
  it('says each member’s inventory time left once its walks are over, and forgets it at a new inventory', () => {
    vi.useFakeTimers();
    try {
      const { member, run } = fakeMember(false);
      const s = new CloudRunState(member);
      const inventory = (hashing: RunProgressMessage['hashing'], at: number) => {
        vi.setSystemTime(at);
        run.emit('progress', 'm2', { type: 'run-progress', v: 1, run: 'r', stage: 'inventory', files: 100, filesTotal: 100, bytes: 10_000, bytesTotal: 10_000, rate: 0, done: false, ...(hashing ? { hashing } : {}), current: 'B1/x.txt' });
      };
      inventory(undefined, 0);
      expect(s.inventoryLeft).toEqual({ m2: null }); // still walking
      inventory({ files: 0, filesTotal: 100, bytes: 0, bytesTotal: 10_000 }, 1000);
      inventory({ files: 10, filesTotal: 100, bytes: 1000, bytesTotal: 10_000 }, 2000);
      expect(s.inventoryLeft.m2).toBeCloseTo(9); // 9,000 bytes at 1,000 B/s
      expect(s.progress.m2?.current).toBe('B1/x.txt');
      run.emit('state.changed', 'inventory');
      expect(s.inventoryLeft).toEqual({});
    } finally {
      vi.useRealTimers();
    }
  });

  it('state, comparison, sources, progress, results and problems follow the events; a new inventory clears the round', async () => {
    const { member, session, run, results } = fakeMember(false);
    const s = new CloudRunState(member);
    expect(s.state).toBe('idle');
    expect(s.settings).toEqual(member.settings);

    run.emit('state.changed', 'compared');
    run.emit('comparison.ready', comparison);
    await tick();
    expect(s.state).toBe('compared');
    expect(s.comparison).toBe(comparison);
    expect(s.sources).toEqual([{ code: 'A1', rootKind: 'directory' }, { code: 'B1', rootKind: 'directory' }]);
    expect(s.hasBase).toBe(true);
    expect(s.observedOnly).toEqual(['B1']);
    expect(s.needWrite).toEqual(['B1']);
    expect(s.writeChecked).toBe(true);

    run.emit('progress', 'm1', progress('sync', 200, 50));
    run.emit('progress', 'm2', progress('sync', 300, 50));
    expect(s.overall).toMatchObject({ bytes: 500, bytesTotal: 2000, rate: 100, secondsLeft: 15 });

    const result: RunResultMessage = { type: 'run-result', v: 1, run: 's', done: [0], failed: [], skipped: [1], bytes: 5, ms: 1, denied: ['B1'] };
    results.set('m2', result);
    run.emit('result', 'm2', result);
    expect(s.results).toEqual({ m2: result });
    expect(s.denied).toEqual(['B1']);
    expect(s.unflushedOf('m2')).toEqual([]);
    const unflushed: RunResultMessage = { ...result, unflushed: [{ source: 'B1', message: 'EIO: fsync' }] };
    results.set('m2', unflushed);
    run.emit('result', 'm2', unflushed);
    expect(s.unflushedOf('m2')).toEqual([{ source: 'B1', message: 'EIO: fsync' }]);
    expect(s.unflushedOf('m1')).toEqual([]);
    results.set('m2', result);
    run.emit('result', 'm2', result);
    const resolved = { actions: [{ type: 'copy', from: 'A1', target: 'B1', path: 'x', targetPath: 'x' }, { type: 'copy', from: 'A1', target: 'B1', path: 'y', targetPath: 'y' }], targets: ['B1', 'B1'], summary: {}, conflicts: [] } as unknown as ResolvedPlan;
    run.emit('plan', resolved);
    expect(s.resolved).toBe(resolved);
    expect(s.deniedSkips).toEqual([{ path: 'y', reason: 'permission', detail: 'B1' }]);

    run.emit('problem', 'plan-refused');
    expect(s.problems).toEqual(['plan-refused']);

    run.emit('state.changed', 'inventory');
    expect([s.comparison, s.resolved, s.results, s.progress, s.observedOnly]).toEqual([null, null, {}, {}, []]);

    const settings = { ...DEFAULT_SETTINGS, exclusionPatterns: ['*.log'] };
    session.emit('settings.changed', settings);
    expect(s.settings).toBe(settings);
  });

  it('the leader’s clicks become calls on the member; a member’s page neither plans nor edits settings', async () => {
    const leader = fakeMember(true);
    const a = new CloudRunState(leader.member);
    leader.run.emit('state.changed', 'compared');
    leader.run.emit('comparison.ready', comparison);
    expect(a.canPlan).toBe(true);
    a.updateSettings({ analysisMode: 'checksum' });
    a.applyPreset('mirror', 'A1', 'B1');
    await a.startInventory();
    expect(leader.calls).toEqual(['changeSettings checksum', 'planPreset {"kind":"mirror","from":"A1","to":"B1"}', 'startInventory']);
    expect(a.plan).not.toBeNull();

    const other = fakeMember(false);
    const b = new CloudRunState(other.member);
    other.run.emit('state.changed', 'compared');
    expect([b.canPlan, b.canEditSettings]).toEqual([false, false]);
    b.updateSettings({ analysisMode: 'checksum' });
    b.applyRules();
    expect(other.calls).toEqual([]);
  });

  it('roles: the leader’s Role choice goes out with the settings (the default unlisted); a member’s page changes nothing', () => {
    const sent: SessionSettings[] = [];
    const leader = fakeMember(true);
    (leader.member as unknown as { changeSettings(s: SessionSettings): unknown }).changeSettings = (s: SessionSettings) => (sent.push(s), { issues: [], sent: Promise.resolve() });
    const a = new CloudRunState(leader.member);
    a.setRole('m2', 'send-only');
    expect(sent.at(-1)?.roles).toEqual({ m2: 'send-only' });
    leader.session.emit('settings.changed', { ...DEFAULT_SETTINGS, roles: { m2: 'send-only', gone: 'receive-only' } });
    a.setRole('m2', 'send-receive');
    expect(sent.at(-1)?.roles).toEqual({}); // a member who left loses its role too
    const other = fakeMember(false);
    new CloudRunState(other.member).setRole('m2', 'receive-only');
    expect(other.calls).toEqual([]);
  });

  it('local changes follow the engine’s event and are cleared by a new inventory', () => {
    const { member, run } = fakeMember(false);
    const s = new CloudRunState(member);
    run.emit('local.changed', [{ i: 0, source: 'B1', path: 'x', change: 'edited', actions: [0] }]);
    expect(s.localChanges.map((c) => c.path)).toEqual(['x']);
    run.emit('state.changed', 'inventory');
    expect(s.localChanges).toEqual([]);
  });

  it('once every member reported, the grid shows what the run left with no plan over it; a new inventory starts afresh', () => {
    const spy = vi.spyOn(history, 'record').mockImplementation(async () => undefined);
    const { member, run, results } = fakeMember(false);
    const state = new CloudRunState(member);
    const before = {
      sources: ['A1', 'B1'],
      rows: [{ path: 'x', cells: { A1: { kind: 'file', size: 3, hash: 'h' }, B1: null }, status: 'missing' }],
    } as unknown as Comparison;
    run.emit('comparison.ready', before);
    run.emit('state.changed', 'syncing');
    const resolved = { actions: [{ type: 'copy', from: 'A1', target: 'B1', path: 'x', targetPath: 'x', size: 3, hash: 'h' }], targets: ['B1'], summary: {}, conflicts: [] } as unknown as ResolvedPlan;
    run.emit('plan', resolved);
    expect(state.gridPlan?.actions).toHaveLength(1);
    const done: RunResultMessage = { type: 'run-result', v: 1, run: 's', done: [0], failed: [], skipped: [], bytes: 3, ms: 1 };
    const none: RunResultMessage = { type: 'run-result', v: 1, run: 's', done: [], failed: [], skipped: [], bytes: 0, ms: 1 };
    results.set('m2', done);
    run.emit('result', 'm2', done);
    expect(state.ran).toBe(false); // A has not reported: the plan still stands over the grid
    results.set('m1', none);
    run.emit('result', 'm1', none);
    expect(state.ran).toBe(true);
    expect(state.gridPlan).toBeNull();
    expect(state.comparison?.rows[0]).toMatchObject({ path: 'x', status: 'identical', cells: { B1: { kind: 'file', size: 3, hash: 'h' } } });
    run.emit('state.changed', 'inventory');
    expect([state.ran, state.comparison]).toEqual([false, null]);
    spy.mockRestore();
  });

  it('records the run once every member present at the start has reported, with who did what', async () => {
    const recorded: unknown[] = [];
    const spy = vi.spyOn(history, 'record').mockImplementation(async (r) => void recorded.push(r));
    const { member, run, results } = fakeMember(false);
    new CloudRunState(member);
    liveLog.clear();
    run.emit('state.changed', 'syncing');
    const resolved = { actions: [{ type: 'copy', from: 'A1', target: 'B1', path: 'x', targetPath: 'x' }, { type: 'mkdir', target: 'A1', path: 'd' }], targets: ['B1', 'A1'], summary: {}, conflicts: [] } as unknown as ResolvedPlan;
    run.emit('plan', resolved);
    const b: RunResultMessage = { type: 'run-result', v: 1, run: 's', done: [], failed: [{ i: 0, code: 'no-space', message: 'full' }], skipped: [], bytes: 0, ms: 1 };
    results.set('m2', b);
    run.emit('result', 'm2', b);
    expect(recorded).toHaveLength(0); // A has not reported yet
    const a: RunResultMessage = { type: 'run-result', v: 1, run: 's', done: [1], failed: [], skipped: [], bytes: 0, ms: 1 };
    results.set('m1', a);
    run.emit('result', 'm1', a);
    run.emit('result', 'm1', a); // a repeated event does not record twice
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ kind: 'cloud', status: 'partial', present: ['office', 'nas'], missing: [], errors: [{ source: 'B1', path: 'x', reason: 'no-space: full' }], counts: { planned: 2, done: 1, failed: 1 } });
    expect(liveLog.lines.map(lineText)).toEqual(['Cloud session: synchronization started, 2 members', 'B: 0 done, 1 failed, 0 skipped', 'A: 1 done, 0 failed, 0 skipped', 'Cloud session: Partial, 1/2 done, 0 bytes', 'A: 1 done, 0 failed, 0 skipped']);
    // Lines are messages: they read in the language of the moment they are shown.
    i18n.lang = 'fr';
    expect(lineText(liveLog.lines[3]!)).toMatch(/^Session cloud\u00a0: Partielle, 1\/2 faites, 0\s+octet$/);
    i18n.lang = 'en';
    spy.mockRestore();
  });
  it('a member shows the sources the leader’s plan left out as emptied, as skipped refusals of the plan it shows', () => {
    const { member, run } = fakeMember(false);
    const s = new CloudRunState(member);
    const plan = { actions: [null], targets: ['B1'], summary: {}, conflicts: [], roleRefused: [], held: [] };
    run.emit('plan', { ...plan, emptied: ['B1'] } as unknown as ResolvedPlan);
    expect(s.shown?.refusals).toEqual([{ path: '', reason: 'emptied', detail: 'B1' }]);
    run.emit('plan', { ...plan, emptied: [] } as unknown as ResolvedPlan);
    expect(s.shown?.refusals).toEqual([]);
  });
});
