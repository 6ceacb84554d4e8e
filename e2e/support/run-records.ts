/** Reads a page's run history straight from IndexedDB ('quintet-runs' / 'runs'), in key (= start time) order. */
import type { Page } from '@playwright/test';

export function storedRuns(page: Page): Promise<unknown[]> {
  return page.evaluate(() => new Promise<unknown[]>((resolve, reject) => {
    const open = indexedDB.open('quintet-runs');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      // A page that never recorded a run has an empty database without the store.
      if (!db.objectStoreNames.contains('runs')) return resolve([]);
      const all = db.transaction('runs', 'readonly').objectStore('runs').getAll();
      all.onsuccess = () => resolve(all.result);
      all.onerror = () => reject(all.error);
    };
  }));
}
