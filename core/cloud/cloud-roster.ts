/** Cloud Session membership: letters A–E by join order, re-lettered without gaps, A leads (manual, "Session Members"). */

/** The five letters, in join order. */
export const LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;
export type Letter = (typeof LETTERS)[number];

/** Most members a session holds (the server enforces it too). */
export const MAX_MEMBERS = LETTERS.length;

/**
 * Member IDs in join order → letters. Letters are a view of the order, never stored: when someone leaves,
 * recomputing gives the re-lettering "without missing letters" the manual describes.
 */
export function lettersOf(order: readonly string[]): Map<string, Letter> {
  const out = new Map<string, Letter>();
  order.slice(0, MAX_MEMBERS).forEach((id, i) => out.set(id, LETTERS[i] as Letter));
  return out;
}

/** The leader is the member lettered A: the first in join order; null for an empty session. */
export function leaderOf(order: readonly string[]): string | null {
  return order[0] ?? null;
}

/** The order after `id` left (unchanged if it was not there). */
export function without(order: readonly string[], id: string): string[] {
  return order.filter((m) => m !== id);
}

/** The order after `id` joined: appended, as the server appends (a repeat is ignored). */
export function withJoined(order: readonly string[], id: string): string[] {
  return order.includes(id) ? [...order] : [...order, id];
}

/** Source codes of a member's sources: its letter then 1, 2, … (B1, B2), as in ByteSync. */
export function sourceCodes(letter: Letter, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${letter}${i + 1}`);
}

/**
 * The order after the leader's sealed roster (`roster` mesh message) arrived: members it lists that this member does
 * not know yet, and that have not left, are appended in the leader's order. The leader's word adds members; only a
 * departure (signaling `left` or a `bye`) removes one, so a late roster cannot bring back someone who left.
 */
export function withAnnounced(order: readonly string[], announced: readonly string[], departed: ReadonlySet<string>): string[] {
  const out = [...order];
  for (const id of announced) if (!out.includes(id) && !departed.has(id) && out.length < MAX_MEMBERS) out.push(id);
  return out;
}
