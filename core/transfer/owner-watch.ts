/** Whether a file's owner still answers the block requests we sent it (core/transfer/remote-blocks.ts). */
import type { Timers } from '../ports.ts';

/**
 * The window over which an owner must make progress while requests of ours wait there. An honest owner serves our
 * requests one after another at its link's pace, so a minute without progress means it will not: its blocks then
 * fail and the share ends, instead of waiting for ever (docs/security.md, table rows 18 and 21).
 */
export const OWNER_SILENCE_MS = 60_000;
/**
 * The progress an owner must make in each OWNER_SILENCE_MS (bytes of pieces taken into awaited blocks, and
 * OWNER_BLOCK_CREDIT per block made whole). Counting any message instead let an owner send one tiny piece (or one
 * `busy`) every 59 s and hold our share, and the run, for hours per block (table row 21). 64 KiB a minute is ~9 kbit/s:
 * far below any link a member runs on, yet an owner that stays under it never finishes a share anyway.
 */
export const OWNER_MIN_BYTES = 64 * 1024;
/** What a block made whole counts for besides its bytes: small files over a long round trip are honest progress. */
export const OWNER_BLOCK_CREDIT = 1024;

/**
 * One watch per owner with requests pending: every OWNER_SILENCE_MS it looks how much came from that owner since it
 * last looked (a counter, so a piece costs no timer); under OWNER_MIN_BYTES while something still waits: the owner is
 * taken as silent for the rest of the share. Without timers (a caller that gives none) it never fires.
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
    private readonly least = OWNER_MIN_BYTES,
  ) {}

  /** `bytes` of progress came from `peer` (a piece's bytes taken into a block we await, or OWNER_BLOCK_CREDIT). */
  heard(peer: string, bytes: number): void {
    this.#heard.set(peer, (this.#heard.get(peer) ?? 0) + bytes);
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
      if ((this.#heard.get(peer) ?? 0) - at >= this.least) return this.#arm(peer, timers);
      this.#silent.add(peer);
      this.gone(peer);
    }));
  }
}

/** Why an owner's blocks failed when its watch fired. */
export function silenceReason(): string {
  return `no answer from its owner for ${OWNER_SILENCE_MS / 1000} s (under ${OWNER_MIN_BYTES / 1024} KiB)`;
}
