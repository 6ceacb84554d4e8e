/** Standing groups' derivations (rendezvous R, join password J, slots) and the hub proof, with real WebCrypto and libsodium. */
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import type { SubtleLike } from './subtle.ts';
import { normalizePassword } from './password.ts';
import { isSessionId } from '../protocol/session-id.ts';
import { RENDEZVOUS, deriveJoinPassword, deriveRendezvous, memberSlots, newHubKeyPair, signHubProof, utcDay, verifyHubProof } from './group-keys.ts';

const subtle = webcrypto.subtle as unknown as SubtleLike;
const secret = (fill: number) => new Uint8Array(32).fill(fill);

describe('group derivations', () => {
  it('gives a rendezvous and a password per slot and per group, the same for the same inputs', async () => {
    const r1 = await deriveRendezvous(subtle, secret(1), '2026-11-29');
    expect(r1).toMatch(RENDEZVOUS);
    expect(isSessionId(r1)).toBe(false);
    expect(await deriveRendezvous(subtle, secret(1), '2026-11-29')).toBe(r1);
    expect(await deriveRendezvous(subtle, secret(1), '2026-11-30')).not.toBe(r1);
    expect(await deriveRendezvous(subtle, secret(2), '2026-11-29')).not.toBe(r1);

    const j1 = await deriveJoinPassword(subtle, secret(1), '2026-11-29');
    expect(normalizePassword(j1)).toBe(j1);
    expect(await deriveJoinPassword(subtle, secret(1), '2026-11-29')).toBe(j1);
    expect(await deriveJoinPassword(subtle, secret(1), '2026-11-30')).not.toBe(j1);
    expect(await deriveJoinPassword(subtle, secret(2), '2026-11-29')).not.toBe(j1);
  });

  it('refuses a secret of the wrong size and a slot that is not one', async () => {
    await expect(deriveRendezvous(subtle, new Uint8Array(16), 'x')).rejects.toThrow('32 bytes');
    await expect(deriveJoinPassword(subtle, secret(1), 'a slot with spaces')).rejects.toThrow('not a slot');
  });

  it('names slots by UTC day; a member near midnight tries the adjacent day within its wait', () => {
    const evening = Date.UTC(2026, 10, 29, 23, 50);
    expect(utcDay(evening)).toBe('2026-11-29');
    expect(memberSlots(evening, 30 * 60_000)).toEqual(['2026-11-29', '2026-11-30']);
    expect(memberSlots(Date.UTC(2026, 10, 30, 0, 10), 30 * 60_000)).toEqual(['2026-11-30', '2026-11-29']);
    expect(memberSlots(Date.UTC(2026, 10, 29, 12, 0), 30 * 60_000)).toEqual(['2026-11-29']);
  });
});

describe('hub proof', () => {
  const run = { rendezvous: `g-${'1'.repeat(32)}`, slot: '2026-11-29', binding: new Uint8Array(32).fill(7) };

  it('verifies with the hub public key, for this run and this join only', async () => {
    const hub = await newHubKeyPair();
    const proof = await signHubProof(hub.secretKey, run);
    expect(await verifyHubProof(hub.publicKey, proof, run)).toBe(true);
    expect(await verifyHubProof(hub.publicKey, proof, { ...run, slot: '2026-11-30' })).toBe(false);
    expect(await verifyHubProof(hub.publicKey, proof, { ...run, rendezvous: `g-${'2'.repeat(32)}` })).toBe(false);
    expect(await verifyHubProof(hub.publicKey, proof, { ...run, binding: new Uint8Array(32).fill(8) })).toBe(false);
  });

  it('refuses a forged signature, another key pair (a member posing as the hub) and malformed input', async () => {
    const hub = await newHubKeyPair();
    const member = await newHubKeyPair();
    const proof = await signHubProof(hub.secretKey, run);
    const forged = proof.slice();
    forged[10]! ^= 1;
    expect(await verifyHubProof(hub.publicKey, forged, run)).toBe(false);
    expect(await verifyHubProof(hub.publicKey, await signHubProof(member.secretKey, run), run)).toBe(false);
    expect(await verifyHubProof(hub.publicKey, proof.slice(1), run)).toBe(false);
    expect(await verifyHubProof(hub.publicKey.slice(1), proof, run)).toBe(false);
  });
});
