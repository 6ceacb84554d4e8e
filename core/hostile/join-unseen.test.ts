/** Finding 9: someone joins (or a member who left rejoins) without every member seeing it. */
import { describe, expect, it } from 'vitest';
import { inMemoryWorld } from '../../signaling/testing/in-memory-world.ts';
import { settle } from '../../signaling/testing/cloud-members.ts';
import { CloudJoinError, joinCloudSession, startCloudSession } from '../cloud/join/cloud-start.ts';
import { tampered } from './join-world.ts';

describe('hostile member — finding 9: nobody joins or rejoins unseen', () => {
  it('a member who left cannot come back with the password it knew; the others get a new one', async () => {
    const w = inMemoryWorld();
    const a = await startCloudSession(w.deps('alpha'));
    const b = await joinCloudSession(w.deps('bravo'), { sessionId: a.sessionId, password: a.password });
    const m = await joinCloudSession(w.deps('mallory', '198.51.100.66'), { sessionId: a.sessionId, password: a.password });
    await settle();
    const remembered = m.password;
    const changed: string[] = [];
    b.on('password.changed', (p) => changed.push(p));
    await m.exit();
    await settle();
    expect(a.password).not.toBe(remembered);
    expect(b.password).toBe(a.password); // sent with the new key, sealed over the mesh
    expect(changed).toEqual([a.password]);
    const back = await joinCloudSession(w.deps('mallory', '198.51.100.66'), { sessionId: a.sessionId, password: remembered }).catch((e: unknown) => e);
    expect((back as CloudJoinError).reason).toBe('wrong-password');
    // The new password works, whoever validates: B becomes A when A leaves, and the password changes again.
    await a.exit();
    await settle();
    expect(b.isLeader).toBe(true);
    const c = await joinCloudSession(w.deps('charlie'), { sessionId: a.sessionId, password: b.password });
    await settle();
    expect(c.members.map((x) => x.id)).toEqual([b.self, c.self]);
  }, 30_000);

  it('an admission the server hides from every member is still seen: the validator adds and announces it', async () => {
    const w = inMemoryWorld();
    const hideJoins = (x: Parameters<Parameters<typeof tampered>[1]>[0]) => (x.type === 'joined' ? null : x);
    const a = await startCloudSession(tampered(w.deps('alpha'), hideJoins));
    const b = await joinCloudSession(tampered(w.deps('bravo'), hideJoins), { sessionId: a.sessionId, password: a.password });
    await settle();
    const c = await joinCloudSession(w.deps('charlie'), { sessionId: a.sessionId, password: a.password });
    await settle();
    for (const s of [a, b, c]) expect(s.members.map((x) => x.id)).toEqual([a.self, b.self, c.self]);
    // And the channels still come up: B accepts C's offer because A announced C.
    expect(b.members.every((x) => x.connected)).toBe(true);
    expect(new Set([a, b, c].map((s) => s.safetyWords.join(' '))).size).toBe(1);
  }, 30_000);

  it('a peer the server introduces that no member announced never becomes a member', async () => {
    const w = inMemoryWorld();
    const ghost = 'feedfacecafebeef';
    const a = await startCloudSession(w.deps('alpha'));
    const b = await joinCloudSession(w.deps('bravo'), { sessionId: a.sessionId, password: a.password });
    await settle();
    const dropped: string[] = [];
    b.on('dropped', (from, reason) => dropped.push(`${from}:${reason}`));
    // What a lying server sends B (onSignal is where the signaling connection delivers server messages).
    b.onSignal({ type: 'joined', id: ghost, address: '203.0.113.66' });
    b.onSignal({ type: 'envelope', from: ghost, body: 's1.offer.AAAA' });
    await settle();
    expect(b.members.map((x) => x.id)).toEqual([a.self, b.self]);
    expect(b.mesh.connected).not.toContain(ghost);
    // It leaves without anyone having announced it: reported, never shown.
    b.onSignal({ type: 'left', id: ghost });
    expect(dropped).toContain(`${ghost}:unannounced-member`);
  }, 30_000);
});
