/** A Cloud Session's runs (issue 6): parallel inventories exchanged over the mesh, one comparison, the leader's plan, block pulls. */
import type { AccessState, BlobDecoder, Clock, Compressor, DirSink, EntryKind, Hasher, Store } from '../../ports.ts';
import { Emitter } from '../../events.ts';
import type { Comparison } from '../../compare/types.ts';
import type { Plan } from '../../plan/types.ts';
import type { Preset } from '../../plan/types.ts';
import type { Rule, TargetedAction } from '../../plan/rules-types.ts';
import type { TargetTraits } from '../../names/names.ts';
import type { BaseStates } from '../../base/base-types.ts';
import type { CloudSession } from '../cloud-session.ts';
import { compareInventories } from '../../compare/compare.ts';
import { planPreset } from '../../plan/presets.ts';
import { planRules } from '../../plan/rules.ts';
import { checkPlanNames } from '../../names/check-plan.ts';
import { createThrottle } from '../../util/progress-throttle.ts';
import { inventoryOwn } from './cloud-run-inventory.ts';
import { MESH_PROTOCOL_VERSION } from '../../protocol/mesh-messages.ts';
import type { RunMessage, RunProgressMessage, RunResultMessage } from '../../protocol/run-messages.ts';
import { decodeBlockPiece } from '../../protocol/block-frame.ts';
import { inThreadDecoder, toParts } from '../../transfer/blob-parts.ts';
import { BlobInbox } from '../../transfer/blob-inbox.ts';
import { decodeInventories, encodeInventories, type SharedInventory } from '../../transfer/compact-inventory.ts';
import { BlockServer, type ServeLoad } from '../../transfer/block-server.ts';
import { ServeGate } from '../../transfer/serve-gate.ts';
import { BlockPuller, localBlockIndex, type TransferCounters } from '../../transfer/remote-blocks.ts';
import type { SessionSettings } from '../../settings/settings.ts';
import { baseAfterRun, loadBase, profileId, saveBase } from '../../base/base-store.ts';
import { encodePlan, resolvePlan, type ResolvedPlan } from './cloud-run-plan.ts';
import { runShare, withoutWrite } from './cloud-run-sync.ts';
import { ownResult } from './cloud-run-results.ts';
import { runTransition, type RunEvent, type RunState } from './cloud-run-machine.ts';

/** What a run reports to the UI (and to scripts through the page's handle). */
export type CloudRunEvents = {
  'state.changed': [state: RunState];
  /** A member's progress (its inventory or its share of the sync), this member's own included. */
  progress: [member: string, progress: RunProgressMessage];
  'comparison.ready': [comparison: Comparison];
  /** A member's result for the plan's actions it is the target of. */
  result: [member: string, result: RunResultMessage];
  /** The plan of the current sync as this member resolved it (the UI shows results against it). */
  plan: [plan: ResolvedPlan];
  /** Something of the run was refused or failed as a whole (e.g. a plan that does not match this member's comparison). */
  problem: [reason: string];
};

export interface CloudRunOptions {
  session: CloudSession;
  hasher: Hasher;
  store: Store;
  clock: Clock;
  compressor: Compressor;
  /** Where peers' inventories and plans are inflated and parsed (a worker in the browser); in this thread by default. */
  decoder?: BlobDecoder;
  targetTraits?: TargetTraits;
  copyConcurrency?: number;
  /** Per-file bytes requested ahead from the owner (core/transfer/remote-blocks.ts). */
  windowBytes?: number;
}

const NEUTRAL: TargetTraits = { caseInsensitive: false, windows: false };

