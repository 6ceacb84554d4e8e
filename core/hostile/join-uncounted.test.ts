/** Finding 7: a candidate reads the validator's answer to its guess and leaves before anything is counted. */
import { describe, expect, it } from 'vitest';
import { inMemoryWorld } from '../../signaling/testing/in-memory-world.ts';
import { settle, until } from '../../signaling/testing/cloud-members.ts';
import { joinCloudSession, startCloudSession } from '../cloud/join/cloud-start.ts';
import { JOIN_BRAKE } from '../cloud/join/join-brake.ts';
import { rawCandidate } from './join-world.ts';

const MALLORY = '198.51.100.66';

describe('hostile member — finding 7: guesses abandoned after the answer are counted', () => {
  it('every answered guess counts until confirmed: on the validator\'s brake and on the server\'s blocklist', async () => {
    const w = inMemoryWorld();
    const a = await startCloudSession(w.deps('alpha'));
    const dropped: string[] = [];
    a.on('dropped', (_from, reason) => dropped.push(reason));

    // Mallory guesses, reads the answer (which tells her whether the guess was right) and leaves without a word.
    let answered = 0;
    const tries = 6;
    for (let i = 0; i < tries; i++) {
      const c = rawCandidate(w.deps('mallory', MALLORY), a.sessionId, `AAAA-BBBB-CCCC-${String(i).padStart(4, '0')}`);
      await settle(5);
      const before = dropped.length;
      await c.guess();
      // The validator answers (a PAKE step: slow on a loaded machine) or refuses it on the brake: wait for either.
      await until(() => c.bodies.some((b) => b.startsWith('j1.b.')) || dropped.length > before);
      if (c.bodies.some((b) => b.startsWith('j1.b.'))) answered++;
      c.close();
      await settle(5);
    }
    // The members' brake: after 3 answered-and-abandoned guesses, this address gets no more answers.
    expect(answered).toBe(JOIN_BRAKE.perAddress.failures);
    expect(dropped.filter((r) => r === 'join-throttled-address-blocked')).toHaveLength(tries - answered);
    // The server: each candidate that spoke and left unadmitted is one failure for its address.
    await until(() => w.failures.filter((x) => x === MALLORY).length >= tries);
    expect(w.failures.filter((x) => x === MALLORY)).toHaveLength(tries);
    expect(a.members).toHaveLength(1);
  });
});

// Not a finding: what the fix must keep working (green before and after).
describe('join brake: a confirmed join is not charged', () => {
  it('a confirmed join takes its charge back: two abandoned guesses, then the right password, and the address is not blocked', async () => {
    const w = inMemoryWorld();
    const a = await startCloudSession(w.deps('alpha'));
    for (let i = 0; i < 2; i++) {
      const c = rawCandidate(w.deps('mallory', MALLORY), a.sessionId, 'AAAA-BBBB-CCCC-DDDD');
      await settle(5);
      await c.guess();
      await until(() => c.bodies.length > 0);
      expect(c.bodies[0]).toMatch(/^j1\.b\./);
      c.close();
      await settle(5);
    }
    // A third answer would block the address; it turns out to be the right password, so the block is lifted again.
    const b = await joinCloudSession(w.deps('bravo', MALLORY), { sessionId: a.sessionId, password: a.password });
    await settle();
    expect(b.members.map((m) => m.letter)).toEqual(['A', 'B']);
    const late = rawCandidate(w.deps('charlie', MALLORY), a.sessionId, a.password);
    await settle(5);
    await late.guess();
    await until(() => late.bodies.length > 0);
    expect(late.bodies[0]).toMatch(/^j1\.b\./); // still answered: two charges stand, not three
    expect(await late.confirm()).toBe('pending');
  });
});
