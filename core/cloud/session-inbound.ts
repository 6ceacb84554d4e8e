/** What the other members do, as one member's session takes it: their mesh messages (the leader rule first), absences, returns, departures. */
import type { Emitter } from '../events.ts';
import { decodeMeshMessage, encodeMeshMessage } from '../protocol/mesh-codec.ts';
import { INVENTORY_WHOLE, type MeshMessage } from '../protocol/mesh-messages.ts';
import { RUN_MESSAGE_TYPES, type RunMessage } from '../protocol/run-messages.ts';
import { isBlockFrame } from '../protocol/block-frame.ts';
import { validateSettings, type SessionSettings } from '../settings/settings.ts';
import type { Roster } from './cloud-roster.ts';
import type { CloudEvents, DropReason } from './cloud-session-types.ts';
import { LeaderRule, type CloudEvent, type CloudPhase } from './cloud-session-machine.ts';
import type { SessionParts } from './session-parts.ts';

/** Settings with the role kept under `was` moved to `id` (a member back from a reload has a new ID). */
export function withRoleMoved(settings: SessionSettings, was: string, id: string): SessionSettings {
  const { [was]: role, ...roles } = settings.roles;
  return role === undefined ? settings : { ...settings, roles: { ...roles, [id]: role } };
}

/** What the inbound side needs from its session. */
export interface InboundHost {
  self: string;
  events: Emitter<CloudEvents>;
  members: Roster;
  parts: SessionParts;
  isLeader(): boolean;
  /** `exit()` said `bye`: only a peer's own `bye` matters any more. */
  leaving(): boolean;
  phase(): CloudPhase;
  /** Moves the phase table (cloud-session-machine.ts) and carries out its effects. */
  apply(event: CloudEvent): void;
  settings(): SessionSettings;
  /** The leader's settings, validated: this member applies them from now on. `from`: the member that sent them. */
  takeSettings(settings: SessionSettings, from: string): void;
  /** Leader only: new settings for every member (CloudSession.changeSettings). */
  changeSettings(settings: SessionSettings): Promise<void>;
  /** What the members' list shows changed (`members.changed`). */
  changed(): void;
  /** The join order changed: safety words and the resume record follow it. */
  rosterChanged(): void;
}

/** Takes the others' messages and membership changes into one member's session. */
export class SessionInbound {
  readonly #h: InboundHost;
  readonly #leaderRule = new LeaderRule();

  constructor(host: InboundHost) {
    this.#h = host;
  }

  /** A sealed frame from member `from`: a mesh message, or a block piece for the run. */
  message(from: string, data: Uint8Array): void {
    const { members, parts, events } = this.#h;
    // Leaving: only a peer's own `bye` matters (its channel closes at once); the rest is for a session we left.
    if (this.#h.leaving()) {
      const decoded = isBlockFrame(data) ? null : decodeMeshMessage(data);
      if (decoded?.ok && decoded.message.type === 'bye') parts.mesh.disconnect(from);
      return;
    }
    if (isBlockFrame(data)) return void (members.has(from) && events.emit('run.bulk', from, data));
    const decoded = decodeMeshMessage(data);
    if (!decoded.ok) return events.emit('dropped', from, `message-${decoded.failure}`);
    this.#accept(from, decoded.message);
  }

