/** A Cloud Session seen from one member: roster and letters, the sealed mesh, profiles, leader rule, rotation, exit. */
import { Emitter } from '../events.ts';
import { fromB64u, toB64u } from '../crypto/bytes.ts';
import { bodyKind } from '../crypto/envelope.ts';
import { newSessionKey } from '../crypto/key-schedule.ts';
import { generatePassword } from '../crypto/password.ts';
import { safetyWords } from '../crypto/safety-words.ts';
import { Mesh, type StallReason } from '../mesh/mesh.ts';
import { MeshKeys } from '../mesh/mesh-keys.ts';
import { decodeMeshMessage, encodeMeshMessage } from '../protocol/mesh-codec.ts';
import { MESH_PROTOCOL_VERSION, type MeshMessage, type MemberStatus, type SourceEntry } from '../protocol/mesh-messages.ts';
import type { IceServer, ServerMessage } from '../protocol/signal-messages.ts';
import { RUN_MESSAGE_TYPES, type RunMessage } from '../protocol/run-messages.ts';
import { isBlockFrame } from '../protocol/block-frame.ts';
import type { CloudDeps, SignalConnection } from './cloud-ports.ts';
import { leaderOf, lettersOf, withAnnounced, withJoined, without, type Letter } from './cloud-roster.ts';
import { PendingJoins } from './join/pending-joins.ts';
import { admitMessage, cloudTransition, runUnderWay, type CloudEvent, type CloudPhase, type Refusal } from './cloud-session-machine.ts';
import { CloudValidators } from './join/cloud-validators.ts';
import { DEFAULT_SETTINGS, validateSettings, type SessionSettings } from '../settings/settings.ts';

/** One member as the UI shows it (manual figure E). */
export interface CloudMemberView {
  id: string;
  letter: Letter;
  /** The public address the server sees for that member. */
  address: string;
  /** Device name the member chose ('' until its profile arrived). */
  name: string;
  sources: readonly SourceEntry[];
  status: MemberStatus;
  self: boolean;
  /** Whether this member's channel is open (always true for oneself). */
  connected: boolean;
}

/** What a Cloud Session reports to the UI. */
export type CloudEvents = {
  'members.changed': [members: CloudMemberView[]];
  'phase.changed': [phase: CloudPhase];
  'safety.changed': [words: string[]];
  'keys.rotated': [epoch: number];
  /** The session password changed (the leader makes a new one whenever a member leaves); the old invite stops working. */
  'password.changed': [password: string];
  /** A mesh message refused by the membership rules (e.g. a leader-only message not from A). */
  refused: [from: string, type: string, refusal: Refusal];
  /** A frame, envelope or message dropped as bad (forged, replayed, malformed). */
  dropped: [from: string, reason: string];
  /**
   * A member this one stopped talking to, and now counts as gone (as if it had left): its channel took nothing for
   * STALL_MS while frames waited (`stalled`), its outbox passed OUTBOX_CAP (`queue-full`), or the leader's roster no
   * longer lists it (`leader-dropped`: the leader dropped it).
   */
  'member.dropped': [id: string, reason: StallReason | 'leader-dropped'];
  ended: [reason: 'exit' | 'closed'];
  /** A run message (issue 6), admitted by the membership rules; the run (cloud-run.ts) handles it. */
  'run.message': [from: string, message: RunMessage];
  /** A binary block piece (core/protocol/block-frame.ts). */
  'run.bulk': [from: string, data: Uint8Array];
  /** The round is over (a member left mid-run, or the leader restarted): the table's `reset-run` effect. */
  'run.reset': [];
  /** The leader's start-inventory or start-sync, accepted here (the phase moved). */
  'run.command': [command: 'start-inventory' | 'start-sync', run: string];
  /** The leader's settings arrived (or were sent by this member as A), validated where they enter (a refused object keeps the previous one). */
  'settings.changed': [settings: SessionSettings];
};

