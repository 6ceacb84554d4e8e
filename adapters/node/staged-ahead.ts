/**
 * Staged files created ahead in libuv's pool while a run writes many files into one staging folder: creating a file is
 * the dearest call of a small file's copy (tens of µs on an idle disk, up to milliseconds while other work fills the
 * file system's journal), and made here it runs on another core instead of holding the engine's thread.
 */
import { closeSync, fstatSync, open, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Staged files kept created ahead per folder. */
const AHEAD = 8;
/** Files created in one folder, each within BULK_GAP_MS of the last, before creating ahead starts: a run, not a file. */
const BULK_AFTER = 8;
const BULK_GAP_MS = 20;
/** Unused files are removed once no file was taken for this long (the run is over or paused). */
const IDLE_MS = 50;

interface Ahead {
  path: string;
  fd: number;
}

interface Folder {
  /** Every staged path of the process (staged-file.ts `stagedNow`): an exit removes the ones never used. */
  registry: Set<string>;
  /** A fresh staged file name. */
  name: () => string;
  ready: Ahead[];
  creating: number;
  /** Files taken in a row, each soon after the last. */
  streak: number;
  last: number;
  idle: ReturnType<typeof setTimeout> | null;
}

const folders = new Map<string, Folder>();

/**
 * A staged file created ahead in `dir`, opened for writing (exclusive create, as `openSync(path, 'wx')`), or null when
 * none is ready (the caller creates one itself, then calls `noteCreated`).
 */
export function takeAhead(dir: string): Ahead | null {
  const folder = folders.get(dir);
  const ahead = folder?.ready.shift() ?? null;
  if (!folder || !ahead) return null;
  if (unlinked(ahead.fd)) {
    // The staging folder was removed under the run: these files have no name left to rename. Start again.
    drop(ahead, folder.registry);
    release(dir);
    return null;
  }
  created(dir, folder);
  return ahead;
}

/** Whether the file open as `fd` lost its last name. */
function unlinked(fd: number): boolean {
  try {
    return fstatSync(fd).nlink === 0;
  } catch {
    return true;
  }
}

/** After the caller created a staged file in `dir` itself: counts it towards a bulk run, and creates ahead in one. */
export function noteCreated(dir: string, registry: Set<string>, name: () => string): void {
  let folder = folders.get(dir);
  if (!folder) folders.set(dir, (folder = { registry, name, ready: [], creating: 0, streak: 0, last: 0, idle: null }));
  created(dir, folder);
}

function created(dir: string, folder: Folder): void {
  const now = performance.now();
  folder.streak = now - folder.last <= BULK_GAP_MS ? folder.streak + 1 : 1;
  folder.last = now;
  if (!folder.idle) idleCheck(dir, folder, IDLE_MS);
  if (folder.streak < BULK_AFTER) return;
  const { registry, name } = folder;
  while (folder.ready.length + folder.creating < AHEAD) {
    const path = join(dir, name());
    folder.creating++;
    registry.add(path);
    open(path, 'wx', (error, fd) => {
      folder.creating--;
      if (error) return void registry.delete(path); // the folder went away, say: the caller creates its own
      if (folders.get(dir) === folder && folder.idle) folder.ready.push({ path, fd });
      else drop({ path, fd }, registry);
    });
  }
}

/** One timer per folder (not one per file): when it fires, the folder is released unless a file was taken meanwhile. */
function idleCheck(dir: string, folder: Folder, ms: number): void {
  folder.idle = setTimeout(() => {
    const quiet = performance.now() - folder.last;
    if (quiet >= IDLE_MS) release(dir);
    else idleCheck(dir, folder, IDLE_MS - quiet);
  }, ms);
  folder.idle.unref();
}

/** Closes and removes every file created ahead in `dir` and not taken (also those still being created, as they land). */
export function release(dir: string): void {
  const folder = folders.get(dir);
  if (!folder) return;
  folders.delete(dir);
  if (folder.idle) clearTimeout(folder.idle);
  folder.idle = null;
  for (const ahead of folder.ready.splice(0)) drop(ahead, folder.registry);
}

/** Releases every folder (the end of a run). */
export function releaseAll(): void {
  for (const dir of [...folders.keys()]) release(dir);
}

function drop(ahead: Ahead, registry: Set<string>): void {
  try {
    closeSync(ahead.fd);
  } catch {
    // already closed
  }
  try {
    unlinkSync(ahead.path);
  } catch {
    // already gone
  }
  registry.delete(ahead.path);
}
