/** bench/engine: core's hot paths under Node, each beside a floor measured in the same run (npm run bench:engine). */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { compareInventories } from '../../core/compare/compare.ts';
import { filterRows, parseFilter } from '../../core/compare/filter.ts';
import type { Inventory, InventoryItem } from '../../core/inventory/types.ts';
import { FrameOpener, FrameSealer } from '../../core/crypto/frame.ts';
import { sealInOrder } from '../../core/crypto/seal-pipeline.ts';
import { deriveChannelKey } from '../../core/crypto/key-schedule.ts';
import type { SubtleLike } from '../../core/crypto/subtle.ts';
import { median, writeEngineSection } from './report.ts';

const RUNS = 5;
const subtle = globalThis.crypto.subtle as unknown as SubtleLike;

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}
async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

function inventory(source: string, items: InventoryItem[]): Inventory {
  return { source, rootKind: 'directory', rootName: source, items, errors: [], takenAt: 0, stats: { files: items.length, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 } };
}

// 1. Comparison of 2 × 100k items vs the floor: building one Map of the same paths.
const N = 100_000;
const file = (path: string, hash: string): InventoryItem => ({ kind: 'file', path, size: 1, mtime: 0, blockSize: 131072, blocks: [hash], hash });
const a: InventoryItem[] = [];
const b: InventoryItem[] = [];
for (let i = 0; i < N; i++) {
  const path = `d${String(i % 100).padStart(3, '0')}/f${String(i).padStart(6, '0')}`;
  a.push(file(path, `h${i}`));
  if (i % 3) b.push(file(path, i % 7 ? `h${i}` : 'other'));
}
a.sort((x, y) => (x.path < y.path ? -1 : 1));
b.sort((x, y) => (x.path < y.path ? -1 : 1));
const invs = [inventory('A1', a), inventory('A2', b)];
const compareMs = median(Array.from({ length: RUNS }, () => time(() => compareInventories(invs))));
const mapMs = median(Array.from({ length: RUNS }, () => time(() => { const m = new Map<string, InventoryItem>(); for (const inv of invs) for (const it of inv.items) m.set(it.path, it); })));
const rows = compareInventories(invs).rows;
const filterMs = median(Array.from({ length: RUNS }, () => time(() => filterRows(rows, parseFilter('status:missing d07/')))));
const scanMs = median(Array.from({ length: RUNS }, () => time(() => rows.filter((r) => r.status === 'missing' && r.path.includes('d07/')))));

// 2. Sealed frames through the in-order pipeline vs one-core OpenSSL AES-256-GCM on the same 256 KiB frames.
const FRAMES = 256; // 64 MiB
const chunk = new Uint8Array(256 * 1024).fill(7);
const secret = { sessionKey: new Uint8Array(32).fill(7), sessionId: '482-KQT-913', epoch: 1 };
async function pipeline(): Promise<number> {
  const sealer = await FrameSealer.create(subtle, await deriveChannelKey(subtle, secret, 'a', 'b'), 1);
  const opener = await FrameOpener.create(subtle, await deriveChannelKey(subtle, secret, 'a', 'b'), 1);
  let opened = 0;
  return timeAsync(async () => {
    const pipe = sealInOrder({ sealer, depth: 8, write: async (f) => { if ((await opener.open(f)).ok) opened++; } });
    for (let i = 0; i < FRAMES; i++) await pipe.push(chunk);
    await pipe.flush();
    if (opened !== FRAMES) throw new Error(`opened ${opened} of ${FRAMES}`);
  });
}
function openssl(): number {
  const key = randomBytes(32);
  return time(() => {
    for (let i = 0; i < FRAMES; i++) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([c.update(chunk), c.final()]);
      const d = createDecipheriv('aes-256-gcm', key, iv);
      d.setAuthTag(c.getAuthTag());
      Buffer.concat([d.update(sealed), d.final()]);
    }
  });
}
const pipeMs: number[] = [];
const sslMs: number[] = [];
for (let r = 0; r < RUNS; r++) {
  pipeMs.push(await pipeline());
  sslMs.push(openssl());
}
const mib = (FRAMES * chunk.length) / 2 ** 20;
const result = {
  compareMs, mapMs, filterMs, scanMs,
  pipelineMiBs: mib / (median(pipeMs) / 1000),
  opensslMiBs: mib / (median(sslMs) / 1000),
};
console.table(result);
await writeEngineSection(result);
