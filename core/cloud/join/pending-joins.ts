/** Peers the server says joined but the leader has not announced over the sealed mesh yet: held, bounded, until it does. */

/** At most this many unannounced peers are remembered (a session has at most 4 others). */
export const MAX_PENDING_PEERS = 4;
/** At most this many signaling envelopes (SDP, ICE) are held per unannounced peer. */
export const MAX_HELD_ENVELOPES = 64;

/**
 * The server's `joined` is not enough to become a member: the leader who validated the newcomer announces it to
 * everyone (`roster` mesh message). Until then its address and the envelopes it sends (its offer usually arrives
 * first, the two paths race) wait here; a peer no member ever announces never gets a channel.
 */
export class PendingJoins {
  readonly #peers = new Map<string, { address: string; held: string[] }>();

  /** The server says `id` joined from `address`; false when too many are pending already (ignored). */
  joined(id: string, address: string): boolean {
    const peer = this.#peers.get(id);
    if (peer) return ((peer.address = address), true);
    if (this.#peers.size >= MAX_PENDING_PEERS) return false;
    this.#peers.set(id, { address, held: [] });
    return true;
  }

  /** An envelope from a peer that is not a member: held if the server said it joined, refused otherwise. */
  hold(id: string, body: string): 'held' | 'overflow' | 'stranger' {
    const peer = this.#peers.get(id);
    if (!peer) return 'stranger';
    if (peer.held.length >= MAX_HELD_ENVELOPES) return 'overflow';
    peer.held.push(body);
    return 'held';
  }

  /** The leader announced `id`: what the server said of it (address, held envelopes), now released. */
  take(id: string): { address: string; held: string[] } | undefined {
    const peer = this.#peers.get(id);
    this.#peers.delete(id);
    return peer;
  }

  /** The peer left before anyone announced it; true when it was pending (it never became a member). */
  drop(id: string): boolean {
    return this.#peers.delete(id);
  }

  /** Envelopes held right now, all peers together (a bound the tests assert). */
  get heldCount(): number {
    let n = 0;
    for (const p of this.#peers.values()) n += p.held.length;
    return n;
  }
}
