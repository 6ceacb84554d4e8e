/** Which kept versions to remove: Syncthing's staggered scheme by age, a count per file, a size cap; applied apart. */
import type { DirSink } from '../ports.ts';
import { toFsError } from '../errors.ts';
import { VERSIONS_DIR } from '../transfer/run-id.ts';
import { kindAt } from '../transfer/versions.ts';
import { isWithin, parentPath } from '../paths.ts';
import { listRuns, type KeptVersion } from './catalogue.ts';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;

export interface RetentionPolicy {
  /** Versions older than this are removed (ms); 365 days by default. */
  maxAge: number;
  /** Staggered thinning: within each age band, at most one version per step (Syncthing's scheme). */
  staggered: boolean;
  /** At most this many versions per path, newest kept; 20 by default. */
  perFile: number;
  /** Total bytes of versions kept, oldest removed first beyond it; none by default. */
  maxBytes: number | null;
  /** Whether the last version of a file that no longer exists may go too: never unless the user asks. */
  removeLastOfDeleted: boolean;
  /** Versions younger than this (ms) are never removed: set by `fromLeader` only, never taken from the wire. */
  keepYoungerThan?: number;
}

/** What a leader's retention may never remove on another member's folders: versions younger than 30 days. */
export const LEADER_RETENTION_FLOOR = 30 * DAY;

/**
 * The leader's retention as a member applies it to its own folders. Versions are what a plan's deletions and
 * replacements leave of the member's files; a hostile leader that deleted (or overwrote) a member's files and then
 * set a retention of one second, no size or `removeLastOfDeleted` would have the member remove them for good at the
 * start of its next shares. A leader's policy never removes a version younger than LEADER_RETENTION_FLOOR nor the last
 * version of a deleted file there; it may keep more. The leader's own folders follow its policy as set.
 */
export function fromLeader(policy: RetentionPolicy): RetentionPolicy {
  return { ...policy, removeLastOfDeleted: false, keepYoungerThan: LEADER_RETENTION_FLOOR };
}

/** Safe defaults: a year, staggered, 20 per path, no size cap, the last version of a deleted file always kept. */
export const DEFAULT_RETENTION: RetentionPolicy = { maxAge: 365 * DAY, staggered: true, perFile: 20, maxBytes: null, removeLastOfDeleted: false };

/** Syncthing's bands: one version per 30 s for the first hour, per hour for a day, per day for 30 days, then per week. */
const BANDS: ReadonlyArray<{ until: number; step: number }> = [
  { until: HOUR, step: 30 * SECOND },
  { until: DAY, step: HOUR },
  { until: 30 * DAY, step: DAY },
  { until: Infinity, step: 7 * DAY },
];

/** A version as retention sees it: `gone` when nothing stands at its path in the source now. */
export type RetainedVersion = Pick<KeptVersion, 'run' | 'path' | 'kept' | 'time' | 'size'> & Partial<Pick<KeptVersion, 'action'>> & { gone: boolean };

/**
 * The versions to remove, oldest first. Never removed whatever the policy: the versions of the newest run and of the
 * newest run with a manifest (so "undo last run" always works), and, unless `removeLastOfDeleted`, the newest version
 * of a path that no longer exists.
 */
export function planRetention<V extends RetainedVersion>(versions: readonly V[], now: number, policy: RetentionPolicy = DEFAULT_RETENTION): V[] {
  const newestOf = (list: readonly V[]) => list.reduce<V | undefined>((a, v) => (a === undefined || v.time > a.time ? v : a), undefined)?.run;
  // The newest run with a manifest too, the one undo takes back, when a newer run has none (a process killed mid-run).
  const newestRuns = new Set([newestOf(versions), newestOf(versions.filter((v) => v.action !== 'unknown'))]);
  const byPath = new Map<string, V[]>();
  for (const v of versions) byPath.set(v.path, [...(byPath.get(v.path) ?? []), v]);
  const protectedSet = new Set<V>();
  const remove = new Set<V>();
  for (const list of byPath.values()) {
    list.sort((a, b) => b.time - a.time);
    const newest = list[0] as V;
    if (newest.gone && !policy.removeLastOfDeleted) protectedSet.add(newest);
    for (const v of list) if (newestRuns.has(v.run) || now - v.time < (policy.keepYoungerThan ?? 0)) protectedSet.add(v);
    let lastKept: number | null = null;
    let count = 0;
    for (const v of list) {
      const age = now - v.time;
      const band = BANDS.find((b) => age < b.until) as { step: number };
      const thinned = policy.staggered && lastKept !== null && lastKept - v.time < band.step;
      if (!protectedSet.has(v) && (age > policy.maxAge || thinned || count >= policy.perFile)) remove.add(v);
      else {
        lastKept = v.time;
        count++;
      }
    }
  }
  if (policy.maxBytes !== null) {
    let total = versions.filter((v) => !remove.has(v)).reduce((n, v) => n + v.size, 0);
    for (const v of [...versions].sort((a, b) => a.time - b.time)) {
      if (total <= policy.maxBytes) break;
      if (remove.has(v) || protectedSet.has(v)) continue;
      remove.add(v);
      total -= v.size;
    }
  }
  keepOverlapping(versions, remove);
  return [...remove].sort((a, b) => a.time - b.time);
}

