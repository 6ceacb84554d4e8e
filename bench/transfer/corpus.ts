/** The transfer corpus: ~1 GiB mixed (a few large files, some medium ones, thousands of small ones), deterministic bytes. */
import type { TreeSpec } from '../../e2e/support/opfs-tree.ts';
import type { Corpus } from '../inventory/corpus.ts';

export interface MixedOptions {
  /** Large files at the top (default 3 × 256 MiB). */
  large: number;
  largeMiB: number;
  /** Medium files of 8 MiB (default 16). */
  medium: number;
  /** Small files of 1–64 KiB (seeded sizes) spread over 40 folders (default 4,000). */
  small: number;
}

export const DEFAULT_MIXED: MixedOptions = { large: 3, largeMiB: 256, medium: 16, small: 4000 };

/** About 1 GiB with the defaults: 768 MiB large + 128 MiB medium + ~127 MiB small. */
export function mixedCorpus(o: MixedOptions = DEFAULT_MIXED): Corpus {
  const spec: TreeSpec = {};
  for (let i = 0; i < o.large; i++) spec[`large/large-${i}.bin`] = { size: o.largeMiB << 20, seed: 301 + i };
  for (let i = 0; i < o.medium; i++) spec[`medium/m${String(i).padStart(2, '0')}.bin`] = { size: 8 << 20, seed: 401 + i };
  let x = 0x2545f491;
  for (let i = 0; i < o.small; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    const dir = i % 40;
    const path = `small/s${String(Math.floor(dir / 8))}/d${dir % 8}/f${String(i).padStart(5, '0')}.dat`;
    spec[path] = { size: 1024 + (x % (63 * 1024 + 1)), seed: 20_000 + i };
  }
  let bytes = 0;
  for (const file of Object.values(spec)) if (file && 'size' in file) bytes += file.size;
  return { name: 'bench-transfer', spec, files: Object.keys(spec).length, bytes };
}
