/**
 * Continuous synchronization on one member (issue 13, docs/protocol.md §12): its watchers and change notices, pause
 * states, the state of every member, the Activity feed, and on the leader the loop of automatic Two-way rounds.
 */
import { Emitter } from '../events.ts';
import type { Clock, SourceWatcher, Timers, WatchEvent } from '../ports.ts';
import type { CloudSession } from '../cloud/cloud-session.ts';
import type { CloudRun } from '../cloud/run/cloud-run.ts';
import type { OwnSource } from '../cloud/run/cloud-run-inventory.ts';
import type { CloudMemberView, InventoryScope } from '../cloud/cloud-session-types.ts';
import type { SessionSettings } from '../settings/settings.ts';
import { touchesOwnFolder } from '../own-folder.ts';
import { LEFT_OUT, MESH_PROTOCOL_VERSION } from '../protocol/mesh-messages.ts';
import { NOTICE_MIN_MS, NOTICES_PER_SECOND } from '../protocol/continuous-messages.ts';
import type { RunMessage } from '../protocol/run-messages.ts';
import { ContinuousLoop, type LoopOptions } from './continuous-loop.ts';
import type { LoopState } from './continuous-machine.ts';
import { localMoves } from './continuous-plan.ts';
import { ACTIVITY_MAX, activityOf, type ActivityEntry } from './activity.ts';
import { OwnWrites } from './own-writes.ts';
import { ChangeLog } from './change-log.ts';
import { ownWrites } from '../plan/own-writes.ts';
import { LeftOut, leftOutOf, leftOutOfRound, type LeftOutWhy } from './left-out.ts';

/** What the page shows per member while continuous synchronization is on. */
export type MemberSyncState = 'watching' | 'sending' | 'receiving' | 'paused' | 'offline';

/** The member this runs on (core/cloud/member.ts `CloudMember`), as far as continuous synchronization needs it. */
export interface ContinuousHost {
  readonly session: CloudSession;
  readonly run: CloudRun;
  readonly sources: readonly OwnSource[];
  readonly settings: SessionSettings;
  startInventory(scope?: InventoryScope): Promise<string>;
  on(name: 'sources.changed', handler: (sources: readonly OwnSource[]) => void): () => void;
}

export interface ContinuousOptions {
  host: ContinuousHost;
  clock: Clock & Timers;
  /** Without one, only the leader's periodic reconciliation rounds see this member's changes. */
  watcher?: SourceWatcher;
  /** Loop timings (tests shorten or script them). */
  timing?: Pick<LoopOptions, 'quietMs' | 'maxWaitMs' | 'reconcileMs'>;
}

/**
 * `left-out`: a source rounds now leave out (`why`), or back (null); said once per change, on every member. Continuous
 * rounds say it, and so does every round started by hand while continuous synchronization is off.
 */
export class Continuous extends Emitter<{ changed: []; 'left-out': [code: string, why: LeftOutWhy | null] }> {
  readonly #h: ContinuousHost;
  readonly #o: ContinuousOptions;
  readonly loop: ContinuousLoop;
  #on = false;
  #stops: (() => void)[] = [];
  #watched: string[] = [];
  #pausedSelf = false;
  #sessionPaused = false;
  /** Members (ids) that paused themselves, as they said. */
  readonly #paused = new Set<string>();
  /** Sources the last round left out (emptied, unreadable root): each change is said once, here and on every member. */
  readonly #left = new LeftOut();
  #lastNotice = -Infinity;
  #noticeTimer: (() => void) | null = null;
  #pending = new Set<string>();
  /** Leader: notices taken per member in the current second, and the ones dropped past NOTICES_PER_SECOND. */
  #taken = new Map<string, { second: number; n: number }>();
  droppedNotices = 0;
  #connected = new Set<string>();
  /** Each member's folders as its profile last named them (kind and name), to see one added or removed. */
  #folders = new Map<string, string>();
  #activity: ActivityEntry[] = [];
  /** Copies a continuous round turned into local copies at their receiver (no byte sent): renames. */
  localMoves = 0;
  /** What this member's share writes: its watcher's echo of it is no change of the user's. */
  readonly #own = new OwnWrites();
  /** Watcher events taken for the echo of this member's own writes (not sent on). */
  echoes = 0;
  /** What each own source's watcher named since its last inventory (a continuous round looks at that only). */
  readonly #log = new ChangeLog();

