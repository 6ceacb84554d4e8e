/**
 * App shell benchmark (on demand, not part of `npm test`): the built app's chunks and their compressed sizes, and the
 * first contentful paint of the home page on localhost in Debian's Chromium, cold (fresh profile: no HTTP cache, no
 * service worker) and warm (the service worker installed, answering from its precache), each against a one-heading
 * static page served the same way in the same run. Rewrites the "UI: App shell" section of bench/README.md.
 *
 *   npx tsx bench/ui/shell.ts [--repeat 7] [--no-build] [--no-readme] [--deadline 600]
 */
import { createServer } from 'node:http';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserContext } from '@playwright/test';
import { CHROMIUM_ARGS } from '../inventory/app.ts';
import { machineLines } from '../shared/machine.ts';
import { writeSection } from '../shared/readme-section.ts';
import { log } from '../shared/run-clock.ts';
import { median, ms, runUi, type UiRun } from './ui-run.ts';

const { values: flags } = parseArgs({
  options: {
    repeat: { type: 'string', default: '7' },
    deadline: { type: 'string', default: '600' },
    'no-build': { type: 'boolean', default: false },
    'no-readme': { type: 'boolean', default: false },
  },
});
const REPEAT = Number(flags.repeat);
const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;

/** Every built chunk (JavaScript, CSS, WebAssembly), its size raw, gzip and brotli, and whether the shell loads it. */
async function chunks(dist: string): Promise<Array<{ name: string; raw: number; gzip: number; brotli: number; shell: boolean }>> {
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  const shell = new Set([...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1]));
  const out = [];
  for (const name of (await readdir(join(dist, 'assets'))).filter((n) => /\.(js|css|wasm)$/.test(n)).sort()) {
    const bytes = await readFile(join(dist, 'assets', name));
    out.push({ name, raw: (await stat(join(dist, 'assets', name))).size, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length, shell: shell.has(name) });
  }
  return out.sort((a, b) => b.raw - a.raw);
}

/** A static page with one heading, on its own localhost server: the floor of a first paint here. */
async function staticPage(): Promise<{ url: string; close: () => void }> {
  const page = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title></head><body><h1>Quintet</h1></body></html>';
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'max-age=3600' }).end(page));
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

/** Opens `url` in `context` and returns its first contentful paint (ms from navigation start) once `ready` shows. */
async function firstPaint(context: BrowserContext, url: string, ready: string): Promise<{ fcp: number; controlled: boolean }> {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByText(ready, { exact: true }).first().waitFor();
  const out = await page.evaluate(async () => {
    // The entry is recorded once the frame is presented, which may be after the button is in the DOM.
    const fcp = await new Promise<number>((done) => {
      const timer = setTimeout(() => done(-1), 10_000);
      new PerformanceObserver((list) => {
        const entry = list.getEntriesByName('first-contentful-paint')[0];
        if (entry) {
          clearTimeout(timer);
          done(entry.startTime);
        }
      }).observe({ type: 'paint', buffered: true });
    });
    return { fcp, controlled: navigator.serviceWorker?.controller != null };
  });
  if (out.fcp < 0) throw new Error(`no first-contentful-paint entry for ${url}`);
  await page.close();
  return out;
}

async function main({ repo, url, chromium: version }: UiRun): Promise<void> {
  const dist = join(repo, 'dist/web');
  const sizes = await chunks(dist);
  const floor = await staticPage();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const cold: number[] = [];
  const warm: number[] = [];
  const floorCold: number[] = [];
  const floorWarm: number[] = [];
  try {
    for (let i = 0; i < REPEAT; i++) {
      const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'en-US' });
      cold.push((await firstPaint(context, url, 'Local synchronization')).fcp);
      // The first visit installs the service worker; once it is active, a new page of the context is its client.
      const installer = await context.newPage();
      await installer.goto(url);
      await installer.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await installer.close();
      const second = await firstPaint(context, url, 'Local synchronization');
      if (!second.controlled) throw new Error('the warm page is not controlled by the service worker');
      warm.push(second.fcp);
      await context.close();
      const plain = await browser.newContext({ viewport: { width: 1200, height: 800 } });
      floorCold.push((await firstPaint(plain, floor.url, 'Quintet')).fcp);
      floorWarm.push((await firstPaint(plain, floor.url, 'Quintet')).fcp);
      await plain.close();
      log(`round ${i + 1}: app cold ${ms(cold.at(-1)!)}, warm ${ms(warm.at(-1)!)}; static page cold ${ms(floorCold.at(-1)!)}, warm ${ms(floorWarm.at(-1)!)}`);
    }
  } finally {
    await browser.close();
    floor.close();
  }
  const total = (key: 'raw' | 'gzip' | 'brotli', shell?: boolean) => sizes.filter((s) => shell === undefined || s.shell === shell).reduce((a, s) => a + s[key], 0);
  const target = (x: number) => (x < 500 ? 'met' : '**NOT met**');
  const body = [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/ui/shell.ts\` (the production build served by \`signaling/node.ts\` on 127.0.0.1; ${REPEAT} rounds, each in a fresh browser context; viewport 1200×800).`,
    '',
    ...machineLines(`${version} (headless)`),
    '',
    '| first contentful paint of the home page | app shell (median) | static one-heading page, same server kind (median) | ratio | target < 500 ms |',
    '| --- | ---: | ---: | ---: | --- |',
    `| cold: fresh context, no HTTP cache, no service worker | ${ms(median(cold))} (${cold.map((x) => x.toFixed(0)).join(', ')}) | ${ms(median(floorCold))} | ${(median(cold) / median(floorCold)).toFixed(2)}× | ${target(median(cold))} |`,
    `| warm: the service worker answers from its precache | ${ms(median(warm))} (${warm.map((x) => x.toFixed(0)).join(', ')}) | ${ms(median(floorWarm))} (HTTP cache) | ${(median(warm) / median(floorWarm)).toFixed(2)}× | ${target(median(warm))} |`,
    '',
    '| chunk | loaded | raw | gzip -9 | brotli |',
    '| --- | --- | ---: | ---: | ---: |',
    ...sizes.map((s) => `| \`${s.name}\` | ${s.shell ? 'with the shell' : 'later (dynamic import or worker)'} | ${kB(s.raw)} | ${kB(s.gzip)} | ${kB(s.brotli)} |`),
    `| **shell total** | | ${kB(total('raw', true))} | ${kB(total('gzip', true))} | ${kB(total('brotli', true))} |`,
    `| **all chunks** | | ${kB(total('raw'))} | ${kB(total('gzip'))} | ${kB(total('brotli'))} |`,
    '',
    'Reading: the first contentful paint is the browser\'s own `first-contentful-paint` entry, taken once the home page\'s "Local synchronization" button is there: the page\'s body is empty until the app\'s script mounts, so it is the app shell painted, not a placeholder. "with the shell" are the chunks `index.html` names; the cloud page (libsodium, WebRTC) and the workers load on demand. The server sends no compression: on localhost the raw bytes cross; the compressed columns are what a compressing host would send.',
  ].join('\n');
  console.log(body);
  if (!flags['no-readme']) await writeSection(join(repo, 'bench/README.md'), 'UI: App shell', body);
}

runUi({ deadline: Number(flags.deadline), noBuild: flags['no-build'], browser: false }, main);
