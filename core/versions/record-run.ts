/** Turns what applyPlan did into one manifest per target it changed, written at the end of the run. */
import type { DirSink, EntryKind } from '../ports.ts';
import type { Action } from '../plan/types.ts';
import type { WrittenFile } from '../transfer/types.ts';
import { toFsError } from '../errors.ts';
import { writeManifest, type ManifestEntry, type RunManifest } from './manifest.ts';

export interface RunRecord {
  runId: string;
  startedAt: number;
  endedAt: number;
  /** The actions that completed, in order. */
  applied: readonly Action[];
  /** The files written, with what each replaced. */
  written: readonly WrittenFile[];
  /** Where each completed delete kept its item; a delete that found nothing to keep is absent (it changed nothing). */
  keptBy: ReadonlyMap<Action, string>;
  /**
   * Items failed copies moved aside that could not go back (a save stands at the path since): recorded as deleted
   * with where they are kept, so they are listed and restorable, and an undo puts them back only where nothing stands.
   */
  keptAside?: Array<{ target: string; path: string; kept: string; kind: EntryKind }>;
}

/** The manifest entry of one completed action, or null when it changed nothing worth undoing. */
export function entryOf(action: Action, written: ReadonlyMap<string, WrittenFile>, keptBy: ReadonlyMap<Action, string>): ManifestEntry | null {
  if (action.type === 'mkdir') return { type: 'created', path: action.path, left: { kind: 'directory' } };
  if (action.type === 'delete') {
    const kept = keptBy.get(action);
    return kept === undefined ? null : { type: 'deleted', path: action.path, left: null, kept: { path: kept, kind: action.kind } };
  }
  const file = written.get(`${action.target}\0${action.targetPath}`);
  if (!file) return null;
  const left = { kind: 'file' as const, size: file.size, blockSize: file.blockSize, hash: file.hash };
  const type = action.conflict === true ? 'conflict' : file.replaced ? 'replaced' : 'created';
  return { type, path: action.targetPath, left, ...(file.replaced ? { kept: { path: file.replaced.kept, kind: file.replaced.kind } } : {}), from: action.from };
}

/**
 * Writes `.quintet/runs/<runId>.json` on every target the run changed (a run that changed nothing writes nothing);
 * `writtenAs` gets the targets where that id was taken meanwhile, with the one written instead.
 * Returns the targets whose manifest could not be written: their run happened, but cannot be undone there.
 */
export async function recordRun(sinks: ReadonlyMap<string, DirSink>, record: RunRecord, writtenAs?: Map<string, string>): Promise<Array<{ target: string; message: string }>> {
  const written = new Map(record.written.map((w) => [`${w.target}\0${w.path}`, w]));
  const byTarget = new Map<string, ManifestEntry[]>();
  for (const action of record.applied) {
    const entry = entryOf(action, written, record.keptBy);
    if (!entry) continue;
    const list = byTarget.get(action.target) ?? [];
    list.push(entry);
    byTarget.set(action.target, list);
  }
  for (const k of record.keptAside ?? []) {
    byTarget.set(k.target, [...(byTarget.get(k.target) ?? []), { type: 'deleted', path: k.path, left: null, kept: { path: k.kept, kind: k.kind } }]);
  }
  const failed: Array<{ target: string; message: string }> = [];
  for (const [target, entries] of byTarget) {
    const sink = sinks.get(target);
    if (!sink || sink.rootKind !== 'directory') continue;
    const manifest: RunManifest = { v: 1, run: record.runId, kind: 'sync', startedAt: record.startedAt, endedAt: record.endedAt, entries };
    try {
      const id = await writeManifest(sink, manifest);
      if (id !== record.runId) writtenAs?.set(target, id); // taken meanwhile by another process's run of the same second
    } catch (error) {
      failed.push({ target, message: toFsError(error, '').message });
    }
  }
  return failed;
}
