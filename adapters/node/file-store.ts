/**
 * Store port on disk: one JSON file per key, written atomically (temp file then rename). A directory source's index
 * (`index/<sourceId>`, core/inventory/index-cache.ts) lives in that source's `.quintet/index.json`, beside its
 * versions, so it travels with the folder; everything else (two-way bases by profile) lives in the state directory.
 * An index the source cannot hold (read-only, full) falls back to the state directory: a lost index only costs a re-hash.
 */
import { mkdir, readFile, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Store } from '../../core/ports.ts';
import { indexKey } from '../../core/inventory/index-cache.ts';

/** Where the state directory is: QUINTET_STATE_DIR, else $XDG_STATE_HOME/quintet, else ~/.local/state/quintet. */
export function defaultStateDir(env: Record<string, string | undefined> = process.env): string {
  if (env.QUINTET_STATE_DIR) return env.QUINTET_STATE_DIR;
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'quintet');
}

/** The stored shape: the key is kept beside the value, so a file is never read as another key's. */
interface Stored {
  key: string;
  value: unknown;
}

export class FileStore implements Store {
  /** Source id → the folder whose `.quintet/index.json` holds its index. */
  readonly #indexHomes = new Map<string, string>();

  constructor(readonly stateDir: string) {}

  /** Keeps the index of `sourceId` in `<dir>/.quintet/index.json`. */
  placeIndex(sourceId: string, dir: string): void {
    this.#indexHomes.set(indexKey(sourceId), dir);
  }

  async get<T>(key: string): Promise<T | undefined> {
    for (const file of this.#files(key)) {
      const stored = await readJson(file);
      if (stored && stored.key === key) return stored.value as T;
    }
    return undefined;
  }

  async set<T>(key: string, value: T): Promise<void> {
    const [first, fallback] = this.#files(key);
    const text = JSON.stringify({ key, value } satisfies Stored);
    try {
      // A source's own folder is never made again (removed, or its disk unmounted): only its `.quintet`, beside it.
      await writeAtomic(first as string, text, fallback !== undefined);
      // A stale fallback copy must never be read instead of this one later.
      if (fallback) await unlink(fallback).catch(() => undefined);
    } catch (error) {
      if (!fallback) throw error;
      await writeAtomic(fallback, text);
    }
  }

  async del(key: string): Promise<void> {
    for (const file of this.#files(key)) await unlink(file).catch(() => undefined);
  }

  /** The keys stored in the state folder that start with `prefix` (each file names its key; unreadable ones are skipped). */
  async keys(prefix: string): Promise<string[]> {
    const names = await readdir(this.stateDir).catch(() => [] as string[]);
    const out: string[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const stored = await readJson(join(this.stateDir, name));
      if (stored && typeof stored.key === 'string' && stored.key.startsWith(prefix)) out.push(stored.key);
    }
    return out;
  }

  /** Files that may hold `key`, preferred first. */
  #files(key: string): string[] {
    const inState = join(this.stateDir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`);
    const home = this.#indexHomes.get(key);
    return home === undefined ? [inState] : [join(home, '.quintet', 'index.json'), inState];
  }
}

async function readJson(file: string): Promise<Stored | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Stored;
  } catch {
    return undefined; // absent or torn by a crash of another writer: as if empty (the index is only a cache)
  }
}

async function writeAtomic(file: string, text: string, parentOnly = false): Promise<void> {
  if (!parentOnly) await mkdir(dirname(file), { recursive: true });
  else await mkdir(dirname(file)).catch((error: { code?: string }) => (error.code === 'EEXIST' ? undefined : Promise.reject(error)));
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
