/**
 * A member that takes part in a round and says nothing of it, its channel read all the while (docs/security.md, table
 * row 22): the leader's watch on every other member's inventory and result, and what every member does with the
 * leader's `silent` (core/protocol/run-messages.ts). Without it one such member held the round, and continuous
 * synchronization for everyone, for ever.
 */
import type { Emitter } from '../../events.ts';
import type { Timers } from '../../ports.ts';
import { MESH_PROTOCOL_VERSION, SILENT } from '../../protocol/mesh-messages.ts';
import type { SilentMessage } from '../../protocol/run-messages.ts';
import type { CloudSession } from '../cloud-session.ts';
import type { RunState } from './cloud-run-machine.ts';
import type { CloudRunEvents } from './cloud-run-types.ts';
import type { Round, Share } from './round.ts';

/**
 * How long a member may say nothing of an inventory round (no `run-progress`, no inventory part) before the round goes
 * on without it. A walk reports at most every 250 ms while it finds or hashes files, after every file hashed, and once
 * listed says its last progress again every 20 s while files are left to hash (inventory-step.ts: within one large
 * file nothing else moves; 15 minutes at most).
 */
export const INVENTORY_SILENCE_MS = 60_000;
/**
 * The same for a share, until its `run-result`: longer, as an honest member may wait 60–120 s on an owner that does not
 * serve before those blocks fail (core/transfer/owner-watch.ts), or re-read a large file it wrote, without progress.
 */
export const SHARE_SILENCE_MS = 180_000;

/**
 * The leader's clocks, one per member awaited in the current inventory round or sync: each restarts whenever that
 * member says something of it and stops once its inventory or result is in. One that runs out reports the member.
 */
export class SilenceWatch {
  #run = '';
  #ms = 0;
  readonly #armed = new Map<string, () => void>();

  constructor(
    private readonly timers: Timers,
    /** `peer` said nothing of `run` for the deadline. */
    private readonly silent: (run: string, peer: string) => void,
  ) {}

  /** From now, each of `peers` must say something of `run` within `ms` (what was watched before is dropped). */
  watch(run: string, peers: readonly string[], ms: number): void {
    this.stop();
    this.#run = run;
    this.#ms = ms;
    for (const peer of peers) this.#arm(peer);
  }

  /** `peer` said something of `run` (its progress, a part of its inventory): its clock starts again. */
  heard(run: string, peer: string): void {
    if (run !== this.#run || !this.#armed.has(peer)) return;
    this.#armed.get(peer)?.();
    this.#arm(peer);
  }

  /** `peer`'s inventory or result of `run` is in: it is not watched any more. */
  done(run: string, peer: string): void {
    if (run !== this.#run) return;
    this.#armed.get(peer)?.();
    this.#armed.delete(peer);
  }

  /** Nothing is watched (the round ended or was dropped): no timer stays behind, a CLI's process may exit. */
  stop(): void {
    for (const cancel of this.#armed.values()) cancel();
    this.#armed.clear();
    this.#run = '';
  }

  #arm(peer: string): void {
    const run = this.#run;
    this.#armed.set(peer, this.timers.after(this.#ms, () => {
      this.#armed.delete(peer);
      this.silent(run, peer);
    }));
  }
}

/**
 * What the leader's `silent` about member `id` does to this member's current round: `inventory`, the round is compared
 * without that member's inventories (any that come later are not taken); `sync`, its result is no longer awaited (one
 * that comes later is not taken: its actions stay not confirmed). Null when of another round or said already.
 */
export function takeSilent(round: Round | null, state: RunState, run: string, id: string): 'inventory' | 'sync' | null {
  if (!round) return null;
  if (round.id === run && (state === 'inventory' || state === 'sharing')) {
    if (round.without.has(id)) return null;
    round.without.add(id);
    return 'inventory';
  }
  const share = round.share;
  if (share?.id !== run || share.silent.has(id) || share.results.has(id)) return null;
  share.silent.add(id);
  return 'sync';
}

