/** A Cloud Session seen from one member: members and letters, phases, leader commands, profiles, resume, exit (parts: session-parts.ts). */
import { Emitter } from '../events.ts';
import type { Timers } from '../ports.ts';
import type { Mesh } from '../mesh/mesh.ts';
import { encodeMeshMessage } from '../protocol/mesh-codec.ts';
import { MESH_PROTOCOL_VERSION, type MeshMessage, type SourceEntry } from '../protocol/mesh-messages.ts';
import type { ServerMessage } from '../protocol/signal-messages.ts';
import type { RunMessage } from '../protocol/run-messages.ts';
import { Roster } from './cloud-roster.ts';
import type { Admissions } from './join/admissions.ts';
import type { CloudEvents, CloudMemberView, CloudSessionInit, InventoryScope, ResumeRecord } from './cloud-session-types.ts';
import { toB64u } from '../crypto/bytes.ts';
import type { Parts } from '../crypto/parts.ts';
import type { SessionSecrets } from './session-secrets.ts';
import { SignalLink } from './signal-link.ts';
import { signalPace } from './signal-pacer.ts';
import type { SignalOutage, SignalState } from './signal-outage.ts';
import type { ResumeKeys } from './join/resume-keys.ts';
import { buildSessionParts } from './session-parts.ts';
import { SessionInbound } from './session-inbound.ts';
import { STATUS_OF, cloudTransition, runUnderWay, type CloudEvent, type CloudPhase } from './cloud-session-machine.ts';
import { DEFAULT_SETTINGS, type SessionSettings } from '../settings/settings.ts';

/** How long a member leaving waits, after its `bye`, for the others to close their channels before it closes them. */
export const BYE_LINGER_MS = 10_000;

/** One member's Cloud Session. Build it with `startCloudSession` or `joinCloudSession`. */
export class CloudSession extends Emitter<CloudEvents> {
  readonly sessionId: string;
  readonly self: string;
  readonly mesh: Mesh;
  /** Deadlines on the session's clock (a run's block requests to an owner that stops answering: owner-watch.ts). */
  readonly timers: Timers;
  /** The signaling connection, with mesh ↔ server IDs once the session re-homed (signal-link.ts). */
  readonly #link: SignalLink;
  readonly #outage: SignalOutage;
  readonly #members: Roster;
  #phase: CloudPhase = 'waiting';
  /** `exit()` said `bye` and waits for the others to close first (BYE_LINGER_MS at most). */
  #leaving = false;
  /** That farewell: the channels closed (or the linger ran out); the server hears `leave` after it. */
  #parted: Promise<void> | null = null;
  /** What the others do: their messages, absences, returns and departures (session-inbound.ts). */
  readonly #inbound: SessionInbound;
  #door: Admissions;
  #secrets: SessionSecrets;
  #settings: SessionSettings = { ...DEFAULT_SETTINGS, exclusionPatterns: [] };
  /** Who set the retention now in force: this member (its defaults, or its own change as leader) or another. */
  #retentionBy: string;
  /** A standing group's run keeps its password when a member leaves (docs/security.md, Standing groups). */
  readonly #keepPassword: boolean;
  /** The server's token that takes this member's slot back after a reload; null from a server without `resume`. */
  #resumeToken: string | null;
  /** This member's resume identity, and the leader's answers to members back after a rotation (docs/protocol.md §8). */
  readonly #resume: ResumeKeys;
  #resumeKey: string | null = null;
  /** Whether the identity came from a resume record (a record from before identities has none: nobody knows a new one). */
  readonly #identityKept: boolean;