/** What a session starts from: the server's word on who we are, and the secrets from creation or the join handover. */
export interface CloudSessionInit {
  deps: CloudDeps;
  connection: SignalConnection;
  sessionId: string;
  self: string;
  /** Members in join order (oneself included) with the addresses the server reported. */
  members: { id: string; address: string }[];
  iceServers: IceServer[];
  password: string;
  sessionKey: Uint8Array;
  epoch: number;
}

const MAX_HELD = 8;
const MAX_DEPARTED = 64;
const STATUS_OF: Record<CloudPhase, MemberStatus> = { waiting: 'waiting', inventory: 'inventory', ready: 'ready', syncing: 'syncing', synced: 'synced', ended: 'waiting' };

/** One member's Cloud Session. Build it with `startCloudSession` or `joinCloudSession`. */
export class CloudSession extends Emitter<CloudEvents> {
  readonly sessionId: string;
  readonly self: string;
  readonly mesh: Mesh;
  #password: string;
  #deps: CloudDeps;
  #connection: SignalConnection;
  #order: string[];
  #addresses = new Map<string, string>();
  #profiles = new Map<string, { name: string; sources: SourceEntry[]; status: MemberStatus }>();
  #phase: CloudPhase = 'waiting';
  #name: string;
  #sources: SourceEntry[] = [];
  #held: { from: string; message: MeshMessage }[] = [];
  #validators: CloudValidators;
  #settings: SessionSettings = { ...DEFAULT_SETTINGS, exclusionPatterns: [] };
  #safety: string[] = [];
  /** Members who left: a late roster from the leader cannot bring them back. */
  #departed = new Set<string>();
  #pending = new PendingJoins();

