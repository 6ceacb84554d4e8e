/** One session: members in join order, candidates knocking, relay of opaque envelopes, admit and deny. No I/O of its own. */
import { CLOSE_REASONS, CloseCode } from '../core/protocol/close-codes.ts';
import { encodeMessage } from '../core/protocol/signal-codec.ts';
import type { ErrorCode, PeerInfo, ServerMessage } from '../core/protocol/signal-messages.ts';

/** The runtime's socket as the room needs it: text out, close with a code and reason. */
export interface Link {
  send(text: string): void;
  close(code: number, reason: string): void;
}

/** A connection inside a session. `spoke` records that a candidate sent something to a member (a PAKE attempt). */
export interface Peer {
  readonly id: string;
  readonly address: string;
  readonly link: Link;
  role: 'member' | 'candidate' | 'resuming';
  spoke: boolean;
  /** When the peer entered the room (clock ms): a candidate has `candidateDeadlineMs` from then to be admitted. */
  readonly since: number;
  /** Called once when the room closes this peer (deny, session end); the connection then cleans up. */
  kill(code: number, reason: string): void;
}

/** What the room needs from its owner. */
export interface RoomHooks {
  maxMembers: number;
  maxCandidates: number;
  maxCandidatesPerAddress: number;
  /**
   * A candidate that had spoken to this session (sent a PAKE message, so it may have had a guess answered) went away
   * without being admitted: denied, closed by itself, past its deadline or idle. Each such guess counts as a failure.
   */
  onJoinFailure(address: string): void;
  /** How long a member whose socket dropped without `leave` keeps its slot for a resume (0: no hold). */
  resumeGraceMs: number;
  now(): number;
  /** A fresh resume token (64 hex digits, from the hub's randomness). */
  newToken(): string;
  log(line: string): void;
}

/** Equal strings, compared without an early exit (a token's prefix must not be learnable from timing). */
function sameToken(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}

/** Why a connection cannot enter the room. */
export interface Refusal {
  code: number;
  reason: string;
}

function send(peer: Peer, message: ServerMessage): void {
  try {
    peer.link.send(encodeMessage(message));
  } catch {
    // A socket closing under us (Workers throws on a send after close): its close is handled on its own.
  }
}

/** A session's membership. The owner (hub) creates it with its first member and drops it when `isEmpty`. */
export class Room {
  /** Members in join order: Map iteration order is insertion order. */
  readonly members = new Map<string, Peer>();
  readonly candidates = new Map<string, Peer>();
  /** Each member's current resume token (single use: a resume replaces it). */
  readonly #tokens = new Map<string, string>();
  /** Members whose socket dropped without `leave`, kept in `members` (their place in join order) until this time. */
  readonly held = new Map<string, number>();

  constructor(readonly session: string, private readonly hooks: RoomHooks) {}

  /** True once the last member has left: the session is over. */
  get isEmpty(): boolean {
    return this.members.size === 0;
  }

  /** Members as shown to others: addresses only for members' eyes. */
  roster(withAddresses: boolean, except?: string): PeerInfo[] {
    return [...this.members.values()]
      .filter((m) => m.id !== except)
      .map((m) => (withAddresses ? { id: m.id, address: m.address } : { id: m.id }));
  }

  /** Whether a new candidate from `address` may knock now. */
  refuseCandidate(address: string): Refusal | null {
    if (this.members.size >= this.hooks.maxMembers) return { code: CloseCode.SessionFull, reason: CLOSE_REASONS.sessionFull };
    if (this.candidates.size >= this.hooks.maxCandidates) return { code: CloseCode.SessionFull, reason: CLOSE_REASONS.tooManyCandidates };
    let fromAddress = 0;
    for (const c of this.candidates.values()) if (c.address === address) fromAddress++;
    if (fromAddress >= this.hooks.maxCandidatesPerAddress) return { code: CloseCode.SessionFull, reason: CLOSE_REASONS.tooManyCandidatesFromAddress };
    return null;
  }

