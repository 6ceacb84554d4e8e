/** Where a continuous round's time goes: timestamps of each member's run events, one set per edit, medians per phase. */
import type { CloudMember } from '../../core/cloud/member.ts';

type Marks = Record<string, number>;

/** Phases of a round after an edit on A's folder, each from one mark to the next (A leads; B receives). */
const PHASES: [label: string, from: string, to: string][] = [
  ['write → A\'s watcher (loop quiet)', 'write', 'quiet'],
  ['quiet time (debounce)', 'quiet', 'round'],
  ['round → start-inventory on B', 'round', 'B.inventory'],
  ['B: walk + hash (partial)', 'B.inventory', 'B.walked'],
  ['B: inventory encoded, gzipped, sent', 'B.walked', 'B.sharing'],
  ['A: walk + hash (partial)', 'A.inventory', 'A.walked'],
  ['A: inventory encoded, gzipped, sent', 'A.walked', 'A.sharing'],
  ['A: others\' inventories in, decoded, compared, base loaded', 'A.sharing', 'A.compared'],
  ['A: Two-way plan, plan-parts, start-sync; B resolves it', 'A.compared', 'B.plan'],
  ['B: its share until the file is in place (pull, write, verify), seen by the bench', 'B.plan', 'visible'],
  ['whole: write → visible', 'write', 'visible'],
];

export class RoundMarks {
  #current: Marks | null = null;
  readonly #all: Marks[] = [];

  constructor(members: Record<'A' | 'B', CloudMember>) {
    const leader = members.A;
    leader.continuous.on('changed', () => {
      const s = leader.continuous.loopState;
      if (s === 'quiet') this.mark('quiet');
      if (s === 'running') this.mark('round');
    });
    for (const [who, m] of Object.entries(members)) {
      m.run.on('state.changed', (s) => this.mark(`${who}.${s}`));
      m.run.on('progress', (member, p) => void (member === m.session.self && p.stage === 'inventory' && p.done && this.mark(`${who}.walked`)));
      m.run.on('plan', () => this.mark(`${who}.plan`));
    }
  }

  /** The first time `name` happens in the current edit's round. */
  mark(name: string): void {
    if (this.#current && this.#current[name] === undefined) this.#current[name] = performance.now();
  }

  start(): void {
    this.#current = { write: performance.now() };
  }
  end(): void {
    this.mark('visible');
    if (this.#current) this.#all.push(this.#current);
    this.#current = null;
  }

  /** Markdown rows: each phase's median over the edits where both its marks happened. */
  rows(): string[] {
    return PHASES.map(([label, from, to]) => {
      const xs = this.#all.flatMap((m) => (m[from] !== undefined && m[to] !== undefined ? [m[to] - m[from]] : [])).sort((a, b) => a - b);
      const med = xs.length ? xs[Math.floor(xs.length / 2)] as number : NaN;
      return `| ${label} | ${Number.isNaN(med) ? '—' : `${Math.round(med)} ms`} | ${xs.length} |`;
    });
  }
}
