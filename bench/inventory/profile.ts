/**
 * Where an inventory's time goes (on demand, a tool beside run.ts): the platform calls alone (listing, getFile,
 * Blob reads, IndexedDB), then the app's inventories of the same OPFS folder under Chromium's CPU profiler with every
 * File System Access, Blob, Worker and IndexedDB call counted. The profile and its corpus stay in `--profile` between
 * runs (writing 20,000 files to OPFS takes minutes), so a change can be profiled again at once.
 *
 *   npx tsx bench/inventory/profile.ts [--small 20000] [--large-count 0] [--large-mib 256] [--profile /tmp/quintet-inv-profile] [--no-build] [--runs 2] [--port 8735] [--no-micro] [--ab <other build's web folder> --rounds 3]
 */
import { rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { writeTree } from '../../e2e/support/opfs-tree.ts';
import { largeCorpus, smallCorpus, type Corpus } from './corpus.ts';
import { build, launch, openLocalFresh, serve } from './app.ts';
import { profiled } from '../ui/page-profile.ts';
import { log } from '../shared/run-clock.ts';
import { countCalls } from './call-counts.ts';

const { values: flags } = parseArgs({
  options: {
    small: { type: 'string', default: '20000' },
    'large-count': { type: 'string', default: '0' },
    'large-mib': { type: 'string', default: '256' },
    profile: { type: 'string', default: '/tmp/quintet-inv-profile' },
    runs: { type: 'string', default: '2' },
    // OPFS belongs to the origin: the corpus is found again only on the same port.
    port: { type: 'string', default: '8735' },
    'no-build': { type: 'boolean', default: false },
    'no-micro': { type: 'boolean', default: false },
    // Another build's web folder (e.g. `npx vite build --outDir /tmp/web-before`): A/B turns, no CPU profile.
    ab: { type: 'string' },
    rounds: { type: 'string', default: '3' },
  },
});
const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Writes the corpus once per profile: a marker file at the OPFS root says it is complete. */
async function ensureCorpus(page: Page, corpus: Corpus): Promise<void> {
  const marker = `${corpus.name}-${corpus.files}-${corpus.bytes}.done`;
  const present = await page.evaluate(async (marker) => {
    const root = await navigator.storage.getDirectory();
    return root.getFileHandle(marker).then(() => true, () => false);
  }, marker);
  if (present) return;
  log(`${corpus.name}: writing ${corpus.files} files to OPFS`);
  // The folder and every marker of another corpus under that name go first.
  await page.evaluate(async (name) => {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(name, { recursive: true }).catch(() => undefined);
    for await (const key of root.keys()) if (key.startsWith(`${name}-`) && key.endsWith('.done')) await root.removeEntry(key);
  }, corpus.name);
  await writeTree(page, corpus.name, corpus.spec);
  await page.evaluate(async (marker) => void (await navigator.storage.getDirectory()).getFileHandle(marker, { create: true }), marker);
}

/** The platform calls alone, on the corpus folder: what the walk and the reads cost without the app. */
async function micro(page: Page, folder: string): Promise<void> {
  const out = await page.evaluate(async (folder) => {
    const lines: string[] = [];
    const t = () => performance.now();
    const root = await (await navigator.storage.getDirectory()).getDirectoryHandle(folder);
    const handles: FileSystemFileHandle[] = [];
    let dirs = 0;
    let t0 = t();
    const walk = async (dir: FileSystemDirectoryHandle): Promise<void> => {
      dirs++;
      const subs: Promise<void>[] = [];
      for await (const [, child] of dir.entries()) {
        if (child.kind === 'directory') subs.push(walk(child as FileSystemDirectoryHandle));
        else handles.push(child as FileSystemFileHandle);
      }
      await Promise.all(subs);
    };
    await walk(root);
    lines.push(`list ${dirs} dirs, ${handles.length} files (entries(), dirs in parallel): ${(t() - t0).toFixed(0)} ms`);
    const pool = async <T>(items: T[], n: number, fn: (x: T) => Promise<unknown>) => {
      let next = 0;
      await Promise.all(Array.from({ length: n }, async () => {
        while (next < items.length) await fn(items[next++]!);
      }));
    };
    let files: File[] = [];
    for (const n of [1, 16, 64, 256]) {
      const some = n === 1 ? handles.slice(0, 2000) : handles;
      files = [];
      t0 = t();
      await pool(some, n, async (h) => void files.push(await h.getFile()));
      const ms = t() - t0;
      lines.push(`getFile × ${some.length}, ${n} in flight: ${ms.toFixed(0)} ms (${((ms * 1000) / some.length).toFixed(0)} µs/file, ${Math.round((some.length * 1000) / ms)} files/s)`);
    }
    for (const n of [16, 64]) {
      t0 = t();
      let bytes = 0;
      await pool(files, n, async (f) => {
        const b = await f.arrayBuffer();
        bytes += b.byteLength;
      });
      const ms = t() - t0;
      lines.push(`File.arrayBuffer × ${files.length} (${(bytes / 2 ** 20).toFixed(1)} MiB), ${n} in flight: ${ms.toFixed(0)} ms (${Math.round((files.length * 1000) / ms)} files/s)`);
    }
    // The same calls made in workers: handles or Files posted in batches, each worker with 32 calls in flight.
    const workerCode = `onmessage = async ({ data: { items, op } }) => {
      let next = 0;
      const out = [];
      await Promise.all(Array.from({ length: 32 }, async () => {
        while (next < items.length) {
          const x = items[next++];
          if (op === 'getFile') out.push((await x.getFile()).size);
          else if (op === 'read') out.push((await x.arrayBuffer()).byteLength);
          else {
            const f = await x.getFile();
            const d = await crypto.subtle.digest('SHA-256', await f.arrayBuffer());
            out.push(d.byteLength + f.size);
          }
        }
      }));
      postMessage(out.length);
    };`;
    const url = URL.createObjectURL(new Blob([workerCode], { type: 'text/javascript' }));
    for (const [op, n] of [['getFile', 1], ['getFile', 2], ['read', 1], ['read', 2], ['all', 2], ['all', 4]] as const) {
      const workers = Array.from({ length: n }, () => new Worker(url));
      const items: unknown[] = op === 'read' ? files : handles;
      t0 = t();
      const BATCH = 500;
      let sent = 0;
      await Promise.all(workers.map(async (w) => {
        while (sent < items.length) {
          const batch = items.slice(sent, (sent += BATCH));
          await new Promise((done) => {
            w.onmessage = done;
            w.postMessage({ items: batch, op });
          });
        }
      }));
      const ms = t() - t0;
      lines.push(`${op === 'all' ? 'getFile + arrayBuffer + digest' : op} × ${items.length} in ${n} worker(s), batches of ${BATCH}, 32 in flight each: ${ms.toFixed(0)} ms (${Math.round((items.length * 1000) / ms)} files/s)`);
      for (const w of workers) w.terminate();
    }
    const buffers = await Promise.all(files.slice(0, 5000).map((f) => f.arrayBuffer()));
    t0 = t();
    await Promise.all(buffers.map((b) => crypto.subtle.digest('SHA-256', b)));
    let ms = t() - t0;
    lines.push(`digest × ${buffers.length} small buffers on the main thread, all at once: ${ms.toFixed(0)} ms (${Math.round((buffers.length * 1000) / ms)} /s)`);
    t0 = t();
    for (const b of buffers.slice(0, 2000)) await crypto.subtle.digest('SHA-256', b);
    ms = t() - t0;
    lines.push(`digest × 2000 one after the other: ${ms.toFixed(0)} ms (${((ms * 1000) / 2000).toFixed(0)} µs each)`);
    // An index of the corpus's shape in IndexedDB: one value of [path, entry] pairs.
    const entries = files.map((f, i) => [`g/d/f${i}.bin`, { size: f.size, mtime: f.lastModified, blockSize: 131072, blocks: ['ab'.repeat(32)], hash: 'cd'.repeat(32) }]);
    const db = await new Promise<IDBDatabase>((ok, ko) => {
      const r = indexedDB.open('bench-profile', 1);
      r.onupgradeneeded = () => r.result.createObjectStore('kv');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => ko(r.error);
    });
    const tx = <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>) =>
      new Promise<T>((ok, ko) => {
        const x = db.transaction('kv', mode);
        const r = fn(x.objectStore('kv'));
        x.oncomplete = () => ok(r.result);
        x.onerror = () => ko(x.error);
      });
    t0 = t();
    await tx('readwrite', (s) => s.put({ version: 1, entries }, 'index'));
    lines.push(`IndexedDB put of a ${entries.length}-entry index: ${(t() - t0).toFixed(0)} ms`);
    t0 = t();
    await tx('readonly', (s) => s.get('index'));
    lines.push(`IndexedDB get of it: ${(t() - t0).toFixed(0)} ms`);
    db.close();
    indexedDB.deleteDatabase('bench-profile');
    return lines;
  }, folder);
  for (const line of out) log(`  ${line}`);
}

