import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ClientMessage } from '../../protocol/signal-messages.ts';
import { JOIN_BRAKE, JoinBrake } from './join-brake.ts';
import { RESUME_ANSWER_MS, ResumeKeys, type ResumeKeysOptions } from './resume-keys.ts';
import { resumeBodyKind, resumeRequest } from '../../crypto/resume-proof.ts';
import { toB64u } from '../../crypto/bytes.ts';

const SESSION = '482-KQT-913';
const seed = () => webcrypto.getRandomValues(new Uint8Array(32));
const bravoId = '00000000000000b2';
const leaderId = '00000000000000a1';

/** A fake clock: `after` runs only when the test fires it. */
function timers() {
  const pending: Array<() => void> = [];
  return { now: () => 0, after: (_ms: number, fn: () => void) => (pending.push(fn), () => pending.splice(pending.indexOf(fn), 1)), fire: () => pending.splice(0).forEach((f) => f()) };
}

/** The leader's side with B's announced identity; every message it would send and every report it makes. */
function leader(announced: Record<string, string>, key = webcrypto.getRandomValues(new Uint8Array(32))) {
  const sent: ClientMessage[] = [];
  const drops: string[] = [];
  const impostors: string[] = [];
  const brake = new JoinBrake();
  const options: ResumeKeysOptions = {
    deps: { clock: timers() }, sessionId: SESSION, self: leaderId, seed: seed(), send: (m) => sent.push(m), isLeader: () => true,
    announced: (id) => announced[id], address: () => '198.51.100.9', current: () => ({ epoch: 3, key }), brake,
    dropped: (_from, reason) => drops.push(reason), impostor: (id) => impostors.push(id),
  };
  return { keys: new ResumeKeys(options), sent, drops, impostors, brake, key };
}

function member(memberSeed: Uint8Array, self = bravoId) {
  const sent: ClientMessage[] = [];
  const clock = timers();
  const keys = new ResumeKeys({
    deps: { clock }, sessionId: SESSION, self, seed: memberSeed, send: (m) => sent.push(m), isLeader: () => false,
    announced: () => undefined, address: () => '', current: () => ({ epoch: 0, key: new Uint8Array(32) }), brake: new JoinBrake(),
    dropped: () => undefined, impostor: () => undefined,
  });
  return { keys, sent, clock };
}

const body = (m: ClientMessage | undefined) => (m as { body: string }).body;

describe('the key for a member back after a rotation (docs/protocol.md §8, Reload)', () => {
  it('the member who signs with its identity gets the current key, sealed so that only its request opens it', async () => {
    const bravoSeed = seed();
    const b = member(bravoSeed);
    const a = leader({ [bravoId]: await b.keys.publicKey });
    const asked = b.keys.ask(leaderId);
    await until(() => b.sent.length === 1);
    expect(resumeBodyKind(body(b.sent[0]))).toBe('request');
    await a.keys.receive(bravoId, body(b.sent[0]), 'request');
    expect(a.sent).toHaveLength(1);
    const answer = body(a.sent[0]);
    expect(answer).not.toContain(toB64u(a.key)); // sealed, not in clear for the server
    // A server that keeps the answer cannot open it with another request of the same identity (a fresh ephemeral key).
    const other = await resumeRequest({ seed: bravoSeed, sessionId: SESSION, from: bravoId, to: leaderId });
    expect(await other.open(answer)).toBeNull();
    await b.keys.receive(leaderId, answer, 'answer');
    expect(await asked).toEqual({ epoch: 3, key: toB64u(a.key) });
    expect(a.drops).toEqual([]);
  });

  it('someone else in the slot (a departed member with its own identity) gets nothing; its wrong proof is charged like a wrong password', async () => {
    const a = leader({ [bravoId]: await member(seed()).keys.publicKey });
    for (let i = 0; i < JOIN_BRAKE.perAddress.failures; i++) {
      const mallory = member(seed());
      void mallory.keys.ask(leaderId);
      await until(() => mallory.sent.length === 1);
      await a.keys.receive(bravoId, body(mallory.sent[0]), 'request');
    }
    expect(a.sent).toEqual([]);
    expect(a.drops).toEqual(Array(JOIN_BRAKE.perAddress.failures).fill('resume-proof-failed'));
    expect(a.impostors).toEqual(Array(JOIN_BRAKE.perAddress.failures).fill(bravoId));
    // The address is now blocked for joins and resumes alike: even a right proof from it gets no answer.
    expect(a.brake.check('198.51.100.9', 0)).toEqual({ ok: false, reason: 'address-blocked' });
  });

  it('a proof is bound to the slot and the leader: the server cannot replay B\'s request as another member\'s', async () => {
    const b = member(seed());
    const c = member(seed(), '00000000000000c3');
    const a = leader({ [bravoId]: await b.keys.publicKey, '00000000000000c3': await c.keys.publicKey });
    void b.keys.ask(leaderId);
    await until(() => b.sent.length === 1);
    await a.keys.receive('00000000000000c3', body(b.sent[0]), 'request');
    expect(a.sent).toEqual([]);
    expect(a.drops).toEqual(['resume-proof-failed']);
  });

  it('a leader that never heard the member\'s identity stays silent and charges nothing; the member then goes on with its key', async () => {
    const b = member(seed());
    const a = leader({});
    const asked = b.keys.ask(leaderId);
    await until(() => b.sent.length === 1);
    await a.keys.receive(bravoId, body(b.sent[0]), 'request');
    expect(a.sent).toEqual([]);
    expect(a.drops).toEqual(['resume-unknown-identity']);
    expect(a.brake.check('198.51.100.9', 0)).toEqual({ ok: true });
    b.clock.fire(); // RESUME_ANSWER_MS later
    expect(await asked).toBeNull();
    expect(RESUME_ANSWER_MS).toBeGreaterThan(0);
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error('timed out');
}