  constructor(init: CloudSessionInit) {
    super();
    const rate = init.deps.signalRate ?? signalPace(init.limits);
    this.#link = new SignalLink(init.connection, (type) => this.emit('dropped', this.self, `signal-offline-${type}`), init.aliases, init.deps.clock, rate);
    this.sessionId = init.sessionId;
    this.timers = init.deps.clock;
    this.self = init.self;
    this.#members = new Roster(init.members);
    this.#members.own.name = init.deps.deviceName;
    this.#members.own.protocol = init.deps.announcedProtocol ?? MESH_PROTOCOL_VERSION;
    if (init.deps.features) this.#members.own.features = init.deps.features;
    this.#keepPassword = init.group !== undefined;
    this.#resumeToken = init.resumeToken ?? null;
    if (init.settings) this.#settings = init.settings;
    // Settings resumed after a reload may be another leader's: floored as such (retention.ts fromLeader) until changed.
    this.#retentionBy = init.settings ? '' : init.self;
    this.#identityKept = init.resumeSeed !== undefined;
    const parts = buildSessionParts(init, this.#link, this.#members, {
      events: this, isLeader: () => this.isLeader, profile: () => this.#profile(), aliased: () => this.#aliased(),
      message: (from, data) => this.#inbound.message(from, data), onSignal: (message) => this.onSignal(message),
      dropMember: (id, reason) => this.#inbound.drop(id, reason), memberLeft: (id) => this.#inbound.left(id),
      memberAway: (id) => this.#inbound.away(id), memberBack: (id, was, address) => this.#inbound.back(id, was, address),
      changed: () => this.#changed(), rosterChanged: () => this.#rosterChanged(), end: () => this.#end(),
      resumeKey: (key) => {
        this.#resumeKey = key;
        if (this.#phase !== 'ended') this.#publish();
      },
      token: (token) => {
        this.#resumeToken = token;
        this.emit('resume.changed');
      },
    });
    this.mesh = parts.mesh;
    this.#resume = parts.resume;
    this.#door = parts.door;
    this.#secrets = parts.secrets;
    this.#outage = parts.outage;
    this.#inbound = new SessionInbound({
      self: this.self, events: this, members: this.#members, parts, isLeader: () => this.isLeader, leaving: () => this.#leaving,
      phase: () => this.#phase, apply: (event) => this.#apply(event), settings: () => this.#settings,
      takeSettings: (settings, from) => {
        // Only a change of the policy itself changes its author (a leader re-sending what it inherited does not).
        if (JSON.stringify(settings.retention) !== JSON.stringify(this.#settings.retention)) this.#retentionBy = from;
        this.#settings = settings;
      },
      changeSettings: (settings) => this.changeSettings(settings),
      changed: () => this.#changed(), rosterChanged: () => this.#rosterChanged(),
    });
  }

