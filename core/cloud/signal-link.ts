/** The session's signaling connection with the map between mesh IDs and the server's connection IDs (they differ after a re-home). */
import type { ClientMessage, MessageRate, ServerMessage } from '../protocol/signal-messages.ts';
import type { SignalConnection } from './cloud-ports.ts';
import type { Clock, Timers } from '../ports.ts';
import { SignalPacer } from './signal-pacer.ts';

/**
 * Mesh peer IDs are the connection IDs the server gave when each member joined: pair keys and frame counters hang on
 * them, so they never change while the channels stay up. After the session re-homed on a restarted server
 * (docs/protocol.md §8, Signaling offline), each member has a new connection ID there: this link translates
 * outgoing IDs mesh → server and incoming ones server → mesh. An ID without an alias is the same on both sides (every
 * member admitted since). A server ID that a member used before its re-home is retired: what the server says about it
 * is stale and ignored.
 */
export class SignalLink {
  #connection: SignalConnection | null;
  readonly #toServer = new Map<string, string>();
  readonly #toMesh = new Map<string, string>();
  readonly #retired = new Set<string>();
  /** Called for a message this member could not send because the signaling server is out of reach. */
  readonly #refused: (type: ClientMessage['type']) => void;
  /** Keeps a burst under the server's message rates (signal-pacer.ts); absent (tests of the ID map): no pacing. */
  readonly #pacer: SignalPacer<ClientMessage> | null;

  /** `rate`: the pace under the rates the server announced (signalPace); the defaults' without it. */
  constructor(connection: SignalConnection, refused: (type: ClientMessage['type']) => void, aliases: Readonly<Record<string, string>> = {}, clock?: Clock & Timers, rate?: MessageRate) {
    this.#connection = connection;
    this.#refused = refused;
    this.#pacer = clock ? new SignalPacer(clock, (message) => this.#write(message), rate) : null;
    for (const [mesh, server] of Object.entries(aliases)) this.alias(mesh, server);
  }

  /** Whether a connection is up (false while the signaling server is out of reach). */
  get online(): boolean {
    return this.#connection !== null;
  }

  /** Messages waiting for their turn under the server's rate. */
  get waiting(): number {
    return this.#pacer?.waiting ?? 0;
  }

  /** The signaling connection dropped: nothing goes to the server until `attach`; what waited is refused (reported). */
  detach(): void {
    this.#connection = null;
    for (const message of this.#pacer?.clear() ?? []) this.#refused(message.type);
  }

  /** A new connection (the re-homed session's) carries the messages from now on, at the pace its server's limits allow. */
  attach(connection: SignalConnection, rate?: MessageRate): void {
    this.#connection = connection;
    if (rate) this.#pacer?.pace(rate);
  }

  /** Closes the connection (this member leaves). */
  close(): void {
    const connection = this.#connection;
    this.#connection = null;
    this.#pacer?.clear(); // leaving: what waited concerned a session this member is done with
    connection?.close();
  }

  /** Mesh member `mesh` is `server` at the server now; its previous server ID, if any, is retired. */
  alias(mesh: string, server: string): void {
    const before = this.#toServer.get(mesh) ?? mesh;
    if (before !== server) this.#retired.add(before);
    this.#toMesh.delete(before);
    this.#retired.delete(server);
    this.#toServer.set(mesh, server);
    this.#toMesh.set(server, mesh);
  }

  /** The server ID of a mesh member (the same ID when it has no alias). */
  serverOf(mesh: string): string {
    return this.#toServer.get(mesh) ?? mesh;
  }

  /** The mesh ID of a server connection, or null for a retired one (the server speaks of a connection gone before the re-home). */
  meshOf(server: string): string | null {
    const mesh = this.#toMesh.get(server);
    if (mesh !== undefined) return mesh;
    return this.#retired.has(server) ? null : server;
  }

  /** Every alias (mesh → server), for the join handover, the resume record and the leader's `signal-home`. */
  aliases(): Record<string, string> {
    return Object.fromEntries([...this.#toServer].filter(([mesh, server]) => mesh !== server));
  }

  /**
   * A message to the server, its IDs translated; refused (reported) while the server is out of reach. Past a burst
   * it waits its turn, in order (signal-pacer.ts).
   */
  send(message: ClientMessage): void {
    if (!this.#connection) return this.#refused(message.type);
    let out = message;
    if (message.type === 'send') out = { ...message, to: this.serverOf(message.to) };
    else if (message.type === 'admit' || message.type === 'deny') out = { ...message, candidate: this.serverOf(message.candidate) };
    if (this.#pacer) this.#pacer.send(out);
    else this.#write(out);
  }

  #write(message: ClientMessage): void {
    if (!this.#connection) return this.#refused(message.type);
    this.#connection.send(message);
  }

  /** A message from the server with its IDs as the mesh knows them, or null when it speaks of a retired connection. */
  translate(message: ServerMessage): ServerMessage | null {
    switch (message.type) {
      case 'envelope': {
        const from = this.meshOf(message.from);
        return from === null ? null : { ...message, from };
      }
      case 'joined':
      case 'candidate':
      case 'left':
      case 'away': {
        const id = this.meshOf(message.id);
        return id === null ? null : { ...message, id };
      }
      case 'back': {
        const was = this.meshOf(message.was);
        return was === null ? null : { ...message, was };
      }
      default:
        return message;
    }
  }
}