  constructor(init: CloudSessionInit) {
    super();
    this.#deps = init.deps;
    this.#connection = init.connection;
    this.sessionId = init.sessionId;
    this.self = init.self;
    this.#password = init.password;
    this.#name = init.deps.deviceName;
    this.#order = init.members.map((m) => m.id);
    for (const m of init.members) this.#addresses.set(m.id, m.address);
    const keys = new MeshKeys({ subtle: init.deps.subtle, random: init.deps.random, sessionId: init.sessionId, self: init.self, sessionKey: init.sessionKey, epoch: init.epoch });
    this.mesh = new Mesh({
      self: init.self, transport: init.deps.transport({ self: init.self, iceServers: init.iceServers }), keys, timers: init.deps.clock,
      sendSignal: (to, body) => this.#connection.send({ type: 'send', to, body }),
    });
    this.mesh.on('peer.up', (peer) => {
      void this.mesh.send(peer, encodeMeshMessage(this.#profile()));
      // The leader tells each member whose channel opens who is in the session, so no admission goes unseen by it.
      if (this.isLeader) void this.mesh.send(peer, encodeMeshMessage(this.#roster()));
      this.#changed();
    });
    this.mesh.on('peer.down', () => this.#changed());
    this.mesh.on('peer.stalled', (peer, reason) => this.#dropMember(peer, reason));
    this.mesh.on('message', (from, data) => this.#onMessage(from, data));
    this.mesh.on('dropped', (from, reason) => this.emit('dropped', from, reason));
    this.#validators = new CloudValidators({
      deps: init.deps, sessionId: init.sessionId, self: init.self,
      send: (message) => this.#connection.send(message),
      handover: () => ({ sessionKey: keys.sessionKey, epoch: keys.epoch, roster: { v: MESH_PROTOCOL_VERSION, password: this.#password, members: [...this.#order] } }),
      admitted: (id, address) => this.#admitted(id, address),
      dropped: (from, reason) => this.emit('dropped', from, reason),
    });
    void this.#refreshSafety();
  }

  /** Opens the channel to every other member; the newest member calls this once admitted (it makes the offers). */
  connectAll(): void {
    for (const id of this.#order) if (id !== this.self) this.mesh.connect(id, true);
  }

  /** The session's join secret; it changes whenever a member leaves ('password.changed'). */
  get password(): string {
    return this.#password;
  }
  get phase(): CloudPhase {
    return this.#phase;
  }
  get isLeader(): boolean {
    return leaderOf(this.#order) === this.self;
  }
  get epoch(): number {
    return this.mesh.keys.epoch;
  }
  /** The leader's session settings as this member applies them (validated; defaults until A sends any). */
  get settings(): SessionSettings {
    return this.#settings;
  }
  get safetyWords(): readonly string[] {
    return this.#safety;
  }
  /** Whether leaving now interrupts a run (the UI then asks for confirmation). */
  get runUnderWay(): boolean {
    return runUnderWay(this.#phase);
  }

  /** Members in join order with their letters (re-lettered without gaps). */
  get members(): CloudMemberView[] {
    const letters = lettersOf(this.#order);
    const up = new Set(this.mesh.connected);
    return this.#order.map((id) => {
      const self = id === this.self;
      const profile = self ? { name: this.#name, sources: this.#sources, status: STATUS_OF[this.#phase] } : this.#profiles.get(id);
      return {
        id, self, letter: letters.get(id) as Letter, address: this.#addresses.get(id) ?? '',
        name: profile?.name ?? '', sources: profile?.sources ?? [], status: profile?.status ?? 'waiting', connected: self || up.has(id),
      };
    });
  }

  /** Renames this device; others see it at once. */
  setName(name: string): void {
    this.#name = name.slice(0, 64);
    this.#publish();
  }

  /** Replaces this member's own sources (names and kinds only). Only the owner changes its sources. */
  setSources(sources: readonly SourceEntry[]): void {
    this.#sources = [...sources];
    this.#publish();
  }

  /** Leader only: every member inventories (the inventory itself belongs to the sync engine). */
  startInventory(run: string): Promise<void> {
    return this.#lead({ type: 'start-inventory', v: MESH_PROTOCOL_VERSION, run });
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
  /** Sends a binary block piece (sealed like everything else; resolves once the channel's buffer has room). */
  sendBytes(peer: string, data: Uint8Array): Promise<void> {
    return this.mesh.send(peer, data);
  }

  /** Leaves: says goodbye over the mesh, closes every channel and the signaling connection. */
  async exit(): Promise<void> {
    if (this.#phase === 'ended') return;
    await this.mesh.broadcast(encodeMeshMessage({ type: 'bye', v: MESH_PROTOCOL_VERSION }));
    this.#apply('exit');
    this.emit('ended', 'exit');
  }

  /** A message from the signaling server (the connection's handlers route here once we are a member). */
  onSignal(message: ServerMessage): void {
    // Every server message (pongs included, every idleTimeoutMs / 3) is a tick for the leader's join deadlines.
    if (this.isLeader) this.#validators.sweep(this.#deps.clock.now());
    switch (message.type) {
      case 'envelope':
        if (bodyKind(message.body) === 'join') {
          if (this.isLeader) void this.#validators.receive(message.from, message.body);
          else this.emit('dropped', message.from, 'join-not-validator');
        } else if (this.#order.includes(message.from)) void this.mesh.receiveSignal(message.from, message.body);
        else {
          const held = this.#pending.hold(message.from, message.body);
          if (held !== 'held') this.emit('dropped', message.from, held === 'overflow' ? 'envelope-from-unannounced' : 'envelope-from-stranger');
        }
        return;
      case 'joined':
        // The server's word is not enough: the peer becomes a member when the leader's sealed roster lists it.
        if (this.#order.includes(message.id)) {
          this.#addresses.set(message.id, message.address);
          this.#changed();
        } else if (!this.#pending.joined(message.id, message.address)) this.emit('dropped', message.id, 'unannounced-member');
        return;
      case 'candidate':
        this.#validators.candidate(message.id, message.address);
        return;
      case 'left':
        this.#validators.left(message.id);
        // Remembered even when not (yet) a member: a roster from the leader arriving after this cannot add it back.
        this.#markDeparted(message.id);
        if (this.#pending.drop(message.id)) this.emit('dropped', message.id, 'unannounced-member');
        this.#memberLeft(message.id);
        return;
      default:
        return;
    }
  }

  /** The signaling connection closed: without it no one can join or reconnect, so the session ends here. */
  onSignalClosed(): void {
    if (this.#phase === 'ended') return;
    this.#apply('exit');
    this.emit('ended', 'closed');
  }

  /** This member (the leader) validated `id`: it joins the order now and every member hears it over the sealed mesh. */
  #admitted(id: string, address: string): void {
    this.#order = withJoined(this.#order, id);
    this.#addresses.set(id, address);
    this.#pending.take(id);
    this.mesh.connect(id, false);
    void this.mesh.broadcast(encodeMeshMessage(this.#roster()));
    this.#rosterChanged();
  }

  /**
   * The leader's roster arrived: members it admitted that this member had not seen join are added; members it no longer
   * lists were dropped by it (it lists everyone it admitted until they leave, in order over an ordered channel).
   */
  #announced(from: string, members: readonly string[]): void {
    for (const id of this.#order) if (id !== this.self && id !== from && !members.includes(id)) this.#dropMember(id, 'leader-dropped');
    const before = this.#order;
    this.#order = withAnnounced(before, members, this.#departed);
    const added = this.#order.filter((id) => !before.includes(id));
    for (const id of added) {
      this.#validators.left(id); // a member now, no longer a candidate to validate
      const pending = this.#pending.take(id);
      if (pending) this.#addresses.set(id, pending.address);
      this.mesh.connect(id, false);
      for (const body of pending?.held ?? []) void this.mesh.receiveSignal(id, body);
    }
    if (added.length > 0) this.#rosterChanged();
  }

  #markDeparted(id: string): void {
    this.#departed.delete(id);
    this.#departed.add(id);
    // Only recent departures can be in a roster still in flight; knocking candidates must not grow this forever.
    if (this.#departed.size > MAX_DEPARTED) this.#departed.delete(this.#departed.values().next().value as string);
  }

  #memberLeft(id: string): void {
    if (!this.#order.includes(id)) return;
    this.#markDeparted(id);
    this.#order = without(this.#order, id);
    this.#profiles.delete(id);
    this.mesh.disconnect(id);
    this.#rosterChanged();
    this.#apply('member-left');
    // A leader-only message refused a moment ago may come from the member who just became A.
    const held = this.#held.splice(0);
    for (const { from, message } of held) this.#accept(from, message);
  }

  /** Queues the leader's message for every member and acts on it here at once: no member's channel holds A back. */
  async #lead(message: MeshMessage): Promise<void> {
    if (!this.isLeader) throw new Error(`only the leader sends ${message.type}`);
    const queued = this.mesh.broadcast(encodeMeshMessage(message));
    this.#act(this.self, message);
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

  /**
   * A member this one cannot reach any more counts as departed here (the run resets, as when anyone leaves); the leader
   * then tells everyone its roster without it, so the others drop it too (`#announced`).
   */
  #dropMember(id: string, reason: StallReason | 'leader-dropped'): void {
    if (!this.#order.includes(id) || id === this.self) return;
    this.emit('member.dropped', id, reason);
    this.#memberLeft(id);
    if (this.isLeader) void this.mesh.broadcast(encodeMeshMessage(this.#roster()));
  }

  #onMessage(from: string, data: Uint8Array): void {
    if (isBlockFrame(data)) return void (this.#order.includes(from) && this.emit('run.bulk', from, data));
    const decoded = decodeMeshMessage(data);
    if (!decoded.ok) return this.emit('dropped', from, `message-${decoded.failure}`);
    this.#accept(from, decoded.message);
  }

  #accept(from: string, message: MeshMessage): void {
    const verdict = admitMessage(this.#order, from, message);
    if (!verdict.ok) {
      if (verdict.refusal === 'not-leader' && this.#held.length < MAX_HELD) this.#held.push({ from, message });
      return this.emit('refused', from, message.type, verdict.refusal);
    }
    this.#act(from, message);
  }

  #act(from: string, message: MeshMessage): void {
    switch (message.type) {
      case 'profile':
        this.#profiles.set(from, { name: message.name, sources: message.sources, status: message.status });
        return this.#changed();
      case 'settings': {
        const checked = validateSettings(message.settings);
        if (!checked.ok) return this.emit('dropped', from, `settings-refused:${checked.issues.map((i) => i.field).join(',')}`);
        this.#settings = checked.settings;
        return this.emit('settings.changed', checked.settings);
      }
      case 'start-inventory':
      case 'start-sync': {
        const before = this.#phase;
        this.#apply(message.type);
        if (this.#phase !== before) this.emit('run.command', message.type, message.run);
        return;
      }
      case 'restart':
        return this.#apply('restart');
      case 'roster':
        return this.#announced(from, message.members);
      case 'rekey': {
        const key = fromB64u(message.key);
        if (key?.length !== 32 || !this.mesh.keys.adopt(message.epoch, key)) return this.emit('dropped', from, 'rekey-stale');
        if (message.password !== undefined) this.#setPassword(message.password);
        this.mesh.flushPending();
        this.emit('keys.rotated', message.epoch);
        void this.#refreshSafety();
        return;
      }
      case 'bye':
        return this.#memberLeft(from);
      default:
        if (RUN_MESSAGE_TYPES.has(message.type)) this.emit('run.message', from, message as RunMessage);
    }
  }

  #apply(event: CloudEvent): void {
    const t = cloudTransition(this.#phase, event);
    if (!t) return;
    const before = this.#phase;
    this.#phase = t.state;
    for (const effect of t.effects) {
      if (effect === 'close-all') {
        this.mesh.close();
        this.#connection.close();
      } else if (effect === 'broadcast-profile') this.#publish();
      else if (effect === 'new-password-if-leader' && this.isLeader) this.#setPassword(generatePassword(this.#deps.random));
      else if (effect === 'rotate-key-if-leader' && this.isLeader) this.#rotate();
      else if (effect === 'reset-run') this.emit('run.reset'); // the run's state belongs to the run (core/cloud/run/)
    }
    if (before !== this.#phase) this.emit('phase.changed', this.#phase);
    this.#changed();
  }

  /** New session key for everyone still here, sent to each under the old epoch's channel keys, then adopted. */
  #rotate(): void {
    const epoch = this.mesh.keys.epoch + 1;
    const key = newSessionKey(this.#deps.random);
    const message = encodeMeshMessage({ type: 'rekey', v: MESH_PROTOCOL_VERSION, epoch, key: toB64u(key), password: this.#password });
    for (const peer of this.mesh.connected) void this.mesh.send(peer, message);
    this.mesh.keys.adopt(epoch, key);
    this.emit('keys.rotated', epoch);
    void this.#refreshSafety();
  }

  #setPassword(password: string): void {
    if (password === this.#password) return;
    this.#password = password;
    this.emit('password.changed', password);
  }

  #roster(): MeshMessage {
    return { type: 'roster', v: MESH_PROTOCOL_VERSION, members: [...this.#order] };
  }

  #profile(): MeshMessage {
    return { type: 'profile', v: MESH_PROTOCOL_VERSION, name: this.#name, sources: this.#sources, status: STATUS_OF[this.#phase] };
  }

  #publish(): void {
    void this.mesh.broadcast(encodeMeshMessage(this.#profile()));
    this.#changed();
  }

  #rosterChanged(): void {
    void this.#refreshSafety();
    this.#changed();
  }

  #changed(): void {
    this.emit('members.changed', this.members);
  }

  async #refreshSafety(): Promise<void> {
    const epoch = this.mesh.keys.epoch;
    const words = await safetyWords(this.#deps.subtle, { sessionKey: this.mesh.keys.sessionKey, sessionId: this.sessionId, epoch }, this.#order);
    if (epoch !== this.mesh.keys.epoch) return;
    this.#safety = words;
    this.emit('safety.changed', words);
  }
}