/**
 * Takes out of `remove` every version whose kept path holds, is, or lies in where a version that stays is kept: a
 * removal takes its path whole (a folder with all in it). Two processes' runs of one second share a versions folder
 * (manifest.ts writeManifest), so one's version of d/x.txt can sit in the other's kept folder d, and a run without a
 * manifest walked there lists the other's files as its own. Again until none changes: one kept back may hold another.
 */
function keepOverlapping<V extends RetainedVersion>(versions: readonly V[], remove: Set<V>): void {
  for (let changed = true; changed; ) {
    changed = false;
    const staying = new Set(versions.filter((v) => !remove.has(v)).map((v) => v.kept));
    const held = new Set<string>(); // each staying kept path and every folder above it
    for (const kept of staying) for (let p = kept; p !== '' && !held.has(p); p = parentPath(p)) held.add(p);
    for (const v of remove) {
      let inside = false;
      for (let p = parentPath(v.kept); p !== '' && !inside; p = parentPath(p)) inside = staying.has(p);
      if (held.has(v.kept) || inside) {
        remove.delete(v);
        changed = true;
      }
    }
  }
}

/** The kept versions of a source with whether their path still exists, ready for `planRetention`. */
export async function retentionCandidates(sink: DirSink): Promise<Array<KeptVersion & { gone: boolean }>> {
  const out: Array<KeptVersion & { gone: boolean }> = [];
  for (const run of await listRuns(sink)) {
    for (const v of run.versions) out.push({ ...v, gone: (await kindAt(sink, v.path)) === null });
  }
  return out;
}

export interface RetentionResult {
  removed: RetainedVersion[];
  bytes: number;
  failures: Array<{ kept: string; message: string }>;
}

/** Removes the versions `planRetention` chose, and the folders above them left empty; manifests stay, so undo can say what is gone. */
export async function applyRetention(sink: DirSink, chosen: readonly (RetainedVersion & { kept: string })[]): Promise<RetentionResult> {
  const result: RetentionResult = { removed: [], bytes: 0, failures: [] };
  for (const v of chosen) {
    // The run folder holding it: its own run's, or the one a run of the same second kept into (manifest.ts writeManifest).
    const runDir = `${VERSIONS_DIR}/${v.kept.slice(VERSIONS_DIR.length + 1).split('/')[0] ?? ''}`;
    if (!v.kept.startsWith(`${VERSIONS_DIR}/`) || !v.kept.startsWith(`${runDir}/`) || runDir === `${VERSIONS_DIR}/`) {
      result.failures.push({ kept: v.kept, message: 'not under a run folder' });
      continue;
    }
    try {
      await sink.remove(v.kept, { recursive: true });
      result.removed.push(v);
      result.bytes += v.size;
    } catch (error) {
      result.failures.push({ kept: v.kept, message: toFsError(error, v.kept).message });
      continue;
    }
    // Parents made only to hold it (up to the run folder) go if nothing else is in them.
    for (let dir = parentPath(v.kept); isWithin(dir, runDir); dir = parentPath(dir)) {
      if ((await sink.list(dir).catch(() => [null])).length > 0) break;
      await sink.remove(dir, { recursive: false }).catch(() => undefined);
    }
  }
  return result;
}

/** At the start of a run: the versions the policy removes, removed, and what went (for the run's result). */
export async function cleanUpVersions(sink: DirSink, now: number, policy: RetentionPolicy = DEFAULT_RETENTION): Promise<RetentionResult> {
  return applyRetention(sink, planRetention(await retentionCandidates(sink), now, policy));
}
