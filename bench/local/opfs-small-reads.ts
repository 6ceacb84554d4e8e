/**
 * What reading many small OPFS files costs a dedicated worker, per way of reading: `blob` (`getFile()` then
 * `arrayBuffer()`, what the hash worker does today), `sync` (`getFile()` for size and time, then a read-only sync access
 * handle's `read()` into a reused buffer), `synconly` (the handle alone, no `getFile()`), `getfile` (the `getFile()`
 * alone: what an index hit costs). Wall time and Chromium's browser and renderer CPU (Linux /proc), rounds alternating.
 *
 *   npx tsx bench/local/opfs-small-reads.ts [--files 5000] [--flight 32] [blob,sync,synconly,getfile]   (serves dist/web)
 */
import { parseArgs } from 'node:util';
import { workerPage, type BenchWindow } from './worker-page.ts';
import { chromiumCpu, cpuSpent } from './chromium-cpu.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { files: { type: 'string', default: '5000' }, flight: { type: 'string', default: '32' }, rounds: { type: 'string', default: '3' } },
});
const profileDir = '/tmp/quintet-opfs-small-reads-profile';
const WORKER = `
let handles = [];
onmessage = async ({ data: { variant, setup, files, flight } }) => {
  const root = await navigator.storage.getDirectory();
  if (setup) {
    const dir = await root.getDirectoryHandle('src', { create: true });
    for (let i = 0; i < files; i++) {
      const sub = await dir.getDirectoryHandle('d' + (i % 100), { create: true });
      const h = await (await sub.getFileHandle('f' + i, { create: true })).createSyncAccessHandle();
      const bytes = new Uint8Array(1024 + (i * 7919) % 7168);
      bytes[0] = i & 255;
      h.write(bytes, { at: 0 });
      h.close();
    }
    return postMessage(0);
  }
  if (handles.length === 0) {
    const dir = await root.getDirectoryHandle('src');
    for await (const sub of dir.values()) for await (const f of sub.values()) handles.push(f);
  }
  const buffer = new Uint8Array(1 << 20);
  let bytes = 0;
  const one = async (f) => {
    if (variant === 'getfile') { bytes += (await f.getFile()).size; return; }
    if (variant === 'blob') { bytes += (await (await f.getFile()).arrayBuffer()).byteLength; return; }
    if (variant === 'frs') { bytes += new FileReaderSync().readAsArrayBuffer(await f.getFile()).byteLength; return; }
    const file = variant === 'sync' ? await f.getFile() : null;
    const h = await f.createSyncAccessHandle({ mode: 'read-only' });
    const size = h.getSize();
    const n = h.read(buffer.subarray(0, size), { at: 0 });
    h.close();
    if (n !== size || (file && file.size !== size)) throw new Error('short read');
    bytes += n;
  };
  const t0 = performance.now();
  let next = 0;
  if (variant.startsWith('concat')) {
    const batch = Number(variant.slice(6)) || 64;
    await Promise.all(Array.from({ length: Math.max(1, flight / 8) }, async () => {
      while (next < handles.length) {
        const group = handles.slice(next, next + batch);
        next += group.length;
        const files = await Promise.all(group.map((f) => f.getFile()));
        const all = await new Blob(files).arrayBuffer();
        let at = 0;
        for (const file of files) { const part = new Uint8Array(all, at, file.size); at += part.byteLength; }
        bytes += all.byteLength;
      }
    }));
    return postMessage({ ms: performance.now() - t0, bytes, files: handles.length });
  }
  await Promise.all(Array.from({ length: flight }, async () => { while (next < handles.length) await one(handles[next++]); }));
  postMessage({ ms: performance.now() - t0, bytes, files: handles.length });
};`;

const { page, close } = await workerPage(profileDir, WORKER);
await page.evaluate(() => {
  (window as unknown as BenchWindow).__w = new Worker((window as unknown as BenchWindow).__src);
});
const run = (message: object) =>
  page.evaluate((m) => new Promise<{ ms: number; bytes: number; files: number }>((done, fail) => {
    const w = (window as unknown as BenchWindow).__w;
    w.onmessage = (e) => done(e.data);
    w.onerror = (e) => fail(new Error(e.message));
    w.postMessage(m);
  }), message);
const files = Number(values.files);
await run({ setup: true, files });
for (let round = 0; round < Number(values.rounds); round++) {
  for (const variant of (positionals[0] ?? 'getfile,blob,sync,synconly').split(',')) {
    const before = chromiumCpu(profileDir);
    const r = await run({ variant, flight: Number(values.flight) });
    const cpu = cpuSpent(before, chromiumCpu(profileDir));
    console.log(`${variant.padEnd(9)} ${r.files} files in ${r.ms.toFixed(0)} ms (${((r.files / r.ms) * 1000).toFixed(0)} files/s), browser ${cpu.browser} s, renderer ${cpu.renderer} s`);
  }
}
await close();
