/** Which targets of a finished run kept something under `.quintet/versions/<runId>/`: the result names that folder only there. */
import type { RunResult } from './types.ts';

/**
 * The targets, in code order, where an applied action replaced or deleted an item (each kept as a version first).
 * A run that only created files, or failed before keeping anything, has none: its versions folder does not exist.
 */
export function versionedTargets(result: Pick<RunResult, 'applied'>): string[] {
  const targets = new Set<string>();
  for (const action of result.applied ?? []) {
    if (action.type === 'delete' || (action.type === 'copy' && action.replaces !== null)) targets.add(action.target);
  }
  return [...targets].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