/** Large files: read rate and digest rate in workers, by slice size and worker count (what caps the app). */
async function microLarge(page: Page, folder: string): Promise<void> {
  const out = await page.evaluate(async (folder) => {
    const lines: string[] = [];
    const root = await (await navigator.storage.getDirectory()).getDirectoryHandle(folder);
    const files: File[] = [];
    for await (const [, child] of root.entries()) if (child.kind === 'file') files.push(await (child as FileSystemFileHandle).getFile());
    const total = files.reduce((n, f) => n + f.size, 0);
    // op 'read': slices only; 'hash': slices then SHA-256 per 256 KiB block, 8 digests in flight; 'digest': digests of
    // one buffer read once (WebCrypto alone).
    const code = `onmessage = async ({ data: { files, slice, op, ahead } }) => {
      const digests = async (buffer) => {
        let pending = [];
        for (let off = 0; off < buffer.byteLength; off += 262144) {
          pending.push(crypto.subtle.digest('SHA-256', new Uint8Array(buffer, off, Math.min(262144, buffer.byteLength - off))));
          if (pending.length >= 8) { await Promise.all(pending); pending = []; }
        }
        await Promise.all(pending);
      };
      let n = 0;
      for (const f of files) {
        if (op === 'stream' || op === 'stream-hash') {
          const reader = f.stream().getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            if (op === 'stream-hash') await crypto.subtle.digest('SHA-256', value);
            n += value.byteLength;
          }
          continue;
        }
        if (op === 'digest') {
          const buffer = await f.slice(0, slice).arrayBuffer();
          for (let done = 0; done < f.size; done += buffer.byteLength) await digests(buffer);
          n += f.size;
          continue;
        }
        const queue = [];
        let at = 0;
        const fill = () => { while (queue.length < ahead && at < f.size) { queue.push(f.slice(at, Math.min(f.size, at + slice)).arrayBuffer()); at += slice; } };
        fill();
        while (queue.length > 0) {
          const buffer = await queue.shift();
          fill();
          if (op === 'hash') await digests(buffer);
          n += buffer.byteLength;
        }
      }
      postMessage(n);
    };`;
    const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    const runs: Array<[string, number, number, number]> = [
      ['stream', 1, 0, 0], ['stream', 2, 0, 0], ['stream-hash', 2, 0, 0], ['read', 1, 16, 2],
      ['read', 1, 4, 2], ['read', 2, 4, 2], ['read', 2, 16, 2], ['read', 2, 16, 4], ['read', 4, 16, 2],
      ['digest', 1, 4, 1], ['digest', 2, 4, 1],
      ['hash', 2, 4, 2], ['hash', 2, 16, 2], ['hash', 4, 4, 2], ['hash', 4, 16, 2],
    ];
    for (const [op, workers, mib, ahead] of runs) {
      const ws = Array.from({ length: workers }, () => new Worker(url));
      const t0 = performance.now();
      await Promise.all(ws.map((w, i) => new Promise((done) => {
        w.onmessage = done;
        w.postMessage({ files: files.filter((_, j) => j % workers === i), slice: mib << 20, op, ahead });
      })));
      const ms = performance.now() - t0;
      lines.push(`${op} ${(total / 2 ** 20).toFixed(0)} MiB in ${workers} worker(s), ${mib} MiB slices, ${ahead} ahead: ${ms.toFixed(0)} ms (${Math.round(total / 1000 / ms)} MB/s)`);
      for (const w of ws) w.terminate();
    }
    return lines;
  }, folder);
  for (const line of out) log(`  ${line}`);
}

