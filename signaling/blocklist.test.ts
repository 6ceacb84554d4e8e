/** Tests for the blocklist: 5 failures in 10 minutes block for an hour, the window slides, admin clears, snapshots round-trip. */
import { describe, expect, it } from 'vitest';
import { Blocklist } from './blocklist.ts';

const MIN = 60_000;
const policy = { failures: 5, windowMs: 10 * MIN, blockMs: 60 * MIN };

describe('Blocklist', () => {
  it('blocks on the fifth failure within ten minutes, for one hour', () => {
    const list = new Blocklist(policy);
    for (let i = 0; i < 4; i++) expect(list.recordFailure('198.51.100.1', i * 2 * MIN)).toBe(false);
    expect(list.blockedUntil('198.51.100.1', 8 * MIN)).toBeNull();
    expect(list.recordFailure('198.51.100.1', 9 * MIN)).toBe(true);
    expect(list.blockedUntil('198.51.100.1', 9 * MIN)).toBe(69 * MIN);
    expect(list.blockedUntil('198.51.100.1', 69 * MIN - 1)).toBe(69 * MIN);
    expect(list.blockedUntil('198.51.100.1', 69 * MIN)).toBeNull();
    expect(list.blockedUntil('198.51.100.2', 9 * MIN)).toBeNull();
  });

  it('does not block five failures spread over more than ten minutes', () => {
    const list = new Blocklist(policy);
    for (let i = 0; i < 5; i++) expect(list.recordFailure('a', i * 3 * MIN)).toBe(false);
    // Failures at 3, 6, 9, 12 min are still in the window at 12.5 min: the next one blocks.
    expect(list.recordFailure('a', 12.5 * MIN)).toBe(true);
  });

  it('starts counting afresh after a block expires', () => {
    const list = new Blocklist(policy);
    for (let i = 0; i < 5; i++) list.recordFailure('a', i);
    expect(list.recordFailure('a', 10)).toBe(false); // already blocked: not counted
    expect(list.blockedUntil('a', 61 * MIN)).toBeNull();
    expect(list.recordFailure('a', 61 * MIN)).toBe(false);
  });

  it('lists, clears one and clears all', () => {
    const list = new Blocklist(policy);
    for (const address of ['a', 'b', 'c']) for (let i = 0; i < 5; i++) list.recordFailure(address, 0);
    expect(list.list(1).map((b) => b.address)).toEqual(['a', 'b', 'c']);
    expect(list.clear('b')).toBe(true);
    expect(list.clear('b')).toBe(false);
    expect(list.list(1).map((b) => b.address)).toEqual(['a', 'c']);
    expect(list.clearAll()).toBe(2);
    expect(list.list(1)).toEqual([]);
    expect(list.list(61 * MIN)).toEqual([]);
  });

  it('survives a snapshot round trip, failures included', () => {
    const list = new Blocklist(policy);
    for (let i = 0; i < 5; i++) list.recordFailure('a', 0);
    for (let i = 0; i < 4; i++) list.recordFailure('b', 0);
    const copy = new Blocklist(policy);
    copy.restore(JSON.parse(JSON.stringify(list.snapshot())));
    expect(copy.blockedUntil('a', 1)).toBe(60 * MIN);
    expect(copy.recordFailure('b', 1)).toBe(true);
  });
});
