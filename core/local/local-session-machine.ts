/** The Local Session's phases as a transition table (copied into docs/protocol.md). */
import type { LocalPhase } from './local-session-types.ts';

/** What happens to a Local Session. */
export type LocalEvent =
  | 'sources-changed' // addSource / removeSource
  | 'settings-changed' // setSettings: the comparison no longer matches them
  | 'inventory-start' // runInventory called
  | 'inventory-done' // every source inventoried (some may hold errors), comparison ready
  | 'inventory-failed' // cancelled, or an unexpected failure
  | 'sync-start' // synchronize called
  | 'sync-done' // the run ended: complete, with per-item failures, or cancelled
  | 'sync-failed'; // the run itself threw (never per-item): the comparison can no longer be trusted

/**
 * `{state, event} → state`. A pair that is absent is refused (LocalSessionError 'bad-phase'):
 * sources cannot change while an inventory or a run is under way, and a plan can only be
 * applied to the comparison it was made from.
 *
 * | state     | event            | next      |
 * |-----------|------------------|-----------|
 * | idle      | sources-changed  | idle      |
 * | idle      | settings-changed | idle      |
 * | idle      | inventory-start  | inventory |
 * | inventory | inventory-done   | compared  |
 * | inventory | inventory-failed | idle      |
 * | compared  | sources-changed  | idle      |
 * | compared  | settings-changed | idle      |
 * | compared  | inventory-start  | inventory |
 * | compared  | sync-start       | syncing   |
 * | syncing   | sync-done        | synced    |
 * | syncing   | sync-failed      | idle      |
 * | synced    | sources-changed  | idle      |
 * | synced    | settings-changed | idle      |
 * | synced    | inventory-start  | inventory |
 */
export const LOCAL_TRANSITIONS: Readonly<Record<LocalPhase, Partial<Record<LocalEvent, LocalPhase>>>> = {
  idle: { 'sources-changed': 'idle', 'settings-changed': 'idle', 'inventory-start': 'inventory' },
  inventory: { 'inventory-done': 'compared', 'inventory-failed': 'idle' },
  compared: { 'sources-changed': 'idle', 'settings-changed': 'idle', 'inventory-start': 'inventory', 'sync-start': 'syncing' },
  syncing: { 'sync-done': 'synced', 'sync-failed': 'idle' },
  synced: { 'sources-changed': 'idle', 'settings-changed': 'idle', 'inventory-start': 'inventory' },
};

/** Why a session call was refused; the UI translates the code. */
export type LocalSessionErrorCode = 'bad-phase' | 'unknown-source' | 'duplicate-source' | 'no-comparison';

/** A refused session call (not a file failure: those are FsError and per item). */
export class LocalSessionError extends Error {
  override readonly name = 'LocalSessionError';
  constructor(readonly code: LocalSessionErrorCode, message?: string) {
    super(message ?? code);
  }
}

/** The next phase, or throws 'bad-phase' when the table has no such transition. */
export function nextPhase(phase: LocalPhase, event: LocalEvent): LocalPhase {
  const next = LOCAL_TRANSITIONS[phase][event];
  if (!next) throw new LocalSessionError('bad-phase', `${event} in ${phase}`);
  return next;
}
