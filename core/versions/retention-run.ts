/** Retention at the start of a run: each target's kept versions thinned by the session's policy, reported per source. */
import type { DirSink } from '../ports.ts';
import { toFsError } from '../errors.ts';
import { cleanUpVersions, type RetentionPolicy } from './retention.ts';
import { STAGING_DIR } from './staging.ts';

/** What the cleanup did on one source; a source where nothing was removed and nothing failed is not reported. */
export interface RetentionReport {
  source: string;
  /** Versions removed, and their bytes. */
  versions: number;
  bytes: number;
  /** Versions that could not be removed (they stay; the next run tries again). */
  failed: number;
  /** Why the source's versions could not even be listed (a corrupt manifest …): nothing was removed there. */
  error?: string;
}

/**
 * Cleans up the versions of every directory target, one after another. A failure on one source is reported and the
 * run goes on: retention never stops a synchronization, and what it could not remove stays kept.
 */
export async function cleanUpTargets(sinks: ReadonlyMap<string, DirSink>, targets: Iterable<string>, now: number, policy: RetentionPolicy): Promise<RetentionReport[]> {
  const reports: RetentionReport[] = [];
  for (const source of [...new Set(targets)].sort()) {
    const sink = sinks.get(source);
    if (!sink || sink.rootKind !== 'directory') continue;
    await cleanUpStaging(sink, now);
    try {
      const r = await cleanUpVersions(sink, now, policy);
      if (r.removed.length + r.failures.length > 0) reports.push({ source, versions: r.removed.length, bytes: r.bytes, failed: r.failures.length });
    } catch (error) {
      reports.push({ source, versions: 0, bytes: 0, failed: 0, error: toFsError(error, '').message });
    }
  }
  return reports;
}

/** A staged file untouched this long was left by a writer that is gone (a process killed, a power cut). */
export const STALE_STAGED_MS = 24 * 3600 * 1000;

/**
 * Removes what a killed writer left in `.quintet/tmp/` (a half-written copy of a file that exists elsewhere, never
 * the user's data), once untouched for STALE_STAGED_MS: a live writer, of this process or another sharing the folder,
 * keeps writing its file. Best effort: anything it cannot look at or remove stays for the next run.
 */
export async function cleanUpStaging(sink: DirSink, now: number): Promise<number> {
  let removed = 0;
  const entries = await sink.list(STAGING_DIR).catch(() => []);
  for (const entry of entries) {
    if (entry.kind !== 'file') continue;
    const path = `${STAGING_DIR}/${entry.name}`;
    try {
      if (now - (await sink.stat(path)).mtime < STALE_STAGED_MS) continue;
      await sink.remove(path, { recursive: false });
      removed++;
    } catch {
      // gone meanwhile (its writer committed it), or not ours to remove: it stays
    }
  }
  return removed;
}

/** One line per source for logs and the CLI: "A2: 3 versions removed (1200 bytes)"; `bytes` formats the size. */
export function retentionLine(r: RetentionReport, bytes: (n: number) => string = (n) => `${n} bytes`): string {
  if (r.error !== undefined) return `${r.source}: versions not cleaned up (${r.error})`;
  const failed = r.failed > 0 ? `, ${r.failed} could not be removed` : '';
  return `${r.source}: ${r.versions} ${r.versions === 1 ? 'version' : 'versions'} removed (${bytes(r.bytes)})${failed}`;
}
