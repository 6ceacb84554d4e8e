/** What one inventory round and one synchronization hold (docs/protocol.md §10.4): made and dropped by the run table's effects. */
import type { Comparison } from '../../compare/types.ts';
import type { BaseStates } from '../../base/base-types.ts';
import type { BaseStore } from '../../base/base-store.ts';
import type { RunResultMessage } from '../../protocol/run-messages.ts';
import type { BlockPuller } from '../../transfer/remote-blocks.ts';
import type { ResolvedPlan } from './cloud-run-plan.ts';
import type { AccessState } from '../../ports.ts';
import type { OwnInventory } from './cloud-run-inventory.ts';
import { withoutWrite } from './cloud-run-sync.ts';
import { ownResult } from './cloud-run-results.ts';

/** One inventory round (`start-inventory {run}`) and what it produced; the synchronization on it is its `share`. */
export class Round {
  /** Cancels the round's inventory, and the share's pulls and writers. */
  readonly abort = { aborted: false };
  /** This member's sources as inventoried this round, each with the folder it was read from. */
  mine: OwnInventory[] = [];
  comparison: Comparison | null = null;
  /** The profile's base (every source id of the round) and its store; the leader records it after each run. */
  base: BaseStates | null = null;
  baseStore: BaseStore | null = null;
  share: Share | null = null;
  /** Members the round goes on without (the leader's `silent`, core/cloud/run/silence.ts): compared without them. */
  readonly without = new Set<string>();

  constructor(readonly id: string) {}

  /** This member's sources of the round by code. */
  ownByCode(): Map<string, OwnInventory> {
    return new Map(this.mine.map((s) => [s.inventory.source, s]));
  }

  /** The leader stopped sync `run`: false when it is not this round's, or was stopped already. */
  stop(run: string): boolean {
    if (this.share?.id !== run || this.share.stopped) return false;
    this.share.stopped = true;
    this.cancel();
    return true;
  }

  /** Leader, once every member reported: the new base of the profile from all members' completed actions (§5.1). */
  async recordBase(sendOnly?: ReadonlySet<string>): Promise<void> {
    const share = this.share;
    if (!share?.resolved || !this.comparison || !this.baseStore) return;
    const applied = [...share.results.values()].flatMap((r) => r.done.flatMap((i) => share.resolved?.actions[i] ?? []));
    this.base = await this.baseStore.record(this.comparison, applied, this.base, sendOnly);
  }

  /** This member's folders among `targets` that lack write permission now (asked without prompting). */
  async needsWrite(targets: Iterable<string>): Promise<string[]> {
    return [...await withoutWrite(new Set(targets), this.ownByCode())].sort();
  }

  /** Asks write permission on this member's folder `code`: within the user's click (the browser may prompt). */
  allowWrite(code: string): Promise<AccessState> {
    const entry = this.ownByCode().get(code);
    return entry ? entry.source.access('readwrite', true).catch(() => 'denied' as const) : Promise.resolve('denied');
  }

  /** Stops whatever of the round is in flight. */
  cancel(): void {
    this.abort.aborted = true;
    this.share?.puller?.cancelAll();
  }
}

/** One synchronization (`start-sync {run}`): set before its plan arrives, so quicker members' results are not taken for stale. */
export class Share {
  resolved: ResolvedPlan | null = null;
  readonly results = new Map<string, RunResultMessage>();
  /** Peers' results that came before this member resolved its plan (the last per peer; checked once it has). */
  readonly early = new Map<string, RunResultMessage>();
  /** Members whose result the leader stopped waiting for (`silent`): their actions stay not confirmed. */
  readonly silent = new Set<string>();
  /** The leader stopped it (its result says so). */
  stopped = false;
  puller: BlockPuller | null = null;
  /** The run id this member's share wrote its manifests under, and each own source it changed with its manifest's run (cloud undo). */
  localRun: { runId: string; ids: Array<[id: string, manifestRun: string]> } | null = null;
  /** Indices of the plan's held actions this member reverted (its local changes taken back). */
  readonly reverted = new Set<number>();

  constructor(readonly id: string) {}

  /**
   * A peer's result, checked against the resolved plan: it counts only for actions whose target is one of the sender's
   * sources (`letter`). Returns the indices refused, or null when kept for later (the plan is not resolved yet here).
   */
  take(from: string, letter: string, m: RunResultMessage): { result: RunResultMessage; refused: number[] } | null {
    if (!this.resolved) {
      this.early.set(from, m);
      return null;
    }
    const checked = ownResult(m, this.resolved.targets, letter);
    this.results.set(from, checked.result);
    return checked;
  }
}
