/**
 * OPFS helpers for bench/continuous/browser.ts: writes run in the page and return the page's wall clock once the
 * writable closed (when a watcher can first see the change); readers are self-contained functions the bench serializes
 * into polling checks.
 */
import type { Page } from '@playwright/test';
import { writeSmallFiles } from '../ui/opfs-bulk.ts';

/** Writes `text` at `path` under OPFS folder `root` (directories made); returns Date.now() once closed. */
export function writeText(page: Page, root: string, path: string, text: string): Promise<number> {
  return page.evaluate(async ({ root, path, text }) => {
    let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(root, { create: true });
    const parts = path.split('/');
    const name = parts.pop()!;
    for (const part of parts) dir = await dir.getDirectoryHandle(part, { create: true });
    const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
    await w.write(text);
    await w.close();
    return Date.now();
  }, { root, path, text });
}

/** Files `<dir>/d<NNN>/f<i>.txt` holding "idle <i>" for i in [from, to), 500 per folder, from a worker (opfs-bulk.ts). */
export function fillFiles(page: Page, root: string, dir: string, from: number, to: number): Promise<void> {
  const files: [string, string][] = [];
  for (let i = from; i < to; i++) files.push([`${dir}/d${String(Math.floor(i / 500)).padStart(3, '0')}/f${i}.txt`, `idle ${i}`]);
  return writeSmallFiles(page, root, files);
}

/**
 * `size` bytes of random content at `name` (whole file, when `at` is null), or 1 KiB of new random bytes written over
 * the file at offset `at` (the rest kept); returns Date.now() once the writable closed.
 */
export function writeBig(page: Page, root: string, name: string, size: number, at: number | null): Promise<number> {
  return page.evaluate(async ({ root, name, size, at }) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(root, { create: true });
    const handle = await dir.getFileHandle(name, { create: true });
    const random = (n: number) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
      return out;
    };
    if (at === null) {
      const w = await handle.createWritable();
      for (let done = 0; done < size; done += 8 * 2 ** 20) await w.write(random(Math.min(8 * 2 ** 20, size - done)));
      await w.close();
    } else {
      const w = await handle.createWritable({ keepExistingData: true });
      await w.seek(at);
      await w.write(random(1024));
      await w.close();
    }
    return Date.now();
  }, { root, name, size, at });
}

/** In the page: the text at `path` under OPFS folder `root`, or null. Self-contained (serialized into checks). */
export async function readText(root: string, path: string): Promise<string | null> {
  try {
    let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(root);
    const parts = path.split('/');
    const name = parts.pop()!;
    for (const part of parts) dir = await dir.getDirectoryHandle(part);
    return await (await (await dir.getFileHandle(name)).getFile()).text();
  } catch {
    return null;
  }
}

/** In the page: the size of `root/name`, or -1. Self-contained. */
export async function fileSize(root: string, name: string): Promise<number> {
  try {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(root);
    return (await (await dir.getFileHandle(name)).getFile()).size;
  } catch {
    return -1;
  }
}

/** In the page: how many files are under `root/dir` (any depth), 0 when it does not exist. Self-contained. */
export async function countFiles(root: string, dir: string): Promise<number> {
  const walk = async (d: FileSystemDirectoryHandle): Promise<number> => {
    let n = 0;
    for await (const [, h] of (d as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
      n += h.kind === 'file' ? 1 : await walk(h as FileSystemDirectoryHandle);
    }
    return n;
  };
  try {
    return await walk(await (await (await navigator.storage.getDirectory()).getDirectoryHandle(root)).getDirectoryHandle(dir));
  } catch {
    return 0;
  }
}
