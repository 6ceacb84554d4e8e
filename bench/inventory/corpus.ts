/** The benchmark corpora (large files, many small files) and a disk writer byte-identical to e2e's OPFS writeTree. */
import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TreeSpec } from '../../e2e/support/opfs-tree.ts';

export interface Corpus {
  name: string;
  spec: TreeSpec;
  files: number;
  bytes: number;
}

function corpus(name: string, spec: TreeSpec): Corpus {
  let bytes = 0;
  for (const file of Object.values(spec)) if (file && 'size' in file) bytes += file.size;
  return { name, spec, files: Object.keys(spec).length, bytes };
}

/** `count` files of `mib` MiB each at the top of the folder. */
export function largeCorpus(count: number, mib: number): Corpus {
  const spec: TreeSpec = {};
  for (let i = 0; i < count; i++) spec[`large-${i}.bin`] = { size: mib * 1024 * 1024, seed: 101 + i };
  return corpus('bench-large', spec);
}

/** `count` files of 1–8 KiB (seeded sizes) spread over 20 folders × 10 subfolders. */
export function smallCorpus(count: number): Corpus {
  const spec: TreeSpec = {};
  let x = 0x9e3779b9;
  for (let i = 0; i < count; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    const dir = i % 200;
    const path = `g${String(Math.floor(dir / 10)).padStart(2, '0')}/d${dir % 10}/f${String(i).padStart(5, '0')}.bin`;
    spec[path] = { size: 1024 + (x % (7 * 1024 + 1)), seed: 10_000 + i };
  }
  return corpus('bench-small', spec);
}

// Same xorshift32 as writeTree in e2e/support/opfs-tree.ts (that one runs in the page and can't be imported).
function bytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 255; out[i + 1] = (x >>> 8) & 255; out[i + 2] = (x >>> 16) & 255; out[i + 3] = x >>> 24;
  }
  return out;
}

/** Writes the corpus under `root` on disk, chunk by chunk exactly as writeTree does in OPFS. Returns the file paths. */
export async function writeCorpusToDisk(root: string, c: Corpus): Promise<string[]> {
  const CHUNK = 4 << 20;
  const paths: string[] = [];
  const made = new Set<string>();
  for (const [path, file] of Object.entries(c.spec)) {
    const full = join(root, path);
    if (file === null) {
      await mkdir(full, { recursive: true });
      continue;
    }
    if (!made.has(dirname(full))) await mkdir(dirname(full), { recursive: true });
    made.add(dirname(full));
    const handle = await open(full, 'w');
    try {
      if ('text' in file) await handle.write(file.text);
      else for (let off = 0; off < file.size; off += CHUNK) await handle.write(bytes(Math.min(CHUNK, file.size - off), file.seed * 7919 + off / CHUNK));
    } finally {
      await handle.close();
    }
    paths.push(full);
  }
  return paths;
}
