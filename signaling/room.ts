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
  role: 'member' | 'candidate';
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
  log(line: string): void;
}

/** Why a connection cannot enter the room. */
export interface Refusal {
  code: number;
  reason: string;
}

function send(peer: Peer, message: ServerMessage): void {
  peer.link.send(encodeMessage(message));
}

/** A session's membership. The owner (hub) creates it with its first member and drops it when `isEmpty`. */
export class Room {
  /** Members in join order: Map iteration order is insertion order. */
  readonly members = new Map<string, Peer>();
  readonly candidates = new Map<string, Peer>();

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

  /** Adds the creator of the session. */
  addCreator(peer: Peer): void {
    peer.role = 'member';
    this.members.set(peer.id, peer);
  }

  /** Adds a candidate (after `refuseCandidate` said yes) and tells the members. */
  addCandidate(peer: Peer): void {
    peer.role = 'candidate';
    this.candidates.set(peer.id, peer);
    for (const member of this.members.values()) send(member, { type: 'candidate', id: peer.id, address: peer.address });
  }

  /** Relays an opaque body. Members reach everyone in the session; candidates reach members only. */
  relay(from: Peer, to: string, body: string): void {
    const target = this.members.get(to) ?? (from.role === 'member' ? this.candidates.get(to) : undefined);
    if (!target || target === from) return this.error(from, 'no-such-peer', to);
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
    send(candidate, { type: 'admitted', members: others });
    for (const member of others) {
      const peer = this.members.get(member.id);
      if (peer) send(peer, { type: 'joined', id: candidate.id, address: candidate.address });
    }
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

  /** Takes a peer out and tells those who knew it. When the last member goes, waiting candidates are sent away. */
  remove(peer: Peer): void {
    if (this.members.get(peer.id) === peer) {
      this.members.delete(peer.id);
      for (const other of [...this.members.values(), ...this.candidates.values()]) send(other, { type: 'left', id: peer.id });
      if (this.isEmpty) for (const candidate of [...this.candidates.values()]) candidate.kill(CloseCode.NoSuchSession, CLOSE_REASONS.sessionEnded);
    } else if (this.candidates.get(peer.id) === peer) {
      this.candidates.delete(peer.id);
      // However it went (denied, closed, deadline, idle), a candidate that spoke and was not admitted spent a guess.
      // Not when the session ended under it: that was no doing of the candidate.
      if (peer.spoke && !this.isEmpty) {
        this.hooks.onJoinFailure(peer.address);
        this.hooks.log(`session ${this.session}: candidate ${peer.id} left unadmitted after speaking, failure counted`);
      }
      for (const member of this.members.values()) send(member, { type: 'left', id: peer.id });
    }
  }

  private error(peer: Peer, code: ErrorCode, ref?: string): void {
    send(peer, ref === undefined ? { type: 'error', code } : { type: 'error', code, ref });
  }
}
