/** Names of a run's versions folder: local time `yyyymmdd-hhmmss`, with `-2`, `-3` … when taken. */
import type { DirSource } from '../ports.ts';
import { toFsError } from '../errors.ts';
import { OWN_FOLDER } from '../own-folder.ts';

/** Where every target keeps what a run replaced or deleted. */
export const VERSIONS_DIR = `${OWN_FOLDER}/versions`;

/** Where every target keeps the manifests of the runs that changed it (core/versions/manifest.ts). */
export const RUNS_DIR = `${OWN_FOLDER}/runs`;

/** The run id of a run started at `ms` (local time of the machine, as the user reads folder names). */
export function runIdAt(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/**
 * The first of `base`, `base-2`, `base-3` … that no target's versions folder or run manifest holds yet, so a
 * second run in the same second never mixes its versions or its manifest with the first's.
 */
export async function freeRunId(targets: readonly DirSource[], base: string): Promise<string> {
  const taken = new Set<string>();
  for (const target of targets) {
    for (const dir of [VERSIONS_DIR, RUNS_DIR]) {
      try {
        for (const entry of await target.list(dir)) taken.add(dir === RUNS_DIR ? entry.name.replace(/\.json$/, '') : entry.name);
      } catch (error) {
        // No such folder yet is the common case; any other failure shows up on the actions themselves.
        void toFsError(error, dir);
      }
    }
  }
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}
