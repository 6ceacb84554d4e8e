/** A standing group's run on the real signaling hub (in memory): the hub creates the rendezvous and proves itself; a member posing as hub is refused. */
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { inMemoryWorld } from '../../signaling/testing/in-memory-world.ts';
import { settle, until } from '../../signaling/testing/cloud-members.ts';
import type { SubtleLike } from '../crypto/subtle.ts';
import { fromB64u, toB64u } from '../crypto/bytes.ts';
import { deriveJoinPassword, deriveRendezvous, newHubKeyPair, signHubProof, verifyHubProof } from '../crypto/group-keys.ts';
import { CloudJoinError, joinCloudSession, startCloudSession } from './join/cloud-start.ts';

const subtle = webcrypto.subtle as unknown as SubtleLike;
const slot = '2026-11-29';

async function groupRun() {
  const secret = webcrypto.getRandomValues(new Uint8Array(32));
  const hub = await newHubKeyPair();
  const rendezvous = await deriveRendezvous(subtle, secret, slot);
  const password = await deriveJoinPassword(subtle, secret, slot);
  const proveWith = (secretKey: Uint8Array) => async (binding: Uint8Array) => toB64u(await signHubProof(secretKey, { rendezvous, slot, binding }));
  const verifyHub = async (proof: string | undefined, binding: Uint8Array) => {
    const signature = proof === undefined ? null : fromB64u(proof);
    return signature !== null && verifyHubProof(hub.publicKey, signature, { rendezvous, slot, binding });
  };
  return { hub, rendezvous, password, proveWith, verifyHub };
}

describe('standing group run', () => {
  it('a member arriving first finds no session; once the hub created the rendezvous it joins, and the password stays when it leaves', async () => {
    const world = inMemoryWorld();
    const g = await groupRun();
    await expect(joinCloudSession(world.deps('early'), { sessionId: g.rendezvous, password: g.password, verifyHub: g.verifyHub })).rejects.toMatchObject({ reason: 'no-such-session' });
    const hub = await startCloudSession(world.deps('hub'), { rendezvous: g.rendezvous, password: g.password, proveHub: g.proveWith(g.hub.secretKey) });
    expect(hub.sessionId).toBe(g.rendezvous);
    const member = await joinCloudSession(world.deps('branch'), { sessionId: g.rendezvous, password: g.password, verifyHub: g.verifyHub });
    await until(() => hub.members.length === 2 && hub.members.every((m) => m.connected) && hub.members[1]!.name === 'branch');
    expect(hub.members[1]!.protocol).toBe(1);
    await member.exit();
    await until(() => hub.members.length === 1);
    await settle();
    // Every holder of G may rejoin the run: the password is the run's, not renewed on departure.
    expect(hub.password).toBe(g.password);
    const again = await joinCloudSession(world.deps('branch'), { sessionId: g.rendezvous, password: g.password, verifyHub: g.verifyHub });
    await until(() => hub.members.length === 2);
    await again.exit();
    await hub.exit();
  });

  it('a second creator of the rendezvous is refused (the hub reports a squatter)', async () => {
    const world = inMemoryWorld();
    const g = await groupRun();
    const squatter = await startCloudSession(world.deps('squatter'), { rendezvous: g.rendezvous, password: g.password });
    await expect(startCloudSession(world.deps('hub'), { rendezvous: g.rendezvous, password: g.password, proveHub: g.proveWith(g.hub.secretKey) }))
      .rejects.toEqual(new CloudJoinError('rendezvous-taken'));
    await squatter.exit();
  });

  it('a group member leading the rendezvous without the hub key (no proof, its own key, a replayed or forged proof) is refused as not-hub', async () => {
    const world = inMemoryWorld();
    const g = await groupRun();
    const impostor = await newHubKeyPair();
    // The hub's genuine proof of another join, replayed: it does not sign this join's binding.
    const replayed = await g.proveWith(g.hub.secretKey)(new Uint8Array(32));
    const tampered = fromB64u(replayed)!;
    tampered[0]! ^= 1;
    for (const proveHub of [undefined, g.proveWith(impostor.secretKey), async () => replayed, async () => toB64u(tampered)]) {
      const squatter = await startCloudSession(world.deps('squatter'), { rendezvous: g.rendezvous, password: g.password, ...(proveHub ? { proveHub } : {}) });
      await expect(joinCloudSession(world.deps('branch'), { sessionId: g.rendezvous, password: g.password, verifyHub: g.verifyHub })).rejects.toEqual(new CloudJoinError('not-hub'));
      await settle();
      expect(squatter.members.filter((m) => m.connected && !m.self)).toEqual([]);
      await squatter.exit();
      await settle();
    }
  });

  it('two members joining at the same moment (they retry on the same schedule) end with one join order everywhere', async () => {
    const world = inMemoryWorld();
    const g = await groupRun();
    // A signer that takes its time widens the gap between a handover's roster and the admission that follows it.
    const slowProof = async (binding: Uint8Array) => {
      await settle(5);
      return g.proveWith(g.hub.secretKey)(binding);
    };
    const hub = await startCloudSession(world.deps('hub'), { rendezvous: g.rendezvous, password: g.password, proveHub: slowProof });
    const members = await Promise.all(['branch-1', 'branch-2'].map((name) => joinCloudSession(world.deps(name), { sessionId: g.rendezvous, password: g.password, verifyHub: g.verifyHub })));
    const all = [hub, ...members];
    await until(() => all.every((s) => s.members.length === 3 && s.members.every((m) => m.connected)));
    const order = hub.members.map((m) => m.id);
    for (const s of members) expect(s.members.map((m) => m.id)).toEqual(order);
    for (const s of all) await s.exit();
  });
});
