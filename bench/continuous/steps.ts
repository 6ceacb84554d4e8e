/** The cost of each step of a round that grows with the folder, on the bench's real folders (median of 5, this thread). */
import { runInventory } from '../../core/inventory/inventory.ts';
import { createExcluder } from '../../core/inventory/exclusions.ts';
import { encodeInventories, decodeInventories, type SharedInventory } from '../../core/transfer/compact-inventory.ts';
import { toParts, fromBlob } from '../../core/transfer/blob-parts.ts';
import { fromB64u } from '../../core/crypto/bytes.ts';
import { compareInventories } from '../../core/compare/compare.ts';
import { presetPlan } from '../../core/plan/planner.ts';
import { BaseStore } from '../../core/base/base-store.ts';
import { DEFAULT_SETTINGS } from '../../core/settings/settings.ts';
import type { CloudMemberPorts } from '../../core/cloud/member.ts';
import type { DirSink } from '../../core/ports.ts';

async function median(f: () => unknown): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await f();
    xs.push(performance.now() - t);
  }
  return xs.sort((a, b) => a - b)[2] as number;
}

/** Markdown rows `| step | ms |` for two sources of the bench, inventoried again (indexes warm). */
export async function stepRows(ports: CloudMemberPorts, sources: [DirSink, string][]): Promise<string[]> {
  const settings = DEFAULT_SETTINGS;
  const list: SharedInventory[] = [];
  let i = 0;
  const walk = await median(async () => {
    list.length = 0;
    for (const [source, id] of sources) {
      list.push({ id, inventory: await runInventory({ source, sourceCode: `${'AB'[i % 2]}1`, sourceId: id, hasher: ports.hasher, store: ports.store, clock: ports.deps.clock, signal: { aborted: false }, checksum: false, exclude: createExcluder(settings) }) });
      i++;
    }
  });
  list.forEach((s, k) => (s.inventory.source = `${'AB'[k]}1`));
  const one = [list[1] as SharedInventory];
  const files = one[0]?.inventory.items.length ?? 0;
  let parts = await toParts(encodeInventories(one), ports.compressor);
  const encode = await median(async () => (parts = await toParts(encodeInventories(one), ports.compressor)));
  const bytes = parts.reduce((n, p) => n + (fromB64u(p.data)?.length ?? 0), 0);
  const decode = await median(async () => {
    const joined = parts.map((p) => fromB64u(p.data) as Uint8Array);
    const all = new Uint8Array(joined.reduce((n, b) => n + b.length, 0));
    joined.reduce((at, b) => (all.set(b, at), at + b.length), 0);
    decodeInventories(await fromBlob(all, ports.compressor), 'B', 0);
  });
  let comparison = compareInventories(list.map((s) => s.inventory), settings);
  const compare = await median(() => (comparison = compareInventories(list.map((s) => s.inventory), settings)));
  const store = new BaseStore(ports.store, new Map(list.map((s) => [s.inventory.source, s.id])));
  let base = await store.record(comparison, [], null);
  const planSources = list.map((s) => ({ code: s.inventory.source, rootKind: s.inventory.rootKind, name: s.inventory.rootName }));
  const plan = await median(() => presetPlan({ comparison, sources: planSources, base, now: Date.now() }, { kind: 'two-way' }));
  const load = await median(async () => (base = (await store.load()) ?? base));
  const record = await median(() => store.record(comparison, [], base));
  return [
    `| walk + index of both folders (whole, index warm) | ${Math.round(walk)} ms |`,
    `| one member's inventory (${files.toLocaleString('en')} items): encode, JSON, gzip, base64 (${parts.length} part${parts.length === 1 ? '' : 's'}, ${Math.round(bytes / 1024)} KiB) | ${Math.round(encode)} ms |`,
    `| its decoding at a receiver: base64, inflate, JSON.parse, validation | ${Math.round(decode)} ms |`,
    `| comparison of both inventories | ${Math.round(compare)} ms |`,
    `| Two-way plan (nothing to do) | ${Math.round(plan)} ms |`,
    `| base loaded from the store | ${Math.round(load)} ms |`,
    `| base recorded (computed, saved) | ${Math.round(record)} ms |`,
  ];
}
