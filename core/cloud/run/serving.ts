/** This member's block serving in a cloud run: the block server behind the gate that lets only the allowed run through (§10.2, §10.8). */
import type { BlockCodec, Hasher } from '../../ports.ts';
import { BLOCK_DEFLATE } from '../../protocol/mesh-messages.ts';
import type { BlocksGetMessage } from '../../protocol/run-messages.ts';
import { BlockServer, type ServeLoad } from '../../transfer/block-server.ts';
import { ServeGate } from '../../transfer/serve-gate.ts';
import type { CloudSession } from '../cloud-session.ts';
import type { OwnInventory } from './cloud-run-inventory.ts';
import type { ResolvedPlan } from './cloud-run-plan.ts';

export interface ServingOptions {
  session: CloudSession;
  hasher: Hasher;
  /** Compresses blocks toward members that read them compressed (`block-deflate`). */
  codec: BlockCodec;
  letterOf(peer: string): string;
  onServed(bytes: number): void;
  /** A peer whose answers pile up past the budget: reported once (`blocks-get-flood:<letter>`). */
  onFlood(letter: string): void;
}

export class Serving {
  readonly #server: BlockServer;
  /** Serves only the run whose plan allowed it, and holds early requests (bounded per peer). */
  readonly #gate: ServeGate;

  constructor(o: ServingOptions) {
    this.#server = new BlockServer({
      hasher: o.hasher, codec: o.codec,
      // Compressed only toward a member that says it reads it; one from before gets blocks as they are.
      deflateFor: (peer) => o.session.members.some((m) => m.id === peer && (m.features ?? []).includes(BLOCK_DEFLATE)),
      sendError: (peer, m) => o.session.sendRun(peer, m), sendBytes: (peer, d) => o.session.sendBytes(peer, d),
      onServed: o.onServed,
      onOverflow: (peer) => o.onFlood(o.letterOf(peer)),
    });
    this.#gate = new ServeGate({ server: this.#server, letterOf: o.letterOf });
  }

  /** What `peer`'s block requests hold here now: requests held or queued, block bytes read and not yet sent. */
  load(peer: string): ServeLoad & { held: number } {
    return { ...this.#server.load(peer), held: this.#gate.held(peer) };
  }

  /** What may be served: this member's files as inventoried this round (sizes and hashes from here, never from a request). */
  setFiles(mine: readonly OwnInventory[]): void {
    this.#server.setFiles(
      new Map(mine.map((s) => [s.inventory.source, s.source])),
      mine.flatMap((s) => s.inventory.items.flatMap((i) => (i.kind === 'file' ? [{ ...i, code: s.inventory.source }] : []))),
    );
  }

  /** Sync `run`'s plan is resolved: serve what it copies from here to another member's source. */
  open(run: string, resolved: ResolvedPlan): void {
    // Held copies too: a receive-only member may revert its local changes once the sync is done (§10.11).
    const allowed = [...resolved.actions, ...resolved.held].flatMap((a) => (a?.type === 'copy' ? [ServeGate.key(a.from, a.hash, a.target[0] as string)] : []));
    this.#gate.open(run, new Set(allowed));
  }

  /** Serves `run` (or, without it, the current run) no more. */
  close(run?: string): void {
    this.#gate.close(run);
  }

  receive(from: string, m: BlocksGetMessage): void {
    return this.#gate.receive(from, m);
  }

  forget(peer: string): void {
    this.#server.forget(peer);
  }
}
