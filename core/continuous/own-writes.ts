/** The paths a member's own share of a round writes, so that its watcher's echo of them is not taken for a user's change. */
import type { Action } from '../plan/types.ts';

/** How long after its share ends a member still takes a watcher event on a path it wrote for its own echo. */
export const ECHO_MS = 2000;

export class OwnWrites {
  /** Own source index → paths the share writes or deletes there. */
  #paths = new Map<number, Set<string>>();
  #until = -Infinity;

  /** A share starts: `actions` of the resolved plan, of which those on `letter`'s folders are this member's. */
  start(actions: readonly (Action | null)[], letter: string): void {
    this.#paths.clear();
    for (const a of actions) {
      if (!a || a.target[0] !== letter) continue;
      const i = Number(a.target.slice(1)) - 1;
      const set = this.#paths.get(i) ?? this.#paths.set(i, new Set()).get(i)!;
      set.add(a.type === 'copy' ? a.targetPath : a.path);
    }
    this.#until = Infinity;
  }

  /** The share ended at `now`: echoes still arriving within ECHO_MS are recognised. */
  end(now: number): void {
    if (this.#until === Infinity) this.#until = now + ECHO_MS;
  }

  /**
   * Whether an event on `path` of own source `index` at `now` is the echo of this member's own writes: the path
   * written, a directory above it (its listing changed), or something under a path the share deleted or replaced.
   * A user's edit of that very path in that window waits for the next round (a reconciliation at the latest).
   */
  isEcho(index: number, path: string, now: number): boolean {
    if (now > this.#until) return false;
    const paths = this.#paths.get(index);
    if (!paths) return false;
    if (paths.has(path)) return true;
    for (const p of paths) if (p.startsWith(`${path}/`) || path === '' || path.startsWith(`${p}/`)) return true;
    return false;
  }
}
