/** One Cloud Session member as a whole: membership (CloudSession) and runs (CloudRun), driven the same way by page, CLI or test. */
import { Emitter } from '../events.ts';
import type { BlobDecoder, BlockCodec, Compressor, Hasher, SourceObserver, SourceWatcher, Store } from '../ports.ts';
import { Continuous } from '../continuous/continuous.ts';
import type { TargetTraits } from '../names/names.ts';
import { validateSettings, type SessionSettings, type SettingsIssue } from '../settings/settings.ts';
import type { CloudDeps } from './cloud-ports.ts';
import type { CloudSession } from './cloud-session.ts';
import type { CloudMemberView, InventoryScope, ResumeRecord } from './cloud-session-types.ts';
import { resumeCloudSession } from './join/cloud-resume.ts';
import { joinCloudSession, startCloudSession, type GroupStart, type JoinInput } from './join/cloud-start.ts';
import { CloudRun } from './run/cloud-run.ts';
import type { OwnSource } from './run/cloud-run-inventory.ts';
import { findStaged, removeStaged, type StagedLeftovers } from '../versions/staging.ts';

/** Everything a member is built from: one options object of ports (browser: adapters/browser/cloud-member-ports.ts). */
export interface CloudMemberPorts {
  /** Membership: crypto, randomness, clock and timers, signaling, mesh transport, device name. */
  deps: CloudDeps;
  hasher: Hasher;
  store: Store;
  compressor: Compressor;
  /** Where peers' inventories and plans are inflated and parsed (a worker in the browser); this thread by default. */
  blobDecoder?: BlobDecoder;
  /** File blocks compressed between members (`block-deflate`): the platform's zlib on a headless member, fflate (core) unless given. */
  blockCodec?: BlockCodec;
  /** What this machine's file systems refuse (names check of the leader's plans). */
  targetTraits?: TargetTraits;
  copyConcurrency?: number;
  /** Per-file bytes requested ahead from the owner (core/transfer/remote-blocks.ts). */
  windowBytes?: number;
  /** Watches this member's own sources for continuous synchronization (without one, only reconciliation rounds see changes). */
  watcher?: SourceWatcher;
  /** Observes them for rounds started by hand (docs/protocol.md §3.1); without one such rounds walk whole. */
  observer?: SourceObserver;
}

/**
 * A member of a Cloud Session. It owns what the protocol asks of a member beyond single messages: the leader sends its
 * settings again right before every `start-inventory` and to every member whose channel opens (docs/protocol.md §8,
 * §10.1), so every member inventories and compares with the round's settings, a newcomer included.
 */
export class CloudMember extends Emitter<{ 'sources.changed': [sources: readonly OwnSource[]]; 'leftovers.changed': [leftovers: Readonly<Record<string, StagedLeftovers>>] }> {
  readonly session: CloudSession;
  readonly run: CloudRun;
  /** Continuous synchronization (issue 13): watchers, notices, pause, Activity; on the leader, the loop of rounds. */
  readonly continuous: Continuous;
  readonly #ports: CloudMemberPorts;
  #sources: OwnSource[] = [];
  #leftovers: Record<string, StagedLeftovers> = {};
  #rounds = 0;
  /** Members whose channel was open at the last roster change: the leader sends its settings to each newcomer. */
  #connected = new Set<string>();

  /** Creates a session: this member is its A (a standing group's hub: under the run's rendezvous, `group`). */
  static async start(ports: CloudMemberPorts, group?: GroupStart): Promise<CloudMember> {
    return new CloudMember(await startCloudSession(ports.deps, group), ports);
  }

  /** Joins a session by its ID (or a group run's rendezvous) and password (rejects with a CloudJoinError). */
  static async join(ports: CloudMemberPorts, invite: JoinInput): Promise<CloudMember> {
    return new CloudMember(await joinCloudSession(ports.deps, invite), ports);
  }

  /** Takes this member's place back after a reload, from what it kept (rejects with a CloudJoinError when it cannot). */
  static async resume(ports: CloudMemberPorts, record: ResumeRecord): Promise<CloudMember> {
    return new CloudMember(await resumeCloudSession(ports.deps, record), ports);
  }