/** What the silences need from their run. */
export interface SilencesHost {
  session: CloudSession;
  /** The run: `member.silent` and problems are said through its events. */
  events: Emitter<CloudRunEvents>;
  round(): Round | null;
  state(): RunState;
  /** Whether `peer`'s inventories of round `run` are in already. */
  inventoryIn(peer: string, run: string): boolean;
  /** Compares, if every member still awaited is in (inventory-step.ts). */
  compare(): Promise<void>;
  /** Leader: a result of `share` is no longer awaited (sync-step.ts: the base may be recorded). */
  silenced(share: Share): Promise<void>;
}

/** One member's side: on the leader the watch and its `silent`; on every member what `silent` does, and the counts. */
export class Silences {
  readonly #h: SilencesHost;
  readonly #watch: SilenceWatch;
  /** Members this member's rounds went on without, per step. */
  readonly counts = { inventory: 0, sync: 0 };

  constructor(host: SilencesHost) {
    this.#h = host;
    this.#watch = new SilenceWatch(host.session.timers, (run, peer) => this.#silent(run, peer));
  }

  /** Members the current round goes on without: left out of its comparison, or their result no longer awaited. */
  get members(): ReadonlySet<string> {
    const round = this.#h.round();
    return new Set([...(round?.without ?? []), ...(round?.share?.silent ?? [])]);
  }

  /** The sources (codes) of members the current round's comparison left out as silent. */
  get sources(): string[] {
    const without = this.#h.round()?.without ?? new Set();
    return this.#h.session.members.filter((m) => without.has(m.id)).flatMap((m) => m.sources.map((_, i) => `${m.letter}${i + 1}`));
  }

  /** Leader: round `run` started; every other member's inventories are awaited (those already in excepted). */
  roundStarted(run: string): void {
    const { session } = this.#h;
    if (session.isLeader) this.#watch.watch(run, session.members.filter((m) => !m.self && !this.#h.inventoryIn(m.id, run)).map((m) => m.id), INVENTORY_SILENCE_MS);
  }

  /** Leader: sync `run` started; the result of every member the round compared with is awaited. */
  syncStarted(run: string): void {
    const { session } = this.#h;
    const without = this.#h.round()?.without;
    if (session.isLeader) this.#watch.watch(run, session.members.filter((m) => !m.self && !without?.has(m.id)).map((m) => m.id), SHARE_SILENCE_MS);
  }

  heard(run: string, peer: string): void {
    this.#watch.heard(run, peer);
  }
  done(run: string, peer: string): void {
    this.#watch.done(run, peer);
  }
  stop(): void {
    this.#watch.stop();
  }

  /** The leader's `silent`: this member's round compares without that member, or stops waiting for its result. */
  async take(m: SilentMessage): Promise<void> {
    const h = this.#h;
    const id = h.session.members.find((x) => x.letter === m.letter)?.id;
    const round = h.round();
    const step = id ? takeSilent(round, h.state(), m.run, id) : null;
    if (!id || !step) return;
    this.counts[step]++;
    h.events.emit('member.silent', id, step);
    if (step === 'inventory') await h.compare();
    else if (round?.share) await h.silenced(round.share);
  }

  /**
   * Leader: `peer` said nothing of `run` for the deadline: every member goes on without it. Not when another member
   * does not read `silent` (from before it): that one would wait for it for ever, so the round waits as before.
   */
  #silent(run: string, peer: string): void {
    const { session, events } = this.#h;
    const letter = session.members.find((m) => m.id === peer)?.letter;
    if (!session.isLeader || !letter) return;
    const deaf = session.members.filter((m) => !m.self && m.id !== peer && !(m.features ?? []).includes(SILENT));
    if (deaf.length > 0) return void events.emit('problem', `silent-kept:${letter}: ${deaf.map((m) => m.letter).join(', ')} would wait for it`);
    void session.leadRun({ type: 'silent', v: MESH_PROTOCOL_VERSION, run, letter }).catch((e: unknown) => events.emit('problem', `silent: ${String(e)}`));
  }
}
