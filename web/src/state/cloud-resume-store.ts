/**
 * What a cloud member keeps in sessionStorage to take its place back after a reload (docs/protocol.md §8, Reload):
 * the session's resume record (never the password) and its folders' ids (the handles are in IndexedDB). A reload keeps
 * sessionStorage, closing the tab clears it. Kept apart from the cloud page so the shell can look without loading it.
 */
const KEY = 'quintet.cloud.resume';

/** The stored value: the record as core/cloud/join/cloud-resume.ts reads it back, and the member's source ids in order. */
export interface StoredResume {
  record: unknown;
  sources: string[];
}

/**
 * Whether this page load is a reload. Only a reload takes the place back: "Duplicate tab" copies sessionStorage too,
 * and a duplicate resuming would take the slot from the tab it copied (the server gives a slot to the token's holder).
 */
function reloaded(): boolean {
  return (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.type === 'reload';
}

/** Whether this reload has a cloud place to take back (the shell opens the cloud page then). */
export function hasStoredResume(): boolean {
  return reloaded() && sessionStorage.getItem(KEY) !== null;
}

/** The kept place, on a reload only (otherwise null, and what was kept is dropped: see `reloaded`). */
export function loadStoredResume(): StoredResume | null {
  if (!reloaded()) {
    clearStoredResume();
    return null;
  }
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as StoredResume | null;
    return value && Array.isArray(value.sources) && value.sources.every((s) => typeof s === 'string') ? value : null;
  } catch {
    return null;
  }
}

export function saveStoredResume(value: StoredResume): void {
  sessionStorage.setItem(KEY, JSON.stringify(value));
}

export function clearStoredResume(): void {
  sessionStorage.removeItem(KEY);
}
