/**
 * Real folders on disk for the real-disk lane: every shape a person's folder can hold, including the ones a web
 * page cannot see (links, a FIFO, names Chrome refuses), and a target that already holds other contents.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, lstatSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const NFC = 'caf\u00e9'; // "café", precomposed
export const NFD = 'cafe\u0301'; // "café", e + combining acute accent

/** Names the page never sees (absent from Chrome's directory listing): links and refused names. */
export const INVISIBLE = ['link-to-file', 'link-to-dir', 'dangling-link', 'a:b.txt', 'back\\slash.txt', 'trailing dot.'];
/** A FIFO: Chrome lists it as an empty file, so the target gets an empty regular file of that name. */
export const FIFO = 'pipe';

/** Deterministic bytes (xorshift32), so a failure can be reproduced. */
export function bytes(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed | 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function put(root: string, path: string, data: string | Buffer): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), data);
}

/** `small` small files spread over folders of 100, under `many/`. */
export function writeSmallFiles(root: string, small: number, seed = 1000): void {
  for (let i = 0; i < small; i++) {
    const dir = `many/d${String(Math.floor(i / 100)).padStart(2, '0')}`;
    put(root, `${dir}/f${String(i % 100).padStart(3, '0')}.txt`, bytes(64 + ((i * 37) % 4000), seed + i));
  }
}

/** The source folder: nested and empty folders, NFC and NFD names, links, a FIFO, refused names, small files, one 20 MB file. */
export function writeSource(root: string, options: { small: number; bigBytes: number }): void {
  mkdirSync(join(root, 'empty-dir'), { recursive: true });
  mkdirSync(join(root, 'nested/a/b/c'), { recursive: true });
  mkdirSync(join(root, 'nested/a/sibling-empty'), { recursive: true });
  put(root, 'nested/a/b/c/deep.txt', 'deep\n');
  put(root, 'empty.txt', '');
  put(root, 'docs/2024/report.txt', 'quarterly report, final\n');
  put(root, `unicode/${NFC}-nfc.txt`, 'precomposed name\n');
  put(root, `unicode/${NFD}-nfd.txt`, 'decomposed name\n');
  put(root, `unicode/${NFC}`, 'NFC twin of the next name\n');
  put(root, `unicode/${NFD}`, 'NFD twin of the previous name\n');
  put(root, 'unicode/日本語/ファイル.txt', 'こんにちは\n');
  put(root, 'conflict-shape', 'a file here, a directory on the target\n');
  put(root, 'big/large.bin', bytes(options.bigBytes, 7));
  writeSmallFiles(root, options.small);
  // What the page cannot see.
  symlinkSync('docs/2024/report.txt', join(root, 'link-to-file'));
  symlinkSync('nested', join(root, 'link-to-dir'));
  symlinkSync('nowhere/missing.txt', join(root, 'dangling-link'));
  put(root, 'a:b.txt', 'colon\n');
  put(root, 'back\\slash.txt', 'backslash\n');
  put(root, 'trailing dot.', 'trailing dot\n');
  execFileSync('mkfifo', [join(root, FIFO)]);
}

/** The target before the run: one file the same, one changed, items only here, a shape conflict, a changed large file. */
export function writeTarget(root: string, options: { bigBytes: number }): void {
  put(root, 'docs/2024/report.txt', 'quarterly report, draft\n');
  put(root, 'stale.txt', 'only on the target\n');
  put(root, 'old/notes.txt', 'old notes\n');
  mkdirSync(join(root, 'old/sub/empty-inside'), { recursive: true });
  put(root, 'conflict-shape/inside.txt', 'inside a directory that the source has as a file\n');
  put(root, `unicode/${NFC}-nfc.txt`, 'precomposed name\n');
  put(root, 'big/large.bin', bytes(options.bigBytes, 8));
  put(root, 'many/d00/f000.txt', 'an older version of a small file\n');
}

/** Every regular file and directory under `root` (links and special files skipped), path → sha256 or 'dir'. */
export function snapshot(root: string, skip?: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel))) {
      const path = rel ? `${rel}/${name}` : name;
      if (path === skip) continue;
      const st = lstatSync(join(root, path));
      if (st.isDirectory()) {
        out.set(path, 'dir');
        walk(path);
      } else if (st.isFile()) out.set(path, createHash('sha256').update(readFileSync(join(root, path))).digest('hex'));
    }
  };
  walk('');
  return out;
}
