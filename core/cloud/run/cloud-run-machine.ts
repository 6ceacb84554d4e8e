/** One member's side of a cloud run (issue 6) as a `{state, event} → {state, effects}` table; docs/protocol.md §10.4 copies it. */

/** Where this member's run stands. */
export type RunState = 'idle' | 'inventory' | 'sharing' | 'compared' | 'syncing' | 'done';

/** What moves it. */
export type RunEvent =
  | 'start-inventory' // the leader's start-inventory was accepted (in `sharing`: the last round went on without this member)
  | 'inventory-done' // own sources inventoried, inventories sent to every member
  | 'all-inventories' // every member's inventories of this round are in: the comparison is computed
  | 'start-sync' // the leader's plan arrived whole, then its start-sync
  | 'sync-done' // own actions finished (done, failed or skipped); the result is sent to all
  | 'reset'; // a member left, or the leader restarted (the session's reset-run effect)

/**
 * What the run does on a transition. The run's data lives in two objects the effects make and drop, so no state holds
 * data of another: a `Round` (core/cloud/run/round.ts: the round id, its cancel signal, own inventories, comparison,
 * base) exists from `inventory` on; a `Share` (the sync id, resolved plan, results, puller) from the leader's start-sync.
 * - `new-round`: cancels the previous round and its share, and starts a round (peers' parts of it already in are kept);
 * - `drop-round`: cancels the round and its share (pulls, writers, serving) and forgets both: nothing of the round is kept.
 */
export type RunEffect = 'new-round' | 'drop-round';

/**
 * | state     | event           | next      | effects    |
 * |-----------|-----------------|-----------|------------|
 * | idle      | start-inventory | inventory | new-round  |
 * | inventory | inventory-done  | sharing   |            |
 * | sharing   | all-inventories | compared  |            |
 * | sharing   | start-inventory | inventory | new-round  |
 * | compared  | start-inventory | inventory | new-round  |
 * | compared  | start-sync      | syncing   |            |
 * | syncing   | sync-done       | done      |            |
 * | done      | start-inventory | inventory | new-round  |
 * | any       | reset           | idle      | drop-round |
 */
const round = { next: 'inventory', effects: ['new-round'] } as const;
const reset = { next: 'idle', effects: ['drop-round'] } as const;
export const RUN_TRANSITIONS: Readonly<Record<RunState, Partial<Record<RunEvent, { next: RunState; effects: readonly RunEffect[] }>>>> = {
  idle: { 'start-inventory': round, reset },
  inventory: { 'inventory-done': { next: 'sharing', effects: [] }, reset },
  sharing: { 'all-inventories': { next: 'compared', effects: [] }, 'start-inventory': round, reset },
  compared: { 'start-inventory': round, 'start-sync': { next: 'syncing', effects: [] }, reset },
  syncing: { 'sync-done': { next: 'done', effects: [] }, reset },
  done: { 'start-inventory': round, reset },
};

/** The transition, or null when the table has no such pair (the event is ignored). */
export function runTransition(state: RunState, event: RunEvent): { next: RunState; effects: readonly RunEffect[] } | null {
  return RUN_TRANSITIONS[state][event] ?? null;
}
