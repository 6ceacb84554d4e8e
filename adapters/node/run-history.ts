/**
 * The CLI's run history: one JSON file per run in `$QUINTET_HOME/runs/<id>.json`, written atomically (temp file then
 * rename), so a crash never leaves half a record and `quintet report` can read while a run writes.
 */
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { RunHistory } from '../../core/unattended/executor.ts';
import type { RunRecord } from '../../core/unattended/run-record.ts';
import { defaultStateDir } from './file-store.ts';

/** $QUINTET_HOME, else the state folder ($QUINTET_STATE_DIR, $XDG_STATE_HOME/quintet, ~/.local/state/quintet). */
export function quintetHome(env: Record<string, string | undefined> = process.env): string {
  return env.QUINTET_HOME || defaultStateDir(env);
}

/** A run id is also a file name: nothing that could climb out of the folder. */
const SAFE_ID = /^[0-9A-Za-z.\-_]+$/;

export class FileRunHistory implements RunHistory {
  readonly dir: string;
  /** Files of the folder that could not be read as a record at the last `list` (named by `quintet report`). */
  unreadable: string[] = [];

  constructor(home: string) {
    this.dir = join(home, 'runs');
  }

  async append(record: RunRecord): Promise<void> {
    if (!SAFE_ID.test(record.id)) throw new Error(`run id ${JSON.stringify(record.id)} cannot be a file name`);
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, `${record.id}.json`);
    const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`);
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  async list(limit?: number): Promise<RunRecord[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.json'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    // Ids start with the run's start time: name order is start order.
    names.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    this.unreadable = [];
    const out: RunRecord[] = [];
    for (const name of names) {
      if (limit !== undefined && out.length >= limit) break;
      const record = await this.#read(join(this.dir, name));
      if (record) out.push(record);
      else this.unreadable.push(join(this.dir, name));
    }
    return out;
  }

  async get(id: string): Promise<RunRecord | undefined> {
    if (!SAFE_ID.test(id)) return undefined;
    return this.#read(join(this.dir, `${id}.json`));
  }

  async #read(file: string): Promise<RunRecord | undefined> {
    try {
      const value = JSON.parse(await readFile(file, 'utf8')) as RunRecord;
      return typeof value === 'object' && value !== null && typeof value.id === 'string' && typeof value.status === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }
}