  constructor(options: ContinuousOptions) {
    super();
    this.#o = options;
    const h = (this.#h = options.host);
    this.loop = new ContinuousLoop({
      timers: options.clock, now: () => options.clock.now(), round: (full) => this.#round(full), ...options.timing,
      onState: () => this.emit('changed'),
      onError: (e) => h.run.emit('problem', `continuous: ${String(e)}`),
    });
    h.session.on('settings.changed', (s) => this.#settings(s));
    h.session.on('members.changed', (members) => this.#members(members));
    h.session.on('run.message', (from, m) => this.#message(from, m));
    h.on('sources.changed', () => this.#rewatch());
    h.run.changeLog = this.#log;
    h.run.writesPaused = () => this.#on && this.#pausedSelf;
    h.run.on('plan', (plan) => {
      const letter = this.#letter();
      this.#own.start(plan.actions, letter);
      // What this member's share writes is its own echo, not a notice, but the next inventory must look at it.
      for (const [id, path] of ownWrites(plan.actions, letter, h.sources.map((x) => x.id))) this.#log.note(id, path);
    });
    h.run.on('result', (from, r) => {
      if (from === h.session.self) this.#shareEnded();
      const actions = h.run.resolved?.actions ?? [];
      const letter = h.session.members.find((m) => m.id === from)?.letter ?? '?';
      this.#activity = [...activityOf(actions, r, letter, options.clock.now()).reverse(), ...this.#activity].slice(0, ACTIVITY_MAX);
      this.emit('changed');
    });
    for (const e of ['state.changed', 'plan'] as const) h.run.on(e, () => this.emit('changed'));
    // A round reset (a member left) ends the share without a result.
    h.run.on('state.changed', (s) => (s === 'idle' || s === 'inventory') && this.#shareEnded());
    // A folder this member may now write to: the leader runs a round for it (the one before skipped it).
    h.run.on('write.allowed', () => this.#notice(''));
    // A round by hand: the leader says at once what it leaves out (continuous rounds say theirs in #round). With two
    // sources its plan is refused and never sent: without this, the members would not know why nothing happens.
    h.run.on('comparison.ready', (comparison) => {
      if (!this.#on && h.session.isLeader && this.#leftOutNow(leftOutOfRound(comparison, h.run.base, h.run.silences.sources))) this.#sendLeftOut();
    });
  }

  /** Whether the leader turned continuous synchronization on (the session's setting). */
  get enabled(): boolean {
    return this.#on;
  }
  get pausedSelf(): boolean {
    return this.#pausedSelf;
  }
  get sessionPaused(): boolean {
    return this.#sessionPaused;
  }
  get loopState(): LoopState {
    return this.loop.state;
  }
  /** Sources the rounds leave out now, and why (the leader's last round, as it said). */
  get leftOut(): ReadonlyMap<string, LeftOutWhy> {
    return this.#left.current;
  }
  /** The newest first, at most ACTIVITY_MAX. */
  get activity(): readonly ActivityEntry[] {
    return this.#activity;
  }

  /** Each member's state, or null while continuous synchronization is off. */
  stateOf(member: CloudMemberView): MemberSyncState | null {
    if (!this.#on) return null;
    if (!member.connected && !member.self) return 'offline';
    if (this.#sessionPaused || this.#paused.has(member.id) || (member.self && this.#pausedSelf)) return 'paused';
    const resolved = this.#h.run.resolved;
    const results = this.#h.run.results;
    if (resolved && this.#h.run.state !== 'idle') {
      const silent = this.#h.run.silences.members;
      const open = (code: string) => {
        const id = this.#h.session.members.find((m) => m.letter === code[0])?.id ?? '';
        return !results.has(id) && !silent.has(id);
      };
      if (resolved.targets.some((t) => t[0] === member.letter && open(t))) return 'receiving';
      if (resolved.actions.some((a) => a?.type === 'copy' && a.from[0] === member.letter && a.target[0] !== member.letter && open(a.target))) return 'sending';
    }
    return 'watching';
  }

  /** This member leaves rounds (its changes stay here, nothing is written to it) or takes part again (and catches up). */
  async pauseSelf(paused: boolean): Promise<void> {
    if (paused === this.#pausedSelf) return;
    this.#pausedSelf = paused;
    if (paused) this.#paused.add(this.#h.session.self);
    else this.#paused.delete(this.#h.session.self);
    this.emit('changed');
    await this.#h.session.broadcastRun({ type: 'pause-member', v: MESH_PROTOCOL_VERSION, paused });
    if (this.#h.session.isLeader) this.loop.send('change');
    else if (!paused) this.#notice('');
  }

  /**
   * Something may have changed that no watcher reported (the page was hidden and its timers throttled, a folder was
   * granted again): a round soon, as after a change (a notice to the leader from any other member).
   */
  nudge(): void {
    this.#notice('');
  }

  /** Leader: pauses or resumes continuous synchronization for the whole session. */
  pauseSession(paused: boolean): Promise<void> {
    return this.#h.session.leadRun({ type: 'pause-session', v: MESH_PROTOCOL_VERSION, paused });
  }

  #settings(s: SessionSettings): void {
    if (s.continuous === this.#on) return;
    this.#on = s.continuous;
    if (!this.#on) this.#left.update(new Map(), () => false); // no rounds, nothing left out (nor back)
    this.#rewatch();
    if (this.#h.session.isLeader) this.loop.send(this.#on ? 'on' : 'off');
    this.emit('changed');
  }

  #members(members: readonly CloudMemberView[]): void {
    const up = new Set(members.filter((m) => m.connected && !m.self).map((m) => m.id));
    const newcomer = [...up].some((id) => !this.#connected.has(id));
    this.#connected = up;
    // A member that picks (or drops) a folder in a continuous session is synchronized from the next round, not from the
    // next reconciliation (a minute or more later): its first round may have run before it had a folder.
    const folders = new Map(members.map((m) => [m.id, m.sources.map((f) => `${f.kind}:${f.name}`).join('\n')]));
    const refoldered = members.some((m) => this.#folders.has(m.id) && this.#folders.get(m.id) !== folders.get(m.id));
    this.#folders = folders;
    for (const id of this.#paused) if (id !== this.#h.session.self && !members.some((m) => m.id === id)) this.#paused.delete(id);
    const leader = this.#h.session.isLeader;
    if (leader && this.#on && this.loop.state === 'off') this.loop.send('on'); // this member just became A
    if (!leader && this.loop.state !== 'off') this.loop.send('off');
    if (newcomer) {
      // Pause states are not part of the join handover: each says its own again to whoever arrives.
      if (this.#pausedSelf) void this.#h.session.broadcastRun({ type: 'pause-member', v: MESH_PROTOCOL_VERSION, paused: true }).catch(() => undefined);
      if (leader && this.#sessionPaused) void this.pauseSession(true).catch(() => undefined);
      if (leader) this.loop.send('change'); // a member (back) in the session catches up
      if (leader && this.#left.current.size > 0) this.#sendLeftOut();
    } else if (leader && refoldered) this.loop.send('change');
    this.emit('changed');
  }

  #message(from: string, m: RunMessage): void {
    if (m.type === 'pause-member') {
      if (m.paused) this.#paused.add(from);
      else this.#paused.delete(from);
      if (!m.paused && this.#h.session.isLeader) this.loop.send('change');
      return this.emit('changed');
    }
    if (m.type === 'pause-session') {
      this.#sessionPaused = m.paused;
      if (this.#h.session.isLeader) this.loop.send(m.paused ? 'pause' : 'resume');
      return this.emit('changed');
    }
    if (m.type === 'left-out') {
      // Leader-only (the session refuses it from anyone else): the whole set of its last round.
      const next = new Map<string, LeftOutWhy>([...(m.silent ?? []).map((c) => [c, 'silent'] as const), ...m.emptied.map((c) => [c, 'emptied'] as const), ...m.unreadable.map((c) => [c, 'unreadable'] as const)]);
      this.#leftOutNow(next);
      return;
    }
    if (m.type !== 'changed') return;
    // Only the leader rounds; a notice is one bit, so past NOTICES_PER_SECOND per member a second one adds nothing.
    const second = Math.floor(this.#o.clock.now() / 1000);
    const t = this.#taken.get(from);
    const n = t?.second === second ? t.n + 1 : 1;
    this.#taken.set(from, { second, n });
    if (!this.#h.session.isLeader || n > NOTICES_PER_SECOND || this.#paused.has(from)) {
      this.droppedNotices++;
      return;
    }
    this.loop.send('change');
  }

  #rewatch(): void {
    for (const stop of this.#stops.splice(0)) stop();
    for (const id of this.#watched.splice(0)) this.#log.forget(id);
    const watcher = this.#o.watcher;
    if (!this.#on || !watcher) return;
    this.#h.sources.forEach(({ source, id }, i) => {
      this.#log.watching(id); // what happened before the watcher started is unknown: the next walk is whole
      this.#watched.push(id);
      this.#stops.push(watcher.watch(source, (e: WatchEvent) => this.#seen(i, e)));
    });
  }

  #letter(): string {
    return this.#h.session.members.find((m) => m.self)?.letter ?? '';
  }

  /** A watcher's event on own source `index`: Quintet's own folder and the echo of this member's own writes are not the user's. */
  #seen(index: number, e: WatchEvent): void {
    if (e.kind === 'changed' && touchesOwnFolder(e.path)) return;
    const id = this.#h.sources[index]?.id;
    if (id !== undefined) this.#log.note(id, e.kind === 'changed' ? e.path : null);
    const path = e.kind === 'changed' ? e.path : null;
    const verdict = path === null ? 'user' : this.#own.verdict(index, path, this.#o.clock.now());
    if (verdict === 'echo') {
      this.echoes++;
      return;
    }
    if (verdict === 'check') {
      // A path this member's share wrote, seen again after the share: its echo if it still holds what the share left.
      void this.#own.stillLeft(index, path as string, this.#statOf).then((echo) => (echo ? this.echoes++ : this.#notice(`${this.#letter()}${index + 1}`)));
      return;
    }
    this.#notice(`${this.#letter()}${index + 1}`);
  }

  /** What stands at `path` of own source `index`: its stat, or null (nothing there, or unreadable: a change either way). */
  readonly #statOf = async (index: number, path: string) => {
    const source = this.#h.sources[index]?.source;
    return source ? source.stat(path).catch(() => null) : null;
  };

  /** This member's share ended: what the user changed meanwhile under a path the share wrote goes out in a notice. */
  #shareEnded(): void {
    void this.#own.end(this.#o.clock.now(), this.#statOf).then((changed) => {
      for (const index of new Set(changed.map(([i]) => i))) this.#notice(`${this.#letter()}${index + 1}`);
    }).catch((error: unknown) => this.#h.run.emit('problem', `continuous: ${String(error)}`));
  }

  /** This member's sources changed: the leader's loop hears of it (at most one notice per NOTICE_MIN_MS). */
  #notice(code: string): void {
    if (!this.#on || this.#pausedSelf || this.#sessionPaused) return;
    if (this.#h.session.isLeader) return this.loop.send('change');
    if (code) this.#pending.add(code);
    if (this.#noticeTimer) return;
    const wait = this.#lastNotice + NOTICE_MIN_MS - this.#o.clock.now();
    const send = () => {
      this.#noticeTimer = null;
      this.#lastNotice = this.#o.clock.now();
      const leader = this.#h.session.members[0];
      const sources = [...this.#pending];
      this.#pending.clear();
      if (leader && !leader.self) void this.#h.session.sendRun(leader.id, { type: 'changed', v: MESH_PROTOCOL_VERSION, sources }).catch(() => undefined);
    };
    if (wait <= 0) send();
    else this.#noticeTimer = this.#o.clock.after(wait, send);
  }

  /** Leader: one round, inventory → Two-way (paused members left out, renames made local) → sync, until all results are in. */
  async #round(full: boolean): Promise<void> {
    const { session, run } = this.#h;
    if (!session.members.some((m) => !m.self)) return; // alone: nothing to synchronize with
    // A full round (the first, a reconciliation) is there to catch what watchers missed: whole, not observer-trusted (§3.1).
    await this.#h.startInventory(full ? 'whole' : 'changed');
    if (!(await this.#until(() => run.state === 'compared', () => run.state === 'idle'))) return;
    const paused = new Set(session.members.filter((m) => this.#paused.has(m.id)).map((m) => m.letter as string));
    const keep = new Set(run.sources.map((s) => s.code).filter((c) => !paused.has(c[0] as string)));
    const comparison = run.comparison;
    if (!comparison) return;
    const { plan, moved } = localMoves(run.planPreset({ kind: 'two-way' }, keep), comparison);
    // A round of no action sends no plan: a source left out (a disk not mounted?) is said here, once, to everyone.
    if (this.#leftOutNow(leftOutOf(plan, comparison, keep, run.silences.sources))) this.#sendLeftOut();
    if (plan.actions.length === 0) return run.settle();
    this.localMoves += moved;
    const members = session.members.map((m) => m.id);
    await run.synchronize(plan);
    // A member the round went on without (core/cloud/run/silence.ts) is not awaited: its actions stay not confirmed.
    const over = () => members.every((id) => run.results.has(id) || run.silences.members.has(id));
    await this.#until(over, () => run.state === 'idle' || run.state === 'inventory');
  }

  /** Takes the whole set of sources left out; says each change once. Returns whether the set changed. */
  #leftOutNow(next: ReadonlyMap<string, LeftOutWhy>): boolean {
    const letters = new Set(this.#h.session.members.map((m) => m.letter as string));
    const { said, differs } = this.#left.update(next, (code) => letters.has(code[0] as string));
    for (const [code, why] of said) this.emit('left-out', code, why);
    if (differs) this.emit('changed');
    return differs;
  }

  /** Leader: the set to every member that reads it (LEFT_OUT; one from before would report an unknown type). */
  #sendLeftOut(): void {
    const message = { type: 'left-out' as const, v: MESH_PROTOCOL_VERSION, ...this.#left.wire() };
    for (const m of this.#h.session.members) {
      if (m.self || !m.connected || !(m.features ?? []).includes(LEFT_OUT)) continue;
      void this.#h.session.sendRun(m.id, message).catch(() => undefined);
    }
  }

  /** Resolves true once `done()`, false once `gone()` (the round was reset), checking on every run event. */
  #until(done: () => boolean, gone: () => boolean): Promise<boolean> {
    const run = this.#h.run;
    return new Promise((resolve) => {
      const offs: (() => void)[] = [];
      const check = () => {
        const verdict = done() ? true : gone() ? false : null;
        if (verdict === null) return;
        for (const off of offs) off();
        resolve(verdict);
      };
      offs.push(run.on('state.changed', check), run.on('result', check), run.on('comparison.ready', check), run.on('member.silent', check));
      check();
    });
  }
}
