/** A SourceObserver driven by the test: it says when an observation is live, what changed, and when it is lost. */
import type { DirSource, ObserveHandlers, SourceObserver } from '../ports.ts';

export class ManualObserver implements SourceObserver {
  /** Observations in the order started; `stopped` once their stop function ran. */
  readonly started: { source: DirSource; handlers: ObserveHandlers; stopped: boolean }[] = [];
  /** Sources this observer refuses (observe returns null), as a platform that cannot observe them. */
  readonly refused = new Set<DirSource>();
  /** Times an inventory waited on `settle`; what `late` holds is delivered then (a record that arrives after its change). */
  settles = 0;
  readonly late: (() => void)[] = [];

  async settle(): Promise<void> {
    this.settles++;
    for (const deliver of this.late.splice(0)) deliver();
  }

  observe(source: DirSource, handlers: ObserveHandlers): (() => void) | null {
    if (this.refused.has(source)) return null;
    const entry = { source, handlers, stopped: false };
    this.started.push(entry);
    return () => void (entry.stopped = true);
  }

  /** The running observations of `source` (normally one). */
  #running(source: DirSource) {
    return this.started.filter((e) => e.source === source && !e.stopped);
  }

  live(source: DirSource): void {
    for (const e of this.#running(source)) e.handlers.onLive();
  }

  changed(source: DirSource, path: string): void {
    for (const e of this.#running(source)) e.handlers.onEvent({ kind: 'changed', path });
  }

  unknown(source: DirSource): void {
    for (const e of this.#running(source)) e.handlers.onEvent({ kind: 'unknown' });
  }

  lose(source: DirSource): void {
    for (const e of this.#running(source)) {
      e.stopped = true;
      e.handlers.onLost();
    }
  }
}
