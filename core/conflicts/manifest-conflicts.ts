/** Which run made each conflict copy on one source, from its run manifests' `conflict` entries (docs/protocol.md §6.1). */
import type { DirSource } from '../ports.ts';
import { manifestRuns, readManifest } from '../versions/manifest.ts';

/** Where a conflict copy came from, as the manifest of the run that wrote it says. */
export interface ConflictOrigin {
  run: string;
  /** When that run started (ms). */
  at: number;
  /** The source the copy's content was copied from, when the run wrote it from another source. */
  from?: string;
}

/**
 * Path → the newest run that wrote a conflict copy there on this source. A manifest that cannot be read is skipped and
 * counted in `unreadable` (the list still shows the copy, from its name alone), never guessed at.
 */
export async function conflictOrigins(source: DirSource): Promise<{ origins: Map<string, ConflictOrigin>; unreadable: number }> {
  const origins = new Map<string, ConflictOrigin>();
  let unreadable = 0;
  for (const run of await manifestRuns(source)) {
    const manifest = await readManifest(source, run).catch(() => null);
    if (!manifest) {
      unreadable++;
      continue;
    }
    for (const entry of manifest.entries) {
      if (entry.type !== 'conflict') continue;
      const known = origins.get(entry.path);
      if (known && known.at >= manifest.startedAt) continue;
      origins.set(entry.path, { run: manifest.run, at: manifest.startedAt, ...(entry.from !== undefined ? { from: entry.from } : {}) });
    }
  }
  return { origins, unreadable };
}
