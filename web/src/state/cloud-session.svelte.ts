/** UI state of a Cloud Session: start/join, the session's members and details, fed by the core session's events. */
import { startCloudSession, joinCloudSession, CloudJoinError } from '../../../core/cloud/join/cloud-start.ts';
import type { CloudSession, CloudMemberView } from '../../../core/cloud/cloud-session.ts';
import type { CloudDeps } from '../../../core/cloud/cloud-ports.ts';
import type { JoinFailureReason } from '../../../core/cloud/join/cloud-join-machine.ts';
import type { CloudPhase } from '../../../core/cloud/cloud-session-machine.ts';
import type { SourceEntry } from '../../../core/protocol/mesh-messages.ts';
import { buildInviteLink } from '../../../core/crypto/invite.ts';
import type { SubtleLike } from '../../../core/crypto/subtle.ts';
import { browserSignalConnector, signalUrlFor } from '../../../adapters/browser/signal-client.ts';
import { peerTransport } from '../../../adapters/browser/peer-transport.ts';
import { FsaDirSink } from '../../../adapters/browser/fsa-dir-sink.ts';
import { sourceIdFor } from '../../../adapters/browser/source-registry.ts';
import { CloudRunState } from './cloud-run.svelte.ts';
import { clock, store } from './platform.ts';

const NAME_KEY = 'quintet.deviceName';
/** Set to 'relay' to send all WebRTC traffic through TURN (hides this computer's addresses from the others). */
const RELAY_KEY = 'quintet.iceTransportPolicy';

interface PickerWindow {
  showDirectoryPicker(options?: { mode?: 'read' | 'readwrite' }): Promise<FileSystemDirectoryHandle>;
  showOpenFilePicker(options?: { multiple?: boolean }): Promise<FileSystemFileHandle[]>;
}

function defaultDeviceName(): string {
  const platform = (navigator as { userAgentData?: { platform?: string } }).userAgentData?.platform || navigator.platform || '';
  return platform ? `Chrome (${platform})` : 'Chrome';
}

function deps(deviceName: string): CloudDeps {
  return {
    subtle: crypto.subtle as unknown as SubtleLike,
    random: { bytes: (n) => crypto.getRandomValues(new Uint8Array(n)) },
    clock,
    signal: browserSignalConnector(signalUrlFor(location), (reason) => console.warn('[signal] bad frame dropped:', reason)),
    transport: ({ iceServers }) => peerTransport({ iceServers, iceTransportPolicy: localStorage.getItem(RELAY_KEY) === 'relay' ? 'relay' : 'all' }),
    deviceName,
  };
}

export class CloudSessionState {
  view = $state<'choose' | 'join' | 'session' | 'ended'>('choose');
  working = $state(false);
  joinError = $state<JoinFailureReason | null>(null);
  endedBy = $state<'exit' | 'closed' | null>(null);
  session = $state.raw<CloudSession | null>(null);
  /** The session's runs: inventories, comparison, plan, transfer (issue 6). */
  run = $state.raw<CloudRunState | null>(null);
  members = $state.raw<CloudMemberView[]>([]);
  phase = $state<CloudPhase>('waiting');
  safetyWords = $state.raw<readonly string[]>([]);
  /** The session password as it is now: the leader replaces it whenever a member leaves. */
  password = $state('');
  /** True once the password changed during this session (the old invite link no longer works). */
  passwordChanged = $state(false);
  dropped = $state(0);
  /** Members this one disconnected because they stopped receiving (or the leader did): shown, never silent. */
  droppedMembers = $state.raw<{ letter: string; name: string; reason: 'stalled' | 'queue-full' | 'leader-dropped' }[]>([]);
  deviceName = $state(localStorage.getItem(NAME_KEY) || defaultDeviceName());
  prefill = $state.raw<{ sessionId: string; password: string }>({ sessionId: '', password: '' });
  /** This member's sources: the handles stay here (issue 6 reads them); others only ever see names and kinds. */
  #handles: (FileSystemDirectoryHandle | FileSystemFileHandle)[] = [];

  constructor(invite: { sessionId: string; password: string } | null) {
    if (invite) {
      this.prefill = invite;
      this.view = 'join';
    }
  }

  get isLeader(): boolean {
    return this.members[0]?.self ?? false;
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
    await this.#enter(() => startCloudSession(deps(this.deviceName)));
  }

  async join(sessionId: string, password: string): Promise<void> {
    await this.#enter(() => joinCloudSession(deps(this.deviceName), { sessionId: sessionId.trim(), password }));
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
    this.#handles.splice(index, 1);
    this.#publishSources();
  }

  async restart(): Promise<void> {
    await this.session?.restart();
  }

  async exit(): Promise<void> {
    await this.session?.exit();
  }

  async #pick(open: () => Promise<(FileSystemDirectoryHandle | FileSystemFileHandle)[]>): Promise<void> {
    try {
      const picked = await open();
      this.#handles.push(...picked);
      this.#publishSources();
    } catch (error) {
      if ((error as { name?: string })?.name !== 'AbortError') console.error(error);
    }
  }

  #publishSources(): void {
    const handles = [...this.#handles];
    const entries: SourceEntry[] = handles.map((h) => ({ name: h.name, kind: h.kind }));
    this.session?.setSources(entries);
    // The run reads and writes the folders; each keeps its stable id so its index survives reloads.
    void Promise.all(handles.map(async (h) => ({ source: new FsaDirSink(h), id: await sourceIdFor(store, h) }))).then((sources) => {
      if (handles.length === this.#handles.length && handles.every((h, i) => h === this.#handles[i])) this.run?.setSources(sources);
    });
  }

  async #enter(make: () => Promise<CloudSession>): Promise<void> {
    this.working = true;
    this.joinError = null;
    try {
      const session = await make();
      this.#attach(session);
    } catch (error) {
      this.joinError = error instanceof CloudJoinError ? error.reason : 'network';
      if (!(error instanceof CloudJoinError)) console.error(error);
    } finally {
      this.working = false;
    }
  }

  #attach(session: CloudSession): void {
    this.session = session;
    this.members = session.members;
    this.phase = session.phase;
    this.safetyWords = session.safetyWords;
    this.password = session.password;
    this.passwordChanged = false;
    this.droppedMembers = [];
    session.on('password.changed', (password) => {
      this.password = password;
      this.passwordChanged = true;
    });
    session.on('members.changed', (members) => (this.members = members));
    session.on('phase.changed', (phase) => (this.phase = phase));
    session.on('safety.changed', (words) => (this.safetyWords = words));
    session.on('dropped', (from, reason) => {
      this.dropped++;
      console.warn('[mesh] dropped', from, reason);
    });
    session.on('member.dropped', (id, reason) => {
      const member = this.members.find((m) => m.id === id);
      this.droppedMembers = [...this.droppedMembers, { letter: member?.letter ?? '?', name: member?.name ?? '', reason }];
    });
    session.on('refused', (from, type, refusal) => console.warn('[mesh] refused', type, 'from', from, refusal));
    session.on('ended', (reason) => {
      this.endedBy = reason;
      this.view = 'ended';
    });
    const run = (this.run = new CloudRunState(session));
    this.#publishSources();
    this.view = 'session';
    // Tests and bench/transfer read the session (ID, epoch, key), the run (state, counters) and the data channels'
    // own byte counts through this handle (docs/protocol.md §10.6).
    (globalThis as { __quintetCloud?: unknown }).__quintetCloud = {
      session, run: run.run,
      counters: () => ({ ...run.run.counters }),
      channelStats: () => session.mesh.stats(),
    };
  }
}
