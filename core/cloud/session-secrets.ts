/** A session's secrets as one member holds them: the password, key rotation (`rekey`) and the safety words (docs/protocol.md §8). */
import { fromB64u, toB64u } from '../crypto/bytes.ts';
import { newSessionKey } from '../crypto/key-schedule.ts';
import { generatePassword } from '../crypto/password.ts';
import { safetyWords } from '../crypto/safety-words.ts';
import type { SubtleLike } from '../crypto/subtle.ts';
import type { Random } from '../ports.ts';
import type { Mesh } from '../mesh/mesh.ts';
import { encodeMeshMessage } from '../protocol/mesh-codec.ts';
import { MESH_PROTOCOL_VERSION } from '../protocol/mesh-messages.ts';

export interface SecretsOptions {
  mesh: Mesh;
  subtle: SubtleLike;
  random: Random;
  sessionId: string;
  password: string;
  /** The join order now: the safety words are derived over it. */
  order(): readonly string[];
  /** `leader-back`: from the leader's `roster`, which differs only when the leader came back from a reload with a new one. */
  onPassword(password: string, why?: 'leader-back'): void;
  onRotated(epoch: number): void;
  onSafety(words: string[]): void;
}

export class SessionSecrets {
  readonly #o: SecretsOptions;
  #password: string;
  #safety: string[] = [];

  constructor(options: SecretsOptions) {
    this.#o = options;
    this.#password = options.password;
  }

  get password(): string {
    return this.#password;
  }
  get safetyWords(): readonly string[] {
    return this.#safety;
  }

  /** Leader, after a departure: whoever left cannot come back with the password they knew. */
  newPassword(): void {
    this.#setPassword(generatePassword(this.#o.random));
  }

  /** Leader: new session key for everyone still here, sent to each under the old epoch's channel keys, then adopted. */
  rotate(): void {
    const { mesh } = this.#o;
    const epoch = mesh.keys.epoch + 1;
    const key = newSessionKey(this.#o.random);
    const message = encodeMeshMessage({ type: 'rekey', v: MESH_PROTOCOL_VERSION, epoch, key: toB64u(key), password: this.#password });
    for (const peer of mesh.connected) void mesh.send(peer, message);
    mesh.keys.adopt(epoch, key);
    this.#o.onRotated(epoch);
    void this.refreshSafety();
  }

  /** The password in the leader's `roster` (a member back from a reload has none, or the returned leader made a new one). */
  learn(password: string): void {
    this.#setPassword(password, 'leader-back');
  }

  /** The leader's `rekey`: false when stale or malformed (the caller reports it). */
  adopt(message: { epoch: number; key: string; password?: string }): boolean {
    const key = fromB64u(message.key);
    if (key?.length !== 32 || !this.#o.mesh.keys.adopt(message.epoch, key)) return false;
    if (message.password !== undefined) this.#setPassword(message.password);
    this.#o.mesh.flushPending();
    this.#o.onRotated(message.epoch);
    void this.refreshSafety();
    return true;
  }

  /** Recomputes the safety words over the current order and epoch (a later epoch's words win). */
  async refreshSafety(): Promise<void> {
    const keys = this.#o.mesh.keys;
    const epoch = keys.epoch;
    const words = await safetyWords(this.#o.subtle, { sessionKey: keys.sessionKey, sessionId: this.#o.sessionId, epoch }, this.#o.order());
    if (epoch !== keys.epoch) return;
    this.#safety = words;
    this.#o.onSafety(words);
  }

  #setPassword(password: string, why?: 'leader-back'): void {
    if (password === this.#password) return;
    this.#password = password;
    if (why) this.#o.onPassword(password, why);
    else this.#o.onPassword(password);
  }
}
