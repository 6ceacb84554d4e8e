/** Names of a run's versions folder: local time `yyyymmdd-hhmmss`, with `-2`, `-3` … when taken. */
import type { DirSource } from '../ports.ts';
import { toFsError } from '../errors.ts';
import { OWN_FOLDER } from '../own-folder.ts';

/** Where every target keeps what a run replaced or deleted. */
export const VERSIONS_DIR = `${OWN_FOLDER}/versions`;

/** The run id of a run started at `ms` (local time of the machine, as the user reads folder names). */
export function runIdAt(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/**
 * The first of `base`, `base-2`, `base-3` … that no target's versions folder holds yet, so a
 * second run in the same second never mixes its versions with the first's.
 */
export async function freeRunId(targets: readonly DirSource[], base: string): Promise<string> {
  const taken = new Set<string>();
  for (const target of targets) {
    try {
      for (const entry of await target.list(VERSIONS_DIR)) taken.add(entry.name);
    } catch (error) {
      // No versions folder yet is the common case; any other failure shows up on the actions themselves.
      void toFsError(error, VERSIONS_DIR);
    }
  }
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}
