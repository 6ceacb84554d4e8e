/** Safety words: the same on every side for one key, epoch and roster; different otherwise. */
import { describe, expect, it } from 'vitest';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { safetyWords } from './safety-words.ts';
import { webcrypto } from 'node:crypto';
import type { SubtleLike } from './subtle.ts';
import type { Random } from '../ports.ts';

/** Node's real WebCrypto and CSPRNG behind the ports, as the edges pass them. */
const subtle = webcrypto.subtle as unknown as SubtleLike;
const random: Random = { bytes: (n) => webcrypto.getRandomValues(new Uint8Array(n)) };

const ids = ['0123456789abcdef', 'fedcba9876543210', '00000000000000cc'];

describe('safety words', () => {
  it('are six BIP39 words, equal on both sides for the same key and ordered roster', async () => {
    const secret = { sessionKey: random.bytes(32), sessionId: '482-KQT-913', epoch: 0 };
    const a = await safetyWords(subtle, secret, ids);
    const b = await safetyWords(subtle, { ...secret, sessionKey: secret.sessionKey.slice() }, [...ids]);
    expect(a).toHaveLength(6);
    for (const w of a) expect(wordlist).toContain(w);
    expect(b).toEqual(a);
  });

  it('differ for another key, epoch, session or roster', async () => {
    const secret = { sessionKey: random.bytes(32), sessionId: '482-KQT-913', epoch: 0 };
    const base = (await safetyWords(subtle, secret, ids)).join(' ');
    const variants = [
      await safetyWords(subtle, { ...secret, sessionKey: random.bytes(32) }, ids),
      await safetyWords(subtle, { ...secret, epoch: 1 }, ids),
      await safetyWords(subtle, { ...secret, sessionId: '111-AAA-111' }, ids),
      await safetyWords(subtle, secret, ids.slice(0, 2)),
      await safetyWords(subtle, secret, [...ids].reverse()), // another order is another leader
    ];
    for (const v of variants) expect(v.join(' ')).not.toBe(base);
  });
});
