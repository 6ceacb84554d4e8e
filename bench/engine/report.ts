/** bench/engine's report: the median helper and the "## Engine" section of bench/README.md. */
import { fileURLToPath } from 'node:url';
import { machineLines } from '../shared/machine.ts';
import { writeSection } from '../shared/readme-section.ts';

/** The median of a list of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

interface Result {
  compareMs: number;
  mapMs: number;
  filterMs: number;
  scanMs: number;
  pipelineMiBs: number;
  opensslMiBs: number;
}

/** Rewrites the "## Engine" section of bench/README.md. */
export async function writeEngineSection(r: Result): Promise<void> {
  const body = [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:engine\`; medians of 5 runs, each line beside its floor from the same run.`,
    '',
    ...machineLines('OpenSSL through node:crypto'),
    '',
    '| what | Quintet | floor in the same run | ratio |',
    '|---|---:|---:|---:|',
    `| compare 2 × 100,000 items | ${r.compareMs.toFixed(0)} ms | one Map of the same paths: ${r.mapMs.toFixed(0)} ms | ${(r.compareMs / r.mapMs).toFixed(1)}× |`,
    `| filter 100,000 rows (\`status:missing d07/\`) | ${r.filterMs.toFixed(1)} ms | hand-written Array.filter: ${r.scanMs.toFixed(1)} ms | ${(r.filterMs / r.scanMs).toFixed(1)}× |`,
    `| seal + open 64 MiB in 256 KiB frames (WebCrypto, 8 in flight) | ${r.pipelineMiBs.toFixed(0)} MiB/s | one-core OpenSSL AES-256-GCM seal + open: ${r.opensslMiBs.toFixed(0)} MiB/s | ${(r.pipelineMiBs / r.opensslMiBs).toFixed(2)}× |`,
    '',
    "Node's WebCrypto is OpenSSL underneath; in Chromium the frame pipeline is measured end to end by `bench:transfer`.",
  ].join('\n');
  await writeSection(fileURLToPath(new URL('../README.md', import.meta.url)), 'Engine', body);
}