  /** Candidates that entered before `cutoff` (the hub closes them: their join deadline passed). */
  overdueCandidates(cutoff: number): Peer[] {
    return [...this.candidates.values()].filter((c) => c.since < cutoff);
  }

  /** Adds the creator of the session; returns its resume token. */
  addCreator(peer: Peer): string {
    peer.role = 'member';
    this.members.set(peer.id, peer);
    return this.#issue(peer.id);
  }

  /** Members here now (not held): only they are sent anything. */
  #live(): Peer[] {
    return [...this.members.values()].filter((m) => !this.held.has(m.id));
  }

  #issue(id: string): string {
    const token = this.hooks.newToken();
    this.#tokens.set(id, token);
    return token;
  }

  /** Tells a member that just arrived (admitted, resumed) which slots are held. */
  #tellHeld(peer: Peer): void {
    for (const id of this.held.keys()) if (id !== peer.id) send(peer, { type: 'away', id });
  }

  /** Whether `was` has a slot to resume (held, or still live: a reload may beat the old socket's close). */
  refuseResume(was: string): Refusal | null {
    return this.members.has(was) && this.#tokens.has(was) ? null : { code: CloseCode.NoSuchSession, reason: CLOSE_REASONS.nothingToResume };
  }

  /**
   * A `resume` on a resuming connection: with the right token it takes `was`'s slot (same place in join order, a new
   * ID: pair keys derive from IDs, so no frame counter is ever reused) and gets a new token; the others hear `back`.
   * A wrong token is refused like a wrong password (one failure for the address) and the slot stays held. Returns the
   * new token, or null when refused.
   */
  resume(peer: Peer, was: string, token: string): string | null {
    const expected = this.#tokens.get(was);
    const old = this.members.get(was);
    if (expected === undefined || !old) {
      peer.kill(CloseCode.NoSuchSession, CLOSE_REASONS.nothingToResume);
      return null;
    }
    if (!sameToken(token, expected)) {
      this.hooks.onJoinFailure(peer.address);
      this.hooks.log(`session ${this.session}: resume of ${was} refused (wrong token), failure counted`);
      peer.kill(CloseCode.JoinDenied, CLOSE_REASONS.resumeRefused);
      return null;
    }
    const order = [...this.members.entries()].map(([id, m]): [string, Peer] => (id === was ? [peer.id, peer] : [id, m]));
    this.members.clear();
    for (const [id, m] of order) this.members.set(id, m);
    this.#tokens.delete(was);
    const wasHeld = this.held.delete(was);
    // A live old socket (the reload beat its close) is let go without a `left`: its slot is taken, not vacated.
    if (!wasHeld) old.kill(CloseCode.SessionExists, CLOSE_REASONS.replaced);
    peer.role = 'member';
    this.hooks.log(`session ${this.session}: ${was} resumed as ${peer.id}`);
    return this.#issue(peer.id);
  }

  /** After the resumed member's welcome: the others hear `back`, it hears which other slots are held. */
  announceBack(peer: Peer, was: string): void {
    for (const member of this.#live()) if (member !== peer) send(member, { type: 'back', id: peer.id, was, address: peer.address });
    this.#tellHeld(peer);
  }

  /** Releases held slots whose grace passed, as departures. */
  expire(now: number): void {
    for (const [id, until] of [...this.held]) {
      if (until > now) continue;
      const peer = this.members.get(id);
      this.hooks.log(`session ${this.session}: ${id} did not come back in time`);
      if (peer) this.#depart(peer);
    }
  }

  /** Adds a candidate (after `refuseCandidate` said yes) and tells the members. */
  addCandidate(peer: Peer): void {
    peer.role = 'candidate';
    this.candidates.set(peer.id, peer);
    // Live members only: a held member's socket is closed (a send there was lost on Node and threw on Workers).
    for (const member of this.#live()) send(member, { type: 'candidate', id: peer.id, address: peer.address });
  }

  /** Relays an opaque body. Members reach everyone in the session; candidates reach members only. */
  relay(from: Peer, to: string, body: string): void {
    if (from.role === 'resuming') return this.error(from, 'not-a-member');
    const target = this.members.get(to) ?? (from.role === 'member' ? this.candidates.get(to) : undefined);
    if (!target || target === from || this.held.has(to)) return this.error(from, 'no-such-peer', to);
    if (from.role === 'candidate') from.spoke = true;
    send(target, { type: 'envelope', from: from.id, body });
  }

  /** A member lets a candidate in. */
  admit(by: Peer, candidateId: string): void {
    if (by.role !== 'member') return this.error(by, 'not-a-member');
    const candidate = this.candidates.get(candidateId);
    if (!candidate) return this.error(by, 'not-a-candidate', candidateId);
    if (this.members.size >= this.hooks.maxMembers) {
      this.error(by, 'session-full', candidateId);
      candidate.spoke = false; // it proved the password; the session being full is not a guess to charge
      return candidate.kill(CloseCode.SessionFull, CLOSE_REASONS.sessionFull);
    }
    this.candidates.delete(candidateId);
    const others = this.roster(true);
    candidate.role = 'member';
    this.members.set(candidate.id, candidate);
    send(candidate, { type: 'admitted', members: others, resume: this.#issue(candidate.id) });
    this.#tellHeld(candidate);
    for (const peer of this.#live()) if (peer !== candidate) send(peer, { type: 'joined', id: candidate.id, address: candidate.address });
    this.hooks.log(`session ${this.session}: ${candidate.id} admitted by ${by.id} (${this.members.size} members)`);
  }

  /**
   * A member reports a failed PAKE. The candidate is closed either way; its address is charged a failure (in
   * `remove`) only if it actually sent something to this session, so a member cannot get an arbitrary address blocked.
   */
  deny(by: Peer, candidateId: string): void {
    if (by.role !== 'member') return this.error(by, 'not-a-member');
    const candidate = this.candidates.get(candidateId);
    if (!candidate) return this.error(by, 'not-a-candidate', candidateId);
    this.hooks.log(`session ${this.session}: ${candidate.id} denied by ${by.id}`);
    candidate.kill(CloseCode.JoinDenied, CLOSE_REASONS.joinDenied);
  }

  /**
   * Takes a peer out and tells those who knew it. When the last member goes, waiting candidates are sent away. `hold`:
   * the member's socket dropped without `leave`, so its slot waits `resumeGraceMs` for a resume and the others hear
   * `away`, not `left`.
   */
  remove(peer: Peer, hold = false): void {
    if (this.members.get(peer.id) === peer) {
      if (hold && this.hooks.resumeGraceMs > 0 && !this.held.has(peer.id)) {
        this.held.set(peer.id, this.hooks.now() + this.hooks.resumeGraceMs);
        for (const other of this.#live()) send(other, { type: 'away', id: peer.id });
        this.hooks.log(`session ${this.session}: ${peer.id} away, slot held ${this.hooks.resumeGraceMs} ms`);
        return;
      }
      this.#depart(peer);
    } else if (this.candidates.get(peer.id) === peer) {
      this.candidates.delete(peer.id);
      // However it went (denied, closed, deadline, idle), a candidate that spoke and was not admitted spent a guess.
      // Not when the session ended under it: that was no doing of the candidate.
      if (peer.spoke && !this.isEmpty) {
        this.hooks.onJoinFailure(peer.address);
        this.hooks.log(`session ${this.session}: candidate ${peer.id} left unadmitted after speaking, failure counted`);
      }
      for (const member of this.#live()) send(member, { type: 'left', id: peer.id });
    }
  }

  #depart(peer: Peer): void {
    this.members.delete(peer.id);
    this.held.delete(peer.id);
    this.#tokens.delete(peer.id);
    for (const other of [...this.#live(), ...this.candidates.values()]) send(other, { type: 'left', id: peer.id });
    if (this.isEmpty) for (const candidate of [...this.candidates.values()]) candidate.kill(CloseCode.NoSuchSession, CLOSE_REASONS.sessionEnded);
  }

  private error(peer: Peer, code: ErrorCode, ref?: string): void {
    send(peer, ref === undefined ? { type: 'error', code } : { type: 'error', code, ref });
  }
}
