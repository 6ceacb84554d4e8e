/**
 * A member back from a reload proves its resume identity (docs/protocol.md §8, Reload): to the leader, which answers
 * with the session key after a rotation, sealed to it; and to every other member present. Each member opens its
 * channel to a returning member whose identity it knows only once that proof verified, and drops it when none came
 * within RESUME_PROOF_MS: the server's slot alone proves nothing, and another member holds the session key too.
 */
import { answerResume, resumePublicKey, resumeRequest } from '../../crypto/resume-proof.ts';
import { toB64u } from '../../crypto/bytes.ts';
import type { ClientMessage } from '../../protocol/signal-messages.ts';
import type { CloudDeps } from '../cloud-ports.ts';
import type { JoinBrake } from './join-brake.ts';

/** How long a returning member waits for the leader's answer before it connects with the key it kept. */
export const RESUME_ANSWER_MS = 10_000;
/** How long a member waits for the proof of one back from a reload before it takes it for an impostor. */
export const RESUME_PROOF_MS = 30_000;
/** Signaling envelopes (its offer, ICE) kept per returning member while its proof is awaited. */
const HELD_ENVELOPES = 64;

export interface ResumeKeysOptions {
  deps: Pick<CloudDeps, 'clock'>;
  sessionId: string;
  self: string;
  /** The identity's seed: this member's own (kept in its resume record), never sent. */
  seed: Uint8Array;
  send(message: ClientMessage): void;
  isLeader(): boolean;
  /** The identity key `id` announced in its profile (moved to its new ID when it came back), if any. */
  announced(id: string): string | undefined;
  address(id: string): string;
  /** The current session key and its epoch (the leader's). */
  current(): { epoch: number; key: Uint8Array };
  /** The joins' brake, shared: a wrong proof is one more failure of that address. */
  brake: JoinBrake;
  dropped(from: string, reason: string): void;
  /** `id` holds a slot it cannot prove it is the member of (the server gave the slot to someone else): drop it. */
  impostor(id: string): void;
}

export class ResumeKeys {
  readonly #o: ResumeKeysOptions;
  readonly publicKey: Promise<string>;
  /** The answer this member waits for: from whom, and what opens it. */
  #waiting: { from: string; open(answer: string): Promise<{ epoch: number; key: Uint8Array } | null>; done(key: { epoch: number; key: string } | null): void } | null = null;
  /** Members back from a reload whose proof this member awaits: what opens their channel, their envelopes meanwhile. */
  readonly #gates = new Map<string, { open(held: readonly string[]): void; cancel(): void; held: string[] }>();

  constructor(options: ResumeKeysOptions) {
    this.#o = options;
    this.publicKey = resumePublicKey(options.seed);
  }

  /** The seed, base64url, for the resume record. */
  get seed(): string {
    return toB64u(this.#o.seed);
  }

  /**
   * Member back from a reload: asks `leader` for the current key. Resolves with it (base64url, as a `rekey` carries it),
   * or null when no answer came within RESUME_ANSWER_MS (a leader that does not know this member's identity stays silent).
   */
  async ask(leader: string): Promise<{ epoch: number; key: string } | null> {
    const request = await resumeRequest({ seed: this.#o.seed, sessionId: this.#o.sessionId, from: this.#o.self, to: leader });
    return new Promise((resolve) => {
      const cancel = this.#o.deps.clock.after(RESUME_ANSWER_MS, () => done(null));
      const done = (key: { epoch: number; key: string } | null) => {
        if (this.#waiting?.done !== done) return;
        this.#waiting = null;
        cancel();
        resolve(key);
      };
      this.#waiting = { from: leader, open: request.open, done };
      this.#o.send({ type: 'send', to: leader, body: request.body });
    });
  }

  /** Back from a reload: proves this member's identity to each of `to` (the leader is asked apart: `ask`). */
  async prove(to: readonly string[]): Promise<void> {
    for (const peer of to) this.#o.send({ type: 'send', to: peer, body: (await resumeRequest({ seed: this.#o.seed, sessionId: this.#o.sessionId, from: this.#o.self, to: peer })).body });
  }

  /**
   * `id` is back from a reload in a slot whose member announced its identity: `open` (its channel) runs once its proof
   * verified; with no proof within RESUME_PROOF_MS it is dropped as an impostor. Without a known identity (a member from
   * before identities), at once.
   */
  expect(id: string, open: (held: readonly string[]) => void): void {
    if (this.#o.announced(id) === undefined) return open([]);
    const cancel = this.#o.deps.clock.after(RESUME_PROOF_MS, () => {
      if (!this.#gates.delete(id)) return;
      this.#o.dropped(id, 'resume-proof-missing');
      this.#o.impostor(id);
    });
    this.#gates.set(id, { open, cancel, held: [] });
  }

  /** An envelope from `id` while its proof is awaited: kept (bounded) for its channel, which opens after. */
  hold(id: string, body: string): boolean {
    const gate = this.#gates.get(id);
    if (!gate) return false;
    if (gate.held.length < HELD_ENVELOPES) gate.held.push(body);
    else this.#o.dropped(id, 'resume-envelope-overflow');
    return true;
  }

  /** A member gone: nothing more awaited from it. */
  forget(id: string): void {
    this.#gates.get(id)?.cancel();
    this.#gates.delete(id);
  }

  /** A resume body relayed by the server: a request (a proof, with a key to answer when leader) or the answer this member waits for. */
  async receive(from: string, body: string, kind: 'request' | 'answer'): Promise<void> {
    const o = this.#o;
    if (kind === 'answer') {
      const waiting = this.#waiting;
      if (!waiting || waiting.from !== from) return o.dropped(from, 'resume-unexpected');
      const opened = await waiting.open(body);
      if (!opened) return o.dropped(from, 'resume-answer-unreadable');
      return waiting.done({ epoch: opened.epoch, key: toB64u(opened.key) });
    }
    const publicKey = o.announced(from);
    // A member whose identity this one never heard (its profile came before identities, or this member came back from
    // a reload while it was away) gets no answer and connects with the key it kept, as before.
    if (publicKey === undefined) return o.dropped(from, 'resume-unknown-identity');
    const gate = this.#gates.get(from);
    if (!gate && !o.isLeader()) return o.dropped(from, 'resume-not-leader');
    const address = o.address(from);
    const now = o.deps.clock.now();
    const verdict = o.brake.check(address, now);
    // A closed brake still lets an awaited proof be checked (nothing is answered): it must not cut a member's return.
    if (!verdict.ok && !gate) return o.dropped(from, `resume-throttled-${verdict.reason}`);
    const { epoch, key } = o.current();
    const answer = await answerResume({ body, publicKey, sessionId: o.sessionId, from, to: o.self, epoch, key });
    if (answer === null) {
      // Someone holding this slot cannot sign as its member: a guess like a wrong password, and not a member.
      o.brake.failed(address, now);
      o.dropped(from, 'resume-proof-failed');
      this.forget(from);
      return o.impostor(from);
    }
    if (gate && this.#gates.get(from) === gate) {
      this.#gates.delete(from);
      gate.cancel();
      gate.open(gate.held);
    }
    if (!o.isLeader()) return;
    if (!verdict.ok) return o.dropped(from, `resume-throttled-${verdict.reason}`);
    o.send({ type: 'send', to: from, body: answer });
  }
}
