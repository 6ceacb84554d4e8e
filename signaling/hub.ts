/** The switchboard: rooms by session ID, per-address limits, connection bookkeeping. One per Node process, one per session Durable Object. */
import { CLOSE_REASONS, CloseCode } from '../core/protocol/close-codes.ts';
import { encodeMessage } from '../core/protocol/signal-codec.ts';
import { SIGNAL_PROTOCOL_VERSION, type IceServer } from '../core/protocol/signal-messages.ts';
import { newSessionId } from '../core/protocol/session-id.ts';
import type { Clock, Random } from '../core/ports.ts';
import type { SignalingConfig } from './config.ts';
import { Connection } from './connection.ts';
import { Room, type Link, type Refusal } from './room.ts';
import { BucketMap } from './token-bucket.ts';

/**
 * What a new connection asks for: a new session (its ID chosen here, or a standing group's rendezvous given by the
 * client, refused when taken), or to join one as a candidate.
 */
export type Intent = { kind: 'create'; session?: string } | { kind: 'join'; session: string } | { kind: 'resume'; session: string; was: string };

/** Everything a hub is built from; clock and randomness injected so tests drive them. */
export interface HubOptions {
  config: SignalingConfig;
  clock: Clock;
  random: Random;
  /** A member reported a failed join by a candidate from `address` (goes to the blocklist, possibly remote). */
  onJoinFailure(address: string): void;
  /** Operational log; lines never contain envelope bodies. */
  log?(line: string): void;
}

/** A connection request that passed the pre-upgrade checks. */
export interface OpenRequest {
  address: string;
  intent: Intent;
  link: Link;
  iceServers: IceServer[];
  /** Set when the blocklist says the address is blocked (checked before the upgrade, possibly asynchronously). */
  blockedUntil: number | null;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Holds the rooms and enforces every limit that spans connections. */
export class Hub {
  private readonly rooms = new Map<string, Room>();
  private readonly connections = new Map<string, Connection>();
  private readonly perAddress = new Map<string, number>();
  private readonly addressBuckets: BucketMap;
  private readonly createBuckets: BucketMap;
  private readonly connectBuckets: BucketMap;
  private readonly log: (line: string) => void;

  constructor(private readonly options: HubOptions) {
    this.addressBuckets = new BucketMap(options.config.addressRate);
    this.createBuckets = new BucketMap(options.config.sessionCreateRate);
    this.connectBuckets = new BucketMap(options.config.connectRate);
    this.log = options.log ?? (() => {});
  }

  /** True while a session with this ID has members. */
  hasSession(session: string): boolean {
    return this.rooms.has(session);
  }

  /** Counts for health and benchmarks; `held`: member slots waiting for a resume. */
  stats(): { sessions: number; connections: number; held: number } {
    let held = 0;
    for (const room of this.rooms.values()) held += room.held.size;
    return { sessions: this.rooms.size, connections: this.connections.size, held };
  }

