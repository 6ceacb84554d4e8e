import { describe, expect, it } from 'vitest';
import { createLocalSession } from './local-session.ts';
import { MemFs } from '../testing/memfs.ts';
import { MemoryStore } from '../testing/memory-store.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import type { AccessState } from '../ports.ts';

function make() {
  return createLocalSession({ hasher: new NobleHasher(), store: new MemoryStore(), clock: new ManualClock() });
}

/** Records the access modes asked, and refuses write when told to (the user clicked "Don't allow"). */
function asking(fs: MemFs, write: AccessState) {
  const asked: string[] = [];
  fs.access = async (mode, request) => {
    asked.push(`${mode}${request ? '!' : '?'}`);
    return mode === 'readwrite' ? write : 'granted';
  };
  return asked;
}

describe('Local Session: every item seen is synchronized or skipped and counted (issue 9, findings 11–13)', () => {
  it('an unreadable file is a Skipped row of the comparison, named by its path and counted in the result; the rest is synchronized', async () => {
    const session = make();
    const x = MemFs.from({ a: 'new', bad: 'secret', d: { f: 'y' } });
    const y = MemFs.from({});
    x.failAlways('open', 'bad', 'permission-denied');
    session.addSource({ source: x, id: 'x' });
    session.addSource({ source: y, id: 'y' });
    const comparison = await session.runInventory();
    expect(comparison.rows.find((r) => r.path === 'bad')).toMatchObject({ unreadable: ['A1'] });
    const plan = session.planPreset({ kind: 'mirror', from: 'A1', to: 'A2' });
    expect(plan.refusals).toEqual([{ path: 'bad', reason: 'unreadable', detail: 'A1' }]);
    const result = await session.synchronize(plan);
    expect(result.failures).toEqual([]);
    expect(result.skipped).toEqual([{ path: 'bad', reason: 'unreadable', detail: 'A1' }]);
    expect(y.snapshot({ exclude: ['.quintet'] })).toEqual(MemFs.from({ a: 'new', d: { f: 'y' } }).snapshot());
  });

  it('a platform abort on one entry blocks only that entry, not the whole inventory and plan', async () => {
    const session = make();
    const x = MemFs.from({ a: 'new', bad: 'x', d: { f: 'y' }, locked: { g: 'z' } });
    x.failAlways('open', 'bad', 'cancelled');
    x.failAlways('list', 'locked', 'cancelled');
    session.addSource({ source: x, id: 'x' });
    session.addSource({ source: MemFs.from({}), id: 'y' });
    await session.runInventory();
    expect(session.inventories[0]?.errors.map((e) => e.path)).toEqual(['bad', 'locked']);
    const plan = session.planPreset({ kind: 'mirror', from: 'A1', to: 'A2' });
    expect(plan.actions.map((a) => a.path).sort()).toEqual(['a', 'd', 'd/f']);
    expect(plan.refusals.map((r) => r.path)).toEqual(['bad', 'locked']);
  });

  it('a target directory holding an unreadable item is not deleted whole: its readable items go, the unread one stays', async () => {
    const session = make();
    const y = MemFs.from({ old: { f: '1', locked: { secret: '2' } } });
    y.failAlways('list', 'old/locked', 'permission-denied');
    session.addSource({ source: MemFs.from({ a: 'x' }), id: 'x' });
    session.addSource({ source: y, id: 'y' });
    await session.runInventory();
    const plan = session.planPreset({ kind: 'mirror', from: 'A1', to: 'A2' });
    expect(plan.actions.filter((a) => a.type === 'delete').map((a) => a.path)).toEqual(['old/f']);
    expect(plan.refusals).toEqual(expect.arrayContaining([{ path: 'old/locked', reason: 'unreadable', detail: 'A2' }, { path: 'old', reason: 'unreadable', detail: 'A2' }]));
    y.clearFaults();
    await session.synchronize(plan);
    expect(y.snapshot({ exclude: ['.quintet'] })).toEqual(MemFs.from({ a: 'x', old: { locked: { secret: '2' } } }).snapshot());
  });

  it('inventory asks read access only; write is asked at synchronize for the targets; a refusal skips their items with reason permission', async () => {
    const session = make();
    const x = MemFs.from({ a: '1', d: { b: '2' } });
    const y = MemFs.from({ old: '3' });
    const readOnly = asking(x, 'granted');
    const target = asking(y, 'denied');
    session.addSource({ source: x, id: 'x' });
    session.addSource({ source: y, id: 'y' });
    await session.runInventory();
    expect([...readOnly, ...target]).toEqual(['read!', 'read!']);
    const refused: string[][] = [];
    session.on('permission.refused', (codes) => refused.push(codes));
    const plan = session.planPreset({ kind: 'mirror', from: 'A1', to: 'A2' });
    expect(plan.actions).toHaveLength(4);
    const result = await session.synchronize(plan);
    expect(readOnly).toEqual(['read!']); // the source is never asked for write
    expect(target).toEqual(['read!', 'readwrite!']);
    expect(refused).toEqual([['A2']]);
    expect(result.done).toBe(0);
    expect(result.failures).toEqual([]);
    expect(result.skipped?.map((s) => `${s.reason}:${s.detail}:${s.path}`).sort()).toEqual(['permission:A2:a', 'permission:A2:d', 'permission:A2:d/b', 'permission:A2:old']);
    expect(y.snapshot()).toEqual(MemFs.from({ old: '3' }).snapshot());
  });
});
