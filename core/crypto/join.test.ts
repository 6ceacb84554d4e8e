/** A full join between two parties in process: right password, wrong password, tampering. */
import { describe, expect, it } from 'vitest';
import { JoinCandidate, JoinValidator, type Handover, type JoinResult } from './join.ts';
import { generatePassword } from './password.ts';
import { toB64u } from './bytes.ts';
import { webcrypto } from 'node:crypto';
import type { SubtleLike } from './subtle.ts';
import type { Random } from '../ports.ts';

/** Node's real WebCrypto and CSPRNG behind the ports, as the edges pass them. */
const subtle = webcrypto.subtle as unknown as SubtleLike;
const random: Random = { bytes: (n) => webcrypto.getRandomValues(new Uint8Array(n)) };

const SESSION = '482-KQT-913';
const C = '0123456789abcdef';
const V = 'fedcba9876543210';

interface Run {
  candidate: JoinResult<Handover>;
  validator: JoinResult<{ candidateId: string }>;
  wire: string[];
  handedOver: number;
}

/** Relays bodies between the two sides as the signaling server would, until both are done. */
async function join(candidatePassword: string, validatorPassword: string, tamper?: (body: string, i: number) => string): Promise<Run> {
  const sessionKey = random.bytes(32);
  let handedOver = 0;
  const cand = new JoinCandidate({ subtle, random, sessionId: SESSION, candidateId: C, validatorId: V, password: candidatePassword });
  const val = new JoinValidator({
    subtle, random, sessionId: SESSION, candidateId: C, validatorId: V, password: validatorPassword,
    handover: () => {
      handedOver++;
      return { sessionKey, epoch: 2, roster: { members: [V, C], letters: { [V]: 'A', [C]: 'B' } } };
    },
  });
  const wire: string[] = [];
  const relay = (b: string) => {
    const out = tamper ? tamper(b, wire.length) : b;
    wire.push(out);
    return out;
  };
  let toValidator: string | undefined = relay(await cand.start());
  let c: JoinResult<Handover> = { state: 'pending' };
  let v: JoinResult<{ candidateId: string }> = { state: 'pending' };
  while (toValidator !== undefined) {
    v = await val.receive(toValidator);
    toValidator = undefined;
    if (v.send === undefined) break;
    c = await cand.receive(relay(v.send));
    if (c.send !== undefined) toValidator = relay(c.send);
  }
  (globalThis as { lastKey?: Uint8Array }).lastKey = sessionKey;
  return { candidate: c, validator: v, wire, handedOver };
}

