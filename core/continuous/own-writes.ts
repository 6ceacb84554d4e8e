/** The paths a member's own share of a round writes, so that its watcher's echo of them is not taken for a user's change. */
import type { FileStat } from '../ports.ts';
import type { Action } from '../plan/types.ts';

/** How long after its share ends a member still takes a watcher event on a path it wrote for its own echo. */
export const ECHO_MS = 2000;
/** Files whose state is kept at the share's end to tell a late echo from a user's edit; past this, the window decides. */
export const CHECKED_MAX = 2000;

/** What the share left at a path: a file's size and time after its end, or nothing (it deleted the path). */
type Left = { size: number; mtime: number } | null;

/** How an event on a path stands against the share: not its, its echo, or to be checked against what it left. */
export type EchoVerdict = 'user' | 'echo' | 'check';

/** Reads what stands at `path` of own source `index` now: its stat, or null when nothing is there. */
export type StatOf = (index: number, path: string) => Promise<FileStat | null>;

export class OwnWrites {
  /** Own source index → path the share writes or deletes there → the size a copy writes (null: a delete). */
  #paths = new Map<number, Map<string, number | null>>();
  /** Own source index → path → what the share left there, read once it ended (at most CHECKED_MAX paths). */
  #left = new Map<number, Map<string, Left>>();
  #until = -Infinity;

  /** A share starts: `actions` of the resolved plan, of which those on `letter`'s folders are this member's. */
  start(actions: readonly (Action | null)[], letter: string): void {
    this.#paths.clear();
    this.#left.clear();
    for (const a of actions) {
      if (!a || a.target[0] !== letter) continue;
      const i = Number(a.target.slice(1)) - 1;
      const map = this.#paths.get(i) ?? this.#paths.set(i, new Map()).get(i)!;
      if (a.type === 'copy') map.set(a.targetPath, a.size);
      else map.set(a.path, a.type === 'delete' ? null : -1);
    }
    this.#until = Infinity;
  }

  /**
   * The share ended at `now`: echoes still arriving within ECHO_MS are recognised. With `statOf`, reads what the share
   * left at each path it wrote or deleted and resolves with those that are not what it wrote (a file of another size,
   * a deleted path back): a user's edit made while the share ran, which its echo window would otherwise hide.
   */
  async end(now: number, statOf?: StatOf): Promise<[index: number, path: string][]> {
    if (this.#until !== Infinity) return [];
    this.#until = now + ECHO_MS;
    if (!statOf) return [];
    const changed: [number, string][] = [];
    let budget = CHECKED_MAX;
    for (const [index, paths] of this.#paths) {
      const left = this.#left.get(index) ?? this.#left.set(index, new Map()).get(index)!;
      for (const [path, size] of paths) {
        if (size === -1 || budget-- <= 0) continue;
        const stat = await statOf(index, path);
        left.set(path, stat && { size: stat.size, mtime: stat.mtime });
        if ((size === null) !== (stat === null) || (stat && stat.size !== size)) changed.push([index, path]);
      }
    }
    return changed;
  }

  /**
   * Whether an event on `path` of own source `index` at `now` is the echo of this member's own writes: the path
   * written, a directory above it (its listing changed), or something under a path the share deleted or replaced.
   * 'check': a path the share wrote whose state after the share is known: `stillLeft` tells echo from edit.
   */
  verdict(index: number, path: string, now: number): EchoVerdict {
    if (now > this.#until) return 'user';
    const paths = this.#paths.get(index);
    if (!paths) return 'user';
    if (paths.has(path)) return this.#left.get(index)?.has(path) ? 'check' : 'echo';
    for (const p of paths.keys()) if (p.startsWith(`${path}/`) || path === '' || path.startsWith(`${p}/`)) return 'echo';
    return 'user';
  }

  /** Whether `path` still holds what the share left there (same size and time, or still nothing): then an event is its echo. */
  async stillLeft(index: number, path: string, statOf: StatOf): Promise<boolean> {
    const left = this.#left.get(index)?.get(path);
    if (left === undefined) return true;
    const now = await statOf(index, path);
    return left === null ? now === null : now !== null && now.size === left.size && now.mtime === left.mtime;
  }
}
