/** The leader's continuous-synchronization loop as a `{state, event} → {state, effects}` table (docs/protocol.md §12.2). */

/**
 * off: continuous is off. idle: watching, no change waiting. quiet: a change came, waiting for QUIET_MS without one
 * (at most MAX_WAIT_MS from the first). running: a round (inventory → Two-way plan → sync) is under way. again: a change
 * came during the round: another follows it. paused / paused-running: the leader paused the whole session (a round
 * already under way finishes).
 */
export type LoopState = 'off' | 'idle' | 'quiet' | 'running' | 'again' | 'paused' | 'paused-running';

/**
 * on/off: the setting. change: a member's notice (or the leader's own watcher). quiet-over: QUIET_MS without a change,
 * or MAX_WAIT_MS since the first. reconcile: RECONCILE_MS since the last round ended. round-done: the round ended
 * (every result in, or reset by a member leaving). pause/resume: the leader's buttons.
 */
export type LoopEvent = 'on' | 'off' | 'change' | 'quiet-over' | 'reconcile' | 'round-done' | 'pause' | 'resume';

/** start-round: A starts the next round. arm-quiet: (re)starts the quiet timer, and the max-wait timer if none runs. */
export type LoopEffect = 'start-round' | 'arm-quiet' | 'arm-reconcile' | 'clear-timers';

export interface LoopTransition {
  state: LoopState;
  effects: readonly LoopEffect[];
}

const to = (state: LoopState, ...effects: LoopEffect[]): LoopTransition => ({ state, effects });
const off = to('off', 'clear-timers');

/** Absent pairs are ignored (a change while off, a reconcile while a round runs …). */
export const LOOP_TRANSITIONS: Readonly<Record<LoopState, Partial<Record<LoopEvent, LoopTransition>>>> = {
  off: { on: to('running', 'start-round') },
  idle: { change: to('quiet', 'arm-quiet'), reconcile: to('running', 'clear-timers', 'start-round'), pause: to('paused', 'clear-timers'), off },
  quiet: { change: to('quiet', 'arm-quiet'), 'quiet-over': to('running', 'clear-timers', 'start-round'), pause: to('paused', 'clear-timers'), off },
  running: { change: to('again'), 'round-done': to('idle', 'arm-reconcile'), pause: to('paused-running'), off },
  again: { 'round-done': to('quiet', 'arm-quiet'), pause: to('paused-running'), off },
  paused: { resume: to('running', 'start-round'), off },
  'paused-running': { 'round-done': to('paused'), resume: to('again'), off },
};

export function loopTransition(state: LoopState, event: LoopEvent): LoopTransition | null {
  return LOOP_TRANSITIONS[state][event] ?? null;
}
