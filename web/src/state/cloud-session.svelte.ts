/** UI state of a Cloud Session: start/join, the session's members and details, fed by the core session's events. */
import { CloudJoinError } from '../../../core/cloud/join/cloud-start.ts';
import { CloudMember } from '../../../core/cloud/member.ts';
import type { OwnSource } from '../../../core/cloud/run/cloud-run-inventory.ts';
import type { StagedLeftovers } from '../../../core/versions/staging.ts';
import type { CloudSession } from '../../../core/cloud/cloud-session.ts';
import type { CloudMemberView } from '../../../core/cloud/cloud-session-types.ts';
import type { JoinFailureReason } from '../../../core/cloud/join/cloud-join-machine.ts';
import type { CloudPhase } from '../../../core/cloud/cloud-session-machine.ts';
import type { SignalState } from '../../../core/cloud/signal-outage.ts';
import { buildInviteLink } from '../../../core/crypto/invite.ts';
import { browserMemberPorts } from '../../../adapters/browser/cloud-member-ports.ts';
import { FsaDirSink } from '../../../adapters/browser/fsa-dir-sink.ts';
import { handlesFor, sourceIdFor } from '../../../adapters/browser/source-registry.ts';
import { nestedWith } from '../../../adapters/browser/nested-source.ts';
import { readResumeRecord } from '../../../core/cloud/join/cloud-resume.ts';
import { clearStoredResume, loadStoredResume, saveStoredResume } from './cloud-resume-store.ts';
import { browserObserver, browserWatcher } from '../../../adapters/browser/fs-observer-watcher.ts';
import { CloudRunState } from './cloud-run.svelte.ts';
import { ownVersionSources, type VersionSource } from './versions.svelte.ts';
import { ContinuousState } from './continuous.svelte.ts';
import { clock, platformHasher, store } from './platform.ts';

const NAME_KEY = 'quintet.deviceName';
/** Set to 'relay' to send all WebRTC traffic through TURN (hides this computer's addresses from the others). */
const RELAY_KEY = 'quintet.iceTransportPolicy';
/**
 * Tests only (e2e/cloud-lanes.spec.ts): "0"–"3" lanes opened to each peer at once, whatever the path, as the CLI's
 * QUINTET_TEST_LANES; absent (always, for users): lanes open adaptively (core/mesh/lanes.ts).
 */
const TEST_LANES_KEY = 'quintet.testLanes';

function testLanes(): { lanes?: number } {
  const value = localStorage.getItem(TEST_LANES_KEY);
  return value !== null && /^[0-3]$/.test(value) ? { lanes: Number(value) } : {};
}

interface PermissionHandle {
  queryPermission(options: { mode: 'read' }): Promise<PermissionState>;
  requestPermission(options: { mode: 'read' }): Promise<PermissionState>;
}

/** A folder from before a reload that the browser asks permission for again. */
interface WaitingSource {
  id: string;
  handle: FileSystemDirectoryHandle | FileSystemFileHandle;
}

interface PickerWindow {
  showDirectoryPicker(options?: { mode?: 'read' | 'readwrite' }): Promise<FileSystemDirectoryHandle>;
  showOpenFilePicker(options?: { multiple?: boolean }): Promise<FileSystemFileHandle[]>;
}

function defaultDeviceName(): string {
  const platform = (navigator as { userAgentData?: { platform?: string } }).userAgentData?.platform || navigator.platform || '';
  return platform ? `Chrome (${platform})` : 'Chrome';
}

function ports(deviceName: string) {
  // Continuous synchronization watches the picked folders: FileSystemObserver where Chrome has it, else a rescan.
  return { ...browserMemberPorts({ deviceName, hasher: platformHasher(), store, clock, relayOnly: localStorage.getItem(RELAY_KEY) === 'relay', location, ...testLanes() }), watcher: browserWatcher(clock), observer: browserObserver() };
}

