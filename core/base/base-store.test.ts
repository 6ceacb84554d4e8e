import { describe, expect, it } from 'vitest';
import { BaseStore, baseKey, profileId } from './base-store.ts';
import type { BaseStates } from './base-types.ts';
import type { Comparison } from '../compare/types.ts';
import type { Store } from '../ports.ts';
import { MemoryStore } from '../testing/memory-store.ts';

const ids = new Map([['A1', 'x'], ['B1', 'y']]);
/** Both sources hold `f` with content `hash` (and A1 alone `g`, when given). */
const both = (hash: string, g?: string) =>
  ({
    sources: ['A1', 'B1'],
    rows: [
      { path: 'f', cells: { A1: { kind: 'file', hash }, B1: { kind: 'file', hash } }, status: 'same' },
      ...(g ? [{ path: 'g', cells: { A1: { kind: 'file', hash: g }, B1: { kind: 'file', hash: g } }, status: 'same' }] : []),
    ],
  }) as unknown as Comparison;
const base = (hash: string): BaseStates => ({ A1: new Map([['f', `f:${hash}` as const]]), B1: new Map([['f', `f:${hash}` as const]]) });

describe('BaseStore', () => {
  it('writes a round of no change once: the next identical base is not stored again, a different one is', async () => {
    const store = new MemoryStore();
    const first = new BaseStore(store, ids);
    expect(await first.load()).toBeNull();
    await first.record(both('1'), [], null);
    expect(store.writes).toBe(1);

    const again = new BaseStore(store, ids); // the next round: loads what the store holds, records the same
    const loaded = await again.load();
    expect(await again.record(both('1'), [], loaded)).toEqual(base('1'));
    expect(store.writes).toBe(1);

    await again.record(both('2'), [], loaded);
    expect(store.writes).toBe(2);
    expect(await new BaseStore(store, ids).load()).toEqual(base('2'));
  });

  it('writes again after a save that failed (what the store holds is then unknown)', async () => {
    const store = new MemoryStore();
    let fail = true;
    const flaky: Store = { get: (k) => store.get(k), del: (k) => store.del(k), set: (k, v) => (fail ? Promise.reject(new Error('quota')) : store.set(k, v)) };
    const profile = new BaseStore(flaky, ids);
    await profile.load();
    await profile.record(both('1'), [], null);
    expect(store.data.has(baseKey(profileId(['x', 'y'])))).toBe(false);
    fail = false;
    await profile.record(both('1'), [], null);
    expect(await new BaseStore(store, ids).load()).toEqual(base('1'));
  });

  it('an entry fewer or more is a change, stored', async () => {
    const store = new MemoryStore();
    const profile = new BaseStore(store, ids);
    await profile.load();
    await profile.record(both('1', '9'), [], null);
    await profile.record(both('1'), [], null);
    expect(store.writes).toBe(2);
    expect(await new BaseStore(store, ids).load()).toEqual(base('1'));
    await profile.record(both('1', '9'), [], null);
    expect(store.writes).toBe(3);
    expect((await new BaseStore(store, ids).load())?.A1?.get('g')).toBe('f:9');
  });
});
