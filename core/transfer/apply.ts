/** Applies a plan to its targets, losing nothing: versions first, verified atomic copies, per-item failures. */
import type { CancelSignal, Clock, DirSink, Hasher } from '../ports.ts';
import { FsError, toFsError } from '../errors.ts';
import type { Action, CopyAction, DeleteAction, MkdirAction, Plan } from '../plan/types.ts';
import type { ActionFailure, RunResult, SyncProgress, WrittenFile } from './types.ts';
import { ancestors } from '../paths.ts';
import { touchesOwnFolder } from '../own-folder.ts';
import { createThrottle, ratePerSecond } from '../util/progress-throttle.ts';
import { forEachPool } from '../util/pool.ts';
import { localBlockProvider, type BlockProvider } from './block-provider.ts';
import { copyFile } from './copy-file.ts';
import { KeptPartly, keepVersion, kindAt } from './versions.ts';
import { checkUnchanged, type Seen } from './target-check.ts';
import { freeRunId } from './run-id.ts';
import { recordRun, type RunRecord } from '../versions/record-run.ts';

export interface ApplyOptions {
  plan: Plan;
  /** Every source the plan names (as `from` or `target`), by code. */
  sources: ReadonlyMap<string, DirSink>;
  hasher: Hasher;
  clock: Clock;
  /** Versions folder name, usually `runIdAt(clock.now())`; `-2`, `-3` … are added when a target already has it. */
  runId: string;
  signal?: CancelSignal;
  onProgress?: (progress: SyncProgress) => void;
  /** Where blocks come from; the local sources by default. */
  provider?: BlockProvider;
  /** Copies in flight at once (their parents exist by then); 4 by default. */
  copyConcurrency?: number;
  /**
   * Copies of small files (≤ SMALL_FILE bytes) in flight at once, after the others: 16 by default, for local blocks
   * and for blocks pulled from a peer alike (an owner queues 32 requests per peer and serves 4 at once:
   * block-server.ts); `copyConcurrency` when that is given.
   */
  smallCopyConcurrency?: number;
  /** What each target held at the inventory: an item changed there since is not replaced or deleted (target-check.ts). */
  seen?: Seen;
}

/**
 * A small file costs a few round trips to the browser (create, write, close, move) and almost no bytes: on real disk
 * that latency, not bandwidth, bounds a Mirror of many small files (finding 14), so more of them run at once. Their
 * bytes in flight stay bounded: smallCopyConcurrency × SMALL_FILE.
 */
export const SMALL_FILE = 256 * 1024;

/**
 * Runs a plan in four phases: conflict copies within their own source (two-way), deletions (each item kept under versions first), then
 * directories (parents first), then copies (see copyFile). One item's failure is recorded
 * and the run goes on; items under a directory that could not be created or cleared are
 * skipped with a failure naming it. Cancellation stops between blocks and actions, aborts
 * the current writer and puts back what it had moved aside.
 */
