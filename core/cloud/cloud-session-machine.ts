/** The Cloud Session's phases and the leader rule, as `{state, event} → {state, effects}` tables (docs/protocol.md §8). */
import type { MemberStatus, MeshMessage } from '../protocol/mesh-messages.ts';
import { LEADER_ONLY_TYPES } from '../protocol/mesh-messages.ts';
import { leaderOf } from './cloud-roster.ts';

/** Where the whole session is. Each member's own status is derived from it (waiting, inventory…). */
export type CloudPhase = 'waiting' | 'inventory' | 'ready' | 'syncing' | 'synced' | 'ended';

/** What happens to a session. Leader events arrive as mesh messages from A (or are A's own clicks). */
export type CloudEvent =
  | 'start-inventory' // leader
  | 'inventory-done' // this member's inventory finished
  | 'start-sync' // leader
  | 'sync-done' // the run ended
  | 'restart' // leader: reset, keeping members and sources
  | 'member-left' // someone left (or was lost)
  | 'member-away' // someone's signaling dropped: its slot is held for its return (a reload)
  | 'exit'; // this member leaves

/** Side effects the session carries out after a transition. */
export type CloudEffect = 'broadcast-profile' | 'reset-run' | 'new-password-if-leader' | 'rotate-key-if-leader' | 'close-all';

/** One row's outcome. */
export interface CloudTransition {
  state: CloudPhase;
  effects: readonly CloudEffect[];
}

// A departure changes the join secret as well as the key: whoever left cannot come back with the password they knew.
const left: CloudTransition = { state: 'waiting', effects: ['new-password-if-leader', 'rotate-key-if-leader'] };
const restart: CloudTransition = { state: 'waiting', effects: ['reset-run', 'broadcast-profile', 'rotate-key-if-leader'] };
const exit: CloudTransition = { state: 'ended', effects: ['close-all'] };
// A member reloading cannot take part in a run: the round is reset (as at a departure), but nobody's secret changes.
const away: CloudTransition = { state: 'waiting', effects: ['reset-run', 'broadcast-profile'] };

/**
 * `{state, event} → {state, effects}`. A pair that is absent is ignored (e.g. a second "start inventory").
 * A member leaving mid-run sends everyone back to waiting: a comparison without one member's sources is not the
 * one the leader reviewed.
 * The table is drawn in docs/protocol.md §8, kept equal to this one by core/docs-tables.test.ts.
 */
export const CLOUD_TRANSITIONS: Readonly<Record<CloudPhase, Partial<Record<CloudEvent, CloudTransition>>>> = {
  waiting: {
    'start-inventory': { state: 'inventory', effects: ['broadcast-profile'] },
    restart, 'member-left': left, exit,
  },
  inventory: {
    'inventory-done': { state: 'ready', effects: ['broadcast-profile'] },
    'member-away': away, restart, 'member-left': { ...left, effects: ['new-password-if-leader', 'rotate-key-if-leader', 'reset-run', 'broadcast-profile'] }, exit,
  },
  ready: {
    'start-inventory': { state: 'inventory', effects: ['broadcast-profile'] },
    'start-sync': { state: 'syncing', effects: ['broadcast-profile'] },
    'member-away': away, restart, 'member-left': { ...left, effects: ['new-password-if-leader', 'rotate-key-if-leader', 'reset-run', 'broadcast-profile'] }, exit,
  },
  syncing: {
    'sync-done': { state: 'synced', effects: ['broadcast-profile'] },
    'member-away': away, restart, 'member-left': { ...left, effects: ['new-password-if-leader', 'rotate-key-if-leader', 'reset-run', 'broadcast-profile'] }, exit,
  },
  synced: {
    'start-inventory': { state: 'inventory', effects: ['broadcast-profile'] },
    'member-away': away, restart, 'member-left': { ...left, effects: ['new-password-if-leader', 'rotate-key-if-leader', 'reset-run', 'broadcast-profile'] }, exit,
  },
  ended: {},
};

/** The transition for an event, or null when the table has none (the event is ignored). */
export function cloudTransition(state: CloudPhase, event: CloudEvent): CloudTransition | null {
  return CLOUD_TRANSITIONS[state][event] ?? null;
}

/** Whether a run is under way, so that leaving asks for confirmation (manual, "Exit session"). */
export function runUnderWay(state: CloudPhase): boolean {
  return state === 'inventory' || state === 'syncing';
}

/** Why a mesh message was refused by the membership rules. */
export type Refusal = 'not-leader' | 'not-a-member';

/**
 * Whether a member accepts `message` from `from`, given the join order it knows. Leader-only types are accepted
 * from the current A alone: every member checks, so a forged "start sync" from B is refused by all, not only hidden
 * in B's UI (docs/security.md).
 */
export function admitMessage(order: readonly string[], from: string, message: MeshMessage): { ok: true } | { ok: false; refusal: Refusal } {
  if (!order.includes(from)) return { ok: false, refusal: 'not-a-member' };
  if (LEADER_ONLY_TYPES.has(message.type) && leaderOf(order) !== from) return { ok: false, refusal: 'not-leader' };
  return { ok: true };
}

/** The status a member shows others in each phase. */
export const STATUS_OF: Record<CloudPhase, MemberStatus> = { waiting: 'waiting', inventory: 'inventory', ready: 'ready', syncing: 'syncing', synced: 'synced', ended: 'waiting' };

/** Refused leader-only messages kept for another look: the signaling `left` that makes their sender A may come later. */
export const MAX_HELD = 8;

/** The leader rule with its short memory: `admit` holds a leader-only message refused as `not-leader` (at most MAX_HELD). */
export class LeaderRule {
  #held: { from: string; message: MeshMessage }[] = [];

  admit(order: readonly string[], from: string, message: MeshMessage): ReturnType<typeof admitMessage> {
    const verdict = admitMessage(order, from, message);
    if (!verdict.ok && verdict.refusal === 'not-leader' && this.#held.length < MAX_HELD) this.#held.push({ from, message });
    return verdict;
  }

  /** The held messages, to be admitted again now that someone left. */
  release(): { from: string; message: MeshMessage }[] {
    return this.#held.splice(0);
  }
}
