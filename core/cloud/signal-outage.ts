/** Signaling lost while the mesh stays up (docs/protocol.md §8, Signaling offline): the backoff, and re-homing on a fresh server. */
import { MESH_PROTOCOL_VERSION, type MeshMessage } from '../protocol/mesh-messages.ts';
import type { Limits, ServerMessage } from '../protocol/signal-messages.ts';
import type { CloudDeps, SignalConnection } from './cloud-ports.ts';
import type { SignalLink } from './signal-link.ts';
import { signalPace } from './signal-pacer.ts';

/** Where this member's signaling stands: `offline` while out of reach, `rehoming` while its new connection waits for the leader's admit. */
export type SignalState = 'online' | 'offline' | 'rehoming';

/** First retry after the connection dropped, then doubled up to BACKOFF_MAX_MS. */
export const BACKOFF_MIN_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;

/** The wait before retry number `attempt` (0-based): 1 s, 2 s, 4 s … capped at 30 s. */
export function backoffDelay(attempt: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(attempt, 16));
}

/**
 * Whether a close means this member's place in the session is gone: any close the server decided (4xxx: idle timeout,
 * abuse, refused, `slot resumed elsewhere`, …) releases the slot at once, and 1000 is this member's own close. A
 * network failure (1006), a shutdown (1001) or any other code leaves the session going on over the mesh.
 */
export function endsSession(code: number): boolean {
  return code === 1000 || (code >= 4000 && code < 5000);
}

/** What the outage needs from its session. */
export interface OutageHost {
  deps: Pick<CloudDeps, 'signal' | 'clock' | 'signalRate'>;
  sessionId: string;
  /** This member's mesh ID. */
  self: string;
  link: SignalLink;
  isLeader(): boolean;
  /** Members in join order (mesh IDs). */
  order(): readonly string[];
  /** Members whose channel is open. */
  connected(): readonly string[];
  /** A server message on the (new) connection, to be translated and routed as any other. */
  onSignal(message: ServerMessage): void;
  sendMesh(peer: string, message: MeshMessage): void;
  broadcastMesh(message: MeshMessage): void;
  /** The new server's resume token for this member. */
  token(token: string | null): void;
  /** The state changed (the session emits `signal.changed`). */
  changed(state: SignalState): void;
  /** The session is over for this member (its place at the server is gone, or no member is left on the mesh). */
  end(): void;
  /** A member counts as departed (its channel closed while no server could bring it back). */
  drop(id: string): void;
  /** A candidate ID the leader let in as a re-homed member: no PAKE deadline for it. */
  forgetCandidate(id: string): void;
  dropped(from: string, reason: string): void;
}

/** Most candidate IDs (and claims) the leader keeps while members re-home: five members at most. */
const MAX_PENDING = 16;

/**
 * How long the leader admits re-homed members strictly in join order. A candidate's validator is the server's first
 * member, and when the leader leaves the next one takes over: so the server's order must stay the mesh's. A member
 * that has not claimed by then (an older client, a lost one) no longer holds the others back.
 */
export const CLAIM_WAIT_MS = 10_000;

/**
 * Drives one member through an outage. The leader re-creates the session under its ID (`?session=S&rehome=1`) and
 * names its new connection ID over the sealed mesh (`signal-home`); each member then knocks as a candidate and claims
 * its new connection ID to the leader over the mesh (`signal-claim`); the leader admits exactly the claimed IDs. The
 * server is never trusted with who is who: a stranger who took the ID first on the fresh server gets no claim.
 */
export class SignalOutage {
  readonly #h: OutageHost;
  #state: SignalState = 'online';
  #attempt = 0;
  #cancel: (() => void) | null = null;
  /** The connection being tried (closed if the session ends meanwhile). */
  #trying: SignalConnection | null = null;
  /** Member side: the leader's connection ID on the new server, from its `signal-home`. */
  #rendezvous: string | null = null;
  /** Leader side: candidates the server announced, and claims waiting for their candidate. */
  readonly #candidates = new Set<string>();
  readonly #claims = new Map<string, string>();
  /** Leader side: members to re-admit since the re-create (in join order), those done, and whether order still binds. */
  #expected = new Set<string>();
  readonly #rehomed = new Set<string>();
  #inOrder = true;
  #orderTimer: (() => void) | null = null;
  #ended = false;

  constructor(host: OutageHost) {
    this.#h = host;
  }

  get state(): SignalState {
    return this.#state;
  }

