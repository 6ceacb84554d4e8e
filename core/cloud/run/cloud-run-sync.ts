/** One member's share of a cloud synchronization (issue 6): the actions it is the target of, blocks pulled from their owners. */
import type { BlockCodec, CancelSignal, Clock, DirSink, Hasher, Store } from '../../ports.ts';
import type { Action, CopyAction, Plan } from '../../plan/types.ts';
import type { SyncProgress, WrittenFile } from '../../transfer/types.ts';
import type { ResultCode, RunResultMessage } from '../../protocol/run-messages.ts';
import { MESH_PROTOCOL_VERSION } from '../../protocol/mesh-messages.ts';
import { applyPlan } from '../../transfer/apply.ts';
import { seenIn, type Seen } from '../../transfer/target-check.ts';
import { createExcluder } from '../../inventory/exclusions.ts';
import { localBlockProvider, type BlockProvider } from '../../transfer/block-provider.ts';
import { runIdAt } from '../../transfer/run-id.ts';
import { recordWritten } from '../../inventory/index-cache.ts';
import type { ResolvedPlan } from './cloud-run-plan.ts';
import { BlockPuller, localBlockIndex, type TransferCounters } from '../../transfer/remote-blocks.ts';
import { createThrottle } from '../../util/progress-throttle.ts';
import type { CloudSession } from '../cloud-session.ts';
import type { Round, Share } from './round.ts';
import type { RetentionPolicy } from '../../versions/retention.ts';
import { cleanUpTargets } from '../../versions/retention-run.ts';
import { fromLeader } from '../../versions/retention.ts';

export interface ShareOptions {
  run: string;
  resolved: ResolvedPlan;
  /** This member's sources by code, with their stable ids. */
  own: ReadonlyMap<string, { source: DirSink; id: string }>;
  /** Blocks of other members' sources (core/transfer/remote-blocks.ts). */
  remote: BlockProvider;
  hasher: Hasher;
  store: Store;
  clock: Clock;
  signal: CancelSignal;
  /** This member's targets without write permission: their actions are skipped, not attempted, and the result names them. */
  denied?: ReadonlySet<string>;
  copyConcurrency?: number;
  /** The leader's retention setting: this member's versions on its own targets are cleaned up first (none when absent). */
  retention?: RetentionPolicy;
  onProgress(progress: SyncProgress): void;
  /** What this member's targets held at the round's inventory: an item changed there since is left as it is (target-check.ts). */
  seen?: Seen;
}

/**
 * Runs the actions whose target is one of this member's sources through core/transfer/apply — the one path that
 * writes, so versions, staging and verification are exactly the local flow's. Copies from this member's own sources
 * read them locally; the rest come from the remote provider. Actions this member's plan check refused count as
 * failed (`plan-mismatch`); actions its roles check refused (§10.11) and actions on a target without write permission are
 * skipped (the latter with the target named in `denied`). Own targets whose folders could not be flushed to disk at
 * the end are named in `unflushed`. Returns the result as it is sent to every member, with indices into the leader's plan.
 */
