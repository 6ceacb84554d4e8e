/** Test-only platform for core/crypto: Node's real WebCrypto and CSPRNG behind the ports. */
import { webcrypto } from 'node:crypto';
import type { Random } from '../ports.ts';
import type { SubtleLike } from './subtle.ts';

/** Node's `crypto.subtle`, typed as the port. */
export const subtle = webcrypto.subtle as unknown as SubtleLike;

/** A Random port over `crypto.getRandomValues`, as the edges build it. */
export const random: Random = { bytes: (n) => webcrypto.getRandomValues(new Uint8Array(n)) };