  /** The signaling connection closed (code as in close-codes.ts); false when that ends the session. */
  closed(code: number): boolean {
    if (this.#ended) return false;
    // No member reachable over the mesh while others are listed: nothing goes on here (e.g. only this socket dropped).
    if (endsSession(code) || (this.#h.order().length > 1 && this.#h.connected().length === 0)) return false;
    this.#h.link.detach();
    this.#rendezvous = null;
    this.#set('offline');
    this.#schedule();
    return true;
  }

  /** A member's channel closed: while offline no server can bring it back, so it counts as gone; with none left, so is the session. */
  peerDown(id: string): void {
    if (this.#state === 'online' || this.#ended) return;
    if (this.#h.connected().length === 0) return void this.#finish();
    this.#h.drop(id);
  }

  /** The session ended: stop retrying and close what is being tried. */
  stop(): void {
    this.#ended = true;
    this.#cancel?.();
    this.#cancel = null;
    this.#orderTimer?.();
    this.#trying?.close();
    this.#trying = null;
  }

  /** Leader side, after a re-home: the server announced candidate `id` (it may be a member about to claim it). */
  candidate(id: string): void {
    if (!this.#h.isLeader()) return;
    if (this.#candidates.size >= MAX_PENDING) this.#candidates.delete(this.#candidates.values().next().value as string);
    this.#candidates.add(id);
    this.#flush();
  }

  /** A server `left`: a candidate that went is no longer one. */
  left(id: string): void {
    this.#candidates.delete(id);
    this.#claims.delete(id);
  }

  /** A mesh message of the outage protocol (`signal-home` from the leader, `signal-claim` to it), admitted by the leader rule. */
  onMesh(from: string, message: MeshMessage): void {
    if (message.type === 'signal-home') return this.#home(message.leader, message.aliases);
    if (message.type === 'signal-claim') return this.#claim(from, message.id, message.admitted === true);
  }

  /** What `signal-home` says now: the leader's connection ID and every member's known alias. */
  home(): MeshMessage {
    return { type: 'signal-home', v: MESH_PROTOCOL_VERSION, leader: this.#h.link.serverOf(this.#h.self), aliases: this.#h.link.aliases() };
  }

  #set(state: SignalState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#h.changed(state);
  }

  #finish(): void {
    if (this.#ended) return;
    this.stop();
    this.#h.end();
  }

  #schedule(): void {
    this.#cancel?.();
    const delay = backoffDelay(this.#attempt++);
    this.#cancel = this.#h.deps.clock.after(delay, () => {
      this.#cancel = null;
      this.#retry();
    });
  }

  /** One retry: the leader re-creates the session; a member knocks once the leader named its rendezvous; else wait again. */
  #retry(): void {
    if (this.#ended || this.#state !== 'offline' || this.#trying) return;
    if (this.#h.isLeader()) this.#recreate();
    else if (this.#rendezvous !== null) this.#knock(this.#rendezvous);
    else this.#schedule();
  }

  #recreate(): void {
    let welcomed = false;
    const connection = this.#h.deps.signal.connect({
      session: this.#h.sessionId, create: true,
      handlers: {
        onMessage: (message) => {
          if (welcomed) return this.#h.onSignal(message);
          if (message.type !== 'welcome') return;
          // A server without `rehome` reads the request as a join (or an ad-hoc create): not our session, try later.
          if (message.role !== 'member' || message.session !== this.#h.sessionId) return connection.close();
          welcomed = true;
          this.#online(connection, message.id, message.resume ?? null, message.limits);
          this.#candidates.clear();
          this.#claims.clear();
          this.#rehomed.clear();
          this.#expected = new Set(this.#h.order().filter((id) => id !== this.#h.self));
          this.#inOrder = true;
          this.#orderTimer?.();
          this.#orderTimer = this.#h.deps.clock.after(CLAIM_WAIT_MS, () => {
            this.#orderTimer = null;
            this.#inOrder = false;
            this.#flush();
          });
          // Every member hears where the session is now, over the sealed mesh: only this word makes them knock.
          this.#h.broadcastMesh(this.home());
        },
        onClose: (code) => this.#lost(connection, welcomed, code),
      },
    });
    this.#trying = connection;
  }

  #knock(leader: string): void {
    let id: string | null = null;
    let limits: Limits | null = null;
    let admitted = false;
    const connection = this.#h.deps.signal.connect({
      session: this.#h.sessionId,
      handlers: {
        onMessage: (message) => {
          if (admitted) return this.#h.onSignal(message);
          if (message.type === 'welcome') {
            // Not the leader's session (a stranger created it first, or the leader's connection went): try again later.
            if (message.role !== 'candidate' || message.members[0]?.id !== leader) return connection.close();
            id = message.id;
            limits = message.limits;
            this.#set('rehoming');
            const to = this.#h.order()[0];
            if (to !== undefined) this.#h.sendMesh(to, { type: 'signal-claim', v: MESH_PROTOCOL_VERSION, id });
          } else if (message.type === 'admitted' && id !== null) {
            admitted = true;
            this.#online(connection, id, message.resume ?? null, limits ?? undefined);
            const leader = this.#h.order()[0];
            for (const peer of this.#h.connected()) if (peer !== leader) this.#h.sendMesh(peer, { type: 'signal-claim', v: MESH_PROTOCOL_VERSION, id, admitted: true });
          } else if (message.type === 'left' && message.id === leader) connection.close();
        },
        onClose: (code) => this.#lost(connection, admitted, code),
      },
    });
    this.#trying = connection;
  }

  /** The new connection is in: messages go through it, at the pace its server's rates allow (signal-pacer.ts). */
  #online(connection: SignalConnection, id: string, token: string | null, limits?: Limits): void {
    this.#trying = null;
    this.#attempt = 0;
    this.#h.link.attach(connection, this.#h.deps.signalRate ?? signalPace(limits));
    this.#h.link.alias(this.#h.self, id);
    this.#h.token(token);
    this.#set('online');
  }

