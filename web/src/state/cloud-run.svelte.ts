/** UI state of a cloud run (issue 6): fed by the core CloudRun's events; the leader's settings, plan, start and stop. No sync logic here. */
import type { CloudRun } from '../../../core/cloud/run/cloud-run.ts';
import type { CloudMember } from '../../../core/cloud/member.ts';
import type { RunState } from '../../../core/cloud/run/cloud-run-machine.ts';
import type { ResolvedPlan } from '../../../core/cloud/run/cloud-run-plan.ts';
import type { Comparison } from '../../../core/compare/types.ts';
import type { Action, Plan, Refusal } from '../../../core/plan/types.ts';
import type { RunProgressMessage, RunResultMessage } from '../../../core/protocol/run-messages.ts';
import type { SessionSettings, SettingsIssue } from '../../../core/settings/settings.ts';
import type { PlanSource, PlanningState, PresetKind } from './planning.ts';
import { PlanningControls } from './planning-controls.svelte.ts';
import { recordFromCloudRun } from '../../../core/unattended/record-from-result.ts';
import { history, idSuffix } from './run-history.svelte.ts';
import { endLine, liveLog } from './live-log.svelte.ts';
import { comparisonAfterRun } from '../../../core/compare/after-run.ts';
import { InventoryTimeLeft } from './time-left.ts';
import { CloudUndoState } from './cloud-undo.svelte.ts';
import type { LocalChange } from '../../../core/cloud/run/local-changes.ts';
import type { MemberRole } from '../../../core/settings/settings.ts';

export type CloudPresetKind = PresetKind;

export class CloudRunState extends PlanningControls implements PlanningState {
  readonly run: CloudRun;
  protected readonly planner: CloudRun;
  readonly #member: CloudMember;
  /** "Undo last run": the leader's order and every member's outcome. */
  readonly undo: CloudUndoState;
  state = $state<RunState>('idle');
  comparison = $state.raw<Comparison | null>(null);
  /** True once every member at the sync's start reported: the grid then shows what the run left, with no plan over it. */
  ran = $state(false);
  /** The comparison the sync started from: results are applied to it (never twice to the grid's own). */
  #before: Comparison | null = null;
  resolved = $state.raw<ResolvedPlan | null>(null);
  progress = $state.raw<Record<string, RunProgressMessage>>({});
  /** Seconds left of each member's inventory (by member id): null while it walks or its rate is not known yet. */
  inventoryLeft = $state.raw<Record<string, number | null>>({});
  #inventoryLeft = new InventoryTimeLeft();
  results = $state.raw<Record<string, RunResultMessage>>({});
  problems = $state.raw<string[]>([]);
  /** Members the round went on without (core/cloud/run/silence.ts): left out of it, or their result no longer awaited. */
  silent = $state.raw<readonly string[]>([]);
  /** The leader's settings as every member applies them (validated in core; defaults until A sends any). */
  settings = $state.raw<SessionSettings>(null as unknown as SessionSettings);
  settingsIssues = $state.raw<SettingsIssue[]>([]);
  leader = $state(false);
  sources = $state.raw<readonly PlanSource[]>([]);
  hasBase = $state(false);
  /** This member's sources its last inventory walked partially (docs/protocol.md §3.1): only what changed was looked at. */
  observedOnly = $state.raw<readonly string[]>([]);
  /** This member's folders the shown plan writes to without write permission: the page offers "Allow writing to …" for each. */
  needWrite = $state.raw<readonly string[]>([]);
  /** This member's local changes a receive-only role kept from spreading (after a sync), each revertible. */
  localChanges = $state.raw<LocalChange[]>([]);
  /** The outcome of the last "Revert" on this page. */
  reverted = $state.raw<{ done: number; failed: number } | null>(null);
  reverting = $state(false);
  /** Set once `needWrite` was looked up for the current comparison (tests wait on it). */
  writeChecked = $state(false);
  /** When this page saw the sync start, and the members then; null once the run's record is written. */
  #syncStart: { at: number; members: { id: string; letter: string; name: string }[] } | null = null;

