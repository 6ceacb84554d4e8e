/** A Cloud Session's runs (issue 6): the run table, the leader's plan, run messages routed to the steps (inventory-step.ts, sync-step.ts). */
import type { AccessState, EntryKind } from '../../ports.ts';
import { Emitter } from '../../events.ts';
import type { Comparison } from '../../compare/types.ts';
import type { BaseStates } from '../../base/base-types.ts';
import type { Plan, Preset } from '../../plan/types.ts';
import type { Rule, TargetedAction } from '../../plan/rules-types.ts';
import type { CloudSession } from '../cloud-session.ts';
import { presetPlan, rulesPlan, type PlanningContext } from '../../plan/planner.ts';
import { MESH_PROTOCOL_VERSION } from '../../protocol/mesh-messages.ts';
import type { RunMessage, RunProgressMessage, RunResultMessage } from '../../protocol/run-messages.ts';
import { decodeBlockPiece } from '../../protocol/block-frame.ts';
import { inThreadDecoder, toParts } from '../../transfer/blob-parts.ts';
import { fflateBlockCodec } from '../../transfer/block-codec.ts';
import type { SharedInventory } from '../../transfer/compact-inventory.ts';
import { InventorySender } from './inventory-sender.ts';
import type { ServeLoad } from '../../transfer/block-server.ts';
import { Serving } from './serving.ts';
import type { TransferCounters } from '../../transfer/remote-blocks.ts';
import { OwnInventories, type OwnSource } from './cloud-run-inventory.ts';
import { ownWrites } from '../../plan/own-writes.ts';
import { encodePlan, type ResolvedPlan } from './cloud-run-plan.ts';
import { runTransition, type RunEvent, type RunState } from './cloud-run-machine.ts';
import { Round } from './round.ts';
import { RunInbox } from './run-inbox.ts';
import type { CloudRunEvents, CloudRunOptions } from './cloud-run-types.ts';
import { CloudUndo } from './cloud-undo.ts';
import { RunBases } from './run-bases.ts';
import { InventoryStep } from './inventory-step.ts';
import { SyncStep } from './sync-step.ts';
import { roleOfSource, type RoleOf } from '../../plan/roles.ts';
import { revertLocal, localChangesOf, type LocalChange } from './local-changes.ts';
import { restrictComparison } from '../../plan/restrict.ts';
import type { ChangeLog } from '../../continuous/change-log.ts';
import { Silences } from './silence.ts';

/** One member's runs. Create it beside the session; it follows the session's leader commands and run messages. */
export class CloudRun extends Emitter<CloudRunEvents> {
  readonly counters: TransferCounters = { pulledBytes: 0, reusedBytes: 0, servedBytes: 0 };
  readonly progress = new Map<string, RunProgressMessage>();
  readonly #o: CloudRunOptions;
  readonly #session: CloudSession;
  #state: RunState = 'idle';
  /** The current round and its share (round.ts); null until the first start-inventory and after a reset. */
  #round: Round | null = null;
  /** The base the rounds compare against, kept past them (run-bases.ts). */
  readonly #bases: RunBases;
  #syncs = 0;
  #own: OwnSource[] = [];
  /** This member's walks and their memory of the last ones (cloud-run-inventory.ts). */
  readonly #inventories: OwnInventories;
  readonly #inbox: RunInbox;
  /** Whole inventories or a delta against the last ones sent (§12). */
  readonly #sender = new InventorySender();
  readonly #serving: Serving;
  /** "Undo last run" (leader: `undo.order()`), each member's outcome in `undo.current` and `undo-result` events. */
  readonly undo: CloudUndo;
  /** The run's two steps: inventories to a comparison (inventory-step.ts); plan, own share, results (sync-step.ts). */
  readonly #inventoryStep: InventoryStep;
  readonly #syncStep: SyncStep;
  /** Members that say nothing of a round: the leader's watch, everyone's `silent` (silence.ts); counts per step. */
  readonly silences: Silences;

