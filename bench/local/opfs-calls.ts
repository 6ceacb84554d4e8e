/**
 * What one staged small file costs Chrome in OPFS, call by call: a dedicated worker repeats a variant 1,000 times (8 in
 * flight) and the CPU of Chromium's browser and renderer processes is read around it (Linux /proc). Variants: `full`
 * (create in a staging folder, sync handle, truncate, write 2 KB, flush, close, move into place, getFile), `nofl`
 * (without truncate and flush), `bare` (nor getFile), `nomove` (nor move), `create` (the create alone), `getFile`,
 * `handle` (getFileHandle of an existing file), `missing` (getFileHandle of a missing one). Two rounds, alternating.
 *
 *   npx tsx bench/local/opfs-calls.ts [full,nofl,…]   (serves dist/web: `npx vite build` first)
 */
import { workerPage, type BenchWindow } from './worker-page.ts';
import { chromiumCpu, cpuSpent } from './chromium-cpu.ts';

const profileDir = '/tmp/quintet-opfs-calls-profile';
const N = 1000;
const WORKER = `
const bytes = new Uint8Array(2000).fill(65);
onmessage = async ({ data: { variant, n, par } }) => {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry('t', { recursive: true }).catch(() => {});
  const t = await root.getDirectoryHandle('t', { create: true });
  const stage = await t.getDirectoryHandle('stage', { create: true });
  const dst = await t.getDirectoryHandle('dst', { create: true });
  if (variant === 'getFile' || variant === 'handle') for (let i = 0; i < n; i++) await dst.getFileHandle('e' + i, { create: true });
  postMessage('ready');
  await new Promise((r) => (onmessage = r));
  const t0 = performance.now();
  let next = 0;
  const one = async (i) => {
    if (variant === 'missing') return void (await dst.getFileHandle('m' + i).catch(() => {}));
    if (variant === 'getFile') return void (await (await dst.getFileHandle('e' + i)).getFile());
    if (variant === 'handle') return void (await dst.getFileHandle('e' + i));
    const f = await stage.getFileHandle('s' + i, { create: true });
    if (variant === 'create') return;
    const h = await f.createSyncAccessHandle();
    if (variant === 'full') h.truncate(0);
    h.write(bytes, { at: 0 });
    if (variant === 'full') h.flush();
    h.close();
    if (variant === 'nomove') return;
    await f.move(dst, 'f' + i);
    if (variant === 'full' || variant === 'nofl') await f.getFile();
  };
  await Promise.all(Array.from({ length: par }, async () => { while (next < n) await one(next++); }));
  postMessage(performance.now() - t0);
};`;


const { page, close } = await workerPage(profileDir, WORKER);
const variants = (process.argv[2] ?? 'full,nofl,bare,nomove,create,getFile,handle,missing').split(',');
for (let round = 0; round < 2; round++) {
  for (const variant of variants) {
    await page.evaluate(({ variant, n }) => new Promise((ready) => {
      const w = window as unknown as BenchWindow;
      w.__w = new Worker(w.__src);
      w.__w.onmessage = () => ready(null);
      w.__w.postMessage({ variant, n, par: 8 });
    }), { variant, n: N });
    const before = chromiumCpu(profileDir);
    const ms = await page.evaluate(() => new Promise<number>((done) => {
      const w = (window as unknown as BenchWindow).__w;
      w.onmessage = (e: MessageEvent<number>) => (w.terminate(), done(e.data));
      w.postMessage('go');
    }));
    const cpu = cpuSpent(before, chromiumCpu(profileDir));
    console.log(`${variant.padEnd(8)} ${(ms / N).toFixed(3)} ms/file wall, browser ${(((cpu.browser ?? 0) * 1000) / N).toFixed(3)} ms/file, renderer ${(((cpu.renderer ?? 0) * 1000) / N).toFixed(3)} ms/file`);
  }
}
await close();