export class CloudSessionState {
  view = $state<'choose' | 'join' | 'resuming' | 'session' | 'ended'>('choose');
  /** The place kept over a reload could not be taken back (the page says so on the start screen). */
  resumeFailed = $state(false);
  /** Folders from before the reload waiting for the user's permission (one Restore access click). */
  waitingSources = $state.raw<readonly WaitingSource[]>([]);
  working = $state(false);
  joinError = $state<JoinFailureReason | null>(null);
  endedBy = $state<'exit' | 'closed' | null>(null);
  member = $state.raw<CloudMember | null>(null);
  session = $state.raw<CloudSession | null>(null);
  /** The session's runs: inventories, comparison, plan, transfer (issue 6). */
  run = $state.raw<CloudRunState | null>(null);
  /** Continuous synchronization (issue 13): setting, pause, member states, Activity. */
  continuous = $state.raw<ContinuousState | null>(null);
  members = $state.raw<CloudMemberView[]>([]);
  phase = $state<CloudPhase>('waiting');
  safetyWords = $state.raw<readonly string[]>([]);
  /** The session password as it is now: the leader replaces it whenever a member leaves. */
  password = $state('');
  /** Set once the password changed during this session (the old invite link no longer works), with why. */
  passwordChanged = $state<false | 'left' | 'leader-back'>(false);
  dropped = $state(0);
  /** Members this one disconnected because they stopped receiving (or the leader did): shown, never silent. */
  droppedMembers = $state.raw<{ letter: string; name: string; reason: 'stalled' | 'queue-full' | 'leader-dropped' | 'signal-offline' }[]>([]);
  /** The signaling server's reachability: while `offline` the session goes on over the mesh and no one can join. */
  signal = $state<SignalState>('online');
  deviceName = $state(localStorage.getItem(NAME_KEY) || defaultDeviceName());
  prefill = $state.raw<{ sessionId: string; password: string }>({ sessionId: '', password: '' });
  /** This member's sources (the member publishes names and kinds; the handles never leave this page). */
  #sources: OwnSource[] = [];
  /** The same list, as the page reads it (the Versions view follows added and removed folders). */
  ownSources = $state.raw<readonly OwnSource[]>([]);
  /** The last folder or file refused when added (inside one of this member's folders, or holding one). */
  addRefused = $state.raw<{ name: string; other: string; code: string } | null>(null);
  /** Files a closed or reloaded tab left staged in each own folder's `.quintet/tmp/`, by source id (the member's count). */
  leftovers = $state.raw<Readonly<Record<string, StagedLeftovers>>>({});

  constructor(invite: { sessionId: string; password: string } | null) {
    if (invite) {
      this.prefill = invite;
      this.view = 'join';
      return;
    }
    const stored = loadStoredResume();
    const record = stored ? readResumeRecord(stored.record) : null;
    if (stored && record) void this.#resume(record, stored.sources);
    else clearStoredResume();
  }

  get isLeader(): boolean {
    return this.members[0]?.self ?? false;
  }

  /** This member's own folders by code, for the Versions view (never another member's). */
  get versionSources(): VersionSource[] {
    return ownVersionSources(this.members.find((m) => m.self)?.letter ?? '', this.ownSources);
  }

  get inviteLink(): string {
    return this.session ? buildInviteLink(`${location.origin}/`, this.session.sessionId, this.password) : '';
  }

  openJoin(): void {
    this.joinError = null;
    this.view = 'join';
  }

  back(): void {
    this.joinError = null;
    this.view = 'choose';
  }

  async start(): Promise<void> {
    await this.#enter(() => CloudMember.start(ports(this.deviceName)));
  }

  async join(sessionId: string, password: string): Promise<void> {
    await this.#enter(() => CloudMember.join(ports(this.deviceName), { sessionId: sessionId.trim(), password }));
  }

  rename(name: string): void {
    const trimmed = name.trim().slice(0, 64);
    if (!trimmed) return;
    this.deviceName = trimmed;
    localStorage.setItem(NAME_KEY, trimmed);
    this.session?.setName(trimmed);
  }

  /** Read access only: write is asked when a plan first targets the folder ("Allow writing to …", issue 9 finding 13). */
  async addDirectory(): Promise<void> {
    await this.#pick(async () => [await (window as unknown as PickerWindow).showDirectoryPicker({ mode: 'read' })]);
  }

  async addFile(): Promise<void> {
    await this.#pick(() => (window as unknown as PickerWindow).showOpenFilePicker({ multiple: false }));
  }

  removeSource(index: number): void {
    this.#sources.splice(index, 1);
    this.#setSources();
  }

  /** "Remove now" for own folder `index`: the member removes the staged files it counted there (called from the click). */
  async removeLeftovers(index: number): Promise<void> {
    const id = this.#sources[index]?.id;
    if (id !== undefined) await this.member?.removeLeftovers(id).catch((error: unknown) => console.error(error));
  }

  async restart(): Promise<void> {
    await this.session?.restart();
  }

  async exit(): Promise<void> {
    clearStoredResume();
    await this.session?.exit();
  }

  /** The Restore access click: each waiting folder is asked within it; the granted ones join this member's sources. */
  async restoreAccess(): Promise<void> {
    const still: WaitingSource[] = [];
    for (const waiting of this.waitingSources) {
      const state = await (waiting.handle as unknown as PermissionHandle).requestPermission({ mode: 'read' }).catch(() => 'denied' as const);
      if (state === 'granted') this.#sources.push({ source: new FsaDirSink(waiting.handle), id: waiting.id });
      else still.push(waiting);
    }
    this.waitingSources = still;
    this.#setSources();
  }