  /** A tried connection closed: before it was in, wait and retry; once in, it is a new outage (or the end). */
  #lost(connection: SignalConnection, wasIn: boolean, code: number): void {
    if (this.#ended) return;
    if (wasIn) {
      if (!this.closed(code)) this.#finish();
      return;
    }
    if (this.#trying === connection) this.#trying = null;
    this.#set('offline');
    this.#schedule();
  }

  /** Member side: the leader says where the session is now. */
  #home(leader: string, aliases: Readonly<Record<string, string>>): void {
    for (const [mesh, server] of Object.entries(aliases)) if (mesh !== this.#h.self && this.#h.order().includes(mesh)) this.#h.link.alias(mesh, server);
    const first = this.#h.order()[0];
    if (first !== undefined && first !== this.#h.self) this.#h.link.alias(first, leader);
    if (this.#h.isLeader()) return;
    // Kept even while a knock is under way: if that one fails (a second restart), the next goes to the newest word.
    this.#rendezvous = leader;
    if (this.#state !== 'offline' || this.#trying) return;
    this.#attempt = 0;
    this.#cancel?.();
    this.#cancel = null;
    this.#knock(leader);
  }

  /** Leader side: member `from` says the candidate `id` is its own new connection. */
  #claim(from: string, id: string, admitted: boolean): void {
    const link = this.#h.link;
    if (from === this.#h.self || !this.#h.order().includes(from)) return this.#h.dropped(from, 'signal-claim-not-member');
    // One connection per member: an ID the server already knows as someone else's (or this member's) is not given away.
    const owner = link.meshOf(id);
    const pending = this.#claims.get(id);
    if (owner === null || (owner !== id && owner !== from) || (pending !== undefined && pending !== from) || this.#h.order().includes(id) || id === link.serverOf(this.#h.self)) {
      return this.#h.dropped(from, 'signal-claim-taken');
    }
    // Once in, a member names its own connection to the others (the leader's `signal-home` may not reach them: a leader
    // leaving at once): it speaks for itself only, over its authenticated channel.
    if (admitted) return link.alias(from, id);
    if (!this.#h.isLeader() || !link.online) return this.#h.dropped(from, 'signal-claim-not-leader');
    if (this.#rehomed.has(from)) return this.#h.dropped(from, 'signal-claim-again');
    for (const [claimed, by] of [...this.#claims]) if (by === from) this.#claims.delete(claimed); // its newest knock counts
    if (this.#claims.size >= MAX_PENDING) this.#claims.delete(this.#claims.keys().next().value as string);
    this.#claims.set(id, from);
    this.#flush();
  }

  /** Admits the claims whose candidate the server announced, in join order (see CLAIM_WAIT_MS). */
  #flush(): void {
    if (!this.#h.isLeader() || !this.#h.link.online) return;
    for (const member of this.#h.order()) {
      if (!this.#expected.has(member) || this.#rehomed.has(member)) continue;
      const claim = [...this.#claims].find(([id, by]) => by === member && this.#candidates.has(id));
      if (claim) this.#admit(member, claim[0]);
      else if (this.#inOrder) return;
    }
  }

  #admit(member: string, id: string): void {
    this.#candidates.delete(id);
    this.#claims.delete(id);
    this.#rehomed.add(member);
    this.#h.link.alias(member, id);
    this.#h.forgetCandidate(id);
    // The others learn the alias before the server's `joined` for it reaches them.
    this.#h.broadcastMesh(this.home());
    this.#h.link.send({ type: 'admit', candidate: member });
  }
}
