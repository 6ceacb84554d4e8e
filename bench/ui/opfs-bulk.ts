/** Writes many small text files into OPFS from a dedicated worker (sync access handles, no swap file per file as `createWritable` makes). */
import type { Page } from '@playwright/test';

/** The files to write: `path → text`, handed to the page in batches. */
export async function writeSmallFiles(page: Page, root: string, files: ReadonlyArray<readonly [string, string]>): Promise<void> {
  // createWritable() costs a swap file and a commit per file; a worker's sync access handle writes in place.
  await page.evaluate(() => {
    const source = `
      const dirs = new Map();
      async function dirAt(root, path) {
        const key = root + '/' + path;
        if (dirs.has(key)) return dirs.get(key);
        let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(root, { create: true });
        for (const part of path === '' ? [] : path.split('/')) dir = await dir.getDirectoryHandle(part, { create: true });
        dirs.set(key, dir);
        return dir;
      }
      const encoder = new TextEncoder();
      onmessage = async ({ data: { root, batch } }) => {
        try {
          for (const [path, text] of batch) {
            const at = path.lastIndexOf('/');
            const dir = await dirAt(root, at < 0 ? '' : path.slice(0, at));
            const file = await dir.getFileHandle(at < 0 ? path : path.slice(at + 1), { create: true });
            const access = await file.createSyncAccessHandle();
            access.truncate(0);
            access.write(encoder.encode(text), { at: 0 });
            access.close();
          }
          postMessage({ ok: true });
        } catch (error) {
          postMessage({ ok: false, error: String(error) });
        }
      };`;
    (window as unknown as { __bulk: Worker }).__bulk = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  });
  for (let i = 0; i < files.length; i += 5000) {
    // A batch is written again if its answer does not come (seen on a loaded machine: the worker's message lost and
    // the run stuck); rewriting is harmless, each file is truncated and written whole.
    let error: string | null | 'timeout' = 'timeout';
    for (let attempt = 0; attempt < 3 && error === 'timeout'; attempt++) {
      error = await page.evaluate(
        ({ root, batch }) =>
          new Promise<string | null>((done) => {
            const worker = (window as unknown as { __bulk: Worker }).__bulk;
            const timer = setTimeout(() => done('timeout'), 180_000);
            worker.onmessage = ({ data }: MessageEvent<{ ok: boolean; error?: string }>) => {
              clearTimeout(timer);
              done(data.ok ? null : (data.error ?? 'failed'));
            };
            worker.postMessage({ root, batch });
          }),
        { root, batch: files.slice(i, i + 5000) },
      );
    }
    if (error) throw new Error(`writing ${root} in OPFS: ${error}`);
  }
  await page.evaluate(() => (window as unknown as { __bulk: Worker }).__bulk.terminate());
}