/** One member's runs. Create it beside the session; it follows the session's leader commands and run messages. */
export class CloudRun extends Emitter<CloudRunEvents> {
  readonly counters: TransferCounters = { pulledBytes: 0, reusedBytes: 0, servedBytes: 0 };
  readonly progress = new Map<string, RunProgressMessage>();
  readonly results = new Map<string, RunResultMessage>();
  comparison: Comparison | null = null;
  resolved: ResolvedPlan | null = null;
  readonly #o: CloudRunOptions;
  readonly #session: CloudSession;
  #state: RunState = 'idle';
  #runs = 0;
  #own: { source: DirSink; id: string }[] = [];
  #round = '';
  #sync = '';
  #mine: SharedInventory[] = [];
  /** The sinks of `#mine`, as they were when inventoried (sources may change before the sync). */
  #mineOwn: { source: DirSink; id: string }[] = [];
  #shared = new Map<string, { run: string; list: SharedInventory[] }>();
  readonly #inbox: BlobInbox;
  #plans = new Map<string, { promise: Promise<unknown>; resolve(value: unknown): void }>();
  #base: BaseStates | null = null;
  /** Peers' results of the current sync that came before this member resolved its plan (the last per peer; checked once it has). */
  #early = new Map<string, RunResultMessage>();
  #abort = { aborted: false };
  /** The sync run the leader stopped, if any (its result says so). */
  #stopped = '';
  #puller: BlockPuller | null = null;
  readonly #server: BlockServer;
  /** Serves only the run whose plan allowed it, and holds early requests (bounded per peer). */
  readonly #gate: ServeGate;

