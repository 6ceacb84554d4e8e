/** Safety words: six BIP39 English words every member can read aloud to check they hold the same key. */
import { wordlist } from '@scure/bip39/wordlists/english.js';
import type { SubtleLike } from './subtle.ts';
import { type EpochSecret, deriveSafetyBytes } from './key-schedule.ts';

/** Words shown; 6 × 11 bits = 66 bits. */
export const SAFETY_WORD_COUNT = 6;

/**
 * The safety words of an epoch: HKDF-SHA-256 of the session key with info `lv("safety", epoch,
 * "A:"+id, "B:"+id, …)` over the members in join order (key-schedule.ts), read as 11-bit indexes into the BIP39
 * English list. Every member holding the same key, epoch and ordered roster sees the same words; someone given
 * another key by a man in the middle of the join (who would need the password), or shown another order (another
 * leader) by the server, sees different ones.
 */
export async function safetyWords(subtle: SubtleLike, secret: EpochSecret, memberIds: readonly string[]): Promise<string[]> {
  const bytes = await deriveSafetyBytes(subtle, secret, memberIds, 9); // 72 bits, 66 used
  let acc = 0;
  let bits = 0;
  const words: string[] = [];
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xffffff;
    bits += 8;
    if (bits >= 11 && words.length < SAFETY_WORD_COUNT) {
      bits -= 11;
      words.push(wordlist[(acc >> bits) & 2047] as string);
    }
  }
  return words;
}
