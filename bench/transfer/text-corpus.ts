/** A text corpus for the compressed-blocks bench (issue 16): logs, CSV exports and small notes, deterministic from a seed. */
import type { TreeSpec } from '../../e2e/support/opfs-tree.ts';
import type { Corpus } from '../inventory/corpus.ts';

const LEVELS = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'];
const PARTS = ['auth', 'billing', 'sync', 'gateway', 'scheduler', 'mailer', 'cache', 'search', 'upload', 'export', 'db-pool', 'metrics'];
const WORDS = (
  'request user session token invoice order payment retry timeout connected closed refused accepted queued started finished ' +
  'failed skipped record batch file folder member share block index report customer account address city amount total ' +
  'pending shipped cancelled warehouse product price quantity discount region north south east west central'
).split(' ');

/** xorshift32: the corpus is the same bytes on every run and machine. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** `bytes` of a service log: timestamps, levels, hex request ids, addresses, durations, a few words of message. */
function logFile(bytes: number, seed: number): string {
  const r = rng(seed);
  let t = Date.UTC(2026, 10, 1) + (seed % 1000) * 60_000;
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    t += r() % 900;
    const words = Array.from({ length: 2 + (r() % 6) }, () => WORDS[r() % WORDS.length]).join(' ');
    const line = `${new Date(t).toISOString()} ${LEVELS[r() % LEVELS.length]} [${PARTS[r() % PARTS.length]}] req=${r().toString(16)}${(r() % 65536).toString(16)} ` +
      `ip=10.${r() % 256}.${r() % 256}.${r() % 256} ${words} in ${r() % 5000} ms (${r() % 100_000} B)\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('').slice(0, bytes);
}

/** `bytes` of a CSV export: ids, dates, names, amounts with cents. */
function csvFile(bytes: number, seed: number): string {
  const r = rng(seed);
  const lines = ['id,date,customer,city,product,quantity,unit_price,total,status\n'];
  let size = lines[0]!.length;
  for (let id = 100_000 + seed; size < bytes; id++) {
    const qty = 1 + (r() % 40);
    const price = (r() % 100_000) / 100;
    const line = `${id},2026-${String(1 + (r() % 12)).padStart(2, '0')}-${String(1 + (r() % 28)).padStart(2, '0')},${WORDS[r() % WORDS.length]} ${WORDS[r() % WORDS.length]},` +
      `${PARTS[r() % PARTS.length]},SKU-${(r() % 1_000_000).toString(36).toUpperCase()},${qty},${price.toFixed(2)},${(qty * price).toFixed(2)},${WORDS[r() % WORDS.length]}\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('').slice(0, bytes);
}

/**
 * About `mib` MiB of text: half service logs (2 MiB files), a quarter CSV exports (2 MiB files), a quarter small
 * files of 4–76 KiB (logs and CSV alike) in 10 folders.
 */
export function textCorpus(mib: number, seed = 1): Corpus {
  const spec: TreeSpec = {};
  const big = 2 << 20;
  const logs = Math.max(1, Math.round(mib / 2 / 2));
  const csvs = Math.max(1, Math.round(mib / 4 / 2));
  for (let i = 0; i < logs; i++) spec[`logs/service-${String(i).padStart(2, '0')}.log`] = { text: logFile(big, seed * 1000 + i) };
  for (let i = 0; i < csvs; i++) spec[`exports/orders-${String(i).padStart(2, '0')}.csv`] = { text: csvFile(big, seed * 2000 + i) };
  const r = rng(seed * 3000 + 1);
  let small = 0;
  for (let i = 0; small < (mib << 20) / 4; i++) {
    const size = 4096 + (r() % (72 * 1024));
    const kind = i % 2 === 0 ? 'log' : 'csv';
    spec[`notes/d${i % 10}/n${String(i).padStart(4, '0')}.${kind}`] = { text: kind === 'log' ? logFile(size, seed * 5000 + i) : csvFile(size, seed * 5000 + i) };
    small += size;
  }
  let bytes = 0;
  for (const file of Object.values(spec)) if (file && 'text' in file) bytes += file.text.length; // ASCII: one byte a character
  return { name: 'bench-text', spec, files: Object.keys(spec).length, bytes };
}
