/** Cloud Session membership: letters A–E by join order, re-lettered without gaps, A leads (manual, "Session Members"). */
import { MEMBER_FEATURES, MESH_PROTOCOL_VERSION, type MeshMessage, type MemberStatus, type SourceEntry } from '../protocol/mesh-messages.ts';
import type { CloudMemberView } from './cloud-session-types.ts';

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

/** A member's own profile or another's, as its `profile` messages say it. */
export interface MemberProfile {
  name: string;
  sources: SourceEntry[];
  status: MemberStatus;
  /** The protocol version it announced (absent from older members). */
  protocol?: number;
  /** Additions to the protocol it reads (ProfileMessage.features). */
  features?: readonly string[];
  /** Its resume identity's public key (ProfileMessage.resumeKey): what proves it when it comes back from a reload. */
  resumeKey?: string;
}

/** Departures remembered: only recent ones can be in a roster still in flight; knocking candidates must not grow this forever. */
const MAX_DEPARTED = 64;

/** The membership one member holds: the join order, each member's address and profile, who left lately. */
export class Roster {
  #order: string[];
  #addresses = new Map<string, string>();
  #profiles = new Map<string, MemberProfile>();
  /** Members who left: a late roster from the leader cannot bring them back. */
  #departed = new Set<string>();
  /** Members whose signaling dropped: still in the order (letter kept) until they come back or the server says `left`. */
  #away = new Set<string>();
  /** This member's own device name and sources (its status follows the session's phase). */
  own: { name: string; sources: SourceEntry[]; protocol?: number; features: readonly string[] } = { name: '', sources: [], features: MEMBER_FEATURES };

  constructor(members: readonly { id: string; address: string }[]) {
    this.#order = members.map((m) => m.id);
    for (const m of members) this.#addresses.set(m.id, m.address);
  }

  get order(): readonly string[] {
    return this.#order;
  }
  get leader(): string | null {
    return leaderOf(this.#order);
  }
  has(id: string): boolean {
    return this.#order.includes(id);
  }
  address(id: string): string {
    return this.#addresses.get(id) ?? 'unknown';
  }
  /** The resume identity `id` announced, if any. */
  resumeKey(id: string): string | undefined {
    return this.#profiles.get(id)?.resumeKey;
  }
  /** Whether `id`'s profile announced this protocol addition (false until its profile came). */
  reads(id: string, feature: string): boolean {
    return this.#profiles.get(id)?.features?.includes(feature) ?? false;
  }
  setAddress(id: string, address: string): void {
    this.#addresses.set(id, address);
  }
  setProfile(id: string, profile: MemberProfile): void {
    this.#profiles.set(id, profile);
  }

  /** The leader admitted `id`: appended to the order. */
  joined(id: string, address: string): void {
    this.#order = withJoined(this.#order, id);
    this.#addresses.set(id, address);
  }

  /** The leader's roster arrived: returns the members it added here (never one that left). */
  announced(members: readonly string[]): string[] {
    const before = this.#order;
    this.#order = withAnnounced(before, members, this.#departed);
    return this.#order.filter((id) => !before.includes(id));
  }

  /** Remembered even when not (yet) a member. */
  departed(id: string): void {
    this.#departed.delete(id);
    this.#departed.add(id);
    if (this.#departed.size > MAX_DEPARTED) this.#departed.delete(this.#departed.values().next().value as string);
  }

  /** `id` left or was dropped: false if it was not a member. */
  remove(id: string): boolean {
    if (!this.#order.includes(id)) return false;
    this.departed(id);
    this.#order = without(this.#order, id);
    this.#profiles.delete(id);
    this.#away.delete(id);
    return true;
  }

  /** The server holds `id`'s slot (its page reloads, its network dropped): false if it was not a member. */
  away(id: string): boolean {
    if (!this.#order.includes(id) || this.#away.has(id)) return false;
    this.#away.add(id);
    return true;
  }
  isAway(id: string): boolean {
    return this.#away.has(id);
  }

  /**
   * `was` came back as `id` (a new connection ID): it takes its own place again, so its letter is unchanged; its last
   * profile stays shown until the new one arrives. If a roster had already appended `id`, that entry goes.
   */
  resumed(was: string, id: string, address: string): boolean {
    if (!this.#order.includes(was)) return false;
    this.#order = this.#order.filter((m) => m !== id).map((m) => (m === was ? id : m));
    this.#away.delete(was);
    this.#addresses.set(id, address);
    const profile = this.#profiles.get(was);
    this.#profiles.delete(was);
    if (profile) this.#profiles.set(id, profile);
    return true;
  }

  /** The leader's `roster` message: everyone it admitted, in order. */
  message(): MeshMessage {
    return { type: 'roster', v: MESH_PROTOCOL_VERSION, members: [...this.#order] };
  }

  /** Members in join order with their letters, as the UI lists them. */
  views(self: string, status: MemberStatus, connected: ReadonlySet<string>): CloudMemberView[] {
    const letters = lettersOf(this.#order);
    return this.#order.map((id) => {
      const isSelf = id === self;
      const profile = isSelf ? { ...this.own, status } : this.#profiles.get(id);
      return {
        id, self: isSelf, letter: letters.get(id) as Letter, address: this.#addresses.get(id) ?? '',
        name: profile?.name ?? '', sources: profile?.sources ?? [], status: profile?.status ?? 'waiting', connected: isSelf || connected.has(id),
        away: this.#away.has(id),
        ...(profile?.protocol !== undefined ? { protocol: profile.protocol } : {}),
        features: profile?.features ?? [],
      };
    });
  }
}
