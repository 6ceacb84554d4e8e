/**
 * A Node member's inventory of one folder after a few files changed, walked whole and walked partially (observed by
 * nodeObserver, docs/protocol.md §3.1), through OwnInventories as a Cloud Session member takes it, on the same folder
 * in the same run, alternating. On demand, not part of `npm test`:
 *
 *   TMPDIR=/mnt/jfs npx tsx bench/inventory/observed.ts [--files 20000] [--changed 10] [--runs 5]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { OwnInventories, type OwnInventory } from '../../core/cloud/run/cloud-run-inventory.ts';
import type { InventoryScope } from '../../core/cloud/cloud-session-types.ts';
import { DEFAULT_SETTINGS } from '../../core/settings/settings.ts';
import { NodeDirSink } from '../../adapters/node/node-dir-sink.ts';
import { NodeHasher } from '../../adapters/node/node-hasher.ts';
import { FileStore } from '../../adapters/node/file-store.ts';
import { nodeClock } from '../../adapters/node/cloud-deps.ts';
import { nodeObserver } from '../../adapters/node/node-observer.ts';

const { values: flags } = parseArgs({ options: { files: { type: 'string', default: '20000' }, changed: { type: 'string', default: '10' }, runs: { type: 'string', default: '5' } } });
const FILES = Number(flags.files);
const CHANGED = Number(flags.changed);
const RUNS = Number(flags.runs);
const PER_DIR = 100;

const work = await mkdtemp(join(tmpdir(), 'quintet-observed-'));
const root = join(work, 'folder');
const hasher = new NodeHasher();
try {
  for (let d = 0; d < FILES / PER_DIR; d++) {
    const dir = join(root, `d${d}`, 'sub');
    await mkdir(dir, { recursive: true });
    await Promise.all(Array.from({ length: PER_DIR }, (_, i) => writeFile(join(dir, `f${i}.txt`), `file ${d}/${i} `.repeat(40))));
  }
  const own = [{ source: await NodeDirSink.open(root), id: root }];
  const inventories = new OwnInventories(nodeObserver((s) => (s instanceof NodeDirSink ? s.root : null)), () => Date.now());
  inventories.keepOnly(own);
  const store = new FileStore(join(work, 'state'));
  const take = async (scope?: InventoryScope): Promise<{ ms: number; list: OwnInventory[] }> => {
    const t = performance.now();
    const list = await inventories.take({ own, letter: 'A', settings: DEFAULT_SETTINGS, hasher, store, clock: nodeClock, signal: { aborted: false }, onProgress: () => {} }, scope);
    return { ms: performance.now() - t, list };
  };
  let edit = 0;
  const change = async () => {
    edit++;
    for (let i = 0; i < CHANGED; i++) await writeFile(join(root, `d${(i * 37) % (FILES / PER_DIR)}`, 'sub', `f${i}.txt`), `edit ${edit} of file ${i}`);
  };
  await new Promise((r) => setTimeout(r, 100)); // the observation goes live
  const first = await take('whole'); // every file hashed once: the index knows them from now on
  console.log(`${FILES} files in ${FILES / PER_DIR} folders (${tmpdir()}), first inventory ${first.ms.toFixed(0)} ms`);
  const whole: number[] = [];
  const partial: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    for (const scope of ['whole', undefined] as const) {
      await change();
      const { ms, list } = await take(scope);
      const walk = inventories.walkOf(root);
      if (walk !== (scope ?? 'partial')) throw new Error(`expected a ${scope ?? 'partial'} walk, got ${walk}`);
      const items = list[0]?.inventory.items ?? [];
      const edited = items.filter((it) => it.kind === 'file' && it.size === `edit ${edit} of file 0`.length).length;
      if (items.filter((it) => it.kind === 'file').length !== FILES || edited < 1) throw new Error(`inventory ${run} ${walk}: ${items.length} items, ${edited} edits seen`);
      (scope ? whole : partial).push(ms);
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  console.log(`second inventory after ${CHANGED} changed files, median of ${RUNS}: whole ${median(whole).toFixed(0)} ms, partial ${median(partial).toFixed(0)} ms`);
  console.log(`  whole:   ${whole.map((m) => m.toFixed(0)).join(', ')} ms`);
  console.log(`  partial: ${partial.map((m) => m.toFixed(0)).join(', ')} ms`);
  inventories.dispose();
} finally {
  await hasher.dispose();
  await rm(work, { recursive: true, force: true });
}