export async function applyPlan(options: ApplyOptions): Promise<RunResult> {
  const { plan, sources, hasher, clock, signal, onProgress } = options;
  const startedAt = clock.now();
  const due = createThrottle(clock);
  const provider = options.provider ?? localBlockProvider(sources);
  const targets = [...new Set(plan.actions.map((a) => a.target))].flatMap((code) => sources.get(code) ?? []);
  const runId = await freeRunId(targets, options.runId);
  const failures: ActionFailure[] = [];
  const written: WrittenFile[] = [];
  const applied: Action[] = [];
  const keptBy = new Map<Action, string>(); // where each delete kept its item, for the run's manifest
  const keptAside: RunRecord['keptAside'] = []; // failed copies' versions that could not go back, for the manifest
  // `${target}\0${dir}` → the directory that failed (or the two-way loser whose conflict copy failed: `why` says so)
  const blocked = new Map<string, { dir: string; code: FsError['code']; why?: string }>();
  const progress: SyncProgress = { actionsDone: 0, actionsTotal: plan.actions.length, bytesDone: 0, bytesTotal: plan.summary.bytes, rate: 0 };
  let done = 0;
  let bytesWritten = 0;
  let wasCancelled = false;

  const report = (force = false) => {
    if (!onProgress || (!force && !due())) return;
    progress.rate = ratePerSecond(progress.bytesDone, startedAt, clock.now());
    onProgress({ ...progress });
  };
  const blockedBy = (a: Action): { dir: string; code: FsError['code']; why?: string } | undefined => {
    if (blocked.size === 0) return undefined; // the usual case: no need to list every action's ancestors
    const at = a.type === 'copy' ? a.targetPath : a.path;
    for (const dir of [...ancestors(at), at]) {
      const hit = blocked.get(`${a.target}\0${dir}`);
      if (hit !== undefined) return hit;
    }
    return undefined;
  };
  const fail = (action: Action, error: unknown, via?: string) => {
    const e = toFsError(error, action.path);
    failures.push({ action, code: e.code, message: e.message, ...(via !== undefined ? { blockedBy: via } : {}) });
    return e;
  };

  const run = async (action: Action, work: (sink: DirSink) => Promise<void>) => {
    if (wasCancelled || signal?.aborted) {
      wasCancelled = true;
      return;
    }
    progress.current = action.type === 'copy' ? action.targetPath : action.path;
    const sink = sources.get(action.target);
    const via = blockedBy(action);
    try {
      if (!sink) throw new FsError('not-found', action.path, `unknown target ${action.target}`);
      if (via !== undefined) throw new FsError(via.code, action.path, via.why ?? `inside ${via.dir}, which failed`);
      // Only versions and staging write in Quintet's own folder; no plan, however it was made, reaches it.
      const named = action.type === 'copy' ? [action.path, action.targetPath] : [action.path];
      if (named.some(touchesOwnFolder)) throw new FsError('invalid-name', action.path, "Quintet's own folder is never synchronized");
      await work(sink);
      done++;
      applied.push(action);
    } catch (error) {
      const e = toFsError(error, action.path);
      if (e.code === 'cancelled') {
        wasCancelled = true;
        return;
      }
      fail(action, e, via?.dir);
      if (action.type !== 'copy' && via === undefined) blocked.set(`${action.target}\0${action.path}`, { dir: action.path, code: e.code });
      // A two-way loser whose conflict copy failed keeps its version in place: nothing replaces or deletes it there.
      if (action.type === 'copy' && action.conflict === true && action.from === action.target) {
        blocked.set(`${action.target}\0${action.path}`, { dir: action.path, code: e.code, why: `its conflict copy ${action.targetPath} failed (${e.message}): left as it is` });
      }
    }
    progress.actionsDone++;
    report();
  };

  const deletes = plan.actions.filter((a): a is DeleteAction => a.type === 'delete');
  const mkdirs = plan.actions.filter((a): a is MkdirAction => a.type === 'mkdir');
  const copies = plan.actions.filter((a): a is CopyAction => a.type === 'copy');
  // Copies within their own source read it before anything replaces or deletes it: two-way's conflict copies (the losing
  // version) and the conflict centre's resolutions (a conflict copy's content to another path, core/conflicts/).
  const isEarly = (a: CopyAction) => a.from === a.target && (a.conflict === true || a.path !== a.targetPath);
  const early = copies.filter(isEarly);
  const later = copies.filter((a) => !isEarly(a));

  const copyOne = async (action: CopyAction) => {
    let mine = 0;
    await run(action, async (sink) => {
      try {
        const file = await copyFile(action, {
          sink, provider, hasher, runId, signal, seen: options.seen,
          onKeptAside: (kept) => keptAside.push({ target: action.target, path: action.targetPath, kept: kept.path, kind: kept.kind }),
          onBytes: (n) => {
            mine += n;
            progress.bytesDone += n;
            report();
          },
        });
        written.push(file);
        bytesWritten += file.size;
      } finally {
        progress.bytesDone += action.size - mine; // a failed copy still moves the bar to its end
      }
    });
  };

  // An early copy into a directory this plan creates (a renamed folder's files copied locally: core/continuous/
  // continuous-plan.ts) needs that directory first; it is made now unless a deletion on that target clears its path.
  const deleted = new Set(deletes.map((d) => `${d.target}\0${d.path}`));
  const needed = new Set(early.flatMap((a) => ancestors(a.targetPath).map((p) => `${a.target}\0${p}`)));
  const firstDirs = new Set(mkdirs.filter((m) => needed.has(`${m.target}\0${m.path}`) && [m.path, ...ancestors(m.path)].every((p) => !deleted.has(`${m.target}\0${p}`))));
  for (const action of firstDirs) await run(action, (sink) => sink.mkdir(action.path));
  for (const action of early) await copyOne(action);
  for (const action of deletes) {
    await run(action, async (sink) => {
      if (options.seen) await checkUnchanged(sink, action.target, action.path, await kindAt(sink, action.path), options.seen);
      const kept = await keepVersion(sink, runId, action.path, action.kind).catch((error: unknown) => {
        if (error instanceof KeptPartly) keptAside.push({ target: action.target, path: action.path, kept: error.kept, kind: error.kind });
        // Already gone is what a deletion wants; anything else is a real failure. Gone means the item or a folder above
        // it: a versions folder not found, or the root (a disk unmounted: its mount point), says nothing of it.
        const e = toFsError(error, action.path);
        if (e.code !== 'not-found' || e.path === '' || !(e.path === action.path || action.path.startsWith(`${e.path}/`))) throw error;
      });
      if (kept) keptBy.set(action, kept.path);
    });
  }
  // A failed delete blocks its own path: a directory meant to replace that file is then skipped too.
  for (const action of mkdirs) if (!firstDirs.has(action)) await run(action, (sink) => sink.mkdir(action.path));
  // Large files first, then small ones with more in flight; each phase keeps its own bound on bytes held.
  const wide = options.copyConcurrency ?? 4;
  const smallWide = options.smallCopyConcurrency ?? (options.copyConcurrency !== undefined ? wide : 16);
  await forEachPool(later.filter((a) => a.size > SMALL_FILE), wide, copyOne);
  const small = later.filter((a) => a.size <= SMALL_FILE);
  provider.expect?.(small);
  await forEachPool(small, smallWide, copyOne);

  report(true);
  const endedAt = clock.now();
  // Each target it changed gets the run's manifest (.quintet/runs/<runId>.json), so the run can be listed and undone.
  const writtenAs = new Map<string, string>();
  const unrecorded = await recordRun(sources, { runId, startedAt, endedAt, applied, written, keptBy, keptAside }, writtenAs);
  // Then the names the run wrote are made durable (one fsync per changed folder where the sink can), before the result
  // says done and the session records a base that counts on them (a rename lost to a power cut would look like an edit).
  const unflushed = await flushAll(sources);
  return {
    startedAt, endedAt, runId, done, failures, bytesWritten, cancelled: wasCancelled, written, applied,
    ...(unrecorded.length > 0 ? { unrecorded } : {}),
    ...(writtenAs.size > 0 ? { manifestRuns: Object.fromEntries(writtenAs) } : {}),
    ...(unflushed.length > 0 ? { unflushed } : {}),
  };
}

/** `flush()` of each sink that has it (one that changed nothing returns at once); the ones that failed, with why. */
async function flushAll(sinks: ReadonlyMap<string, DirSink>): Promise<Array<{ target: string; message: string }>> {
  const failed: Array<{ target: string; message: string }> = [];
  await Promise.all([...sinks].map(([target, sink]) => sink.flush?.().catch((error: unknown) => failed.push({ target, message: toFsError(error, '').message }))));
  return failed;
}
