import { describe, expect, it } from 'vitest';
import type { Action, Plan } from '../plan/types.ts';
import type { RunResult } from '../transfer/types.ts';
import type { RunResultMessage } from '../protocol/run-messages.ts';
import { recordFromCloudRun, recordFromLocalRun, runRecordId, statusOf } from './record-from-result.ts';

const copy = (target: string, path: string): Action => ({ type: 'copy', from: 'A1', target, path, targetPath: path, size: 3, hash: 'h', blockSize: 131072, blocks: [], replaces: null });
const mkdir = (target: string, path: string): Action => ({ type: 'mkdir', target, path });
const del = (target: string, path: string): Action => ({ type: 'delete', target, path, kind: 'file' });

const plan: Plan = {
  actions: [mkdir('A2', 'docs'), copy('A2', 'docs/a.txt'), copy('A2', 'b.txt'), del('A2', 'old.txt')],
  summary: { copies: 2, overwrites: 0, directories: 1, deletions: 1, bytes: 6 },
  refusals: [{ path: 'weird:name', reason: 'name-refused', detail: 'reserved' }],
};
const T0 = Date.UTC(2026, 10, 29, 2, 0, 0);

function result(over: Partial<RunResult> = {}): RunResult {
  return { startedAt: T0, endedAt: T0 + 1500, runId: '20261129-020000', done: 4, failures: [], bytesWritten: 6, cancelled: false, ...over };
}

describe('runRecordId', () => {
  it('is the UTC start, file-name safe, with the suffix, and sorts by time', () => {
    expect(runRecordId(T0, '3f9a')).toBe('2026-11-29T02-00-00.000Z-3f9a');
    expect(runRecordId(T0 + 1000, '0000') > runRecordId(T0, 'ffff')).toBe(true);
  });
});

describe('recordFromLocalRun', () => {
  it('an all-done run is ok, with counts per action kind, bytes, times and no errors', () => {
    const r = recordFromLocalRun({ profile: 'Photos', plan: { ...plan, refusals: [] }, result: result(), start: 0, end: 0, suffix: 'ab12' });
    expect(r).toEqual({
      id: '2026-11-29T02-00-00.000Z-ab12', profile: 'Photos', kind: 'local', start: '2026-11-29T02:00:00.000Z', end: '2026-11-29T02:00:01.500Z', durationMs: 1500,
      status: 'ok', present: [], missing: [], counts: { planned: 4, done: 4, failed: 0, skipped: 0, byAction: { mkdir: 1, copy: 2, delete: 1 } }, perMember: [], bytes: 6, errors: [],
    });
  });

  it('lists every failure and skipped item with its reason, and is partial', () => {
    const r = recordFromLocalRun({
      profile: 'p', plan, start: 0, end: 0, suffix: 'x',
      result: result({ done: 2, failures: [{ action: copy('A2', 'b.txt'), code: 'not-found', message: 'vanished' }, { action: del('A2', 'old.txt'), code: 'permission-denied', message: 'no' }], skipped: [{ path: 'weird:name', reason: 'name-refused', detail: 'reserved' }, { path: 'x', reason: 'permission', detail: 'A2' }] }),
    });
    expect(r.status).toBe('partial');
    expect(r.counts).toMatchObject({ planned: 4, done: 2, failed: 2, skipped: 2 });
    expect(r.errors).toEqual([
      { source: 'A2', path: 'b.txt', reason: 'not-found: vanished' },
      { source: 'A2', path: 'old.txt', reason: 'permission-denied: no' },
      { path: 'weird:name', reason: 'skipped: name-refused (reserved)' },
      { source: 'A2', path: 'x', reason: 'skipped: permission (A2)' },
    ]);
  });

  it('is failed when nothing was done and something failed, stopped when cancelled, failed with the reason when it threw', () => {
    const none = recordFromLocalRun({ profile: 'p', plan, start: 0, end: 0, suffix: 'x', result: result({ done: 0, failures: [{ action: copy('A2', 'b.txt'), code: 'no-space', message: 'full' }] }) });
    expect(none.status).toBe('failed');
    const stopped = recordFromLocalRun({ profile: 'p', plan, start: 0, end: 0, suffix: 'x', result: result({ done: 1, cancelled: true }) });
    expect(stopped.status).toBe('stopped');
    expect(stopped.message).toBe('stopped before the end');
    const threw = recordFromLocalRun({ profile: 'p', plan, start: T0, end: T0 + 20, suffix: 'x', result: null, failure: 'permission-denied: A2' });
    expect(threw).toMatchObject({ status: 'failed', message: 'permission-denied: A2', durationMs: 20, bytes: 0, counts: { planned: 4, done: 0 } });
    // The plan's skipped items are still listed when the run never returned.
    expect(threw.errors).toEqual([{ path: 'weird:name', reason: 'skipped: name-refused (reserved)' }]);
  });

  it('says which targets could not record the run (undo impossible there)', () => {
    const r = recordFromLocalRun({ profile: 'p', plan: { ...plan, refusals: [] }, start: 0, end: 0, suffix: 'x', result: result({ unrecorded: [{ target: 'A2', message: 'disk full' }] }) });
    expect(r.errors).toEqual([{ source: 'A2', path: '', reason: 'unrecorded: disk full' }]);
    // Every action done, but no undo there: not ok (as `quintet run` records it, runner.ts statusOf).
    expect(r.status).toBe('partial');
  });

  it('a plan refused as a whole ran nothing: failed with the reason, not ok', () => {
    const refusedPlan = { actions: [], refusals: [{ path: '', reason: 'contradictory' as const, detail: 'two-way-flat' }], summary: plan.summary };
    const r = recordFromLocalRun({ profile: 'p', plan: refusedPlan, start: 0, end: 0, suffix: 'x', result: result({ done: 0 }) });
    expect(r).toMatchObject({ status: 'failed', message: 'the plan was refused: contradictory (two-way-flat)' });
  });
});

