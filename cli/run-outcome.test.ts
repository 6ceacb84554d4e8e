import { describe, expect, it } from 'vitest';
import type { Action, Plan } from '../core/plan/types.ts';
import type { RunResultMessage } from '../core/protocol/run-messages.ts';
import type { CloudMemberView } from '../core/cloud/cloud-session-types.ts';
import { hubOutcome, memberStatus, ownLeftOut, shareOf } from './run-outcome.ts';

const copy = (target: string, path: string): Action => ({ type: 'copy', from: 'A1', target, path, targetPath: path, size: 3, hash: 'h', blockSize: 131072, blocks: [], replaces: null });
const res = (over: Partial<RunResultMessage>): RunResultMessage => ({ type: 'run-result', v: 1, run: 'r', done: [], failed: [], skipped: [], bytes: 0, ms: 1, ...over });

describe('a group run’s record lists the targets a member could not flush to disk', () => {
  const actions = [copy('B1', 'x.txt'), copy('C1', 'y.txt')];
  const unflushed = res({ done: [0], bytes: 3, unflushed: [{ source: 'B1', message: 'EIO: fsync' }] });

  it('shareOf: one error per target, with the reason, beside the counts', () => {
    const share = shareOf('B', actions, unflushed);
    expect(share.counts).toMatchObject({ planned: 1, done: 1, failed: 0, skipped: 0 });
    expect(share.errors).toEqual([{ source: 'B1', path: '', reason: 'unflushed: EIO: fsync' }]);
    expect(shareOf('B', actions, res({ done: [0] })).errors).toEqual([]);
  });

  it('hubOutcome: partial, and says which targets, even when every action was done', () => {
    const plan: Plan = { actions, refusals: [], summary: { copies: 2, overwrites: 0, directories: 0, deletions: 0, bytes: 6 } };
    const members = [{ id: 'a', letter: 'A', name: 'hub' }, { id: 'b', letter: 'B', name: 'nas' }, { id: 'c', letter: 'C', name: 'laptop' }] as CloudMemberView[];
    const results = new Map([['a', res({})], ['b', unflushed], ['c', res({ done: [1], bytes: 3 })]]);
    const outcome = hubOutcome(plan, actions, results, members, ['hub', 'nas', 'laptop'], []);
    expect(outcome.status).toBe('partial');
    expect(outcome.message).toBe('not flushed to disk: B1');
    expect(outcome.errors).toEqual([{ source: 'B1', path: '', reason: 'unflushed: EIO: fsync' }]);
    results.set('b', res({ done: [0], bytes: 3 }));
    expect(hubOutcome(plan, actions, results, members, ['hub', 'nas', 'laptop'], []).status).toBe('ok');
  });
});

describe('a group run whose plan was refused as a whole', () => {
  it('hubOutcome: failed with the reason (a single-file source in a Two-way), never an ok of nothing done', () => {
    const plan: Plan = { actions: [], refusals: [{ path: '', reason: 'file-source-target', detail: 'B1' }], summary: { copies: 0, overwrites: 0, directories: 0, deletions: 0, bytes: 0 } };
    const members = [{ id: 'a', letter: 'A', name: 'hub' }, { id: 'b', letter: 'B', name: 'nas' }] as CloudMemberView[];
    const results = new Map([['a', res({})], ['b', res({})]]);
    const outcome = hubOutcome(plan, [], results, members, ['nas'], []);
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toBe('the plan was refused: file-source-target (B1)');
    // A plan with nothing to do is still ok.
    expect(hubOutcome({ ...plan, refusals: [] }, [], results, members, ['nas'], []).status).toBe('ok');
  });
});

describe('a group run where every planned action failed', () => {
  it('hubOutcome: failed (none was done, docs/profiles.md), as a local run records it, not partial', () => {
    const actions = [copy('B1', 'x.txt'), copy('B1', 'y.txt')];
    const plan: Plan = { actions, refusals: [], summary: { copies: 2, overwrites: 0, directories: 0, deletions: 0, bytes: 6 } };
    const members = [{ id: 'a', letter: 'A', name: 'hub' }, { id: 'b', letter: 'B', name: 'nas' }] as CloudMemberView[];
    const failed = res({ failed: [{ i: 0, code: 'no-space' as const, message: 'disk full' }, { i: 1, code: 'no-space' as const, message: 'disk full' }] });
    const results = new Map([['a', res({})], ['b', failed]]);
    const outcome = hubOutcome(plan, actions, results, members, ['nas'], []);
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toBe('2 failed, 0 skipped');
    // One done: partial.
    results.set('b', res({ done: [0], failed: [{ i: 1, code: 'no-space' as const, message: 'disk full' }] }));
    expect(hubOutcome(plan, actions, results, members, ['nas'], []).status).toBe('partial');
  });
});

describe('a group member’s status from its own result', () => {
  it('failed when it had actions and every one failed; partial with one done; ok, stopped and unflushed as before', () => {
    const actions = [copy('B1', 'x.txt'), copy('B1', 'y.txt')];
    const status = (r: RunResultMessage) => memberStatus(r, shareOf('B', actions, r).counts);
    const fail = (i: number) => ({ i, code: 'no-space' as const, message: 'disk full' });
    expect(status(res({ failed: [fail(0), fail(1)] }))).toBe('failed');
    expect(status(res({ done: [0], failed: [fail(1)] }))).toBe('partial');
    expect(status(res({ done: [0, 1] }))).toBe('ok');
    expect(status(res({ done: [0, 1], unflushed: [{ source: 'B1', message: 'EIO' }] }))).toBe('partial');
    expect(status(res({ failed: [fail(0)], skipped: [1], stopped: true }))).toBe('stopped');
  });
});

describe('a group member whose own folder the hub’s Two-way left out as emptied (a disk not mounted?)', () => {
  it('shareOf: the folder is a skipped item with its reason, so the member’s record is partial, not ok', () => {
    const share = shareOf('B', [copy('C1', 'x.txt')], res({}), ownLeftOut('B', ['B1']));
    expect(share.counts).toMatchObject({ planned: 0, done: 0, failed: 0, skipped: 1 });
    expect(share.errors).toEqual([{ source: 'B1', path: '', reason: 'emptied' }]);
    expect(memberStatus(res({}), share.counts)).toBe('partial');
  });

  it('ownLeftOut: the paths its own walk could not read are skipped items too, the other members’ are not its own', () => {
    const left = ownLeftOut('B', [], { A1: ['a.txt'], B2: ['locked/secret.txt'] });
    expect(left).toEqual([{ source: 'B2', path: 'locked/secret.txt', reason: 'unreadable' }]);
    expect(memberStatus(res({}), shareOf('B', [], res({}), left).counts)).toBe('partial');
  });
});
