/** Which sync run an owner serves blocks for, to whom, and the requests that arrive before that run's plan (bounded per peer). */
import type { BlocksGetMessage } from '../protocol/run-messages.ts';
import type { BlockServer } from './block-server.ts';

/** Requests of one peer kept until the plan of their run arrives; more are answered `busy`. */
export const HELD_PER_PEER = 32;
/** Runs remembered as over, so that their late requests are refused at once instead of held. */
const CLOSED_RUNS = 16;

export interface ServeGateOptions {
  server: BlockServer;
  /** The requester's letter (A–E): its sources are the only targets it may pull for. */
  letterOf(peer: string): string;
}

/**
 * Serves a request only during the run whose plan allowed it, and only for content that plan copies from that source
 * to a source of the requester. A request for a run that is over (stopped, its plan refused, or followed by another)
 * is refused; one for a run whose plan has not arrived yet is held, at most HELD_PER_PEER per peer.
 */
export class ServeGate {
  readonly #o: ServeGateOptions;
  #serving = '';
  #allowed: ReadonlySet<string> = new Set();
  #closed: string[] = [];
  #held = new Map<string, BlocksGetMessage[]>();

  constructor(options: ServeGateOptions) {
    this.#o = options;
  }

  /** The allowed key of a copy: its source, its content, the letter of its target's owner. */
  static key(source: string, hash: string, letter: string): string {
    return `${source}\0${hash}\0${letter}`;
  }

  /** Requests of `peer` held until their plan arrives. */
  held(peer: string): number {
    return this.#held.get(peer)?.length ?? 0;
  }

  receive(from: string, m: BlocksGetMessage): void {
    if (m.run === this.#serving) return this.#serve(from, m);
    if (this.#closed.includes(m.run)) return this.#o.server.refuse(from, m, 'refused');
    const held = this.#held.get(from) ?? [];
    if (held.length >= HELD_PER_PEER) return this.#o.server.refuse(from, m, 'busy');
    held.push(m);
    this.#held.set(from, held);
  }

  /** The plan of `run` is checked: serve what it allows (keys from `key`) and its held requests; refuse the other held ones. */
  open(run: string, allowed: ReadonlySet<string>): void {
    this.close(this.#serving);
    this.#serving = run;
    this.#allowed = allowed;
    // A later run needs a new inventory first: a request of any other run held until now is stale or made up.
    this.#release(() => true);
  }

  /**
   * `run` is over (stopped, its plan refused): its requests are refused from now on, queued and held ones included.
   * Without `run` (the session went back to waiting), the run being served is over and every held request is refused.
   */
  close(run?: string): void {
    const over = run ?? this.#serving;
    if (over !== '' && !this.#closed.includes(over)) this.#closed = [...this.#closed, over].slice(-CLOSED_RUNS);
    if (over === this.#serving) {
      this.#serving = '';
      this.#allowed = new Set();
      this.#o.server.stop();
    }
    this.#release(run === undefined ? () => true : (m) => m.run === run);
  }

  /** Answers the held requests `which` picks: served if of the run being served, else refused. */
  #release(which: (m: BlocksGetMessage) => boolean): void {
    for (const [from, held] of [...this.#held]) {
      const keep = held.filter((m) => !which(m));
      if (keep.length > 0) this.#held.set(from, keep);
      else this.#held.delete(from);
      for (const m of held) {
        if (!which(m)) continue;
        if (m.run === this.#serving) this.#serve(from, m);
        else this.#o.server.refuse(from, m, 'refused');
      }
    }
  }

  #serve(from: string, m: BlocksGetMessage): void {
    if (!this.#allowed.has(ServeGate.key(m.source, m.hash, this.#o.letterOf(from)))) return this.#o.server.refuse(from, m, 'refused');
    this.#o.server.handle(from, m);
  }
}
