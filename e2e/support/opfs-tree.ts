/** Page-side helpers for e2e: write a described tree into OPFS, read one back as path → SHA-256. */
import type { Page } from '@playwright/test';

/** A file's content: literal text, or `size` deterministic pseudo-random bytes from `seed`. */
export type FileSpec = { text: string } | { size: number; seed: number };
/** path → file spec, or null for an (empty) directory. */
export type TreeSpec = Record<string, FileSpec | null>;

export interface TreeSnapshot {
  /** path → lower-case hex SHA-256 of the content. */
  files: Record<string, string>;
  dirs: string[];
}

/** Writes `spec` under the OPFS folder `root` (created if needed). Parent directories are created as needed. */
export async function writeTree(page: Page, root: string, spec: TreeSpec): Promise<void> {
  // Sent in batches so one evaluate call never carries a huge argument.
  const entries = Object.entries(spec);
  for (let i = 0; i < entries.length; i += 500) {
    await page.evaluate(
      async ({ root, batch }) => {
        const dirs = new Map<string, FileSystemDirectoryHandle>();
        const opfs = await navigator.storage.getDirectory();
        async function dirAt(path: string): Promise<FileSystemDirectoryHandle> {
          const known = dirs.get(path);
          if (known) return known;
          let dir = await opfs.getDirectoryHandle(root, { create: true });
          let walked = '';
          for (const part of path === '' ? [] : path.split('/')) {
            walked = walked ? `${walked}/${part}` : part;
            dir = dirs.get(walked) ?? (await dir.getDirectoryHandle(part, { create: true }));
            dirs.set(walked, dir);
          }
          return dir;
        }
        // xorshift32: cheap deterministic bytes, different per seed and per chunk.
        function bytes(size: number, seed: number): Uint8Array {
          const out = new Uint8Array(size);
          let x = (seed * 2654435761) >>> 0 || 1;
          for (let i = 0; i < size; i += 4) {
            x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
            out[i] = x & 255; out[i + 1] = (x >>> 8) & 255; out[i + 2] = (x >>> 16) & 255; out[i + 3] = x >>> 24;
          }
          return out;
        }
        for (const [path, file] of batch) {
          if (file === null) {
            await dirAt(path);
            continue;
          }
          const at = path.lastIndexOf('/');
          const dir = await dirAt(at < 0 ? '' : path.slice(0, at));
          const handle = await dir.getFileHandle(at < 0 ? path : path.slice(at + 1), { create: true });
          const writable = await handle.createWritable({ keepExistingData: false });
          if ('text' in file) await writable.write(file.text);
          else {
            const CHUNK = 4 << 20;
            for (let off = 0; off < file.size; off += CHUNK) await writable.write(bytes(Math.min(CHUNK, file.size - off), file.seed * 7919 + off / CHUNK) as Uint8Array<ArrayBuffer>);
          }
          await writable.close();
        }
      },
      { root, batch: entries.slice(i, i + 500) },
    );
  }
}

/** Reads the OPFS folder `root` back: every file's SHA-256 and every directory, optionally skipping a top folder. */
export async function readTree(page: Page, root: string, options: { skip?: string } = {}): Promise<TreeSnapshot> {
  return page.evaluate(
    async ({ root, skip }) => {
      const files: Record<string, string> = {};
      const dirs: string[] = [];
      const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
      async function walk(dir: FileSystemDirectoryHandle, prefix: string): Promise<void> {
        for await (const [name, child] of dir.entries()) {
          const path = prefix ? `${prefix}/${name}` : name;
          if (path === skip) continue;
          if (child.kind === 'directory') {
            dirs.push(path);
            await walk(child as FileSystemDirectoryHandle, path);
          } else {
            const file = await (child as FileSystemFileHandle).getFile();
            files[path] = hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
          }
        }
      }
      let dir = await navigator.storage.getDirectory();
      for (const part of root.split('/')) dir = await dir.getDirectoryHandle(part);
      await walk(dir, '');
      dirs.sort();
      return { files, dirs };
    },
    { root, skip: options.skip },
  );
}

/** The folder as it is, without `.quintet/`; a read that raced with the member's own share (an entry gone mid-walk) is read again. */
export async function settledTree(page: Page, root: string): Promise<TreeSnapshot> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readTree(page, root, { skip: '.quintet' });
    } catch (e) {
      if (attempt >= 5 || !String(e).includes('NotFoundError')) throw e;
    }
  }
}

/** Deletes an OPFS path (file or directory, recursively). */
export async function removePath(page: Page, path: string): Promise<void> {
  await page.evaluate(async (path) => {
    let dir = await navigator.storage.getDirectory();
    const parts = path.split('/');
    const last = parts.pop()!;
    for (const part of parts) dir = await dir.getDirectoryHandle(part);
    await dir.removeEntry(last, { recursive: true });
  }, path);
}