  /** Opens the channel to every other member; the newest member calls this once admitted (it makes the offers). */
  connectAll(): void {
    for (const id of this.#members.order) if (id !== this.self && !this.#members.isAway(id)) this.mesh.connect(id, true);
  }

  /**
   * What a reload needs to take this member's place back (docs/protocol.md §8, Reload): never the password. Null
   * without a token (a server older than `resume`), in a standing group's run, or once the session ended.
   */
  resumeRecord(): ResumeRecord | null {
    if (this.#resumeToken === null || this.#keepPassword || this.#phase === 'ended') return null;
    const slot = this.#link.serverOf(this.self);
    return {
      v: 1, sessionId: this.sessionId, self: this.self, token: this.#resumeToken, epoch: this.mesh.keys.epoch,
      key: toB64u(this.mesh.keys.sessionKey), order: [...this.#members.order], settings: this.#settings, identity: this.#resume.seed,
      ...(slot !== this.self ? { slot } : {}), ...this.#aliased(),
    };
  }

  /** `aliases` for a handover or a resume record once the session re-homed (mesh → server IDs), else nothing. */
  #aliased(): { aliases?: Record<string, string> } {
    const aliases = this.#link.aliases();
    return Object.keys(aliases).length > 0 ? { aliases } : {};
  }

  /** Whether the signaling server is reachable: while it is not, the mesh goes on and no one can join or resume. */
  get signalState(): SignalState {
    return this.#outage.state;
  }

  /**
   * Back from a reload: asks the leader for a session key rotated while this member was away, proving its resume
   * identity, and adopts it; then opens its channels. Without a leader to ask (it is A, or A is away too), without an
   * identity kept (a record from before them), or with no answer in time, it connects with the key it kept.
   */
  async rejoin(): Promise<void> {
    const leader = this.#members.leader;
    // Each member present opens its channel to this one once it proved its identity (resume-keys.ts): the others first,
    // the leader with the question that may bring a newer key.
    if (this.#identityKept) await this.#resume.prove(this.#members.order.filter((id) => id !== this.self && id !== leader && !this.#members.isAway(id)));
    if (this.#identityKept && leader !== null && leader !== this.self && !this.#members.isAway(leader)) {
      const answer = await this.#resume.ask(leader);
      if (answer && answer.epoch > this.mesh.keys.epoch) this.#secrets.adopt(answer);
    }
    if (this.#phase !== 'ended') this.connectAll();
  }

  /** The session's join secret; it changes whenever a member leaves ('password.changed'). */
  get password(): string {
    return this.#secrets.password;
  }
  get phase(): CloudPhase {
    return this.#phase;
  }
  get isLeader(): boolean {
    return this.#members.leader === this.self;
  }
  get epoch(): number {
    return this.mesh.keys.epoch;
  }
  /**
   * Whether the retention in force is this member's own (its defaults, or set by it as leader): only then does it apply
   * unfloored to its folders. A leader that inherited another's (the previous A left) keeps the floor until it sets one.
   */
  get ownRetention(): boolean {
    return this.#retentionBy === this.self;
  }
  /** The leader's session settings as this member applies them (validated; defaults until A sends any). */
  get settings(): SessionSettings {
    return this.#settings;
  }
  get safetyWords(): readonly string[] {
    return this.#secrets.safetyWords;
  }
  /** Whether leaving now interrupts a run (the UI then asks for confirmation). */
  get runUnderWay(): boolean {
    return runUnderWay(this.#phase);
  }

  /** Members in join order with their letters (re-lettered without gaps). */
  get members(): CloudMemberView[] {
    return this.#members.views(this.self, STATUS_OF[this.#phase], new Set(this.mesh.connected));
  }

  /** Renames this device; others see it at once. */
  setName(name: string): void {
    this.#members.own.name = name.slice(0, 64);
    this.#publish();
  }

  /** Replaces this member's own sources (names and kinds only). Only the owner changes its sources. */
  setSources(sources: readonly SourceEntry[]): void {
    this.#members.own.sources = [...sources];
    this.#publish();
  }

  /** Leader only: every member inventories (the inventory itself belongs to the sync engine). */
  startInventory(run: string, scope?: InventoryScope): Promise<void> {
    const how = scope === 'changed' ? { scope } : scope === 'whole' ? { whole: true as const } : {};
    return this.#lead({ type: 'start-inventory', v: MESH_PROTOCOL_VERSION, run, ...how });
  }
  /** Leader only: the synchronization starts. */
  startSync(run: string): Promise<void> {
    return this.#lead({ type: 'start-sync', v: MESH_PROTOCOL_VERSION, run });
  }
  /** Leader only: new session settings (validated again where every member takes them, this one included). */
  changeSettings(settings: SessionSettings): Promise<void> {
    return this.#lead({ type: 'settings', v: MESH_PROTOCOL_VERSION, settings: { ...settings } });
  }
  /** Leader only: resets the session, keeping members and sources; the key rotates. */
  restart(): Promise<void> {
    return this.#lead({ type: 'restart', v: MESH_PROTOCOL_VERSION });
  }

  /** This member's own step finished (e.g. its inventory): moves its status on. */
  local(event: Extract<CloudEvent, 'inventory-done' | 'sync-done'>): void {
    this.#apply(event);
  }

  /** Sends a run message to one member. */
  sendRun(peer: string, message: RunMessage): Promise<void> {
    return this.mesh.send(peer, encodeMeshMessage(message));
  }
  /** Sends a run message to every member: resolves once queued for each (a blob's part: once there is room for the next). */
  async broadcastRun(message: RunMessage): Promise<void> {
    await this.mesh.broadcast(encodeMeshMessage(message));
    await this.#paced(message);
  }
  /** Leader only: a leader-only run message (`plan-part`) to everyone, oneself included. */
  leadRun(message: RunMessage): Promise<void> {
    return this.#lead(message);
  }
  /**
   * Sends a binary block piece (sealed like everything else; resolves once the channel's buffer has room). Pieces may
   * take any lane of the pair: their order does not matter (the receiver writes each by its offset). `data` may be in
   * parts (a piece's header and its block's bytes, core/protocol/block-frame.ts blockPieceParts).
   */
  sendBytes(peer: string, data: Parts): Promise<void> {
    return this.mesh.send(peer, data, { anyLane: true });
  }

  /**
   * Leaves: says goodbye over the mesh and ends the session here at once (the page says so, the server hears `leave`);
   * the channels close once the others closed theirs on `bye`, or after BYE_LINGER_MS (Mesh.farewell), sending nothing
   * more meanwhile, so no message on either side meets a channel torn down under it. Resolves once they are closed.
   */
  async exit(): Promise<void> {
    if (this.#phase === 'ended' || this.#leaving) return;
    this.#leaving = true;
    this.#parted = this.mesh.farewell(encodeMeshMessage({ type: 'bye', v: MESH_PROTOCOL_VERSION }), BYE_LINGER_MS);
    this.#apply('exit');
    this.emit('ended', 'exit');
    await this.#parted;
  }

  /** A message from the signaling server (the connection's handlers route here once we are a member). */
  onSignal(message: ServerMessage): void {
    // Ended (a `leave` not yet sent while the channels close): nothing the server says concerns this member any more.
    if (this.#phase === 'ended') return;
    const translated = this.#link.translate(message);
    if (!translated) return this.emit('dropped', this.self, `signal-retired-${message.type}`);
    if (translated.type === 'candidate') this.#outage.candidate(translated.id);
    if (translated.type === 'left') this.#outage.left(translated.id);
    this.#door.onSignal(translated);
  }

  /**
   * The signaling connection closed. A close that releases this member's place (`leave`, a refusal, a close the server
   * decided) ends the session here; a lost server does not: the mesh goes on and the session re-homes when it is back
   * (signal-outage.ts). Members reloading when it went cannot come back (their slots went with the server).
   */
  onSignalClosed(code = 1006): void {
    if (this.#phase === 'ended') return;
    if (!this.#outage.closed(code)) return this.#end(code);
    for (const id of [...this.#members.order]) if (this.#members.isAway(id)) this.#inbound.drop(id, 'signal-offline');
  }

  #end(code?: number): void {
    if (this.#phase === 'ended') return;
    this.#apply('exit');
    this.emit('ended', 'closed', code);
  }

  /** Queues the leader's message for every member and acts on it here at once: no member's channel holds A back. */
  async #lead(message: MeshMessage): Promise<void> {
    if (!this.isLeader) throw new Error(`only the leader sends ${message.type}`);
    // A round needs every member: one reloading would never hear it (it comes back under a new ID, after the order).
    if ((message.type === 'start-inventory' || message.type === 'start-sync') && this.members.some((m) => m.away)) {
      throw new Error(`${message.type} waits: a member is reconnecting`);
    }
    const queued = this.mesh.broadcast(encodeMeshMessage(message));
    this.#inbound.act(this.self, message);
    await queued;
    await this.#paced(message);
  }

  /**
   * A blob's parts are the only messages sent by the hundred: the producer waits for room in every outbox before the
   * next, so memory stays bounded; a member that does not drain is dropped at STALL_MS, so the wait ends.
   */
  #paced(message: MeshMessage): Promise<void> {
    return message.type === 'inventory-part' || message.type === 'plan-part' ? this.mesh.room() : Promise.resolve();
  }

  #apply(event: CloudEvent): void {
    const t = cloudTransition(this.#phase, event);
    if (!t) return;
    const before = this.#phase;
    this.#phase = t.state;
    for (const effect of t.effects) {
      if (effect === 'close-all') {
        this.mesh.close();
        this.#outage.stop();
        // Leaving: the server hears `leave` (and tells the others) once the channels are closed. Told at once, the others
        // would close their channels while our `bye` is still going out — a send @roamhq/wrtc does not survive.
        if (this.#parted) void this.#parted.then(() => this.#link.close(), () => this.#link.close());
        else this.#link.close();
      } else if (effect === 'broadcast-profile') this.#publish();
      else if (effect === 'new-password-if-leader' && this.isLeader && !this.#keepPassword) this.#secrets.newPassword();
      else if (effect === 'rotate-key-if-leader' && this.isLeader) this.#secrets.rotate();
      else if (effect === 'reset-run') this.emit('run.reset'); // the run's state belongs to the run (core/cloud/run/)
    }
    if (before !== this.#phase) this.emit('phase.changed', this.#phase);
    this.#changed();
  }

  #profile(): MeshMessage {
    return {
      type: 'profile', v: MESH_PROTOCOL_VERSION, ...this.#members.own, status: STATUS_OF[this.#phase], features: [...this.#members.own.features],
      ...(this.#resumeKey !== null ? { resumeKey: this.#resumeKey } : {}),
    };
  }

  #publish(): void {
    void this.mesh.broadcast(encodeMeshMessage(this.#profile()));
    this.#changed();
  }

  #rosterChanged(): void {
    void this.#secrets.refreshSafety();
    this.emit('resume.changed');
    this.#changed();
  }

  #changed(): void {
    this.emit('members.changed', this.members);
  }
}