  /** Every member of the sync reported, or is no longer awaited: the run's record and the after-run view. */
  #maybeEnded(): void {
    if (!this.#syncStart?.members.every((m) => this.run.results.has(m.id) || this.silent.includes(m.id))) return;
    this.#recordEnd();
    this.#showAfterRun();
  }

  constructor(member: CloudMember) {
    super();
    this.#member = member;
    this.run = this.planner = member.run;
    this.undo = new CloudUndoState(member);
    this.leader = member.isLeader;
    this.settings = member.settings;
    member.session.on('members.changed', () => (this.leader = member.isLeader));
    member.session.on('settings.changed', (settings) => {
      this.settings = settings;
      this.plan = null; // a plan belongs to the settings it was made under
    });
    this.run.on('state.changed', (s) => {
      this.state = s;
      if (s === 'syncing') {
        this.#syncStart = { at: Date.now(), members: member.session.members.map(({ id, letter, name }) => ({ id, letter, name })) };
        liveLog.add({ key: 'log.cloud.started', params: { count: this.#syncStart.members.length } });
        this.#before = this.comparison;
        this.ran = false;
      }
      if (s === 'idle' && this.#syncStart) this.#recordEnd(); // a member left mid-run: what came in is the record
      if (s === 'inventory' || s === 'idle') {
        this.plan = null;
        this.resolved = null;
        this.results = {};
        this.silent = [];
        this.comparison = null;
        this.#before = null;
        this.ran = false;
        this.progress = {};
        this.inventoryLeft = {};
        this.#inventoryLeft = new InventoryTimeLeft();
        this.selected = new Set();
        this.targeted = [];
        this.needWrite = [];
        this.writeChecked = false;
        this.localChanges = [];
        this.reverted = null;
        this.observedOnly = [];
      }
    });
    this.run.on('comparison.ready', (c) => {
      this.sources = this.run.sources.map(({ code, rootKind }) => ({ code, rootKind }));
      this.hasBase = this.run.hasBase;
      this.observedOnly = this.run.observedOnly;
      this.comparison = c;
      void this.checkWrite();
    });
    this.run.on('progress', (member, p) => {
      this.progress = { ...this.progress, [member]: p };
      if (p.stage === 'inventory') this.inventoryLeft = { ...this.inventoryLeft, [member]: this.#inventoryLeft.update(member, p.hashing, p.done, Date.now()) };
    });
    // From the core's map: a quicker member's result may come in before this member resolved the plan.
    this.run.on('plan', (p) => {
      this.resolved = p;
      this.results = Object.fromEntries(this.run.results);
    });
    this.run.on('result', (from, r) => {
      this.results = Object.fromEntries(this.run.results);
      const who = member.session.members.find((m) => m.id === from);
      liveLog.add({ key: 'log.cloud.member', params: { letter: who?.letter ?? '?', done: r.done.length, failed: r.failed.length, skipped: r.skipped.length } }, r.failed.length > 0 || (r.unflushed?.length ?? 0) > 0 ? 'error' : 'info');
      this.#maybeEnded();
      void this.checkWrite();
    });
    this.run.on('member.silent', () => {
      this.silent = [...this.run.silences.members];
      this.#maybeEnded();
    });
    this.run.on('plan', () => void this.checkWrite());
    this.run.on('problem', (reason) => (this.problems = [...this.problems, reason]));
    this.run.on('local.changed', (changes) => (this.localChanges = changes));
  }

  /** The grid as the run left it (issue 14): every member's done actions applied to the comparison it started from. */
  #showAfterRun(): void {
    const before = this.#before;
    const resolved = this.resolved;
    if (!before || !resolved) return;
    const applied = Object.values(this.results).flatMap((r) => r.done.flatMap((i) => resolved.actions[i] ?? []));
    this.comparison = comparisonAfterRun(before, applied);
    this.ran = true;
  }

  /** The plan the grid shows over the comparison: none once the run is over (a done copy no longer reads "A1 → B1"). */
  get gridPlan(): Plan | null {
    return this.ran ? null : this.shown;
  }

  /** The run's end as this page saw it, once: every result in (or the run reset), kept in the history. */
  #recordEnd(): void {
    const start = this.#syncStart;
    const resolved = this.resolved;
    this.#syncStart = null;
    if (!start || !resolved) return;
    const record = recordFromCloudRun({
      profile: 'Cloud session', actions: resolved.actions, targets: resolved.targets, results: this.results, members: start.members,
      refusals: this.plan?.refusals ?? [], emptied: resolved.emptied, start: start.at, end: Date.now(), suffix: idSuffix(),
    });
    liveLog.add(endLine({ key: 'history.detail.kind.cloud' }, record), record.status === 'ok' ? 'info' : 'error');
    void history.record(record);
  }

  get busy(): boolean {
    return this.state === 'inventory' || this.state === 'sharing' || this.state === 'syncing';
  }
  get canEditSettings(): boolean {
    return this.leader && !this.busy;
  }
  get canPlan(): boolean {
    return this.leader && this.state === 'compared';
  }

  /** The plan every page shows: the leader's own, or the one this member resolved from the leader's parts. */
  get shown(): Plan | null {
    if (this.plan) return this.plan;
    const r = this.resolved;
    // The sources the leader's Two-way left out as emptied: only its base tells, so its plan says which (§5.1).
    const refusals = (r?.emptied ?? []).map((c): Refusal => ({ path: '', reason: 'emptied', detail: c }));
    return r ? { actions: r.actions.filter((a): a is Action => a !== null), refusals, summary: r.summary, conflicts: r.conflicts } : null;
  }

  /** Items a member's result skipped because its folder had no write permission, as rows of the comparison say them. */
  get deniedSkips(): Refusal[] {
    const results = Object.values(this.results); // read first: the page re-derives this when results (or the plan) change
    const r = this.resolved;
    if (!r) return [];
    return results.flatMap((res) => res.skipped.flatMap((i) => {
      const target = r.targets[i] ?? '';
      const a = r.actions[i];
      if (!a || !res.denied?.includes(target)) return [];
      return [{ path: a.type === 'copy' ? a.targetPath : a.path, reason: 'permission' as const, detail: target }];
    }));
  }

  /** Folders, of every member, whose result says they had no write permission. */
  get denied(): string[] {
    return Object.values(this.results).flatMap((r) => r.denied ?? []);
  }

  /** Member `id`'s folders its result says could not be flushed to disk: what it wrote there may not survive a power cut. */
  unflushedOf(id: string): NonNullable<RunResultMessage['unflushed']> {
    return this.results[id]?.unflushed ?? [];
  }

  /**
   * Looks again (without prompting) which of this member's folders need write permission: those the shown plan writes
   * to or, on a member's page while A has not sent a plan yet (members receive it when the sync starts), any it compared.
   */
  async checkWrite(): Promise<void> {
    const plan = this.shown;
    // Continuous synchronization writes to every folder sooner or later: ask for them all at once, on every page.
    const all = (!plan && !this.leader) || this.#member.settings.continuous;
    const targets = [...(plan ? plan.actions.map((a) => a.target) : []), ...(all && this.comparison ? this.comparison.sources : [])];
    this.needWrite = await this.run.needsWrite(targets);
    this.writeChecked = true;
  }

  /** The "Allow writing to B1" click: the browser asks the user, within this click. */
  async allowWrite(code: string): Promise<void> {
    await this.run.allowWrite(code);
    await this.checkWrite();
  }

  /** The leader's own plan, as it makes it (members see `resolved`): its targets may need write permission. */
  protected override planned(): void {
    void this.checkWrite();
  }

  /** The bytes of `path` in this member's own folder `code` (at most `max`), or null when `code` is not one of its own. */
  async readOwn(code: string, path: string, max: number): Promise<{ bytes: Uint8Array; size: number } | null> {
    const letter = this.#member.session.members.find((m) => m.self)?.letter ?? '';
    const own = this.#member.sources.find((_, i) => `${letter}${i + 1}` === code);
    if (!own) return null;
    const file = await own.source.open(path);
    return { bytes: file.size <= max ? await file.read(0, file.size) : new Uint8Array(), size: file.size };
  }

  /** This member's own folder codes (where `readOwn` can read). */
  get ownCodes(): string[] {
    const letter = this.#member.session.members.find((m) => m.self)?.letter ?? '';
    return this.#member.sources.map((_, i) => `${letter}${i + 1}`);
  }

  /**
   * Leader: every member inventories (the member sends its settings again first). `whole`: every member looks at every
   * file again, whatever its folders' observers reported (docs/protocol.md §3.1).
   */
  async startInventory(options: { whole?: boolean } = {}): Promise<void> {
    await this.#member.startInventory(options.whole ? 'whole' : undefined);
  }

  /** Leader: `member`'s role (sent to everyone with the settings); "Send and receive" is the default, not listed. */
  setRole(member: string, role: MemberRole): void {
    // Only members still here keep a role: the settings hold at most 16, and a member who left never comes back by id.
    const here = new Set(this.#member.session.members.map((m) => m.id));
    const roles = Object.fromEntries(Object.entries(this.settings.roles).filter(([id]) => here.has(id)));
    if (role === 'send-receive') delete roles[member];
    else roles[member] = role;
    this.updateSettings({ roles });
  }

  /** "Revert" (one local change by its `i`, or all): the others' state back onto this member's own folder. */
  async revert(which: readonly number[] | 'all'): Promise<void> {
    this.reverting = true;
    try {
      this.reverted = await this.run.revert(which);
      liveLog.add(`Local changes: ${this.reverted.done} reverted, ${this.reverted.failed} failed`, this.reverted.failed > 0 ? 'error' : 'info');
    } catch (e) {
      this.problems = [...this.problems, `revert: ${String(e)}`];
    } finally {
      this.reverting = false;
    }
  }

  /** Leader: refused settings stay as they were and the issues are shown; valid ones go to every member. */
  updateSettings(patch: Partial<SessionSettings>): void {
    if (!this.canEditSettings) return;
    const { issues, sent } = this.#member.changeSettings({ ...this.settings, ...patch });
    this.settingsIssues = issues;
    void sent.catch(() => undefined);
  }

  /** Leader: the confirming click also asks write permission on the leader's own targets (as a Local Session does). */
  async synchronize(): Promise<void> {
    if (!this.plan) return;
    for (const code of this.needWrite) await this.run.allowWrite(code);
    await this.run.synchronize(this.plan);
  }

  /** Leader: every member stops its share; results then report what did not run as skipped. */
  async stop(): Promise<void> {
    if (this.leader) await this.run.stop();
  }

  /** Everyone's progress summed: bytes, files, rate and the time left at that rate. */
  get overall(): { files: number; filesTotal: number; bytes: number; bytesTotal: number; rate: number; secondsLeft: number } {
    const all = Object.values(this.progress).filter((p) => p.stage === 'sync');
    const sum = (f: (p: RunProgressMessage) => number) => all.reduce((n, p) => n + f(p), 0);
    const bytes = sum((p) => p.bytes);
    const bytesTotal = sum((p) => p.bytesTotal);
    const rate = sum((p) => (p.done ? 0 : p.rate));
    return { files: sum((p) => p.files), filesTotal: sum((p) => p.filesTotal), bytes, bytesTotal, rate, secondsLeft: rate > 0 ? Math.ceil((bytesTotal - bytes) / rate) : 0 };
  }
}
