import { describe, expect, it } from 'vitest';
import { MAX_HELD_ENVELOPES, MAX_PENDING_PEERS, PendingJoins } from './pending-joins.ts';
import { withAnnounced } from '../cloud-roster.ts';

describe('PendingJoins', () => {
  it('holds envelopes of unannounced peers within bounds, refuses strangers, releases on announcement', () => {
    const p = new PendingJoins();
    expect(p.hold('aaaaaaaaaaaaaaaa', 'offer')).toBe('stranger'); // the server never even said it joined
    for (let i = 0; i < MAX_PENDING_PEERS; i++) expect(p.joined(`${i}`.padStart(16, '0'), '198.51.100.1')).toBe(true);
    expect(p.joined('ffffffffffffffff', '198.51.100.1')).toBe(false);
    const id = '0'.repeat(16);
    for (let i = 0; i < MAX_HELD_ENVELOPES + 10; i++) p.hold(id, `ice-${i}`);
    expect(p.hold(id, 'one-more')).toBe('overflow');
    expect(p.heldCount).toBe(MAX_HELD_ENVELOPES);
    expect(p.take(id)?.held).toHaveLength(MAX_HELD_ENVELOPES);
    expect(p.heldCount).toBe(0);
    expect(p.drop('0'.repeat(15) + '1')).toBe(true);
    expect(p.drop(id)).toBe(false);
  });

  it('a leader roster adds unknown members in its order, never one that left, never past five', () => {
    expect(withAnnounced(['a', 'b'], ['a', 'b', 'c', 'd'], new Set(['c']))).toEqual(['a', 'b', 'd']);
    expect(withAnnounced(['a', 'b', 'c', 'd', 'e'], ['f'], new Set())).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