describe('statusOf', () => {
  it('orders failed over stopped over the counts', () => {
    expect(statusOf({ stopped: true, failedWhole: true, done: 1, failed: 0, skipped: 0 })).toBe('failed');
    expect(statusOf({ stopped: true, failedWhole: false, done: 1, failed: 1, skipped: 0 })).toBe('stopped');
    expect(statusOf({ stopped: false, failedWhole: false, done: 0, failed: 0, skipped: 1 })).toBe('partial');
    expect(statusOf({ stopped: false, failedWhole: false, done: 0, failed: 0, skipped: 0 })).toBe('ok');
  });
});

describe('recordFromCloudRun', () => {
  const members = [{ id: 'a', letter: 'A', name: 'office' }, { id: 'b', letter: 'B', name: 'nas' }, { id: 'c', letter: 'C', name: 'laptop' }];
  const actions = [copy('B1', 'x.txt'), copy('B1', 'y.txt'), mkdir('C1', 'd'), null];
  const targets = ['B1', 'B1', 'C1', 'C1'];
  const res = (over: Partial<RunResultMessage>): RunResultMessage => ({ type: 'run-result', v: 1, run: 'r', done: [], failed: [], skipped: [], bytes: 0, ms: 10, ...over });

  it('splits counts per member, lists failures and skipped items by path, and names the missing member', () => {
    const r = recordFromCloudRun({
      profile: 'Branches', actions, targets, members, start: T0, end: T0 + 2000, suffix: 'c0de',
      results: { a: res({}), b: res({ done: [0], failed: [{ i: 1, code: 'changed', message: 'moved on' }], bytes: 3 }) },
      refusals: [{ path: 'u', reason: 'unreadable', detail: 'A1' }],
    });
    expect(r.kind).toBe('cloud');
    expect(r.present).toEqual(['office', 'nas']);
    expect(r.missing).toEqual(['laptop']);
    expect(r.status).toBe('partial');
    expect(r.message).toBe('no result from laptop');
    expect(r.perMember).toEqual([
      { letter: 'A', name: 'office', counts: { planned: 0, done: 0, failed: 0, skipped: 0, byAction: {} }, bytes: 0 },
      { letter: 'B', name: 'nas', counts: { planned: 2, done: 1, failed: 1, skipped: 0, byAction: { copy: 2 } }, bytes: 3 },
    ]);
    expect(r.counts).toEqual({ planned: 4, done: 1, failed: 1, skipped: 1, byAction: { copy: 2, mkdir: 1 } });
    expect(r.errors).toEqual([{ source: 'B1', path: 'y.txt', reason: 'changed: moved on' }, { path: 'u', reason: 'skipped: unreadable (A1)' }]);
  });

  it('is stopped when the leader stopped, and names permission skips with their folder', () => {
    const r = recordFromCloudRun({
      profile: 'p', actions, targets, members: members.slice(0, 2), start: T0, end: T0, suffix: 'x',
      results: new Map([['a', res({})], ['b', res({ done: [0], skipped: [1], stopped: true })]]),
    });
    expect(r.status).toBe('stopped');
    expect(r.errors).toEqual([{ source: 'B1', path: 'y.txt', reason: 'skipped: stopped' }]);
    const denied = recordFromCloudRun({
      profile: 'p', actions, targets, members: members.slice(0, 2), start: T0, end: T0, suffix: 'x',
      results: { a: res({}), b: res({ skipped: [0, 1], denied: ['B1'] }) },
    });
    expect(denied.status).toBe('partial');
    expect(denied.errors.map((e) => e.reason)).toEqual(['skipped: permission (B1)', 'skipped: permission (B1)']);
  });

  it('lists each target a member could not flush to disk, and is partial for it even with everything done', () => {
    const r = recordFromCloudRun({
      profile: 'p', actions: actions.slice(0, 3), targets: targets.slice(0, 3), members, start: T0, end: T0 + 5, suffix: 'x',
      results: { a: res({}), b: res({ done: [0, 1], bytes: 6, unflushed: [{ source: 'B1', message: 'EIO: fsync' }] }), c: res({ done: [2] }) },
    });
    expect(r.errors).toEqual([{ source: 'B1', path: '', reason: 'unflushed: EIO: fsync' }]);
    expect(r.status).toBe('partial');
    expect(r.message).toBe('not flushed to disk: B1');
  });

  it('is ok when every member reported everything done', () => {
    const r = recordFromCloudRun({ profile: 'p', actions: actions.slice(0, 3), targets: targets.slice(0, 3), members, start: T0, end: T0 + 5, suffix: 'x', results: { a: res({}), b: res({ done: [0, 1], bytes: 6 }), c: res({ done: [2] }) } });
    expect(r).toMatchObject({ status: 'ok', bytes: 6, missing: [], errors: [], counts: { planned: 3, done: 3 } });
  });

  it('a member’s own source the leader’s Two-way left out as emptied is a skipped item (partial), counted once beside the leader’s refusal', () => {
    const input = { profile: 'p', actions: actions.slice(0, 3), targets: targets.slice(0, 3), members, start: T0, end: T0 + 5, suffix: 'x', results: { a: res({}), b: res({ done: [0, 1], bytes: 6 }), c: res({ done: [2] }) } };
    // A member's page: no refusals, only its resolved plan's `emptied`.
    const member = recordFromCloudRun({ ...input, emptied: ['C2'] });
    expect(member).toMatchObject({ status: 'partial', counts: { planned: 3, done: 3, skipped: 1 } });
    expect(member.errors).toEqual([{ source: 'C2', path: '', reason: 'skipped: emptied (C2)' }]);
    // The leader's page: the plan's refusal names it already.
    const leader = recordFromCloudRun({ ...input, emptied: ['A2'], refusals: [{ path: '', reason: 'emptied', detail: 'A2' }] });
    expect(leader.counts.skipped).toBe(1);
  });
});