export async function runShare(o: ShareOptions): Promise<{ result: RunResultMessage; applied: Action[]; runId: string; manifestRuns?: Record<string, string> }> {
  const index = new Map<Action, number>();
  const failed: RunResultMessage['failed'] = [];
  const mine: Action[] = [];
  const denied: number[] = [];
  // What this member's roles check refused (a send-only target here, a receive-only origin): skipped, never written.
  const byRole = new Set(o.resolved.roleRefused.map((r) => r.i));
  o.resolved.targets.forEach((target, i) => {
    if (!o.own.has(target)) return;
    if (byRole.has(i)) return void denied.push(i);
    const action = o.resolved.actions[i];
    if (action === null || action === undefined) return void failed.push({ i, code: 'plan-mismatch', message: '' });
    if (o.denied?.has(target)) return void denied.push(i); // writing would fail on every one: skipped, and said why
    index.set(action, i);
    mine.push(action);
  });
  const sinks = new Map([...o.own].map(([code, e]) => [code, e.source]));
  const local = localBlockProvider(sinks);
  const provider: BlockProvider = {
    open: (a: CopyAction) => (o.own.has(a.from) ? local.open(a) : o.remote.open(a)),
    expect: (actions) => o.remote.expect?.(actions.filter((a) => !o.own.has(a.from))),
  };
  const copies = mine.filter((a): a is CopyAction => a.type === 'copy');
  const plan: Plan = {
    actions: mine,
    refusals: [],
    summary: {
      copies: copies.length, overwrites: copies.filter((a) => a.replaces !== null).length, bytes: copies.reduce((n, a) => n + a.size, 0),
      directories: mine.filter((a) => a.type === 'mkdir').length, deletions: mine.filter((a) => a.type === 'delete').length,
    },
  };
  const started = o.clock.now();
  // Retention runs only at the start of a run, each member on its own targets it may write (protocol §6.1).
  const retention = o.retention ? await cleanUpTargets(sinks, mine.map((a) => a.target), started, o.retention) : [];
  const result = await applyPlan({
    plan, sources: sinks, hasher: o.hasher, clock: o.clock, runId: runIdAt(started), signal: o.signal, provider,
    onProgress: o.onProgress, ...(o.copyConcurrency ? { copyConcurrency: o.copyConcurrency } : {}), ...(o.seen ? { seen: o.seen } : {}),
  });
  const done = (result.applied ?? []).map((a) => index.get(a) as number);
  for (const f of result.failures) {
    const code: ResultCode = f.message.includes('member-left') ? 'member-left' : f.code;
    failed.push({ i: index.get(f.action) as number, code, message: f.message.slice(0, 200) });
  }
  const settled = new Set([...done, ...failed.map((f) => f.i)]);
  const skipped = [...denied, ...[...index.values()].filter((i) => !settled.has(i))].sort((a, b) => a - b);
  // Written files are verified: the next inventory of each target hashes nothing (as in the local flow).
  for (const [code, entry] of o.own) {
    const files = (result.written ?? []).filter((w) => w.target === code);
    await recordWritten(o.store, entry.id, files).catch(() => undefined);
  }
  return {
    result: {
      type: 'run-result', v: MESH_PROTOCOL_VERSION, run: o.run, done, failed, skipped, bytes: result.bytesWritten, ms: Math.max(0, o.clock.now() - started),
      ...(o.denied && o.denied.size > 0 ? { denied: [...o.denied].sort() } : {}),
      ...(retention.length > 0 ? { retention: retention.map((r) => ({ source: r.source, versions: r.versions, bytes: r.bytes, failed: r.failed + (r.error !== undefined ? 1 : 0) })) } : {}),
      ...keptOf(result.written ?? []),
      ...unflushedOf(result.unflushed ?? [], o.own),
    },
    applied: result.applied ?? [],
    runId: result.runId,
    ...(result.manifestRuns ? { manifestRuns: result.manifestRuns } : {}),
  };
}

/** How many written files took their source's time and mode (a member whose writer can: Node), for the result. */
function keptOf(written: readonly WrittenFile[]): Pick<RunResultMessage, 'kept'> {
  const times = written.filter((w) => w.meta?.mtime).length;
  const modes = written.filter((w) => w.meta?.mode).length;
  return written.some((w) => w.meta) ? { kept: { times, modes } } : {};
}

/** Own targets whose folders could not be flushed to disk, for the result (each message within the schema's 200). */
function unflushedOf(unflushed: ReadonlyArray<{ target: string; message: string }>, own: ReadonlyMap<string, unknown>): Pick<RunResultMessage, 'unflushed'> {
  const mine = unflushed.filter((u) => own.has(u.target)).slice(0, 99);
  return mine.length > 0 ? { unflushed: mine.map((u) => ({ source: u.target, message: clipMiddle(u.message, 200) })) } : {};
}

/**
 * `text` within `max` characters, its middle left out: the Node sink's message lists every folder it could not flush
 * before the system's reason (`…: EIO: i/o error, fsync`), and that reason must reach the others.
 */
