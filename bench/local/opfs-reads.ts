/**
 * What copying 256 MiB within OPFS costs a dedicated worker, step by step: read in 8 MiB `Blob.slice().arrayBuffer()`
 * windows, through one BYOB stream (`byob`) or by `read(buffer, { at })` on a read-only sync access handle into one
 * reused buffer (`sync`); `16` in a variant reads 16 MiB at a time; optionally SHA-256 of each 256 KiB block (`hash`)
 * and a sync-handle write (`write`, then `flush`: the fdatasync the write worker makes per file); wall time and Chromium's browser and renderer CPU (Linux /proc). Two rounds
 * (ROUNDS=n for more), alternating. First checks what `mode: 'read-only'` does in this Chromium (shared among readers,
 * refused while a writer holds the file).
 *
 *   npx tsx bench/local/opfs-reads.ts [read,read+hash,…,byob+hash+write,sync16+hash]   (serves dist/web: `npx vite build` first)
 */
import { workerPage, type BenchWindow } from './worker-page.ts';
import { chromiumCpu, cpuSpent } from './chromium-cpu.ts';

const profileDir = '/tmp/quintet-opfs-reads-profile';
const WORKER = `
const MiB = 1 << 20, BLOCK = 256 * 1024;
let R = 8 * MiB;
const attempt = async (f) => { try { await f(); return 'ok'; } catch (e) { return e.name; } };
onmessage = async ({ data: { variant, setup, check } }) => {
  const root = await navigator.storage.getDirectory();
  if (check) {
    const f = await root.getFileHandle('src');
    const out = {};
    const a = await f.createSyncAccessHandle({ mode: 'read-only' });
    out.mode = a.mode;
    out.secondReader = await attempt(async () => (await f.createSyncAccessHandle({ mode: 'read-only' })).close());
    out.writerWhileRead = await attempt(async () => (await f.createSyncAccessHandle()).close());
    out.writeOnReadOnly = await attempt(async () => a.write(new Uint8Array(1), { at: 0 }));
    a.close();
    const w = await f.createSyncAccessHandle();
    out.readerWhileWriter = await attempt(async () => (await f.createSyncAccessHandle({ mode: 'read-only' })).close());
    out.getFileWhileWriter = await attempt(async () => (await f.getFile()).size);
    w.close();
    out.unknownModeIgnored = await attempt(async () => { const b = await f.createSyncAccessHandle({ mode: 'nonsense' }); b.close(); });
    return postMessage(out);
  }
  R = (variant.includes('16') ? 16 : 8) * MiB;
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
  if (variant.startsWith('sync')) {
    const src = await (await root.getFileHandle('src')).createSyncAccessHandle({ mode: 'read-only' });
    const buffer = new Uint8Array(R);
    const size = src.getSize();
    let at = 0;
    while (at < size) {
      const n = src.read(buffer, { at });
      if (n === 0) break;
      if (n !== R && at + n !== size) throw new Error('short read');
      use(n === R ? buffer : buffer.subarray(0, n), at);
      at += n;
      // digest copies its input when called, so the buffer can be reused; waiting bounds the copies held
      if (pending.length > 64) await Promise.all(pending.splice(0));
    }
    src.close();
    if (at !== size) throw new Error('short read');
  } else if (variant.startsWith('byob')) {
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
  if (variant.includes('flush')) h.flush();
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
await run({ setup: true, variant: '' });
console.log('read-only sync handle:', JSON.stringify(await page.evaluate(() => new Promise((done) => {
  const w = new Worker((window as unknown as BenchWindow).__src);
  w.onmessage = (e: MessageEvent) => (w.terminate(), done(e.data));
  w.postMessage({ check: true });
}))));
for (let round = 0; round < Number(process.env.ROUNDS ?? 2); round++) {
  for (const variant of (process.argv[2] ?? 'read,read+hash,read+write,read+hash+write,byob,byob+hash,byob+write,byob+hash+write,sync,sync+hash,sync+write,sync+hash+write').split(',')) {
    const before = chromiumCpu(profileDir);
    const ms = await run({ variant });
    const cpu = cpuSpent(before, chromiumCpu(profileDir));
    console.log(`${variant.padEnd(16)} 256 MiB in ${ms.toFixed(0)} ms (${((268.4 / ms) * 1000).toFixed(0)} MB/s), browser ${cpu.browser} s, renderer ${cpu.renderer} s`);
  }
}
await close();