  constructor(options: CloudRunOptions) {
    super();
    this.#o = options;
    const s = (this.#session = options.session);
    this.#bases = new RunBases({ store: options.store, round: () => this.#round, all: () => this.#all() });
    this.#inventories = new OwnInventories(options.observer, () => options.clock.now());
    this.silences = new Silences({
      session: s, events: this, round: () => this.#round, state: () => this.#state, inventoryIn: (peer, run) => this.#inbox.inventories.complete([peer], run),
      compare: () => this.#inventoryStep.compare(), silenced: (share) => this.#syncStep.silenced(share),
    });
    s.on('ended', () => {
      this.#inventories.dispose();
      this.silences.stop();
    });
    // What this member's share writes, its next inventory looks at again, whatever its observer reports (§3.1).
    this.on('plan', (resolved) => {
      for (const [id, path] of ownWrites(resolved.actions, this.#letterOf(s.self), this.#own.map((x) => x.id))) this.#inventories.noteWrite(id, path);
    });
    this.#inbox = new RunInbox(options.decoder ?? inThreadDecoder(options.compressor), options.clock, (reason) => this.emit('problem', reason),
      (peer, run) => void this.#session.sendRun(peer, { type: 'inventory-full', v: MESH_PROTOCOL_VERSION, run }).catch(() => undefined));
    this.#serving = new Serving({
      session: s, hasher: options.hasher, codec: options.blockCodec ?? fflateBlockCodec, letterOf: (peer) => this.#letterOf(peer),
      onServed: (n) => (this.counters.servedBytes += n), onFlood: (letter) => this.emit('problem', `blocks-get-flood:${letter}`),
    });
    // A blob this member may not send (toParts: past the limits every receiver applies) is reported, not thrown away.
    s.on('run.command', (command, run, scope) => {
      if (command === 'start-sync') this.silences.syncStarted(run);
      void (command === 'start-inventory' ? this.#inventoryStep.start(run, scope) : this.#syncStep.start(run)).catch((e: unknown) => this.emit('problem', `${command}: ${String(e)}`));
    });
    s.on('run.message', (from, m) => void this.#onMessage(from, m).catch((e: unknown) => this.emit('problem', `${m.type}: ${String(e)}`)));
    s.on('run.bulk', (from, data) => {
      const piece = decodeBlockPiece(data);
      if (piece) this.#round?.share?.puller?.onPiece(from, piece);
    });
    // Pieces that came on a lost lane are asked again on what the pair has left (core/mesh/lanes.ts, Failure).
    s.mesh.on('lane', (peer, lane, what) => void (what === 'lost' && lane.startsWith('in-') && this.#round?.share?.puller?.laneLost(peer)));
    s.mesh.on('peer.down', (peer) => {
      this.#inbox.forget(peer);
      this.#round?.share?.puller?.peerGone(peer);
      this.#serving.forget(peer);
    });
    s.on('run.reset', () => this.#go('reset'));
    this.undo = new CloudUndo({
      session: s, hasher: options.hasher, clock: options.clock, own: () => this.#own,
      busy: () => this.#state === 'inventory' || this.#state === 'sharing' || this.#state === 'syncing',
      undone: () => void this.#go('reset'), // the round's comparison no longer says what the folders hold
      result: (member, m) => {
        this.#bases.undone(m);
        this.emit('undo-result', member, m);
      },
      problem: (reason) => this.emit('problem', reason),
    });
    this.#inventoryStep = new InventoryStep({
      options, events: this, inventories: this.#inventories, sender: this.#sender, inbox: this.#inbox, serving: this.#serving, bases: this.#bases,
      round: () => this.#round, state: () => this.#state, go: (event, run) => this.#go(event, run), own: () => this.#own,
      all: () => this.#all(), letterOf: (id) => this.#letterOf(id), report: (stage, p, run) => this.#report(stage, p, run),
    });
    this.#syncStep = new SyncStep({
      options, events: this, counters: this.counters, serving: this.#serving, undo: this.undo, bases: this.#bases,
      plan: (run) => this.#inbox.plans.of(run).promise, round: () => this.#round, state: () => this.#state, go: (event) => this.#go(event),
      all: () => this.#all(), roles: () => this.#roles(), writesPaused: () => this.writesPaused(), letterOf: (id) => this.#letterOf(id),
      report: (stage, p, run) => this.#report(stage, p, run), localChanges: () => this.localChanges,
    });
  }

  /** Whether this member paused its own continuous synchronization (set by it, §12): its share then writes nothing. */
  writesPaused: () => boolean = () => false;

  /** How this member's last inventory walked its own source `id` (§3.1): 'partial' when only what was reported changed. */
  walkOf(id: string): 'whole' | 'partial' | null {
    return this.#inventories.walkOf(id);
  }

  /** The codes of this member's own sources its last inventory walked partially (§3.1): what its page says was watched. */
  get observedOnly(): string[] {
    const letter = this.#letterOf(this.#session.self);
    return this.#own.flatMap((s, i) => (this.walkOf(s.id) === 'partial' ? [`${letter}${i + 1}`] : []));
  }

  /** What each own source's watcher noted since its last inventory (set by continuous synchronization, §12). */
  get changeLog(): ChangeLog | null {
    return this.#inventories.changeLog;
  }
  set changeLog(log: ChangeLog | null) {
    this.#inventories.changeLog = log;
  }

  /** Inventory deltas (§12): sent by this member (and whole inventories), applied here, or not applied (asked whole). */
  get deltas(): { sent: number; whole: number; onRequest: number; applied: number; fallbacks: number } {
    const { deltas, whole, onRequest } = this.#sender.counts;
    return { sent: deltas, whole, onRequest, ...this.#inbox.deltas };
  }

  get state(): RunState {
    return this.#state;
  }
  /** The comparison of the current round, once every member's inventories are in. */
  get comparison(): Comparison | null {
    return this.#round?.comparison ?? null;
  }
  /** The plan of the current sync as this member resolved it. */
  get resolved(): ResolvedPlan | null {
    return this.#round?.share?.resolved ?? null;
  }
  /** Every member's result of the current sync, this member's own included. */
  get results(): ReadonlyMap<string, RunResultMessage> {
    return this.#round?.share?.results ?? new Map();
  }

  /** What `peer`'s block requests hold here now: requests held or queued, block bytes read and not yet sent. */
  serving(peer: string): ServeLoad & { held: number } {
    return this.#serving.load(peer);
  }

  /** This member's own sources, in order (codes `<letter>1`, `<letter>2` …). The session publishes their names. */
  setSources(sources: readonly OwnSource[]): void {
    this.#own = [...sources];
    this.#inventories.keepOnly(sources);
  }

  /**
   * Leader: plan a preset over the shared comparison (names checked). `keep`: only these sources take part (continuous
   * synchronization leaves a paused member's out: core/continuous/continuous-plan.ts).
   */
  planPreset(preset: Preset, keep?: ReadonlySet<string>): Plan {
    const ctx = this.#planning();
    if (!keep) return presetPlan(ctx, preset);
    return presetPlan({ ...ctx, comparison: restrictComparison(ctx.comparison, keep), sources: ctx.sources.filter((s) => keep.has(s.code)) }, preset);
  }

  /**
   * Leader, on a comparison whose plan has nothing to do: records the base as a sync of no action would (every member's
   * result empty), without one. Continuous rounds that find nothing to do end here: no plan, no run record on any page.
   */
  async settle(): Promise<void> {
    const round = this.#round;
    if (!this.#session.isLeader || this.#state !== 'compared' || !round?.comparison || !round.baseStore) return;
    round.base = await round.baseStore.record(round.comparison, [], round.base);
    this.#bases.remember(round, true);
  }

  /** Leader: plan rules and targeted actions over the shared comparison. */
  planRules(input: { rules: readonly Rule[]; targeted: readonly TargetedAction[] }): Plan {
    return rulesPlan(this.#planning(), input);
  }

  /** Leader: sends the plan in parts to everyone, then start-sync. Every member checks it and runs its share. */
  async synchronize(plan: Plan): Promise<void> {
    const { round } = this.#planning();
    const run = `s${this.#o.clock.now().toString(36)}-${++this.#syncs}`;
    for (const part of await toParts(encodePlan(plan, round.id), this.#o.compressor)) {
      await this.#session.leadRun({ type: 'plan-part', v: MESH_PROTOCOL_VERSION, run, ...part });
    }
    await this.#session.startSync(run);
  }

  /**
   * Leader: stops the current synchronization on every member (`stop-sync`, leader-only like `start-sync`). Each one
   * cancels its pulls and aborts its writers; a re-run continues from whatever is already whole (docs/protocol.md §10.3).
   */
  stop(): Promise<void> {
    const share = this.#round?.share;
    if (this.#session.isLeader && !share) return Promise.reject(new Error('no synchronization to stop'));
    return this.#session.leadRun({ type: 'stop-sync', v: MESH_PROTOCOL_VERSION, run: share?.id ?? '' });
  }

  /** Every member's sources of the current round, in comparison order (what rules and targeted actions may name). */
  get sources(): { code: string; rootKind: EntryKind; name: string }[] {
    return this.#all().map((s) => ({ code: s.inventory.source, rootKind: s.inventory.rootKind, name: s.inventory.rootName }));
  }

  /** Whether the profile of this round's sources has a recorded base (two-way then propagates deletions). */
  get hasBase(): boolean {
    return (this.#round?.base ?? null) !== null;
  }
  /** That base, once the round is compared (the leader's is the one plans are made from, §5.1). */
  get base(): BaseStates | null {
    return this.#round?.base ?? null;
  }

  /**
   * This member's folders among `targets` (by default the resolved plan's) that lack write permission now (asked without
   * prompting). The page offers a button per folder, whose click calls `allowWrite`; at sync time such a folder is
   * skipped, not written.
   */
  async needsWrite(targets: Iterable<string> = this.resolved?.targets ?? []): Promise<string[]> {
    return this.#round?.needsWrite(targets) ?? [];
  }

  /** Asks write permission on this member's folder `code`: call it within the user's click (the browser may prompt). */
  async allowWrite(code: string): Promise<AccessState> {
    const state = await (this.#round?.allowWrite(code) ?? Promise.resolve('denied' as const));
    if (state === 'granted') this.emit('write.allowed', code);
    return state;
  }

  #planning(): PlanningContext & { round: Round } {
    const round = this.#round;
    if (this.#state !== 'compared' || !round?.comparison) throw new Error(`no comparison to plan on (${this.#state})`);
    return { round, comparison: round.comparison, sources: this.sources, base: round.base, now: this.#o.clock.now(), traits: this.#o.targetTraits, roles: this.#roles() };
  }

  /** Each source's role under the settings this member holds (the leader's, validated where they entered). */
  #roles(): RoleOf {
    return roleOfSource(this.#session.settings.roles, this.#session.members);
  }

  /**
   * This member's local changes a receive-only role kept from spreading in the current sync (the plan's held actions on
   * its own sources), each with what "Revert" would do; reverted ones are gone from the list.
   */
  get localChanges(): LocalChange[] {
    const share = this.#round?.share;
    if (!share?.resolved) return [];
    const own = new Set(this.#round?.mine.map((s) => s.inventory.source) ?? []);
    return localChangesOf(share.resolved.held, own, share.reverted);
  }

  /**
   * Reverts local changes (`which`: their `i` in localChanges, or all): takes the others' state back onto this member's
   * own sources through the one writing path (versions as always), blocks pulled from their owners under the sync's
   * plan. Only once this member's share of the sync is done; returns what was done and what failed.
   */
  async revert(which: readonly number[] | 'all'): Promise<{ done: number; failed: number }> {
    const round = this.#round;
    const share = round?.share;
    if (!round || !share?.resolved || this.#state !== 'done' || !share.puller) throw new Error('no finished synchronization to revert in');
    const outcome = await revertLocal({
      held: share.resolved.held, which, reverted: share.reverted, own: round.ownByCode(), remote: share.puller,
      run: share.id, hasher: this.#o.hasher, store: this.#o.store, clock: this.#o.clock, signal: round.abort,
    });
    this.emit('local.changed', this.localChanges);
    return outcome;
  }

  /** Every member's inventories of this round, in member order then source order (A1, A2, B1 …). */
  #all(): SharedInventory[] {
    const without = this.#round?.without;
    return this.#inbox.inventories.all(this.#session.members.filter((m) => !without?.has(m.id)), this.#round?.mine ?? []);
  }

  /** Moves the table (cloud-run-machine.ts) and carries out its effects; false when the table has no such pair. */
  #go(event: RunEvent, run = ''): boolean {
    const t = runTransition(this.#state, event);
    if (t === null) return false;
    for (const effect of t.effects) {
      this.#round?.cancel();
      this.silences.stop();
      if (effect === 'new-round') {
        this.#round = new Round(run);
        this.progress.clear();
        this.#inbox.inventories.keep(run);
        this.silences.roundStarted(run);
      } else {
        this.#serving.close();
        this.#round = null;
      }
    }
    if (t.next !== this.#state) {
      this.#state = t.next;
      this.emit('state.changed', t.next);
    }
    return true;
  }

  #letterOf(id: string): string {
    return this.#session.members.find((m) => m.id === id)?.letter ?? '';
  }

  #report(stage: 'inventory' | 'sync', p: Omit<RunProgressMessage, 'type' | 'v' | 'run' | 'stage'>, run: string): void {
    const message: RunProgressMessage = { type: 'run-progress', v: MESH_PROTOCOL_VERSION, run, stage, ...p, rate: Math.round(p.rate) };
    this.progress.set(this.#session.self, message);
    this.emit('progress', this.#session.self, message);
    void this.#session.broadcastRun(message);
  }

  async #onMessage(from: string, m: RunMessage): Promise<void> {
    switch (m.type) {
      case 'inventory-full':
        // Only while this round's inventories are out (after 'inventory'); once per peer and round (inventory-sender.ts).
        if (this.#round?.id === m.run && this.#state !== 'inventory' && this.#state !== 'idle') await this.#sender.answer(this.#session, this.#o.compressor, from, m.run);
        return;
      case 'inventory-part':
      case 'inventory-delta-part':
      case 'plan-part':
        if (m.type !== 'plan-part') this.silences.heard(m.run, from);
        if (!(await this.#inbox.add(from, this.#letterOf(from), m))) return;
        this.silences.done(m.run, from);
        return this.#inventoryStep.compare();
      case 'run-progress':
        this.silences.heard(m.run, from);
        this.progress.set(from, m);
        return void this.emit('progress', from, m);
      case 'run-result':
        // Of a member the round went on without (silence.ts): not taken, its actions stay not confirmed (late: said).
        if (this.#round?.share?.id !== m.run || this.#round.without.has(from)) return;
        if (this.#round.share.silent.has(from)) return void this.emit('problem', `result-late:${this.#letterOf(from)}`);
        this.silences.done(m.run, from);
        return this.#syncStep.takeResult(this.#round.share, from, m);
      case 'silent':
        return this.silences.take(m);
      case 'blocks-get':
        return this.#serving.receive(from, m); // held (bounded) if the plan reaches us after the puller's request
      case 'blocks-error':
        return this.#round?.share?.puller?.onError(from, m);
      case 'undo-run':
        return this.undo.take(m);
      case 'undo-result':
        return this.undo.receive(from, m);
      case 'stop-sync':
        // Cancel what is in flight (runShare reports the rest as skipped) and stop serving the others' pulls of it.
        if (this.#state !== 'done' && this.#round?.stop(m.run)) this.#serving.close(m.run);
    }
  }
}