  /** Admits a freshly upgraded socket into a room, or closes it with the reason it was refused. */
  open(request: OpenRequest): Connection | null {
    const { address, intent, link } = request;
    const refuse = (refusal: Refusal) => {
      this.log(`refused ${address} (${intent.kind}): ${refusal.code} ${refusal.reason}`);
      link.close(refusal.code, refusal.reason);
      return null;
    };
    const { config, clock } = this.options;
    const now = clock.now();
    if (request.blockedUntil !== null) return refuse({ code: CloseCode.Blocked, reason: CLOSE_REASONS.blocked });
    if ((this.perAddress.get(address) ?? 0) >= config.maxConnectionsPerAddress || !this.connectBuckets.take(address, now)) {
      return refuse({ code: CloseCode.RateLimited, reason: CLOSE_REASONS.tooManyConnections });
    }
    let room: Room;
    if (intent.kind === 'create') {
      // A rendezvous already in use is refused, never joined: the creator (a group's hub) learns someone is there first.
      if (intent.session !== undefined && this.rooms.has(intent.session)) return refuse({ code: CloseCode.SessionExists, reason: CLOSE_REASONS.rendezvousTaken });
      if (!this.createBuckets.take(address, now)) return refuse({ code: CloseCode.RateLimited, reason: CLOSE_REASONS.tooManySessions });
      room = this.newRoom(intent.session);
    } else {
      const existing = this.rooms.get(intent.session);
      if (!existing) return refuse({ code: CloseCode.NoSuchSession, reason: CLOSE_REASONS.noSuchSession });
      const refusal = intent.kind === 'resume' ? existing.refuseResume(intent.was) : existing.refuseCandidate(address);
      if (refusal) return refuse(refusal);
      room = existing;
    }
    const connection = new Connection(this.newPeerId(), address, link, room, {
      config, clock, addressBuckets: this.addressBuckets, log: this.log,
      onGone: (gone) => this.forget(gone),
      onResumed: (resumed, was, token) => {
        // Its first frame is still `welcome`: a resuming connection hears nothing before its token is proved.
        link.send(encodeMessage({ ...welcome(room.roster(true, resumed.id)), role: 'member', resume: token, resumed: was }));
        room.announceBack(resumed, was);
      },
    });
    this.connections.set(connection.id, connection);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    const welcome = (members: ReturnType<Room['roster']>) => ({
      type: 'welcome' as const, v: SIGNAL_PROTOCOL_VERSION, session: room.session, id: connection.id,
      role: 'candidate' as 'member' | 'candidate', address, members, iceServers: request.iceServers,
      limits: {
        maxFrameBytes: config.maxFrameBytes, maxMembers: config.maxMembers, idleTimeoutMs: config.idleTimeoutMs,
        connectionRate: config.connectionRate, addressRate: config.addressRate,
      },
    });
    if (intent.kind === 'resume') {
      // Not in the room until its `resume` frame proves the token (checked against the join deadline by the sweep).
      connection.role = 'resuming';
      connection.resumes = intent.was;
      return connection;
    }
    // The welcome goes out before the members hear of a candidate, so its first frame is always `welcome`.
    if (intent.kind === 'create') {
      link.send(encodeMessage({ ...welcome(room.roster(false)), role: 'member', resume: room.addCreator(connection) }));
    } else {
      link.send(encodeMessage(welcome(room.roster(false))));
      room.addCandidate(connection);
    }
    return connection;
  }

  /**
   * Closes connections silent past the idle timeout (half-open sockets) and candidates past their join deadline
   * (four idle candidates must not hold a session's door shut), and forgets idle rate buckets.
   */
  sweep(): void {
    const now = this.options.clock.now();
    for (const room of [...this.rooms.values()]) {
      for (const late of room.overdueCandidates(now - this.options.config.candidateDeadlineMs)) late.kill(CloseCode.IdleTimeout, CLOSE_REASONS.joinDeadline);
      room.expire(now);
      this.#dropIfEmpty(room);
    }
    for (const connection of [...this.connections.values()]) {
      if (connection.role === 'resuming' && now - connection.since > this.options.config.candidateDeadlineMs) connection.kill(CloseCode.IdleTimeout, CLOSE_REASONS.resumeDeadline);
      else if (now - connection.lastSeen > this.options.config.idleTimeoutMs) connection.kill(CloseCode.IdleTimeout, CLOSE_REASONS.idle);
    }
    for (const buckets of [this.addressBuckets, this.createBuckets, this.connectBuckets]) buckets.sweep(now);
  }

  /** Closes every connection (server shutdown). */
  closeAll(): void {
    for (const connection of [...this.connections.values()]) connection.kill(CloseCode.GoingAway, CLOSE_REASONS.shutdown);
  }

  private newRoom(requested: string | undefined): Room {
    let session = requested ?? newSessionId(this.options.random);
    while (requested === undefined && this.rooms.has(session)) session = newSessionId(this.options.random);
    const room = new Room(session, {
      maxMembers: this.options.config.maxMembers,
      maxCandidates: this.options.config.maxCandidates,
      maxCandidatesPerAddress: this.options.config.maxCandidatesPerAddress,
      onJoinFailure: (address) => this.options.onJoinFailure(address),
      resumeGraceMs: this.options.config.resumeGraceMs,
      now: () => this.options.clock.now(),
      newToken: () => hex(this.options.random.bytes(32)),
      log: this.log,
    });
    this.rooms.set(session, room);
    this.log(`session ${session} created`);
    return room;
  }

  private newPeerId(): string {
    let id = hex(this.options.random.bytes(8));
    while (this.connections.has(id)) id = hex(this.options.random.bytes(8));
    return id;
  }

  private forget(connection: Connection): void {
    this.connections.delete(connection.id);
    const count = (this.perAddress.get(connection.address) ?? 1) - 1;
    if (count > 0) this.perAddress.set(connection.address, count);
    else this.perAddress.delete(connection.address);
    this.#dropIfEmpty(connection.room);
  }

  #dropIfEmpty(room: Room): void {
    if (room.isEmpty && this.rooms.get(room.session) === room) {
      this.rooms.delete(room.session);
      this.log(`session ${room.session} ended`);
    }
  }
}
