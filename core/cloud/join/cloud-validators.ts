/** The validator's side of joins: one CPace exchange per candidate that addressed this member, driven by the validator table. */
import { JoinValidator, type Handover } from '../../crypto/join.ts';
import type { ClientMessage } from '../../protocol/signal-messages.ts';
import type { CloudDeps } from '../cloud-ports.ts';
import { validatorTransition, type ValidatorEvent, type ValidatorState } from './cloud-join-machine.ts';
import { JoinBrake } from './join-brake.ts';

/**
 * How long a candidate has, from the server's `candidate` message, to finish its join (two round trips of PAKE).
 * Past it the validator denies it, so a candidate that knocks and idles holds no slot and learns nothing more.
 */
export const JOIN_DEADLINE_MS = 30_000;

interface Exchange {
  validator: JoinValidator;
  state: ValidatorState;
  /** The password this exchange checks against: a join that proved a password replaced since is refused. */
  password: string;
  /** Set once this member answered a guess: takes the charge back when the candidate's confirmation verifies. */
  refund: (() => void) | null;
}

/** Options: the session's identity, how to reach the server, and what to hand over on success. */
export interface CloudValidatorsOptions {
  deps: Pick<CloudDeps, 'subtle' | 'random' | 'clock'>;
  sessionId: string;
  self: string;
  send(message: ClientMessage): void;
  /** The session key, epoch and roster (with the password) at the moment of success. */
  handover(): Handover;
  /**
   * Standing groups, hub only: the hub's signature over this run and the join's binding (base64url), added to the
   * sealed roster as `hubProof`, so the newcomer knows its leader is the hub (docs/protocol.md §11).
   */
  proveHub?(binding: Uint8Array): Promise<string>;
  /**
   * The candidate proved the password and has its handover: the session makes it a member and announces it to every
   * member over the sealed mesh. Called before `admit` goes to the server.
   */
  admitted(id: string, address: string): void;
  dropped(from: string, reason: string): void;
  /** The brake on failed joins, shared with the resume proofs (resume-keys.ts); a fresh one when absent. */
  brake?: JoinBrake;
}

/** Runs the validator table for every candidate that speaks to this member (only A is addressed; see join.ts). */
export class CloudValidators {
  readonly #o: CloudValidatorsOptions;
  readonly #exchanges = new Map<string, Exchange>();
  /** Candidate id → the address the server reported for it (`candidate` message) and when. */
  readonly #known = new Map<string, { address: string; since: number }>();
  readonly #brake: JoinBrake;
  /**
   * Bodies are handled one at a time, in arrival order, across candidates: a success takes the roster for its handover
   * and admits the newcomer in one step, so two candidates finishing together cannot both be handed the roster from
   * before the other's admission (each would then put itself before the other in its join order).
   */
  #queue: Promise<void> = Promise.resolve();

  constructor(options: CloudValidatorsOptions) {
    this.#o = options;
    this.#brake = options.brake ?? new JoinBrake();
  }

  /** The server announced a candidate and the address it sees for it. */
  candidate(id: string, address: string): void {
    this.#known.set(id, { address, since: this.#o.deps.clock.now() });
  }

