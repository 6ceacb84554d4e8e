/**
 * The session key for a member back from a reload after a rotation (docs/protocol.md §8, Reload): it asks the leader
 * with a proof of its resume identity; the leader answers only that member, sealed, and counts a wrong proof as a
 * failed join.
 */
import { answerResume, resumePublicKey, resumeRequest } from '../../crypto/resume-proof.ts';
import { toB64u } from '../../crypto/bytes.ts';
import type { ClientMessage } from '../../protocol/signal-messages.ts';
import type { CloudDeps } from '../cloud-ports.ts';
import type { JoinBrake } from './join-brake.ts';

/** How long a returning member waits for the leader's answer before it connects with the key it kept. */
export const RESUME_ANSWER_MS = 10_000;

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
  /** Leader: `id` proved it is not the member whose slot it holds (the server gave the slot to someone else). */
  impostor(id: string): void;
}

export class ResumeKeys {
  readonly #o: ResumeKeysOptions;
  readonly publicKey: Promise<string>;
  /** The answer this member waits for: from whom, and what opens it. */
  #waiting: { from: string; open(answer: string): Promise<{ epoch: number; key: Uint8Array } | null>; done(key: { epoch: number; key: string } | null): void } | null = null;

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

  /** A resume body relayed by the server: a request (leader) or the answer this member waits for. */
  async receive(from: string, body: string, kind: 'request' | 'answer'): Promise<void> {
    const o = this.#o;
    if (kind === 'answer') {
      const waiting = this.#waiting;
      if (!waiting || waiting.from !== from) return o.dropped(from, 'resume-unexpected');
      const opened = await waiting.open(body);
      if (!opened) return o.dropped(from, 'resume-answer-unreadable');
      return waiting.done({ epoch: opened.epoch, key: toB64u(opened.key) });
    }
    if (!o.isLeader()) return o.dropped(from, 'resume-not-leader');
    const publicKey = o.announced(from);
    // A member whose identity this leader never heard (its profile came before identities, or this leader came back
    // from a reload while it was away) gets no answer and connects with the key it kept, as before.
    if (publicKey === undefined) return o.dropped(from, 'resume-unknown-identity');
    const address = o.address(from);
    const now = o.deps.clock.now();
    const verdict = o.brake.check(address, now);
    if (!verdict.ok) return o.dropped(from, `resume-throttled-${verdict.reason}`);
    const { epoch, key } = o.current();
    const answer = await answerResume({ body, publicKey, sessionId: o.sessionId, from, to: o.self, epoch, key });
    if (answer === null) {
      // Someone holding this slot cannot sign as its member: a guess like a wrong password, and not a member.
      o.brake.failed(address, now);
      o.dropped(from, 'resume-proof-failed');
      return o.impostor(from);
    }
    o.send({ type: 'send', to: from, body: answer });
  }
}