  /** A reload within the grace: the member takes its place (letter) back, then its folders where access is still granted. */
  async #resume(record: NonNullable<ReturnType<typeof readResumeRecord>>, sourceIds: readonly string[]): Promise<void> {
    this.view = 'resuming';
    this.working = true;
    try {
      const granted: OwnSource[] = [];
      const waiting: WaitingSource[] = [];
      for (const { id, handle } of await handlesFor(store, sourceIds)) {
        const state = await (handle as unknown as PermissionHandle).queryPermission({ mode: 'read' }).catch(() => 'prompt' as const);
        if (state === 'granted') granted.push({ source: new FsaDirSink(handle), id });
        else waiting.push({ id, handle });
      }
      const member = await CloudMember.resume(ports(this.deviceName), record);
      // No await from here on: what is remembered never misses the folders in between.
      this.#sources = granted;
      this.waitingSources = waiting;
      this.#attach(member);
    } catch (error) {
      if (!(error instanceof CloudJoinError)) console.error(error);
      clearStoredResume();
      this.resumeFailed = true;
      this.view = 'choose';
    } finally {
      this.working = false;
    }
  }

  /** Keeps what a reload needs (sessionStorage): the session's record and this member's folders, or nothing once it ended. */
  #remember(): void {
    const record = this.session?.resumeRecord() ?? null;
    if (record) saveStoredResume({ record, sources: [...this.#sources.map((s) => s.id), ...this.waitingSources.map((s) => s.id)] });
    else clearStoredResume();
  }

  async #pick(open: () => Promise<(FileSystemDirectoryHandle | FileSystemFileHandle)[]>): Promise<void> {
    try {
      const picked = await open();
      // Each source keeps its stable id, so its index survives reloads.
      for (const h of picked) {
        // One inside another of this member's folders, or holding one, is refused (adapters/browser/nested-source.ts).
        const own = [...this.#sources.flatMap((s) => (s.source instanceof FsaDirSink ? [s.source.handle] : [])), ...this.waitingSources.map((w) => w.handle)];
        const other = await nestedWith(h, own);
        const at = other ? own.indexOf(other) : -1;
        const letter = this.members.find((m) => m.self)?.letter ?? '';
        this.addRefused = other ? { name: h.name, other: other.name, code: at < this.#sources.length ? `${letter}${at + 1}` : '…' } : null;
        if (!other) this.#sources.push({ source: new FsaDirSink(h), id: await sourceIdFor(store, h) });
      }
      this.#setSources();
    } catch (error) {
      if ((error as { name?: string })?.name !== 'AbortError') console.error(error);
    }
  }

  #setSources(): void {
    this.ownSources = [...this.#sources];
    this.member?.setSources(this.#sources);
    this.#remember();
  }

  async #enter(make: () => Promise<CloudMember>): Promise<void> {
    this.working = true;
    this.joinError = null;
    try {
      this.#attach(await make());
    } catch (error) {
      this.joinError = error instanceof CloudJoinError ? error.reason : 'network';
      if (!(error instanceof CloudJoinError)) console.error(error);
    } finally {
      this.working = false;
    }
  }

  #attach(member: CloudMember): void {
    const session = member.session;
    this.member = member;
    this.session = session;
    this.leftovers = member.leftovers;
    member.on('leftovers.changed', (leftovers) => (this.leftovers = leftovers));
    this.members = session.members;
    this.phase = session.phase;
    this.safetyWords = session.safetyWords;
    this.password = session.password;
    this.passwordChanged = false;
    this.droppedMembers = [];
    session.on('password.changed', (password, why) => {
      // A member back from a reload kept no password: the leader's first word of it is no change.
      if (this.password) this.passwordChanged = why ?? 'left';
      this.password = password;
    });
    session.on('resume.changed', () => this.#remember());
    session.on('members.changed', (members) => (this.members = members));
    session.on('phase.changed', (phase) => (this.phase = phase));
    session.on('safety.changed', (words) => (this.safetyWords = words));
    session.on('dropped', (from, reason) => {
      this.dropped++;
      console.warn('[mesh] dropped', from, reason);
    });
    // Lanes (core/mesh/lanes.ts) come and go without touching the pair: their life is in the console, for diagnosis.
    session.mesh.on('lane', (peer, lane, what, detail) => console.info('[mesh] lane', lane, what, 'with', peer, detail ?? ''));
    session.on('member.dropped', (id, reason) => {
      const member = this.members.find((m) => m.id === id);
      this.droppedMembers = [...this.droppedMembers, { letter: member?.letter ?? '?', name: member?.name ?? '', reason }];
    });
    this.signal = session.signalState;
    session.on('signal.changed', (state) => (this.signal = state));
    session.on('refused', (from, type, refusal) => console.warn('[mesh] refused', type, 'from', from, refusal));
    session.on('ended', (reason) => {
      clearStoredResume();
      this.endedBy = reason;
      this.view = 'ended';
    });
    const run = (this.run = new CloudRunState(member));
    this.continuous = new ContinuousState(member);
    this.#setSources();
    this.view = 'session';
    // Tests and bench/transfer read the session (ID, epoch, key), the run (state, counters) and the data channels'
    // own byte counts through this handle (docs/protocol.md §10.6).
    (globalThis as { __quintetCloud?: unknown }).__quintetCloud = {
      session, run: run.run, member,
      counters: () => ({ ...run.run.counters }),
      channelStats: () => session.mesh.stats(),
    };
  }
}
