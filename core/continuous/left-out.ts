/**
 * The sources rounds leave out (docs/protocol.md §12): `emptied` (a root that lists nothing where its base held files),
 * `unreadable` (a root that could not be listed) or `silent` (its member said nothing of the round for the deadline,
 * core/cloud/run/silence.ts: the round was compared without it). Every member keeps the same set (the leader from its rounds, the
 * others from its `left-out` messages) and says each change once: a round of no action sends no plan, and a plan
 * refused for it (two sources: nothing left to synchronize) never reaches the members.
 */
import type { Comparison } from '../compare/types.ts';
import type { BaseStates } from '../base/base-types.ts';
import type { Plan } from '../plan/types.ts';
import { emptiedSources, unreadRoots } from '../plan/restrict.ts';

export type LeftOutWhy = 'emptied' | 'unreadable' | 'silent';

/**
 * What a round's Two-way left out among the sources it kept (`keep`: paused members' sources are not its doing), and
 * the sources of members the round went on without (`silent`).
 */
export function leftOutOf(plan: Plan, comparison: Comparison, keep: ReadonlySet<string>, silent: readonly string[] = []): Map<string, LeftOutWhy> {
  const out = new Map<string, LeftOutWhy>(silent.map((c) => [c, 'silent']));
  for (const r of plan.refusals) if (r.reason === 'emptied' && r.path === '' && r.detail) out.set(r.detail, 'emptied');
  for (const c of unreadRoots(comparison)) if (keep.has(c)) out.set(c, 'unreadable');
  return out;
}

/**
 * What any Two-way of a round started by hand leaves out (every source takes part), and a Mirror from it is refused
 * for: known once the round is compared, before any plan, from the comparison and the leader's base.
 */
export function leftOutOfRound(comparison: Comparison, base: BaseStates | null, silent: readonly string[] = []): Map<string, LeftOutWhy> {
  const out = new Map<string, LeftOutWhy>(silent.map((c) => [c, 'silent']));
  for (const c of emptiedSources(comparison, base)) out.set(c, 'emptied');
  for (const c of unreadRoots(comparison)) out.set(c, 'unreadable');
  return out;
}

export class LeftOut {
  #now = new Map<string, LeftOutWhy>();

  get current(): ReadonlyMap<string, LeftOutWhy> {
    return this.#now;
  }

  /**
   * Takes the whole new set. `said`: each source newly left out (or for another reason) with its why, each one back
   * with null; one whose member is no longer in the session (`present`) just goes, it is not "back". `differs`: whether
   * the set changed at all (the leader then tells the members).
   */
  update(next: ReadonlyMap<string, LeftOutWhy>, present: (code: string) => boolean): { said: [string, LeftOutWhy | null][]; differs: boolean } {
    const said: [string, LeftOutWhy | null][] = [];
    for (const [code, why] of next) if (this.#now.get(code) !== why) said.push([code, why]);
    for (const code of this.#now.keys()) if (!next.has(code) && present(code)) said.push([code, null]);
    const differs = next.size !== this.#now.size || [...next].some(([c, w]) => this.#now.get(c) !== w);
    this.#now = new Map(next);
    return { said, differs };
  }

  /** The set as the wire says it (core/protocol/continuous-messages.ts `left-out`). */
  wire(): { emptied: string[]; unreadable: string[]; silent?: string[] } {
    const of = (why: LeftOutWhy) => [...this.#now].filter(([, w]) => w === why).map(([c]) => c);
    const silent = of('silent');
    return { emptied: of('emptied'), unreadable: of('unreadable'), ...(silent.length > 0 ? { silent } : {}) };
  }
}
