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

/** Whether a reload has a cloud place to take back (the shell opens the cloud page then). */
export function hasStoredResume(): boolean {
  return sessionStorage.getItem(KEY) !== null;
}

export function loadStoredResume(): StoredResume | null {
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