  /** The server holds `id`'s slot: its channel is gone, its letter stays; a run under way is reset (it cannot take part). */
  away(id: string): void {
    if (id === this.#h.self || !this.#h.members.away(id)) return;
    this.#h.parts.mesh.disconnect(id);
    this.#h.apply('member-away');
    this.#h.changed();
  }

  /** `was` took its slot back as `id`: same place, so same letter; it makes the offers (it is the newest connection). */
  back(id: string, was: string, address: string): void {
    const h = this.#h;
    if (!h.members.resumed(was, id, address)) return;
    h.parts.mesh.disconnect(was);
    // The server's slot proves nothing (another member holds the session key too): the channel opens once the member
    // proved its resume identity to this one, if it announced one (resume-keys.ts; dropped otherwise).
    h.parts.resume.expect(id, (held) => {
      h.parts.mesh.connect(id, false);
      for (const body of held) void h.parts.mesh.receiveSignal(id, body);
    });
    // Roles are kept by member ID (§10.11): the leader carries the returning member's over to its new ID.
    if (h.isLeader() && h.settings().roles[was] !== undefined) void h.changeSettings(withRoleMoved(h.settings(), was, id)).catch(() => undefined);
    h.rosterChanged();
    h.events.emit('resume.changed');
    for (const { from, message } of this.#leaderRule.release()) this.#accept(from, message);
  }

  /** `id` left (its `bye`, the server's `left`, or dropped): its letter goes, the run resets, A may now be someone else. */
  left(id: string): void {
    if (!this.#h.members.remove(id)) return;
    this.#h.parts.resume.forget(id);
    this.#h.parts.mesh.disconnect(id);
    this.#h.rosterChanged();
    this.#h.apply('member-left');
    // A leader-only message refused a moment ago may come from the member who just became A.
    for (const { from, message } of this.#leaderRule.release()) this.#accept(from, message);
  }

  /**
   * A member this one cannot reach any more counts as departed here (the run resets, as when anyone leaves); the leader
   * then tells everyone its roster without it, so the others drop it too (Admissions.announced).
   */
  drop(id: string, reason: DropReason): void {
    const h = this.#h;
    if (!h.members.has(id) || id === h.self) return;
    h.events.emit('member.dropped', id, reason);
    this.left(id);
    if (h.isLeader()) void h.parts.mesh.broadcast(encodeMeshMessage(h.members.message()));
  }

  #accept(from: string, message: MeshMessage): void {
    const verdict = this.#leaderRule.admit(this.#h.members.order, from, message);
    if (!verdict.ok) return this.#h.events.emit('refused', from, message.type, verdict.refusal);
    this.act(from, message);
  }

  /** Carries out an admitted message (the leader's own too, as it sends them: CloudSession's lead). */
  act(from: string, message: MeshMessage): void {
    const { members, parts, events } = this.#h;
    switch (message.type) {
      case 'profile':
        members.setProfile(from, {
          name: message.name, sources: message.sources, status: message.status, features: message.features ?? [],
          ...(message.protocol !== undefined ? { protocol: message.protocol } : {}), ...(message.resumeKey !== undefined ? { resumeKey: message.resumeKey } : {}),
        });
        parts.mesh.considerLanes(from);
        return this.#h.changed();
      case 'settings': {
        const checked = validateSettings(message.settings);
        if (!checked.ok) return events.emit('dropped', from, `settings-refused:${checked.issues.map((i) => i.field).join(',')}`);
        this.#h.takeSettings(checked.settings, from);
        events.emit('resume.changed');
        return events.emit('settings.changed', checked.settings);
      }
      case 'start-inventory':
      case 'start-sync': {
        const before = this.#h.phase();
        this.#h.apply(message.type);
        // A leader that does not mark whole rounds (INVENTORY_WHOLE) may mean one by an unmarked round: walk it whole.
        const marks = from === this.#h.self || members.reads(from, INVENTORY_WHOLE);
        const scope = message.type !== 'start-inventory' ? undefined : (message.scope ?? (message.whole || !marks ? 'whole' : undefined));
        if (this.#h.phase() !== before) events.emit('run.command', message.type, message.run, scope);
        return;
      }
      case 'restart':
        return this.#h.apply('restart');
      case 'roster':
        if (message.password !== undefined) parts.secrets.learn(message.password);
        parts.door.announced(from, message.members);
        return events.emit('resume.changed');
      case 'rekey':
        if (!parts.secrets.adopt(message)) events.emit('dropped', from, 'rekey-stale');
        return;
      case 'bye':
        return this.left(from);
      case 'signal-home':
      case 'signal-claim':
        return parts.outage.onMesh(from, message);
      default:
        if (RUN_MESSAGE_TYPES.has(message.type)) events.emit('run.message', from, message as RunMessage);
    }
  }
}