  constructor(options: CloudRunOptions) {
    super();
    this.#o = options;
    const s = (this.#session = options.session);
    this.#inbox = new BlobInbox(options.decoder ?? inThreadDecoder(options.compressor));
    this.#server = new BlockServer({
      hasher: options.hasher,
      sendError: (peer, m) => s.sendRun(peer, m), sendBytes: (peer, d) => s.sendBytes(peer, d),
      onServed: (n) => (this.counters.servedBytes += n),
      onOverflow: (peer) => this.emit('problem', `blocks-get-flood:${this.#letterOf(peer)}`),
    });
    this.#gate = new ServeGate({ server: this.#server, letterOf: (peer) => this.#letterOf(peer) });
    // A blob this member may not send (toParts: past the limits every receiver applies) is reported, not thrown away.
    s.on('run.command', (command, run) => void (command === 'start-inventory' ? this.#inventory(run) : this.#startSync(run)).catch((e: unknown) => this.emit('problem', `${command}: ${String(e)}`)));
    s.on('run.message', (from, m) => void this.#onMessage(from, m).catch((e: unknown) => this.emit('problem', `${m.type}: ${String(e)}`)));
    s.on('run.bulk', (from, data) => {
      const piece = decodeBlockPiece(data);
      if (piece) this.#puller?.onPiece(from, piece);
    });
    s.mesh.on('peer.down', (peer) => {
      this.#puller?.peerGone(peer);
      this.#server.forget(peer);
    });
    s.on('run.reset', () => this.#reset());
  }

  get state(): RunState {
    return this.#state;
  }

  /** What `peer`'s block requests hold here now: requests held or queued, block bytes read and not yet sent. */
  serving(peer: string): ServeLoad & { held: number } {
    return { ...this.#server.load(peer), held: this.#gate.held(peer) };
  }

  /** This member's own sources, in order (codes `<letter>1`, `<letter>2` …). The session publishes their names. */
  setSources(sources: readonly { source: DirSink; id: string }[]): void {
    this.#own = [...sources];
  }

  /** Leader: plan a preset over the shared comparison (names checked). */
  planPreset(preset: Preset): Plan {
    const c = this.#compared();
    return checkPlanNames(planPreset(c, preset, this.#planSources(), { base: this.#base, now: this.#o.clock.now() }), c, () => this.#o.targetTraits ?? NEUTRAL);
  }

  /** Leader: plan rules and targeted actions over the shared comparison. */
  planRules(input: { rules: readonly Rule[]; targeted: readonly TargetedAction[] }): Plan {
    const c = this.#compared();
    return checkPlanNames(planRules(c, this.#planSources(), input), c, () => this.#o.targetTraits ?? NEUTRAL);
  }

  /** Leader: sends the plan in parts to everyone, then start-sync. Every member checks it and runs its share. */
  async synchronize(plan: Plan): Promise<void> {
    this.#compared();
    const run = `s${this.#o.clock.now().toString(36)}-${++this.#runs}`;
    for (const part of await toParts(encodePlan(plan, this.#round), this.#o.compressor)) {
      await this.#session.leadRun({ type: 'plan-part', v: MESH_PROTOCOL_VERSION, run, ...part });
    }
    await this.#session.startSync(run);
  }

  /**
   * Leader: stops the current synchronization on every member (`stop-sync`, leader-only like `start-sync`). Each one
   * cancels its pulls and aborts its writers; a re-run continues from whatever is already whole (docs/protocol.md §10.3).
   */
  stop(): Promise<void> {
    if (this.#session.isLeader && !this.#sync) return Promise.reject(new Error('no synchronization to stop'));
    return this.#session.leadRun({ type: 'stop-sync', v: MESH_PROTOCOL_VERSION, run: this.#sync });
  }

  #compared(): Comparison {
    if (this.#state !== 'compared' || !this.comparison) throw new Error(`no comparison to plan on (${this.#state})`);
    return this.comparison;
  }

  /** Every member's sources of the current round, in comparison order (what rules and targeted actions may name). */
  get sources(): { code: string; rootKind: EntryKind; name: string }[] {
    return this.#planSources();
  }

  /** Whether the profile of this round's sources has a recorded base (two-way then propagates deletions). */
  get hasBase(): boolean {
    return this.#base !== null;
  }

  #planSources() {
    return this.#all().map((s) => ({ code: s.inventory.source, rootKind: s.inventory.rootKind, name: s.inventory.rootName }));
  }

  /** Every member's inventories of this round, in member order then source order (A1, A2, B1 …). */
  #all(): SharedInventory[] {
    return this.#session.members.flatMap((m) => (m.self ? this.#mine : (this.#shared.get(m.id)?.list ?? [])));
  }

  #go(event: RunEvent): boolean {
    const next = runTransition(this.#state, event);
    if (next === null) return false;
    if (next !== this.#state) {
      this.#state = next;
      this.emit('state.changed', next);
    }
    return true;
  }

  #letterOf(id: string): string {
    return this.#session.members.find((m) => m.id === id)?.letter ?? '';
  }

  #settings(): SessionSettings {
    return this.#session.settings; // validated where they entered (CloudSession)
  }

  #report(stage: 'inventory' | 'sync', p: Omit<RunProgressMessage, 'type' | 'v' | 'run' | 'stage'>, run: string): void {
    const message: RunProgressMessage = { type: 'run-progress', v: MESH_PROTOCOL_VERSION, run, stage, ...p, rate: Math.round(p.rate) };
    this.progress.set(this.#session.self, message);
    this.emit('progress', this.#session.self, message);
    void this.#session.broadcastRun(message);
  }

  async #inventory(run: string): Promise<void> {
    if (!this.#go('start-inventory')) return;
    this.#round = run;
    this.#abort = { aborted: false };
    this.comparison = null;
    this.resolved = null;
    this.progress.clear();
    this.results.clear();
    for (const [id, s] of this.#shared) if (s.run !== run) this.#shared.delete(id);
    const own = [...this.#own];
    const list = await inventoryOwn({
      own, letter: this.#letterOf(this.#session.self), settings: this.#settings(), hasher: this.#o.hasher, store: this.#o.store, clock: this.#o.clock,
      signal: this.#abort,
      onProgress: (p) => this.#report('inventory', { files: p.files, filesTotal: p.files, bytes: p.bytes, bytesTotal: p.bytes, rate: p.rate, done: p.done }, run),
    });
    if (this.#round !== run || this.#state !== 'inventory') return;
    this.#mine = list;
    this.#mineOwn = own;
    this.#server.setFiles(
      new Map(list.map((s, i) => [s.inventory.source, (own[i] as { source: DirSink }).source])),
      list.flatMap((s) => s.inventory.items.flatMap((i) => (i.kind === 'file' ? [{ ...i, code: s.inventory.source }] : []))),
    );
    for (const part of await toParts(encodeInventories(list), this.#o.compressor)) {
      await this.#session.broadcastRun({ type: 'inventory-part', v: MESH_PROTOCOL_VERSION, run, ...part });
    }
    this.#go('inventory-done');
    this.#session.local('inventory-done');
    await this.#maybeCompare();
  }

  async #maybeCompare(): Promise<void> {
    if (this.#state !== 'sharing') return;
    const others = this.#session.members.filter((m) => !m.self);
    if (!others.every((m) => this.#shared.get(m.id)?.run === this.#round)) return;
    const all = this.#all();
    const inventories = all.map((s) => s.inventory);
    const comparison = compareInventories(inventories, this.#settings());
    const ids = new Map(all.map((s) => [s.inventory.source, s.id]));
    this.#base = await loadBase(this.#o.store, profileId([...ids.values()]), ids).catch(() => null);
    if (this.#state !== 'sharing') return;
    this.comparison = comparison;
    this.#go('all-inventories');
    this.emit('comparison.ready', comparison);
  }

  async #onMessage(from: string, m: RunMessage): Promise<void> {
    switch (m.type) {
      case 'inventory-part':
      case 'plan-part': {
        const blob = await this.#inbox.add(from, m.type, m.run, m);
        if (blob === null) return;
        if (!blob.ok) this.emit('problem', `${m.type}-refused:${this.#letterOf(from)}:${blob.reason}: ${blob.detail}`);
        const value = blob.ok ? blob.value : null;
        if (m.type === 'plan-part') return this.#planOf(m.run).resolve(value); // a refused plan is refused by resolvePlan
        if (!blob.ok) return;
        const list = decodeInventories(value, this.#letterOf(from), this.#o.clock.now());
        if (list === null) return void this.emit('problem', `inventory-refused:${this.#letterOf(from)}`);
        this.#shared.set(from, { run: m.run, list });
        return this.#maybeCompare();
      }
      case 'run-progress':
        this.progress.set(from, m);
        return void this.emit('progress', from, m);
      case 'run-result':
        if (m.run !== this.#sync) return;
        return this.#takeResult(from, m);
      case 'blocks-get':
        return this.#gate.receive(from, m); // held (bounded) if the plan reaches us after the puller's request
      case 'blocks-error':
        return this.#puller?.onError(from, m);
      case 'stop-sync':
        return this.#stop(m.run);
    }
  }

  /** The leader stopped run `run`: cancel what is in flight; runShare then reports the rest as skipped. */
  #stop(run: string): void {
    if (run !== this.#sync || this.#state === 'done' || this.#stopped === run) return;
    this.#stopped = run;
    this.#abort.aborted = true;
    this.#puller?.cancelAll();
    this.#gate.close(run); // stop serving the others' pulls too: they are cancelling them
  }

  #planOf(run: string) {
    let entry = this.#plans.get(run);
    if (!entry) {
      let resolve!: (value: unknown) => void;
      const promise = new Promise<unknown>((r) => (resolve = r));
      entry = { promise, resolve };
      this.#plans.clear();
      this.#plans.set(run, entry);
    }
    return entry;
  }

  async #startSync(run: string): Promise<void> {
    this.#sync = run; // set before waiting for the plan: results of quicker members must not be taken for stale
    this.results.clear();
    this.#early.clear();
    const value = await this.#planOf(run).promise;
    // A compared first; this member may still await one inventory (it left its sender after A's last one arrived).
    if (this.#state === 'sharing') await new Promise<void>((r) => { const off = this.on('state.changed', (s) => s !== 'sharing' && (off(), r())); });
    const resolved = this.#state === 'compared' ? resolvePlan(value, this.#round, this.#all().map((s) => s.inventory)) : null;
    if (!this.#go('start-sync')) return void this.emit('problem', 'sync-without-comparison');
    if (!resolved) {
      this.emit('problem', 'plan-refused');
      this.#gate.close(run);
      return this.#finish({ type: 'run-result', v: MESH_PROTOCOL_VERSION, run, done: [], failed: [], skipped: [], bytes: 0, ms: 0 });
    }
    this.resolved = resolved;
    for (const [from, m] of this.#early) void this.#takeResult(from, m);
    this.#early.clear();
    this.emit('plan', resolved);
    const allowed = new Set(resolved.actions.flatMap((a) => (a?.type === 'copy' ? [ServeGate.key(a.from, a.hash, a.target[0] as string)] : [])));
    if (this.#stopped === run) this.#gate.close(run);
    else this.#gate.open(run, allowed);
    const own = this.#ownByCode();
    const puller = (this.#puller = new BlockPuller({
      run, localSources: new Map([...own].map(([c, e]) => [c, e.source])), localIndex: localBlockIndex(this.#mine.map((s) => s.inventory)),
      hasher: this.#o.hasher, counters: this.counters, signal: this.#abort, windowBytes: this.#o.windowBytes,
      ownerOf: (code) => this.#session.members.find((m) => m.letter === code[0] && m.connected && !m.self)?.id,
      send: (peer, message) => this.#session.sendRun(peer, message),
    }));
    const due = createThrottle(this.#o.clock, 250);
    const files = resolved.targets.filter((t) => own.has(t)).length;
    // No click starts this member's share, so nothing may be asked here: a target not granted already is skipped ('permission').
    const denied = await withoutWrite(new Set(resolved.targets), own);
    const { result } = await runShare({
      run, resolved, own, remote: puller, hasher: this.#o.hasher, store: this.#o.store, clock: this.#o.clock, signal: this.#abort,
      copyConcurrency: this.#o.copyConcurrency, denied,
      onProgress: (p) => due() && this.#report('sync', { files: p.actionsDone, filesTotal: files, bytes: p.bytesDone, bytesTotal: p.bytesTotal, rate: p.rate, done: false }, run),
    });
    if (this.#sync !== run || this.#state !== 'syncing') return;
    if (this.#stopped === run) result.stopped = true;
    this.#report('sync', { files, filesTotal: files, bytes: result.bytes, bytesTotal: result.bytes, rate: result.ms > 0 ? (result.bytes * 1000) / result.ms : 0, done: true }, run);
    await this.#finish(result);
  }

  /**
   * This member's folders among `targets` (by default the resolved plan's) that lack write permission now (asked without
   * prompting). The page offers a button per folder, whose click calls `allowWrite`; at sync time such a folder is
   * skipped, not written.
   */
  async needsWrite(targets: Iterable<string> = this.resolved?.targets ?? []): Promise<string[]> {
    return [...await withoutWrite(new Set(targets), this.#ownByCode())].sort();
  }

  /** Asks write permission on this member's folder `code`: call it within the user's click (the browser may prompt). */
  async allowWrite(code: string): Promise<AccessState> {
    const entry = this.#ownByCode().get(code);
    if (!entry) return 'denied';
    return entry.source.access('readwrite', true).catch(() => 'denied' as const);
  }

  /** This member's sources by code, as inventoried this round. */
  #ownByCode(): Map<string, { source: DirSink; id: string }> {
    return new Map(this.#mine.map((s, i) => [s.inventory.source, this.#mineOwn[i] as { source: DirSink; id: string }]));
  }

  async #finish(result: RunResultMessage): Promise<void> {
    this.results.set(this.#session.self, result);
    this.emit('result', this.#session.self, result);
    await this.#session.broadcastRun(result);
    this.#go('sync-done');
    this.#session.local('sync-done');
    await this.#maybeSaveBase();
  }

  /**
   * A peer's result, checked against the resolved plan: it counts only for actions whose target is one of the
   * sender's sources. Any other index (another member's action, or none) is dropped and reported, never applied.
   */
  async #takeResult(from: string, m: RunResultMessage): Promise<void> {
    if (!this.resolved) return void this.#early.set(from, m);
    const letter = this.#letterOf(from);
    const { result, refused } = ownResult(m, this.resolved.targets, letter);
    if (refused.length > 0) this.emit('problem', `result-refused:${letter}: ${refused.length} action(s) not its own (${refused.slice(0, 5).join(', ')})`);
    this.results.set(from, result);
    this.emit('result', from, result);
    return this.#maybeSaveBase();
  }

  /** Leader: once every member reported, the new base of the profile (docs/protocol.md §5.1), from all members' completed actions. */
  async #maybeSaveBase(): Promise<void> {
    if (!this.#session.isLeader || !this.resolved || !this.comparison) return;
    if (!this.#session.members.every((m) => this.results.has(m.id))) return;
    const applied = [...this.results.values()].flatMap((r) => r.done.flatMap((i) => this.resolved?.actions[i] ?? []));
    const all = this.#all();
    const ids = new Map(all.map((s) => [s.inventory.source, s.id]));
    this.#base = baseAfterRun(this.comparison, applied, this.#base);
    await saveBase(this.#o.store, profileId([...ids.values()]), ids, this.#base).catch(() => undefined);
  }

  #reset(): void {
    this.#abort.aborted = true;
    this.#puller?.cancelAll();
    this.#puller = null;
    this.#gate.close();
    this.comparison = null;
    this.#go('reset');
  }
}