/** Forgets every index the app stored (the quintet/kv keys 'index/…'), so the next inventory hashes everything. */
async function dropIndexes(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((done) => {
    const r = indexedDB.open('quintet');
    r.onsuccess = () => {
      const db = r.result;
      // Opening created an empty database (no app run yet): remove it, or the app's own open would find no store.
      if (!db.objectStoreNames.contains('kv')) {
        db.close();
        indexedDB.deleteDatabase('quintet').onsuccess = () => done();
        return;
      }
      const x = db.transaction('kv', 'readwrite');
      const s = x.objectStore('kv');
      const keys = s.getAllKeys();
      keys.onsuccess = () => {
        for (const k of keys.result) if (String(k).startsWith('index/')) s.delete(k);
      };
      x.oncomplete = () => done(db.close());
    };
    r.onerror = () => done();
  }));
}

interface ProfWindow {
  __quintetPicks: string[];
  __prof: { start: number; ms: number[] };
  __quintet: { session: { on(name: string, fn: (arg: unknown) => void): () => void; inventories: { stats: unknown }[] } };
  __calls: { reset(): void; report(): string[] };
}

/** A fresh local session on `folder`, then `runs` inventories (the first with no index); returns each one's ms. */
async function inventories(page: Page, url: string, folder: string, runs: number, profile: boolean): Promise<number[]> {
  await page.goto(url);
  await dropIndexes(page);
  await openLocalFresh(page, url);
  for (const [i, f] of [folder, `${folder}-empty`].entries()) {
    await page.evaluate((f) => (window as unknown as ProfWindow).__quintetPicks.push(f), f);
    await page.getByRole('button', { name: 'Add directory' }).click();
    await page.getByRole('region', { name: 'Member A' }).getByText(`A${i + 1}`, { exact: true }).waitFor();
  }
  await page.evaluate(() => {
    const w = window as unknown as ProfWindow;
    w.__prof = { start: 0, ms: [] };
    w.__quintet.session.on('phase.changed', (phase) => {
      if (phase === 'inventory') w.__prof.start = performance.now();
    });
    w.__quintet.session.on('comparison.ready', () => void w.__prof.ms.push(performance.now() - w.__prof.start));
  });
  for (let i = 1; i <= runs; i++) {
    await page.evaluate(() => (window as unknown as ProfWindow).__calls.reset());
    const step = async () => {
      await page.getByRole('button', { name: /^(Start inventory|Start inventory again)$/ }).click();
      await page.waitForFunction((n) => (window as unknown as ProfWindow).__prof.ms.length >= n, i, { timeout: 600_000, polling: 100 });
    };
    if (profile) await profiled(page, `inventory ${i}`, step, 25);
    else await step();
    const { ms, stats, calls } = await page.evaluate((n) => {
      const w = window as unknown as ProfWindow;
      return { ms: w.__prof.ms[n - 1]!, stats: w.__quintet.session.inventories[0]!.stats, calls: w.__calls.report() };
    }, i);
    log(`inventory ${i}: ${ms.toFixed(0)} ms ${JSON.stringify(stats)}`);
    if (profile) for (const line of calls) log(`  ${line}`);
  }
  return page.evaluate(() => (window as unknown as ProfWindow).__prof.ms);
}

