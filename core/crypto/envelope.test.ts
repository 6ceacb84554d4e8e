/** Sealed signaling envelopes: round trip, AAD binding (session, from, to, epoch, type), size limit. */
import { describe, expect, it } from 'vitest';
import { MAX_ENVELOPE_BODY_CHARS, bodyKind, openEnvelope, peekEnvelopeEpoch, sealEnvelope } from './envelope.ts';
import { deriveSignalKey } from './key-schedule.ts';
import { fromB64u, toB64u } from './bytes.ts';
import { webcrypto } from 'node:crypto';
import type { SubtleLike } from './subtle.ts';
import type { Random } from '../ports.ts';

/** Node's real WebCrypto and CSPRNG behind the ports, as the edges pass them. */
const subtle = webcrypto.subtle as unknown as SubtleLike;
const random: Random = { bytes: (n) => webcrypto.getRandomValues(new Uint8Array(n)) };

const A = '0123456789abcdef';
const B = 'fedcba9876543210';
const S = '482-KQT-913';
const sdp = { sdp: 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\na=fingerprint:sha-256 AB:CD', kind: 'offer' };

async function setup() {
  const secret = { sessionKey: random.bytes(32), sessionId: S, epoch: 5 };
  const key = await deriveSignalKey(subtle, secret, A, B);
  const body = await sealEnvelope(subtle, { key, random, sessionId: S, epoch: 5, from: A, to: B, type: 'offer', body: sdp });
  return { key, body, secret };
}

describe('envelopes', () => {
  it('seal then open (the pair key is symmetric), body opaque to the server', async () => {
    const { key, body, secret } = await setup();
    expect(bodyKind(body)).toBe('envelope');
    expect(body).not.toContain('fingerprint');
    expect(peekEnvelopeEpoch(body)).toBe(5);
    const keyB = await deriveSignalKey(subtle, secret, B, A);
    expect(await openEnvelope(subtle, { key: keyB, epoch: 5, sessionId: S, from: A, to: B, body })).toEqual({ ok: true, epoch: 5, type: 'offer', body: sdp });
    expect(key).toEqual(keyB);
  });

  it('rejects any AAD mismatch: session, sender, recipient, epoch, type', async () => {
    const { key, body } = await setup();
    const open = (o: Partial<{ sessionId: string; from: string; to: string; epoch: number }>, b = body) =>
      openEnvelope(subtle, { key, epoch: 5, sessionId: S, from: A, to: B, body: b, ...o });
    expect(await open({ sessionId: '111-AAA-111' })).toEqual({ ok: false, reason: 'auth-failed' });
    expect(await open({ from: B, to: A })).toEqual({ ok: false, reason: 'auth-failed' }); // reflected back
    expect(await open({ from: '00000000000000cc' })).toEqual({ ok: false, reason: 'auth-failed' });
    expect(await open({ epoch: 6 })).toEqual({ ok: false, reason: 'wrong-epoch' });
    // The type travels in clear: rewriting it ('offer' → 'ice..') fails the tag.
    const bin = fromB64u(body.slice(3))!;
    bin.set(new TextEncoder().encode('answe'), 6);
    expect(await open({}, `e1.${toB64u(bin)}`)).toEqual({ ok: false, reason: 'auth-failed' });
    // So does rewriting the epoch in the header (with a key for that epoch being the wrong one).
    const bin2 = fromB64u(body.slice(3))!;
    bin2[4] = 6;
    expect(await open({ epoch: 6 }, `e1.${toB64u(bin2)}`)).toEqual({ ok: false, reason: 'auth-failed' });
  });

  it('rejects a wrong key and malformed bodies without throwing', async () => {
    const { body } = await setup();
    const other = random.bytes(32);
    expect(await openEnvelope(subtle, { key: other, epoch: 5, sessionId: S, from: A, to: B, body })).toEqual({ ok: false, reason: 'auth-failed' });
    for (const bad of ['', 'e1.', 'e1.!!!!', 'j1.a.AAAA', `e1.${toB64u(new Uint8Array(10))}`, body.slice(0, -4)]) {
      const r = await openEnvelope(subtle, { key: other, epoch: 5, sessionId: S, from: A, to: B, body: bad });
      expect(r.ok).toBe(false);
    }
  });

  it('fits the signaling frame limit, and refuses what would not', async () => {
    const { key } = await setup();
    const big = { sdp: 'x'.repeat(40_000) };
    const body = await sealEnvelope(subtle, { key, random, sessionId: S, epoch: 5, from: A, to: B, type: 'offer', body: big });
    expect(JSON.stringify({ type: 'send', to: B, body }).length).toBeLessThanOrEqual(64 * 1024);
    await expect(sealEnvelope(subtle, { key, random, sessionId: S, epoch: 5, from: A, to: B, type: 'offer', body: { sdp: 'x'.repeat(MAX_ENVELOPE_BODY_CHARS) } })).rejects.toThrow(RangeError);
  });
});
