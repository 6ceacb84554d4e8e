/** The validator's side of joins: one CPace exchange per candidate that addressed this member, driven by the validator table. */
import { JoinValidator, type Handover } from '../crypto/join.ts';
import type { ClientMessage } from '../protocol/signal-messages.ts';
import type { CloudDeps } from './cloud-ports.ts';
import { validatorTransition, type ValidatorEvent, type ValidatorState } from './cloud-join-machine.ts';
import { JoinThrottle } from './join-throttle.ts';

interface Exchange {
  validator: JoinValidator;
  state: ValidatorState;
  /** Bodies are handled one at a time, in arrival order. */
  queue: Promise<void>;
}

/** Options: the session's identity, how to reach the server, and what to hand over on success. */
export interface CloudValidatorsOptions {
  deps: Pick<CloudDeps, 'subtle' | 'random' | 'clock'>;
  sessionId: string;
  self: string;
  send(message: ClientMessage): void;
  /** The session key, epoch and roster (with the password) at the moment of success. */
  handover(): Handover;
  dropped(from: string, reason: string): void;
}

/** Runs the validator table for every candidate that speaks to this member (only A is addressed; see join.ts). */
export class CloudValidators {
  readonly #o: CloudValidatorsOptions;
  readonly #exchanges = new Map<string, Exchange>();
  /** Candidate id → the address the server reported for it (`candidate` message). */
  readonly #addresses = new Map<string, string>();
  readonly #throttle = new JoinThrottle();

  constructor(options: CloudValidatorsOptions) {
    this.#o = options;
  }

  /** The server announced a candidate and the address it sees for it. */
  candidate(id: string, address: string): void {
    this.#addresses.set(id, address);
  }

  /** A join body from candidate `from`. */
  receive(from: string, body: string): Promise<void> {
    let exchange = this.#exchanges.get(from);
    if (!exchange) {
      // A new exchange: refuse it unanswered if this address (or everyone lately) failed too often.
      const verdict = this.#throttle.check(this.#addressOf(from), this.#o.deps.clock.now());
      if (!verdict.ok) {
        this.#o.dropped(from, `join-throttled-${verdict.reason}`);
        this.#o.send({ type: 'deny', candidate: from });
        this.#addresses.delete(from);
        return Promise.resolve();
      }
      const handover = this.#o.handover();
      const roster = handover.roster as { password: string };
      exchange = {
        validator: new JoinValidator({
          subtle: this.#o.deps.subtle, random: this.#o.deps.random, sessionId: this.#o.sessionId,
          candidateId: from, validatorId: this.#o.self, password: roster.password, handover: () => this.#o.handover(),
        }),
        state: 'waiting',
        queue: Promise.resolve(),
      };
      this.#exchanges.set(from, exchange);
    }
    const current = exchange;
    current.queue = current.queue.then(() => this.#step(from, current, body));
    return current.queue;
  }

  /** The candidate left (closed, or denied): forget its exchange. */
  left(id: string): void {
    const exchange = this.#exchanges.get(id);
    if (exchange) this.#run(id, exchange, 'candidate-left');
  }

  async #step(from: string, exchange: Exchange, body: string): Promise<void> {
    if (this.#exchanges.get(from) !== exchange) return;
    const result = await exchange.validator.receive(body);
    if (result.send !== undefined) this.#o.send({ type: 'send', to: from, body: result.send });
    const event: ValidatorEvent = result.state === 'pending' ? 'pake-pending' : result.state === 'success' ? 'pake-success' : 'pake-failed';
    if (result.state === 'failure') {
      this.#o.dropped(from, `join-${result.reason}`);
      this.#throttle.failed(this.#addressOf(from), this.#o.deps.clock.now());
    }
    this.#run(from, exchange, event);
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
        this.#addresses.delete(from);
      }
    }
  }

  #addressOf(id: string): string {
    // An address the server never announced still counts towards the overall limit.
    return this.#addresses.get(id) ?? 'unknown';
  }
}
