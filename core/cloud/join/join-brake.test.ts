import { describe, expect, it } from 'vitest';
import { JOIN_BRAKE, JoinBrake } from './join-brake.ts';

const MIN = 60_000;

describe('JoinBrake', () => {
  it('blocks an address after 3 failures in 10 minutes, for an hour, and not another address', () => {
    const t = new JoinBrake();
    for (const at of [0, 1 * MIN, 2 * MIN]) {
      expect(t.check('198.51.100.7', at)).toEqual({ ok: true });
      t.failed('198.51.100.7', at);
    }
    expect(t.check('198.51.100.7', 3 * MIN)).toEqual({ ok: false, reason: 'address-blocked' });
    expect(t.check('198.51.100.7', 2 * MIN + 59 * MIN)).toEqual({ ok: false, reason: 'address-blocked' });
    expect(t.check('203.0.113.9', 3 * MIN)).toEqual({ ok: true });
    expect(t.check('198.51.100.7', 2 * MIN + 60 * MIN)).toEqual({ ok: true });
  });

  it('forgets failures older than the window: 3 failures spread over more than 10 minutes do not block', () => {
    const t = new JoinBrake();
    for (const at of [0, 6 * MIN, 12 * MIN]) t.failed('198.51.100.7', at);
    expect(t.check('198.51.100.7', 12 * MIN + 1)).toEqual({ ok: true });
  });

  it('answers no more than 20 failed joins an hour whatever the addresses (a server rotating addresses gains nothing)', () => {
    const t = new JoinBrake();
    for (let i = 0; i < JOIN_BRAKE.overall.failures; i++) {
      expect(t.check(`10.0.0.${i}`, i * 1000)).toEqual({ ok: true });
      t.failed(`10.0.0.${i}`, i * 1000);
    }
    expect(t.check('10.9.9.9', 30 * MIN)).toEqual({ ok: false, reason: 'too-many-failures' });
    // An hour after the first failures, room comes back one failure at a time.
    expect(t.check('10.9.9.9', 60 * MIN + 1000)).toEqual({ ok: true });
  });
});

describe('JoinBrake: answered guesses', () => {
  it('count as failures at once, and a confirmed one is taken back (with the block it tipped)', () => {
    const t = new JoinBrake();
    t.answered('198.51.100.7', 0);
    t.answered('198.51.100.7', 1);
    const confirm = t.answered('198.51.100.7', 2);
    expect(t.check('198.51.100.7', 3)).toEqual({ ok: false, reason: 'address-blocked' });
    confirm();
    expect(t.check('198.51.100.7', 4)).toEqual({ ok: true });
    t.answered('198.51.100.7', 5); // unconfirmed: three charges again
    expect(t.check('198.51.100.7', 6)).toEqual({ ok: false, reason: 'address-blocked' });
  });
});