describe('join', () => {
  it('right password (typed differently): both succeed, the candidate gets the session key and roster', async () => {
    const pw = generatePassword(random);
    const typed = ` ${pw.toLowerCase().replace(/-/g, ' ')} `;
    const run = await join(typed, pw);
    expect(run.validator).toMatchObject({ state: 'success', value: { candidateId: C } });
    expect(run.candidate.state).toBe('success');
    const key = (globalThis as { lastKey?: Uint8Array }).lastKey!;
    if (run.candidate.state === 'success') {
      expect(toB64u(run.candidate.value.sessionKey)).toBe(toB64u(key));
      expect(run.candidate.value.epoch).toBe(2);
      expect(run.candidate.value.roster).toEqual({ members: [V, C], letters: { [V]: 'A', [C]: 'B' } });
    }
    expect(run.wire.map((b) => b.slice(0, 5))).toEqual(['j1.a.', 'j1.b.', 'j1.c.', 'j1.d.']);
    expect(run.wire.some((b) => b.includes(toB64u(key)))).toBe(false);
  });

  it('wrong password: both sides fail with wrong-password, nothing secret was sent', async () => {
    const run = await join('AAAA-BBBB-CCCC-DDDD', generatePassword(random));
    expect(run.candidate).toMatchObject({ state: 'failure', reason: 'wrong-password' });
    expect(run.validator).toEqual({ state: 'failure', reason: 'wrong-password' });
    expect(run.handedOver).toBe(0);
    expect(run.wire.map((b) => b.slice(0, 5))).toEqual(['j1.a.', 'j1.b.', 'j1.x.']);
    const key = (globalThis as { lastKey?: Uint8Array }).lastKey!;
    expect(run.wire.some((b) => b.includes(toB64u(key)))).toBe(false);
  });

  it('a candidate that skips the check and sends a made-up tag is refused', async () => {
    const pw = generatePassword(random);
    const run = await join('AAAA-BBBB-CCCC-DDDD', pw, (b) => (b.startsWith('j1.x.') ? `j1.c.${toB64u(new Uint8Array(64))}` : b));
    expect(run.validator).toEqual({ state: 'failure', reason: 'wrong-password' });
    expect(run.handedOver).toBe(0);
  });

  it('any altered message fails the join (Ya, Yb/Tb, Ta, handover)', async () => {
    const pw = generatePassword(random);
    for (let target = 0; target < 4; target++) {
      const run = await join(pw, pw, (b, i) => {
        if (i !== target) return b;
        const chars = [...b];
        const at = chars.length - 3;
        chars[at] = chars[at] === 'A' ? 'B' : 'A';
        return chars.join('');
      });
      const failed = run.candidate.state === 'failure' || run.validator.state === 'failure';
      expect(failed, `message ${target}`).toBe(true);
      expect(run.candidate.state === 'success', `message ${target}`).toBe(false);
    }
  });

  it('identity / invalid points are refused (draft §7.2, §9)', async () => {
    const pw = generatePassword(random);
    const val = new JoinValidator({ subtle, random, sessionId: SESSION, candidateId: C, validatorId: V, password: pw, handover: () => { throw new Error('no'); } });
    expect(await val.receive(`j1.a.${toB64u(new Uint8Array(32))}`)).toEqual({ state: 'failure', reason: 'invalid-point' });
    const cand = new JoinCandidate({ subtle, random, sessionId: SESSION, candidateId: C, validatorId: V, password: pw });
    await cand.start();
    expect(await cand.receive(`j1.b.${toB64u(new Uint8Array(96))}`)).toMatchObject({ state: 'failure', reason: 'invalid-point' });
  });

  it('bound to the session and both IDs: a mismatch is a wrong password', async () => {
    const pw = generatePassword(random);
    const cand = new JoinCandidate({ subtle, random, sessionId: SESSION, candidateId: C, validatorId: V, password: pw });
    const val = new JoinValidator({ subtle, random, sessionId: '111-AAA-111', candidateId: C, validatorId: V, password: pw, handover: () => { throw new Error('no'); } });
    const b = await val.receive(await cand.start());
    expect(await cand.receive(b.send!)).toMatchObject({ state: 'failure', reason: 'wrong-password' });
  });

  it('garbage and out-of-order steps are refused without throwing', async () => {
    const pw = generatePassword(random);
    const val = new JoinValidator({ subtle, random, sessionId: SESSION, candidateId: C, validatorId: V, password: pw, handover: () => { throw new Error('no'); } });
    expect(await val.receive('hello')).toEqual({ state: 'failure', reason: 'malformed' });
    const val2 = new JoinValidator({ subtle, random, sessionId: SESSION, candidateId: C, validatorId: V, password: pw, handover: () => { throw new Error('no'); } });
    expect(await val2.receive(`j1.c.${toB64u(new Uint8Array(64))}`)).toEqual({ state: 'failure', reason: 'unexpected-step' });
    const cand = new JoinCandidate({ subtle, random, sessionId: SESSION, candidateId: C, validatorId: V, password: pw });
    await cand.start();
    expect(await cand.receive(`j1.d.AAAA`)).toMatchObject({ state: 'failure', reason: 'unexpected-step' });
  });
});
