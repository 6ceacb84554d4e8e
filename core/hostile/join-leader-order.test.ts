/** Finding 8: the server hands a newcomer a reordered member list, to choose whom it obeys as leader. */
import { describe, expect, it } from 'vitest';
import { inMemoryWorld } from '../../signaling/testing/in-memory-world.ts';
import { settle } from '../../signaling/testing/cloud-members.ts';
import { webcrypto } from 'node:crypto';
import { safetyWords } from '../crypto/safety-words.ts';
import type { SubtleLike } from '../crypto/subtle.ts';
import { encodeMeshMessage } from '../protocol/mesh-codec.ts';
import { joinCloudSession, startCloudSession } from '../cloud/join/cloud-start.ts';
import { tampered } from './join-world.ts';

describe('hostile member — finding 8: a server reordering `admitted` cannot choose the leader', () => {
  it('the newcomer takes join order from the sealed roster: A leads, B\'s leader messages are refused, words agree', async () => {
    const w = inMemoryWorld();
    const a = await startCloudSession(w.deps('alpha'));
    const b = await joinCloudSession(w.deps('bravo'), { sessionId: a.sessionId, password: a.password });
    await settle();
    // The server tells C that B came first.
    const c = await joinCloudSession(
      tampered(w.deps('charlie'), (m) => (m.type === 'admitted' ? { ...m, members: [...m.members].reverse() } : m)),
      { sessionId: a.sessionId, password: a.password },
    );
    await settle();
    expect(c.members.map((m) => m.id)).toEqual([a.self, b.self, c.self]);
    expect(c.members.map((m) => m.letter)).toEqual(['A', 'B', 'C']);
    // B tries to lead C; A leads.
    const refused: string[] = [];
    c.on('refused', (from, type, why) => refused.push(`${from === b.self ? 'B' : from}:${type}:${why}`));
    await b.mesh.send(c.self, encodeMeshMessage({ type: 'start-inventory', v: 1, run: 'from-b' }));
    await settle();
    expect(refused).toEqual(['B:start-inventory:not-leader']);
    expect(c.phase).toBe('waiting');
    await a.startInventory('from-a');
    await settle();
    expect(c.phase).toBe('inventory');
    // Everyone holds the same ordered roster, so the same words.
    expect(new Set([a, b, c].map((s) => s.safetyWords.join(' '))).size).toBe(1);
  }, 20_000);

  it('members shown another order (another leader) see other safety words, so reading them aloud exposes it', async () => {
    const secret = { sessionKey: new Uint8Array(32).fill(7), sessionId: '482-KQT-913', epoch: 3 };
    const subtle = webcrypto.subtle as unknown as SubtleLike;
    const order = ['00000000000000aa', '00000000000000bb', '00000000000000cc'];
    const reordered = [order[1]!, order[0]!, order[2]!];
    expect(await safetyWords(subtle, secret, reordered)).not.toEqual(await safetyWords(subtle, secret, order));
  });
});
