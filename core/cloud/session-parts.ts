/** The parts a Cloud Session is made of (sealed mesh, resume keys, admissions, secrets, signaling outage), built and wired to it. */
import type { Emitter } from '../events.ts';
import { Mesh } from '../mesh/mesh.ts';
import { MeshKeys } from '../mesh/mesh-keys.ts';
import { encodeMeshMessage } from '../protocol/mesh-codec.ts';
import { LANE_LOSS, MESH_LANES, MESH_PROTOCOL_VERSION, type MeshMessage } from '../protocol/mesh-messages.ts';
import type { ServerMessage } from '../protocol/signal-messages.ts';
import { isBlockFrame } from '../protocol/block-frame.ts';
import { RESUME_SEED_BYTES } from '../crypto/resume-proof.ts';
import type { Roster } from './cloud-roster.ts';
import type { CloudEvents, CloudSessionInit, DropReason } from './cloud-session-types.ts';
import { Admissions } from './join/admissions.ts';
import { JoinBrake } from './join/join-brake.ts';
import { ResumeKeys } from './join/resume-keys.ts';
import { SessionSecrets } from './session-secrets.ts';
import type { SignalLink } from './signal-link.ts';
import { SignalOutage } from './signal-outage.ts';

/** What the parts call back into: the session that holds them. */
export interface PartsHost {
  /** The session's events: the parts report password, key, safety-word and signaling changes, and what they drop. */
  events: Emitter<CloudEvents>;
  isLeader(): boolean;
  /** This member's profile, sent to each member whose channel opens. */
  profile(): MeshMessage;
  /** `aliases` for a handover once the session re-homed (mesh → server IDs), else nothing. */
  aliased(): { aliases?: Record<string, string> };
  /** A sealed frame from a member (a mesh message or a block piece). */
  message(from: string, data: Uint8Array): void;
  /** A server message, to be translated and routed as any other (CloudSession.onSignal). */
  onSignal(message: ServerMessage): void;
  dropMember(id: string, reason: DropReason): void;
  memberLeft(id: string): void;
  memberAway(id: string): void;
  memberBack(id: string, was: string, address: string): void;
  /** What the members' list shows changed (`members.changed`). */
  changed(): void;
  /** The join order changed: safety words and the resume record follow it. */
  rosterChanged(): void;
  /** This member's resume identity is ready: its profile announces the public key. */
  resumeKey(key: string): void;
  /** The (new) server's resume token for this member. */
  token(token: string | null): void;
  /** The session is over for this member. */
  end(): void;
}

/** A session's parts: the session routes server messages, mesh messages and its phase table's effects to them. */
export interface SessionParts {
  mesh: Mesh;
  resume: ResumeKeys;
  door: Admissions;
  secrets: SessionSecrets;
  outage: SignalOutage;
}

/** Builds the parts of the session `host` from its start `init`, over its signaling `link` and `members`. */
export function buildSessionParts(init: CloudSessionInit, link: SignalLink, members: Roster, host: PartsHost): SessionParts {
  const { deps, sessionId, self } = init;
  const dropped = (from: string, reason: string): void => host.events.emit('dropped', from, reason);
  const keys = new MeshKeys({ subtle: deps.subtle, random: deps.random, sessionId, self, sessionKey: init.sessionKey, epoch: init.epoch });
  const mesh = new Mesh({
    self, transport: deps.transport({ self, iceServers: init.iceServers }), keys, timers: deps.clock,
    sendSignal: (to, body) => link.send({ type: 'send', to, body }),
    // Lanes carry block pieces only, between members that both announced them (core/mesh/lanes.ts).
    lanes: {
      accept: members.own.features.includes(MESH_LANES),
      peerAccepts: (peer) => members.reads(peer, MESH_LANES),
      peerMends: (peer) => members.own.features.includes(LANE_LOSS) && members.reads(peer, LANE_LOSS),
      laneable: isBlockFrame,
      ...(deps.lanes !== undefined ? { force: deps.lanes } : {}),
    },
  });
  mesh.on('peer.up', (peer) => {
    void mesh.send(peer, encodeMeshMessage(host.profile()));
    // The leader tells each member whose channel opens who is in the session, so no admission goes unseen by it, and
    // the password, which a member back from a reload does not keep.
    if (host.isLeader()) void mesh.send(peer, encodeMeshMessage({ ...members.message(), password: secrets.password } as MeshMessage));
    if (host.isLeader() && Object.keys(link.aliases()).length > 0) void mesh.send(peer, encodeMeshMessage(outage.home()));
    host.changed();
  });
  mesh.on('peer.down', (peer) => {
    outage.peerDown(peer);
    host.changed();
  });
  mesh.on('peer.stalled', (peer, reason) => host.dropMember(peer, reason));
  mesh.on('message', (from, data) => host.message(from, data));
  mesh.on('dropped', dropped);
  const brake = new JoinBrake();
  const resume = new ResumeKeys({
    deps, sessionId, self, seed: init.resumeSeed ?? deps.random.bytes(RESUME_SEED_BYTES),
    send: (message) => link.send(message), isLeader: () => host.isLeader(),
    announced: (id) => members.resumeKey(id), address: (id) => members.address(id),
    current: () => ({ epoch: keys.epoch, key: keys.sessionKey }), brake,
    dropped,
    impostor: (id) => host.dropMember(id, 'leader-dropped'),
  });
  void resume.publicKey.then((key) => host.resumeKey(key));
  const door = new Admissions({
    deps, sessionId, self, members, mesh,
    isLeader: () => host.isLeader(), serverSelf: () => link.serverOf(self),
    send: (message) => link.send(message),
    handover: () => ({ sessionKey: keys.sessionKey, epoch: keys.epoch, roster: { v: MESH_PROTOCOL_VERSION, password: secrets.password, members: [...members.order], ...host.aliased() } }),
    proveHub: init.group?.proveHub,
    dropped,
    dropMember: (id) => host.dropMember(id, 'leader-dropped'),
    memberLeft: (id) => host.memberLeft(id),
    memberAway: (id) => host.memberAway(id),
    memberBack: (id, was, address) => host.memberBack(id, was, address),
    broadcastRoster: () => void mesh.broadcast(encodeMeshMessage(members.message())),
    brake, resume: (from, body, kind) => void resume.receive(from, body, kind), held: (from, body) => resume.hold(from, body),
    addressChanged: () => host.changed(),
    orderChanged: () => host.rosterChanged(),
  });
  const secrets = new SessionSecrets({
    mesh, subtle: deps.subtle, random: deps.random, sessionId, password: init.password,
    order: () => members.order,
    onPassword: (password, why) => (why ? host.events.emit('password.changed', password, why) : host.events.emit('password.changed', password)),
    onRotated: (epoch) => {
      host.events.emit('keys.rotated', epoch);
      host.events.emit('resume.changed');
    },
    onSafety: (words) => host.events.emit('safety.changed', words),
  });
  void secrets.refreshSafety();
  const outage = new SignalOutage({
    deps, sessionId, self, link,
    isLeader: () => host.isLeader(), order: () => members.order, connected: () => mesh.connected,
    onSignal: (message) => host.onSignal(message),
    sendMesh: (peer, message) => void mesh.send(peer, encodeMeshMessage(message)),
    broadcastMesh: (message) => void mesh.broadcast(encodeMeshMessage(message)),
    token: (token) => host.token(token),
    changed: (state) => host.events.emit('signal.changed', state),
    end: () => host.end(),
    drop: (id) => host.dropMember(id, 'signal-offline'),
    forgetCandidate: (id) => door.forget(id),
    dropped,
  });
  return { mesh, resume, door, secrets, outage };
}
