/** The mixed corpus of issue 2: nested and empty directories, empty files, NFC and NFD names, one large file, many small ones. */
import type { TreeSpec } from './opfs-tree.ts';

const NFC = 'caf\u00e9'; // "café", precomposed
const NFD = 'cafe\u0301'; // "café", e + combining acute accent

/** Source tree: `bigMiB` of one large file and `small` small files, plus every tricky shape. */
export function sourceCorpus(options: { bigMiB: number; small: number }): TreeSpec {
  const spec: TreeSpec = {
    'empty-dir': null,
    'nested/a/b/c': null,
    'nested/a/b/c/deep.txt': { text: 'deep\n' },
    'nested/a/sibling-empty': null,
    'empty.txt': { text: '' },
    'docs/zero.bin': { text: '' },
    'docs/2024/report.txt': { text: 'quarterly report, final\n' },
    [`unicode/${NFC}-nfc.txt`]: { text: 'precomposed name\n' },
    [`unicode/${NFD}-nfd.txt`]: { text: 'decomposed name\n' },
    'unicode/日本語/ファイル.txt': { text: 'こんにちは\n' },
    'unicode/emoji 🎵/song.txt': { text: 'la la\n' },
    'conflict-shape': { text: 'a file here, a directory on the target\n' },
    'big/large.bin': { size: options.bigMiB * 1024 * 1024, seed: 1 },
  };
  for (let i = 0; i < options.small; i++) {
    const dir = `many/d${String(Math.floor(i / 100)).padStart(2, '0')}`;
    spec[`${dir}/f${String(i % 100).padStart(3, '0')}.txt`] = { size: 64 + ((i * 37) % 4000), seed: 1000 + i };
  }
  return spec;
}

/** Target tree before the run: some files identical, some different, some only here, one shape conflict. */
export function targetCorpus(options: { bigMiB: number; small: number }): TreeSpec {
  const spec: TreeSpec = {
    'docs/2024/report.txt': { text: 'quarterly report, draft\n' },
    'stale.txt': { text: 'only on the target\n' },
    'old/notes.txt': { text: 'old notes\n' },
    'old/sub/empty-inside': null,
    'conflict-shape/inside.txt': { text: 'inside a directory that the source has as a file\n' },
    'big/large.bin': { size: options.bigMiB * 1024 * 1024, seed: 2 },
    [`unicode/${NFC}-nfc.txt`]: { text: 'precomposed name\n' },
  };
  // Half of the small files already there and identical; a few of them changed.
  for (let i = 0; i < options.small; i += 2) {
    const dir = `many/d${String(Math.floor(i / 100)).padStart(2, '0')}`;
    spec[`${dir}/f${String(i % 100).padStart(3, '0')}.txt`] = { size: 64 + ((i * 37) % 4000), seed: i % 50 === 0 ? 9 : 1000 + i };
  }
  return spec;
}
