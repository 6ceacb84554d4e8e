/**
 * What copying 256 MiB within OPFS costs a dedicated worker, step by step: read in 8 MiB `Blob.slice().arrayBuffer()`
 * windows or through one BYOB stream (`byob`), optionally SHA-256 of each 256 KiB block (`hash`) and a sync-handle
 * write (`write`); wall time and Chromium's browser and renderer CPU (Linux /proc). Two rounds, alternating.
 *
 *   npx tsx bench/local/opfs-reads.ts [read,read+hash,…,byob+hash+write]   (serves dist/web: `npx vite build` first)
 */
import { workerPage, type BenchWindow } from './worker-page.ts';
import { chromiumCpu, cpuSpent } from './chromium-cpu.ts';

const profileDir = '/tmp/quintet-opfs-reads-profile';
const WORKER = `
const MiB = 1 << 20, R = 8 * MiB, BLOCK = 256 * 1024;
onmessage = async ({ data: { variant, setup } }) => {
  const root = await navigator.storage.getDirectory();
  if (setup) {
    const h = await (await root.getFileHandle('src', { create: true })).createSyncAccessHandle();
    const chunk = new Uint8Array(R);
    for (let i = 0; i < chunk.length; i += 4096) chunk[i] = i & 255;
    for (let i = 0; i < 32; i++) h.write(chunk, { at: i * R });
    h.close();
    return postMessage(0);
  }
  const blob = await (await root.getFileHandle('src')).getFile();
  const h = await (await root.getFileHandle('dst', { create: true })).createSyncAccessHandle();
  h.truncate(0);
  const t0 = performance.now();
  const pending = [];
  const use = (bytes, at) => {
    if (variant.includes('hash')) for (let o = 0; o < bytes.byteLength; o += BLOCK) pending.push(crypto.subtle.digest('SHA-256', bytes.subarray(o, o + BLOCK)));
    if (variant.includes('write')) h.write(bytes, { at });
  };
  if (variant.startsWith('byob')) {
    const reader = blob.stream().getReader({ mode: 'byob' });
    let at = 0, buffer = new ArrayBuffer(R);
    for (;;) {
      const { done, value } = await reader.read(new Uint8Array(buffer, 0, R));
      if (done) break;
      use(value, at);
      at += value.byteLength;
      buffer = value.buffer;
      if (pending.length > 64) await Promise.all(pending.splice(0));
    }
  } else {
    let next = blob.slice(0, R).arrayBuffer();
    for (let start = 0; start < blob.size; start += R) {
      const bytes = new Uint8Array(await next);
      next = start + R < blob.size ? blob.slice(start + R, start + 2 * R).arrayBuffer() : null;
      use(bytes, start);
      if (pending.length > 64) await Promise.all(pending.splice(0));
    }
  }
  await Promise.all(pending);
  h.close();
  postMessage(performance.now() - t0);
};`;


const { page, close } = await workerPage(profileDir, WORKER);
const run = (message: object) =>
  page.evaluate((m) => new Promise<number>((done, fail) => {
    const w = new Worker((window as unknown as BenchWindow).__src);
    w.onmessage = (e: MessageEvent<number>) => (w.terminate(), done(e.data));
    w.onerror = (e) => fail(new Error(e.message));
    w.postMessage(m);
  }), message);
await run({ setup: true });
for (let round = 0; round < 2; round++) {
  for (const variant of (process.argv[2] ?? 'read,read+hash,read+write,read+hash+write,byob,byob+hash,byob+write,byob+hash+write').split(',')) {
    const before = chromiumCpu(profileDir);
    const ms = await run({ variant });
    const cpu = cpuSpent(before, chromiumCpu(profileDir));
    console.log(`${variant.padEnd(16)} 256 MiB in ${ms.toFixed(0)} ms (${((268.4 / ms) * 1000).toFixed(0)} MB/s), browser ${cpu.browser} s, renderer ${cpu.renderer} s`);
  }
}
await close();
