/** A cloud run's synchronization step on one member: the leader's plan checked here, its own share run, every member's result taken. */
import type { Emitter } from '../../events.ts';
import { MESH_PROTOCOL_VERSION } from '../../protocol/mesh-messages.ts';
import type { RunProgressMessage, RunResultMessage } from '../../protocol/run-messages.ts';
import type { SharedInventory } from '../../transfer/compact-inventory.ts';
import type { TransferCounters } from '../../transfer/remote-blocks.ts';
import type { RoleOf } from '../../plan/roles.ts';
import { withPausedWrites } from '../../continuous/paused-writes.ts';
import { resolvePlan } from './cloud-run-plan.ts';
import { runOwnShare } from './cloud-run-sync.ts';
import type { RunEvent, RunState } from './cloud-run-machine.ts';
import type { CloudRunEvents, CloudRunOptions } from './cloud-run-types.ts';
import type { CloudUndo } from './cloud-undo.ts';
import type { LocalChange } from './local-changes.ts';
import type { RunBases } from './run-bases.ts';
import { Share, type Round } from './round.ts';
import type { Serving } from './serving.ts';

/** What the synchronization step needs from its run. */
export interface SyncHost {
  options: CloudRunOptions;
  /** The run: the step reports through its events, and waits on its `state.changed`. */
  events: Emitter<CloudRunEvents>;
  counters: TransferCounters;
  serving: Serving;
  undo: CloudUndo;
  bases: RunBases;
  /** The leader's plan of sync `run`, once all its parts are in (run-inbox.ts). */
  plan(run: string): Promise<unknown>;
  round(): Round | null;
  state(): RunState;
  /** Moves the run table (cloud-run-machine.ts); false when the table has no such pair. */
  go(event: RunEvent): boolean;
  /** Every member's inventories of this round, in comparison order. */
  all(): SharedInventory[];
  /** Each source's role under the settings this member holds. */
  roles(): RoleOf;
  /** Whether this member paused its own continuous synchronization: its share then writes nothing. */
  writesPaused(): boolean;
  letterOf(id: string): string;
  /** This member's progress, to itself and every member. */
  report(stage: 'sync', progress: Omit<RunProgressMessage, 'type' | 'v' | 'run' | 'stage'>, run: string): void;
  localChanges(): LocalChange[];
}

/** Runs the leader's `start-sync` on this member and takes every member's result of it. */
export class SyncStep {
  readonly #h: SyncHost;

  constructor(host: SyncHost) {
    this.#h = host;
  }

  /** The leader's start-sync `run`: waits for its plan, checks it against this member's comparison, runs this member's share. */
  async start(run: string): Promise<void> {
    const h = this.#h;
    const round = h.round();
    if (!round) return void h.events.emit('problem', 'sync-without-comparison');
    // Set before waiting for the plan: results of quicker members must not be taken for stale.
    const share = (round.share = new Share(run));
    const value = await h.plan(run);
    // A compared first; this member may still await one inventory (it left its sender after A's last one arrived).
    if (h.state() === 'sharing') await new Promise<void>((r) => { const off = h.events.on('state.changed', (s) => s !== 'sharing' && (off(), r())); });
    const checked = h.state() === 'compared' && h.round() === round ? resolvePlan(value, round.id, h.all().map((s) => s.inventory), h.roles()) : null;
    const resolved = checked && h.writesPaused() ? withPausedWrites(checked, new Set(round.mine.map((s) => s.inventory.source))) : checked;
    if (!h.go('start-sync')) return void h.events.emit('problem', 'sync-without-comparison');
    if (!resolved) {
      h.events.emit('problem', 'plan-refused');
      h.serving.close(run);
      return this.#finish(round, share, { type: 'run-result', v: MESH_PROTOCOL_VERSION, run, done: [], failed: [], skipped: [], bytes: 0, ms: 0 });
    }
    share.resolved = resolved;
    // The leader's own planner never plans these: a plan that does was made against the roles, whatever its UI showed.
    if (resolved.roleRefused.length > 0) {
      const first = resolved.roleRefused.slice(0, 5).map((r) => `${r.reason} ${r.detail}`).join(', ');
      h.events.emit('problem', `role-refused: ${resolved.roleRefused.length} action(s) (${first})`);
    }
    for (const [from, m] of share.early) void this.takeResult(share, from, m);
    share.early.clear();
    h.events.emit('plan', resolved);
    if (share.stopped) h.serving.close(run);
    else h.serving.open(run, resolved);
    const result = await runOwnShare({
      ...h.options, round, share, resolved, counters: h.counters, session: h.options.session,
      onProgress: (p) => h.report('sync', p, run), current: () => h.round()?.share === share && h.state() === 'syncing',
    });
    if (result) await this.#finish(round, share, result);
    if (resolved.held.length > 0) h.events.emit('local.changed', h.localChanges());
  }

  /**
   * A peer's result, checked against the resolved plan: it counts only for actions whose target is one of the
   * sender's sources. Any other index (another member's action, or none) is dropped and reported, never applied.
   */
  async takeResult(share: Share, from: string, m: RunResultMessage): Promise<void> {
    const h = this.#h;
    const letter = h.letterOf(from);
    const taken = share.take(from, letter, m);
    if (!taken) return;
    const { result, refused } = taken;
    if (refused.length > 0) h.events.emit('problem', `result-refused:${letter}: ${refused.length} action(s) not its own (${refused.slice(0, 5).join(', ')})`);
    h.events.emit('result', from, result);
    const round = h.round();
    if (round?.share === share) return this.#maybeRecordBase(round, share);
  }

  /** Leader: the result of a member of `share` is no longer awaited (silence.ts): the base may be recorded now. */
  async silenced(share: Share): Promise<void> {
    const round = this.#h.round();
    if (round?.share === share) await this.#maybeRecordBase(round, share);
  }

  async #finish(round: Round, share: Share, result: RunResultMessage): Promise<void> {
    const h = this.#h;
    const { session } = h.options;
    const local = share.localRun;
    h.undo.record(share.id, new Map(local?.ids ?? []));
    share.results.set(session.self, result);
    h.events.emit('result', session.self, result);
    await session.broadcastRun(result);
    h.go('sync-done');
    session.local('sync-done');
    await this.#maybeRecordBase(round, share);
  }

  /** Leader: once every member reported, the new base of the profile (docs/protocol.md §5.1). */
  async #maybeRecordBase(round: Round, share: Share): Promise<void> {
    const { session } = this.#h.options;
    // A silent member's actions (silence.ts) count as not done: the base keeps what its sources held.
    if (!session.isLeader || !session.members.every((m) => share.results.has(m.id) || share.silent.has(m.id) || round.without.has(m.id))) return;
    const roleOf = this.#h.roles();
    await round.recordBase(new Set((round.comparison?.sources ?? []).filter((c) => roleOf(c) === 'send-only')));
    this.#h.bases.remember(round, true);
  }
}
