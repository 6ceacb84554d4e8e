/** Who becomes a member (docs/protocol.md §8 Admissions, §9): the leader's validators, the leader's roster, peers not announced yet. */
import { bodyKind } from '../../crypto/envelope.ts';
import { resumeBodyKind } from '../../crypto/resume-proof.ts';
import type { Handover } from '../../crypto/join.ts';
import type { Mesh } from '../../mesh/mesh.ts';
import type { ClientMessage, ServerMessage } from '../../protocol/signal-messages.ts';
import type { CloudDeps } from '../cloud-ports.ts';
import type { Roster } from '../cloud-roster.ts';
import { CloudValidators } from './cloud-validators.ts';
import type { JoinBrake } from './join-brake.ts';
import { PendingJoins } from './pending-joins.ts';

/** What admissions need from the session they guard. */
export interface AdmissionsOptions {
  deps: Pick<CloudDeps, 'subtle' | 'random' | 'clock'>;
  sessionId: string;
  self: string;
  members: Roster;
  mesh: Mesh;
  isLeader(): boolean;
  /** This member's connection ID at the server (its mesh ID unless the session re-homed): a candidate's PAKE binds it. */
  serverSelf?(): string;
  send(message: ClientMessage): void;
  handover(): Handover;
  /** Standing groups, hub only: the hub proof of one join (cloud-validators.ts). */
  proveHub?(binding: Uint8Array): Promise<string>;
  dropped(from: string, reason: string): void;
  /** The leader's roster no longer lists `id`: the leader dropped it. */
  dropMember(id: string): void;
  /** `id` left (signaling `left`). */
  memberLeft(id: string): void;
  /** The server holds `id`'s slot (signaling `away`). */
  memberAway(id: string): void;
  /** `was` took its slot back as `id` (signaling `back`). */
  memberBack(id: string, was: string, address: string): void;
  broadcastRoster(): void;
  /** The brake on failed joins (shared with the resume proofs). */
  brake: JoinBrake;
  /** A resume request or answer from a member (docs/protocol.md §8, Reload; resume-keys.ts). */
  resume(from: string, body: string, kind: 'request' | 'answer'): void;
  /** An envelope from a member whose return is not proved yet: true when kept for its channel (resume-keys.ts). */
  held(from: string, body: string): boolean;
  addressChanged(): void;
  orderChanged(): void;
}

/** Nobody becomes a member on the server's word: the leader validates and announces, the others follow its sealed roster. */
export class Admissions {
  readonly #o: AdmissionsOptions;
  readonly #validators: CloudValidators;
  readonly #pending = new PendingJoins();

  constructor(options: AdmissionsOptions) {
    this.#o = options;
    this.#validators = new CloudValidators({
      deps: options.deps, sessionId: options.sessionId, get self() { return options.serverSelf?.() ?? options.self; }, send: options.send, handover: options.handover, proveHub: options.proveHub, brake: options.brake,
      admitted: (id, address) => this.#admitted(id, address),
      dropped: options.dropped,
    });
  }

  /** A message from the signaling server, once this member is in the session. */
  onSignal(message: ServerMessage): void {
    const o = this.#o;
    // Every server message (pongs included, every idleTimeoutMs / 3) is a tick for the leader's join deadlines.
    if (o.isLeader()) this.#validators.sweep(o.deps.clock.now());
    switch (message.type) {
      case 'envelope': {
        const resume = resumeBodyKind(message.body);
        if (resume !== null) {
          if (o.members.has(message.from)) o.resume(message.from, message.body, resume);
          else o.dropped(message.from, 'resume-from-stranger');
          return;
        }
        if (bodyKind(message.body) === 'join') {
          if (o.isLeader()) void this.#validators.receive(message.from, message.body);
          else o.dropped(message.from, 'join-not-validator');
        } else if (o.members.has(message.from)) {
          // A member back from a reload: its channel waits for the proof of its identity (resume-keys.ts).
          if (!o.held(message.from, message.body)) void o.mesh.receiveSignal(message.from, message.body);
        } else {
          const held = this.#pending.hold(message.from, message.body);
          if (held !== 'held') o.dropped(message.from, held === 'overflow' ? 'envelope-from-unannounced' : 'envelope-from-stranger');
        }
        return;
      }
      case 'joined':
        // The server's word is not enough: the peer becomes a member when the leader's sealed roster lists it.
        if (o.members.has(message.id)) {
          o.members.setAddress(message.id, message.address);
          o.addressChanged();
        } else if (!this.#pending.joined(message.id, message.address)) o.dropped(message.id, 'unannounced-member');
        return;
      case 'candidate':
        this.#validators.candidate(message.id, message.address);
        return;
      case 'away':
        o.memberAway(message.id);
        return;
      case 'back':
        o.memberBack(message.id, message.was, message.address);
        return;
      case 'left':
        this.#validators.left(message.id);
        // Remembered even when not (yet) a member: a roster from the leader arriving after this cannot add it back.
        o.members.departed(message.id);
        if (this.#pending.drop(message.id)) o.dropped(message.id, 'unannounced-member');
        o.memberLeft(message.id);
        return;
      default:
        return;
    }
  }

  /** A candidate the leader let in without a PAKE (a member back on a re-homed session): no join deadline for it. */
  forget(id: string): void {
    this.#validators.left(id);
  }

  /**
   * The leader's roster arrived: members it admitted that this member had not seen join are added; members it no longer
   * lists were dropped by it (it lists everyone it admitted until they leave, in order over an ordered channel).
   */
  announced(from: string, members: readonly string[]): void {
    const o = this.#o;
    // A member reloading is not dropped: its slot is the server's to release (`left`) or give back (`back`).
    for (const id of o.members.order) if (id !== o.self && id !== from && !members.includes(id) && !o.members.isAway(id)) o.dropMember(id);
    const added = o.members.announced(members);
    for (const id of added) {
      this.#validators.left(id); // a member now, no longer a candidate to validate
      const pending = this.#pending.take(id);
      if (pending) o.members.setAddress(id, pending.address);
      o.mesh.connect(id, false);
      for (const body of pending?.held ?? []) void o.mesh.receiveSignal(id, body);
    }
    if (added.length > 0) o.orderChanged();
  }

  /** This member (the leader) validated `id`: it joins the order now and every member hears it over the sealed mesh. */
  #admitted(id: string, address: string): void {
    this.#o.members.joined(id, address);
    this.#pending.take(id);
    this.#o.mesh.connect(id, false);
    this.#o.broadcastRoster();
    this.#o.orderChanged();
  }
}
