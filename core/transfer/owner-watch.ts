/** Whether a file's owner still answers the block requests we sent it (core/transfer/remote-blocks.ts). */
import type { Timers } from '../ports.ts';

/**
 * How long an owner may say nothing (no piece, no `blocks-error`) while requests of ours wait there. An honest owner
 * serves our requests one after another at its link's pace (or answers `busy`), so a minute of silence means it
 * will not: its blocks then fail and the share ends, instead of waiting for ever (docs/security.md, table row 18).
 */
export const OWNER_SILENCE_MS = 60_000;

/**
 * One watch per owner with requests pending: every OWNER_SILENCE_MS it looks whether anything came from that owner
 * since it last looked (a counter, so a piece costs no timer); nothing came and something still waits: the owner is
 * silent for the rest of the share. Without timers (a caller that gives none) it never fires.
 */
export class OwnerWatch {
  readonly #heard = new Map<string, number>();
  readonly #armed = new Map<string, () => void>();
  readonly #silent = new Set<string>();

  constructor(
    private readonly timers: Timers | undefined,
    /** Whether requests to `peer` still wait for an answer. */
    private readonly awaiting: (peer: string) => boolean,
    /** `peer` said nothing for the deadline with requests waiting: fail them. */
    private readonly gone: (peer: string) => void,
    private readonly ms = OWNER_SILENCE_MS,
  ) {}

  /** A piece or an answer of a request of ours came from `peer`. */
  heard(peer: string): void {
    this.#heard.set(peer, (this.#heard.get(peer) ?? 0) + 1);
  }

  /** A request goes to `peer`: watched from now on, if it is not already. */
  asked(peer: string): void {
    if (this.timers && !this.#armed.has(peer)) this.#arm(peer, this.timers);
  }

  /** Nothing of ours waits at `peer` any more: no timer stays behind (a CLI's process must be free to exit). */
  idle(peer: string): void {
    this.#armed.get(peer)?.();
    this.#armed.delete(peer);
  }

  /** Whether `peer` was found silent: what is asked of it now fails at once. */
  silent(peer: string): boolean {
    return this.#silent.has(peer);
  }

  #arm(peer: string, timers: Timers): void {
    const at = this.#heard.get(peer) ?? 0;
    this.#armed.set(peer, timers.after(this.ms, () => {
      this.#armed.delete(peer);
      if (!this.awaiting(peer)) return;
      if ((this.#heard.get(peer) ?? 0) !== at) return this.#arm(peer, timers);
      this.#silent.add(peer);
      this.gone(peer);
    }));
  }
}