/**
 * A against B on the same corpus, taking turns `rounds` times (the load of a shared machine moves in minutes): A is
 * the build in dist/web, B another build's web folder, swapped into dist/web for its turns. Prints each one's times.
 */
async function abRounds(page: Page, url: string, folder: string, runs: number, other: string, rounds: number): Promise<void> {
  const built = join(repo, 'dist/web');
  const aside = join(repo, 'dist/web-ab-aside');
  const times: Record<'A' | 'B', number[][]> = { A: [], B: [] };
  try {
    for (let r = 0; r < rounds; r++) {
      // Each round swaps who goes first: the load drifts within a round too.
      for (const v of r % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
        if (v === 'B') {
          await rename(built, aside);
          await rename(other, built);
        }
        try {
          times[v].push(await inventories(page, url, folder, runs, false));
          // Which build ran (its entry module's hashed name), so a turn served the wrong build shows.
          const entry = await page.evaluate(() => [...document.scripts].map((s) => s.src.replace(/^.*\//, '')).join(' '));
          log(`${v}: ${entry}, served by ${(await page.evaluate(() => navigator.serviceWorker?.controller?.scriptURL)) ?? 'no service worker'}`);
        } finally {
          if (v === 'B') {
            await rename(built, other);
            await rename(aside, built);
          }
        }
      }
    }
  } finally {
    for (const v of ['A', 'B'] as const) {
      const perRun = Array.from({ length: runs }, (_, i) => times[v].map((t) => t[i]!).sort((a, b) => a - b));
      log(`${v}: ${perRun.map((t, i) => `inventory ${i + 1} ${t.map((ms) => ms.toFixed(0)).join(', ')} ms (median ${t[Math.floor(t.length / 2)]?.toFixed(0)})`).join('; ')}`);
    }
  }
}

const port = Number(flags.port);
const url = `http://localhost:${port}/`;
if (!flags['no-build']) {
  log('vite build');
  build(repo);
}
const stop = await serve(repo, port);
// A/B turns swap builds under one origin: the app's service worker, which would serve the first build's precache to
// both (it did, before 2026-12-01: earlier "B" turns ran A's code), is kept out.
const context = await launch(join(flags.profile!), { serviceWorkers: flags.ab ? 'block' : 'allow' });
try {
  await context.addInitScript(countCalls);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => console.error('[page error]', error));
  await page.goto(url);
  const sets: Corpus[] = [];
  if (Number(flags['large-count']) > 0) sets.push(largeCorpus(Number(flags['large-count']), Number(flags['large-mib'])));
  if (Number(flags.small) > 0) sets.push(smallCorpus(Number(flags.small)));
  for (const corpus of sets) {
    await ensureCorpus(page, corpus);
    await page.evaluate(async (name) => void (await (await navigator.storage.getDirectory()).getDirectoryHandle(`${name}-empty`, { create: true })), corpus.name);
    if (!flags['no-micro']) {
      log(`${corpus.name}: platform calls alone`);
      await (corpus.name === 'bench-large' ? microLarge(page, corpus.name) : micro(page, corpus.name));
    }
    if (flags.ab) await abRounds(page, url, corpus.name, Number(flags.runs), resolve(flags.ab), Number(flags.rounds));
    else await inventories(page, url, corpus.name, Number(flags.runs), true);
  }
} finally {
  await context.close();
  stop();
}