  constructor(session: CloudSession, ports: CloudMemberPorts) {
    super();
    this.session = session;
    this.#ports = ports;
    this.run = new CloudRun({
      session, hasher: ports.hasher, store: ports.store, clock: ports.deps.clock, compressor: ports.compressor, decoder: ports.blobDecoder, blockCodec: ports.blockCodec,
      targetTraits: ports.targetTraits, copyConcurrency: ports.copyConcurrency, windowBytes: ports.windowBytes,
      ...(ports.observer ? { observer: ports.observer } : {}),
    });
    session.on('members.changed', (members) => this.#rosterChanged(members));
    // Counted again after a run while some are shown (its retention may have removed day-old ones); not at every round:
    // continuous rounds look only at what changed (§12), and nothing but a closed tab leaves files there.
    this.run.on('state.changed', (state) => void (state === 'done' && Object.keys(this.#leftovers).length > 0 ? this.#countLeftovers() : undefined));
    this.continuous = new Continuous({ host: this, clock: ports.deps.clock, watcher: ports.watcher });
  }

  get isLeader(): boolean {
    return this.session.isLeader;
  }

  /** The leader's settings as this member applies them (validated where they entered). */
  get settings(): SessionSettings {
    return this.session.settings;
  }

  get sources(): readonly OwnSource[] {
    return this.#sources;
  }

  /**
   * Replaces this member's own sources, in order (codes `<letter>1`, `<letter>2` …): the others see their names and kinds
   * at once, the next inventory reads them. One list, so names and folders never disagree.
   */
  setSources(sources: readonly OwnSource[]): void {
    this.#sources = [...sources];
    this.run.setSources(this.#sources);
    this.session.setSources(this.#sources.map(({ source }) => ({ name: source.name, kind: source.rootKind })));
    this.emit('sources.changed', this.#sources);
    void this.#countLeftovers(); // a folder just added (or back after a reload) shows what a closed tab left in it
  }

  /**
   * Files a closed or reloaded tab left staged in each own folder's `.quintet/tmp/`, by source id (only folders that
   * hold some): counted when the sources change (a folder added, or back after a reload) and after a run while some
   * are shown (core/versions/staging.ts).
   */
  get leftovers(): Readonly<Record<string, StagedLeftovers>> {
    return this.#leftovers;
  }

  /**
   * Removes from own folder `id` the staged files last counted there (only those, only while unchanged since), asking
   * write access first (call it from a click); refused while a round inventories or synchronizes. Returns what is left.
   */
  async removeLeftovers(id: string): Promise<StagedLeftovers> {
    const own = this.#sources.find((s) => s.id === id);
    const found = this.#leftovers[id];
    if (!own || !found) return { files: [], bytes: 0 };
    if (['inventory', 'sharing', 'syncing'].includes(this.run.state)) throw new Error(`staged files are not removed while the run is in ${this.run.state}`);
    const state = await own.source.access('readwrite', true).catch(() => 'denied' as const);
    if (state !== 'granted') return found;
    const left = await removeStaged(own.source, found);
    if (this.#sources.includes(own)) this.#setLeftovers({ ...this.#leftovers, [id]: left });
    return left;
  }

  async #countLeftovers(): Promise<void> {
    const at = this.#sources;
    const found = await Promise.all(at.filter((s) => s.source.rootKind === 'directory').map(async (s) => [s.id, await findStaged(s.source)] as const));
    if (this.#sources === at) this.#setLeftovers(Object.fromEntries(found));
  }

  #setLeftovers(next: Record<string, StagedLeftovers>): void {
    this.#leftovers = Object.fromEntries(Object.entries(next).filter(([, l]) => l.files.length > 0));
    this.emit('leftovers.changed', this.#leftovers);
  }

  /** Leader: new settings for everyone. Refused ones change nothing and come back as issues; `sent` once queued for all. */
  changeSettings(next: SessionSettings): { issues: SettingsIssue[]; sent: Promise<void> } {
    const checked = validateSettings(next);
    if (!checked.ok) return { issues: checked.issues, sent: Promise.resolve() };
    return { issues: [], sent: this.session.changeSettings(checked.settings) };
  }

  /**
   * Leader: sends the settings again (a member who joined since has them), then every member inventories (`scope`
   * 'changed': only what its watcher named, §12). Returns the round.
   */
  async startInventory(scope?: InventoryScope): Promise<string> {
    const round = `i${this.#ports.deps.clock.now().toString(36)}-${++this.#rounds}`;
    await this.session.changeSettings(this.session.settings);
    await this.session.startInventory(round, scope);
    return round;
  }

  /** Leaves the session (the others see it go at once). */
  exit(): Promise<void> {
    return this.session.exit();
  }

  #rosterChanged(members: readonly CloudMemberView[]): void {
    const up = new Set(members.filter((m) => m.connected && !m.self).map((m) => m.id));
    const newcomer = [...up].some((id) => !this.#connected.has(id));
    this.#connected = up;
    // Settings are not part of the join handover: the leader repeats them when a channel opens, so every member has them.
    if (newcomer && this.session.isLeader) void this.session.changeSettings(this.session.settings).catch(() => undefined);
  }
}
