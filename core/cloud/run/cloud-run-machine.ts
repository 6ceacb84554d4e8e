/** One member's side of a cloud run (issue 6) as a `{state, event} → state` table; docs/protocol.md §10 copies it. */

/** Where this member's run stands. */
export type RunState = 'idle' | 'inventory' | 'sharing' | 'compared' | 'syncing' | 'done';

/** What moves it. */
export type RunEvent =
  | 'start-inventory' // the leader's start-inventory was accepted
  | 'inventory-done' // own sources inventoried, inventories sent to every member
  | 'all-inventories' // every member's inventories of this round are in: the comparison is computed
  | 'start-sync' // the leader's plan arrived whole, then its start-sync
  | 'sync-done' // own actions finished (done, failed or skipped); the result is sent to all
  | 'reset'; // a member left, or the leader restarted: nothing of the round is kept

/**
 * | state     | event           | next      |
 * |-----------|-----------------|-----------|
 * | idle      | start-inventory | inventory |
 * | inventory | inventory-done  | sharing   |
 * | sharing   | all-inventories | compared  |
 * | compared  | start-inventory | inventory |
 * | compared  | start-sync      | syncing   |
 * | syncing   | sync-done       | done      |
 * | done      | start-inventory | inventory |
 * | any       | reset           | idle      |
 */
export const RUN_TRANSITIONS: Readonly<Record<RunState, Partial<Record<RunEvent, RunState>>>> = {
  idle: { 'start-inventory': 'inventory', reset: 'idle' },
  inventory: { 'inventory-done': 'sharing', reset: 'idle' },
  sharing: { 'all-inventories': 'compared', reset: 'idle' },
  compared: { 'start-inventory': 'inventory', 'start-sync': 'syncing', reset: 'idle' },
  syncing: { 'sync-done': 'done', reset: 'idle' },
  done: { 'start-inventory': 'inventory', reset: 'idle' },
};

/** The next state, or null when the table has no such pair (the event is ignored). */
export function runTransition(state: RunState, event: RunEvent): RunState | null {
  return RUN_TRANSITIONS[state][event] ?? null;
}