  /** A join body from candidate `from`. */
  receive(from: string, body: string): Promise<void> {
    let exchange = this.#exchanges.get(from);
    if (!exchange) {
      if (!this.#known.has(from)) this.#known.set(from, { address: 'unknown', since: this.#o.deps.clock.now() });
      // A new exchange: refuse it unanswered if this address (or everyone lately) failed too often.
      const verdict = this.#brake.check(this.#addressOf(from), this.#o.deps.clock.now());
      if (!verdict.ok) {
        this.#o.dropped(from, `join-throttled-${verdict.reason}`);
        this.#o.send({ type: 'deny', candidate: from });
        this.#known.delete(from);
        return Promise.resolve();
      }
      const { password } = this.#o.handover().roster as { password: string };
      exchange = {
        validator: new JoinValidator({
          subtle: this.#o.deps.subtle, random: this.#o.deps.random, sessionId: this.#o.sessionId,
          candidateId: from, validatorId: this.#o.self, password, handover: (binding) => this.#sealed(binding),
        }),
        state: 'waiting',
        password,
        refund: null,
      };
      this.#exchanges.set(from, exchange);
    }
    const current = exchange;
    const step = this.#queue.then(() => this.#step(from, current, body));
    this.#queue = step.catch(() => undefined); // one failed step must not stop the others
    return step;
  }

  /** The candidate left (closed, or denied): forget its exchange. A guess it was answered stays counted. */
  left(id: string): void {
    const exchange = this.#exchanges.get(id);
    if (exchange) this.#run(id, exchange, 'candidate-left');
    this.#known.delete(id);
  }

  /** Denies every candidate that has not finished within JOIN_DEADLINE_MS (the leader calls it on every signal). */
  sweep(now: number): void {
    for (const [id, { since }] of [...this.#known]) {
      if (now - since < JOIN_DEADLINE_MS) continue;
      const exchange = this.#exchanges.get(id);
      this.#o.dropped(id, 'join-deadline');
      if (exchange) this.#run(id, exchange, 'deadline');
      else {
        this.#o.send({ type: 'deny', candidate: id });
        this.#known.delete(id);
      }
    }
  }

  async #step(from: string, exchange: Exchange, body: string): Promise<void> {
    if (this.#exchanges.get(from) !== exchange) return;
    let result = await exchange.validator.receive(body);
    if (this.#exchanges.get(from) !== exchange) return; // denied (deadline) or gone while we computed
    const now = this.#o.deps.clock.now();
    // The password changed (a member left) while this candidate proved the old one: it is not let in.
    if (result.state === 'success' && exchange.password !== (this.#o.handover().roster as { password: string }).password) {
      result = { state: 'failure', reason: 'wrong-password' };
    }
    if (result.send !== undefined) this.#o.send({ type: 'send', to: from, body: result.send });
    // The answer (j1.b) carries our confirmation tag: from now on this guess counts, until confirmed.
    if (result.state === 'pending' && exchange.refund === null) exchange.refund = this.#brake.answered(this.#addressOf(from), now);
    const event: ValidatorEvent = result.state === 'pending' ? 'pake-pending' : result.state === 'success' ? 'pake-success' : 'pake-failed';
    if (result.state === 'failure') {
      this.#o.dropped(from, `join-${result.reason}`);
      if (exchange.refund === null) this.#brake.failed(this.#addressOf(from), now);
    }
    if (result.state === 'success') {
      exchange.refund?.();
      this.#o.admitted(from, this.#addressOf(from));
    }
    this.#run(from, exchange, event);
  }

  /** What the validator hands over: the session's handover, with the hub proof of this join in a standing group's run. */
  async #sealed(binding: Uint8Array): Promise<Handover> {
    const handover = this.#o.handover();
    if (!this.#o.proveHub) return handover;
    return { ...handover, roster: { ...(handover.roster as object), hubProof: await this.#o.proveHub(binding) } };
  }

  #run(from: string, exchange: Exchange, event: ValidatorEvent): void {
    const t = validatorTransition(exchange.state, event);
    exchange.state = t.state;
    for (const effect of t.effects) {
      // 'send-reply' and 'send-handover' were sent with the step's result, before admit/deny as join.ts requires.
      if (effect === 'admit') this.#o.send({ type: 'admit', candidate: from });
      else if (effect === 'deny') this.#o.send({ type: 'deny', candidate: from });
      else if (effect === 'forget') {
        this.#exchanges.delete(from);
        this.#known.delete(from);
      }
    }
  }

  #addressOf(id: string): string {
    // An address the server never announced still counts towards the overall limit.
    return this.#known.get(id)?.address ?? 'unknown';
  }
}
