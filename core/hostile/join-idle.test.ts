/** Finding 10: candidates that knock and never finish hold every candidate slot, so nobody else can join. */
import { describe, expect, it } from 'vitest';
import { inMemoryWorld } from '../../signaling/testing/in-memory-world.ts';
import { settle } from '../../signaling/testing/cloud-members.ts';
import { CLOSE_REASONS, CloseCode } from '../protocol/close-codes.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { joinCloudSession, startCloudSession } from '../cloud/join/cloud-start.ts';
import { JOIN_DEADLINE_MS } from '../cloud/join/cloud-validators.ts';
import { rawCandidate } from './join-world.ts';

describe('hostile member — finding 10: idle candidates cannot block joins', () => {
  it('the server caps candidates per address and closes any candidate past its join deadline', async () => {
    const clock = new ManualClock();
    const w = inMemoryWorld({ clock });
    const a = await startCloudSession(w.deps('alpha'));
    // One address cannot take every slot.
    const same = [0, 1, 2].map(() => rawCandidate(w.deps('mallory', '198.51.100.66'), a.sessionId, 'AAAA-BBBB-CCCC-DDDD'));
    await settle(5);
    expect(same.map((c) => c.closed)).toEqual([null, null, CloseCode.SessionFull]);
    // Four addresses can, for a while: the door is shut to a friend...
    const idle = [...same.slice(0, 2), ...[1, 2].map((i) => rawCandidate(w.deps('mallory', `198.51.100.${70 + i}`), a.sessionId, 'AAAA-BBBB-CCCC-DDDD'))];
    await settle(5);
    const early = await joinCloudSession(w.deps('friend'), { sessionId: a.sessionId, password: a.password }).catch((e: unknown) => e);
    expect(early).toMatchObject({ reason: 'session-full' });
    // ...until their deadline passes: the server closes them, and the friend gets in.
    clock.advance(JOIN_DEADLINE_MS + 1);
    w.hub.sweep();
    await settle(5);
    expect(idle.map((c) => c.closed)).toEqual(Array(4).fill(CloseCode.IdleTimeout));
    const b = await joinCloudSession(w.deps('friend'), { sessionId: a.sessionId, password: a.password });
    await settle();
    expect(b.members.map((m) => m.letter)).toEqual(['A', 'B']);
    expect(CLOSE_REASONS.joinDeadline).toBe('join deadline passed');
  }, 20_000);

  it('the validator denies candidates that stall past the deadline, even when the server lets them wait', async () => {
    const clock = new ManualClock();
    // A lax (or hostile) server: no deadline, no caps.
    const w = inMemoryWorld({ clock, env: { QUINTET_MAX_CANDIDATES: '10', QUINTET_MAX_CANDIDATES_PER_ADDRESS: '10', QUINTET_CANDIDATE_DEADLINE_MS: '86400000', QUINTET_IDLE_TIMEOUT_MS: '86400000' } });
    const a = await startCloudSession(w.deps('alpha'));
    const stalled = [1, 2, 3, 4].map((i) => rawCandidate(w.deps('mallory', `198.51.100.${80 + i}`), a.sessionId, 'AAAA-BBBB-CCCC-DDDD'));
    await settle(5);
    for (const c of stalled.slice(0, 2)) await c.guess(); // two speak and stall; two never speak
    await settle(10);
    clock.advance(JOIN_DEADLINE_MS + 1);
    // The next thing A hears from the server (here a new knock) is when it looks at its deadlines.
    const b = await joinCloudSession(w.deps('friend'), { sessionId: a.sessionId, password: a.password });
    await settle();
    expect(stalled.map((c) => c.closed)).toEqual(Array(4).fill(CloseCode.JoinDenied));
    expect(w.failures.filter((x) => x.startsWith('198.51.100.8'))).toHaveLength(2); // those that spoke are charged
    expect(b.members.map((m) => m.letter)).toEqual(['A', 'B']);
  }, 20_000);
});