export function clipMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = Math.floor((max - 1) / 2);
  return `${text.slice(0, max - 1 - tail)}…${text.slice(text.length - tail)}`;
}

/** The codes of `targets` among `own` whose write permission is not granted now (asked without prompting, one at a time). */
export async function withoutWrite(targets: ReadonlySet<string>, own: ReadonlyMap<string, { source: DirSink }>): Promise<Set<string>> {
  const out = new Set<string>();
  for (const [code, e] of own) {
    if (!targets.has(code)) continue;
    const state = await e.source.access('readwrite', false).catch(() => 'denied' as const);
    if (state !== 'granted') out.add(code);
  }
  return out;
}

/** What this member's share of a sync reports: its own figures (every 250 ms, then once `done`). */
export interface ShareProgress {
  files: number;
  filesTotal: number;
  bytes: number;
  bytesTotal: number;
  rate: number;
  done: boolean;
}

export interface OwnShareOptions {
  round: Round;
  /** Inflates blocks sent compressed (`block-deflate`); fflate unless given. */
  blockCodec?: BlockCodec;
  share: Share;
  resolved: ResolvedPlan;
  session: CloudSession;
  hasher: Hasher;
  store: Store;
  clock: Clock;
  counters: TransferCounters;
  copyConcurrency?: number;
  windowBytes?: number;
  onProgress(progress: ShareProgress): void;
  /** Whether this share is still the run's (a reset drops it): if not, nothing more is reported. */
  current(): boolean;
}

/**
 * This member's share of the round's sync: blocks of others' sources pulled from their owners (the share's puller),
 * targets not granted write already skipped ('permission': no click starts a member's share, so nothing is asked).
 */
export async function runOwnShare(o: OwnShareOptions): Promise<RunResultMessage | null> {
  const { round, share, resolved, session } = o;
  const own = round.ownByCode();
  share.puller = new BlockPuller({
    run: share.id, localSources: new Map([...own].map(([c, e]) => [c, e.source])), localIndex: localBlockIndex(round.mine.map((s) => s.inventory)),
    hasher: o.hasher, counters: o.counters, signal: round.abort, windowBytes: o.windowBytes, codec: o.blockCodec, timers: session.timers,
    ownerOf: (code) => session.members.find((m) => m.letter === code[0] && m.connected && !m.self)?.id,
    send: (peer, message) => session.sendRun(peer, message),
  });
  const due = createThrottle(o.clock, 250);
  const files = resolved.targets.filter((t) => own.has(t)).length;
  const denied = await withoutWrite(new Set(resolved.targets), own);
  const { result, runId, applied, manifestRuns } = await runShare({
    run: share.id, resolved, own, remote: share.puller, hasher: o.hasher, store: o.store, clock: o.clock, signal: round.abort,
    // Another member's retention never removes this member's young versions for good (retention.ts fromLeader), nor
    // one it inherited when the member that set it left and this one became the leader.
    copyConcurrency: o.copyConcurrency, denied, retention: session.isLeader && session.ownRetention ? session.settings.retention : fromLeader(session.settings.retention), seen: seenIn(round.mine.map((s) => s.inventory), createExcluder(session.settings)),
    onProgress: (p) => due() && o.onProgress({ files: p.actionsDone, filesTotal: files, bytes: p.bytesDone, bytesTotal: p.bytesTotal, rate: p.rate, done: false }),
  });
  // Only folders the share changed have that run's manifest (an unchanged one may hold an older run of the same second).
  const changed = new Set(applied.map((a) => a.target));
  // Which manifest each got: the run's id, or another where a run of the same second took it meanwhile (an undo reads that).
  share.localRun = { runId, ids: [...own].filter(([code]) => changed.has(code)).map(([code, e]) => [e.id, manifestRuns?.[code] ?? runId]) };
  if (!o.current()) return null;
  if (share.stopped) result.stopped = true;
  o.onProgress({ files, filesTotal: files, bytes: result.bytes, bytesTotal: result.bytes, rate: result.ms > 0 ? (result.bytes * 1000) / result.ms : 0, done: true });
  return result;
}
