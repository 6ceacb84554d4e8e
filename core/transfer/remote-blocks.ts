/** The receiver's BlockProvider (issue 6): local blocks with the same hash first, the rest pulled from their owner, a bounded number of requests ahead. */
import type { BlockCodec, CancelSignal, DirSource, Hasher, OpenFile, Timers } from '../ports.ts';
import type { CopyAction } from '../plan/types.ts';
import type { BlockProvider, BlockReader } from './block-provider.ts';
import { blockCount, blockLength } from '../inventory/blocks.ts';
import type { LocalBlock } from './local-blocks.ts';
import { FsError, cancelled } from '../errors.ts';
import { unpackBlock } from './block-deflate.ts';
import { fflateBlockCodec } from './block-codec.ts';
import { OWNER_BLOCK_CREDIT, OwnerWatch, silenceReason } from './owner-watch.ts';
import { SERVE_PARALLEL_PER_PEER, SERVE_QUEUE_PER_PEER } from './block-server.ts';
import { inOrder, nextRequestNumber } from './pull-pieces.ts';
import type { Pending, Slot } from './pull-state.ts';
import type { BlockPiece } from '../protocol/block-frame.ts';
import { joinParts, partsLength, type Parts } from '../crypto/parts.ts';
import { MESH_PROTOCOL_VERSION } from '../protocol/mesh-messages.ts';
import { MAX_REQUEST_BLOCKS, MAX_REQUEST_BYTES, type BlocksErrorMessage, type BlocksGetMessage } from '../protocol/run-messages.ts';

export { localBlockIndex, type LocalBlock } from './local-blocks.ts';

/** Transfer counters a test or a benchmark reads (payload bytes, not frames). */
export interface TransferCounters {
  /** Block bytes received from other members. */
  pulledBytes: number;
  /** Block bytes taken from this member's own files instead (delta). */
  reusedBytes: number;
  /** Block bytes this member served to others. */
  servedBytes: number;
  /** Requests asked again because a lane they may have come on was lost (BlockPuller.laneLost). */
  reasked?: number;
}

export interface PullerOptions {
  run: string;
  /** The member (peer id) owning a source code, if it is still here. */
  ownerOf(code: string): string | undefined;
  send(peer: string, message: BlocksGetMessage): Promise<void>;
  /** This member's own sources (reuse reads them). */
  localSources: ReadonlyMap<string, DirSource>;
  localIndex: ReadonlyMap<string, LocalBlock>;
  hasher: Hasher;
  counters: TransferCounters;
  signal?: CancelSignal;
  /** Bytes requested and not yet consumed, per file (default 2 MiB; four files in parallel keep ~8 MiB coming). */
  windowBytes?: number;
  /** Inflates the blocks an owner sent compressed (`block-deflate`); fflate unless given. */
  codec?: BlockCodec;
  /** Deadlines: an owner that brings under OWNER_MIN_BYTES in OWNER_SILENCE_MS with requests of ours waiting fails them (owner-watch.ts). */
  timers?: Timers;
}

/**
 * Small files asked ahead of the copies (expect()): at most this many files and bytes. With apply's 16 small copies in
 * flight an owner holds at most 32 of our requests, its queue (SERVE_QUEUE_PER_PEER); AHEAD_PENDING caps it anyway.
 */
const AHEAD_FILES = 16;
const AHEAD_BYTES = 4 * 1024 * 1024;
const AHEAD_PENDING = 30;

/** `busy` answers one request may get before its blocks fail: an owner that stays busy is not serving us. */
const MAX_BUSY = 8;

/**
 * Times one request's blocks are asked again after lanes from their owner were lost (laneLost). A pair loses at most
 * its three lanes from that owner (core/mesh/lanes.ts, MAX_LANES; a number is never reused), so an honest loss never
 * reaches it; an owner that claims more cannot make us ask forever: the blocks then fail (counted in the result).
 */
export const MAX_REASKS = 3;
/** Requests of ours at one owner with no piece back yet, at most: its queue less the ones it serves at once (#asked). */
const OWNER_QUEUE = SERVE_QUEUE_PER_PEER - SERVE_PARALLEL_PER_PEER;

/** Pulls blocks for copy actions whose source belongs to another member; feeds pieces and errors in from the mesh. */
export class BlockPuller implements BlockProvider {
  readonly #o: PullerOptions;
  readonly #pending = new Map<number, Pending>();
  /** Requests answered `busy`, per owner, asked again as its other requests settle. */
  readonly #parked = new Map<string, number[]>();
  /**
   * Requests to each owner of which no piece came yet (parked ones included): what its queue may still hold. A window
   * asks no more while they are OWNER_QUEUE (the queue less those it serves at once): past its queue an owner answers
   * `busy`, each a message and a request asked again. Requests whose pieces are on their way do not count: on a path
   * with lanes they are megabytes (a Node member's 16 MiB window, adapters/node/cloud-member-ports.ts).
   */
  readonly #asked = new Map<string, number>();
  /** Requests this puller made (each under a number from nextRequestNumber). */
  #made = 0;
  /** Small copies apply announced (expect()), in order; the next one not yet asked for; those asked and not opened. */
  #ahead: readonly CopyAction[] = [];
  #aheadAt = 0;
  readonly #prefetched = new Map<CopyAction, { reader: BlockReader }>();
  /** Copies whose blocks were asked for (opened or ahead): never asked twice. */
  readonly #opened = new WeakSet<CopyAction>();
  readonly #watch: OwnerWatch;

  constructor(options: PullerOptions) {
    this.#o = options;
    this.#watch = new OwnerWatch(options.timers, (peer) => this.#awaits(peer), (peer) => this.#silenced(peer));
  }

  /**
   * A piece from `from`: stored into its block; the block resolves when whole, inflated first when it came compressed
   * (core/transfer/block-deflate.ts: a stream not smaller than the block, or that does not inflate to exactly its
   * length, fails the block, and nothing of it is written). Strays are ignored.
   */
  onPiece(from: string, piece: BlockPiece): void {
    const pending = this.#pending.get(piece.req);
    const slot = pending?.slots.get(piece.index);
    const deflated = piece.deflated === true;
    if (!pending || !slot || pending.peer !== from || (!deflated && piece.length !== slot.length)) return;
    this.#wait(pending, false);
    if (slot.deflated === null) {
      if (deflated && piece.length >= slot.length) return this.#failSlot(piece.req, pending, piece.index, `compressed block of ${piece.length} bytes for ${slot.length}: not smaller`);
      slot.deflated = deflated;
      slot.carried = piece.length;
    } else if (slot.deflated !== deflated || slot.carried !== piece.length) return this.#failSlot(piece.req, pending, piece.index, 'pieces of one block disagree on its form');
    // Each piece is kept until the block is whole: pieces that add nothing (empty, or tiny and repeated) would grow it
    // without end. A sender cuts pieces of 4 KiB or more but the tail (piece-packer.ts): a piece per KiB (or 8) is plenty.
    if (piece.bytes.length === 0 && slot.carried > 0) return this.#failSlot(piece.req, pending, piece.index, 'an empty piece');
    if (slot.pieces.length >= Math.max(8, Math.ceil(slot.carried / 1024) + 1)) return this.#failSlot(piece.req, pending, piece.index, `more pieces than ${slot.carried} bytes take`);
    slot.pieces.push(piece);
    slot.got += piece.bytes.length;
    // Progress for the owner's watch: bytes taken, not messages (a tiny piece a minute is no progress, table row 21).
    this.#watch.heard(from, piece.bytes.length);
    if (slot.got < slot.carried) return;
    // Not copied into one block: the pieces are its parts, in order (the copy joins them where it must, copy-file.ts).
    const parts = inOrder(slot.pieces, slot.carried);
    if (!parts) return this.#failSlot(piece.req, pending, piece.index, 'pieces of one block overlap');
    this.#watch.heard(from, OWNER_BLOCK_CREDIT);
    pending.slots.delete(piece.index);
    if (pending.slots.size === 0) this.#settled(piece.req, pending);
    this.#o.counters.pulledBytes += slot.length;
    if (!slot.deflated) return slot.resolve(parts);
    unpackBlock(this.#o.codec ?? fflateBlockCodec, joinParts(parts), slot.length).then(slot.resolve, (error: Error) => slot.reject(new FsError('io', pending.path, `refused from its owner: ${error.message}`)));
  }

  /** One block of a request fails (what its owner sent cannot be that block); the request's other blocks go on. */
  #failSlot(req: number, pending: Pending, index: number, reason: string): void {
    const slot = pending.slots.get(index) as Slot;
    pending.slots.delete(index);
    if (pending.slots.size === 0) this.#settled(req, pending);
    slot.reject(new FsError('io', pending.path, `refused from its owner: ${reason}`));
  }

  /**
   * The owner could not serve a request: its blocks fail with that code. `busy` (the owner's queue for us is full) asks
   * again once another of our requests to that owner settles, without a timer: its answers free the queue.
   */
  onError(from: string, message: BlocksErrorMessage): void {
    const pending = this.#pending.get(message.req);
    // A late answer of an earlier share's request (its run is in the message): not ours, whatever its number.
    if (!pending || pending.peer !== from || message.run !== this.#o.run) return;
    if (message.code === 'busy' && ++pending.busy <= MAX_BUSY) return this.#retry(message.req, pending);
    const code = message.code === 'refused' ? 'not-found' : message.code === 'busy' ? 'io' : message.code;
    this.#fail(message.req, new FsError(code, pending.path, `served by its owner: ${message.code}`));
  }

  /**
   * A lane from `peer` was lost and `peer` sends nothing more on it (core/mesh/mesh.ts, `lane` event `lost`): pieces it
   * carried may never come. Every request to `peer` it holds (not one parked after a `busy`: those were not taken) is
   * asked again for the blocks still awaited, under a fresh request ID, their partial pieces dropped; pieces of the old
   * ID still on their way are then strays, ignored. The new request goes on lane 0 after the mesh's notice, so the owner
   * has closed that lane before it serves it. Past MAX_REASKS for one request its blocks fail.
   */
  laneLost(peer: string): void {
    if (this.#o.signal?.aborted) return;
    for (const [req, pending] of [...this.#pending]) {
      if (pending.peer !== peer || this.#parked.get(peer)?.includes(req) || !this.#pending.has(req)) continue;
      if (++pending.reasked > MAX_REASKS) {
        this.#fail(req, new FsError('io', pending.path, `lanes from its owner lost ${MAX_REASKS} times`));
        continue;
      }
      const hashes = new Map(pending.message.indices.map((i, k) => [i, pending.message.hashes[k] as string]));
      const indices = [...pending.slots.keys()];
      for (const slot of pending.slots.values()) Object.assign(slot, { deflated: null, carried: slot.length, pieces: [], got: 0 });
      const next = this.#number();
      pending.message = { ...pending.message, req: next, indices, hashes: indices.map((i) => hashes.get(i) as string) };
      pending.busy = 0;
      this.#pending.delete(req);
      this.#pending.set(next, pending);
      this.#o.counters.reasked = (this.#o.counters.reasked ?? 0) + 1;
      this.#wait(pending, true);
      this.#send(next, pending);
    }
  }

  /** A member left: whatever it still owed fails. */
  peerGone(peer: string): void {
    for (const [req, p] of this.#pending) if (p.peer === peer) this.#fail(req, new FsError('io', p.path, 'member-left'));
  }

  /** Ends every pending request (run stopped). */
  cancelAll(): void {
    for (const req of [...this.#pending.keys()]) this.#fail(req, cancelled());
  }

  /**
   * The small copies apply is about to open, in that order (issue 16): their requests go out ahead, several at once (so
   * the mesh sends them as one channel message and the owner serves them as one group), and the pipe stays full across
   * file boundaries. At most AHEAD_FILES files and AHEAD_BYTES are asked ahead of the copies, and never more requests
   * pending at one owner than AHEAD_PENDING.
   */
  expect(actions: readonly CopyAction[]): void {
    this.#ahead = actions.filter((a) => a.size > 0 && a.size <= MAX_REQUEST_BYTES);
    this.#aheadAt = 0;
    this.#prefetched.clear();
  }

  async open(action: CopyAction): Promise<BlockReader> {
    // Not asked yet: asked now with the ones after it, in one burst.
    if (!this.#prefetched.has(action) && this.#ahead[this.#aheadAt] === action) this.#refill(true);
    const fetch = this.#prefetched.get(action) ?? this.#fetch(action);
    this.#prefetched.delete(action);
    this.#refill(false);
    return fetch.reader;
  }

  /**
   * Asks the next expected copies ahead in one burst: at once when the copy being opened is the next one (`now`), else
   * once half of AHEAD_FILES were opened (one file at a time would be one channel message each).
   */
  #refill(now: boolean): void {
    if ((!now && this.#prefetched.size > AHEAD_FILES / 2) || this.#o.signal?.aborted) return;
    let bytes = 0;
    for (const f of this.#prefetched.keys()) bytes += f.size;
    const pendingAt = new Map<string, number>();
    for (const p of this.#pending.values()) pendingAt.set(p.peer, (pendingAt.get(p.peer) ?? 0) + 1);
    while (this.#aheadAt < this.#ahead.length && this.#prefetched.size < AHEAD_FILES && bytes < AHEAD_BYTES) {
      const action = this.#ahead[this.#aheadAt] as CopyAction;
      if (this.#opened.has(action)) {
        this.#aheadAt++;
        continue;
      }
      const peer = this.#o.ownerOf(action.from);
      if (peer === undefined) {
        this.#aheadAt++; // its open fails as member-left
        continue;
      }
      if ((pendingAt.get(peer) ?? 0) >= AHEAD_PENDING) break;
      this.#aheadAt++;
      const before = this.#made;
      try {
        this.#prefetched.set(action, this.#fetch(action));
      } catch {
        break; // cancelled: the copies stop too
      }
      pendingAt.set(peer, (pendingAt.get(peer) ?? 0) + (this.#made - before));
      bytes += action.size;
    }
  }

  /** Starts one copy's blocks: remote ones requested up to the window ahead, local ones read when asked for. */
  #fetch(action: CopyAction): { reader: BlockReader } {
    this.#opened.add(action);
    const peer = this.#o.ownerOf(action.from);
    if (peer === undefined) throw new FsError('not-found', action.path, 'member-left');
    const count = blockCount(action.size, action.blockSize);
    const local = new Map<number, Promise<Uint8Array | null>>();
    const remote: number[] = [];
    const files = new Map<string, Promise<OpenFile | null>>();
    for (let i = 0; i < count; i++) (this.#o.localIndex.has(action.blocks[i] as string) ? [] : remote).push(i);
    const slots = new Map<number, Promise<Parts>>();
    const window = this.#o.windowBytes ?? 2 * 1024 * 1024;
    const perRequest = Math.max(1, Math.min(MAX_REQUEST_BLOCKS, Math.floor(MAX_REQUEST_BYTES / action.blockSize)));
    let next = 0;
    let inFlight = 0;

    const request = (indices: number[]) => {
      if (this.#o.signal?.aborted) throw cancelled(action.path);
      const req = this.#number();
      const message: BlocksGetMessage = {
        type: 'blocks-get', v: MESH_PROTOCOL_VERSION, run: this.#o.run, req, source: action.from, path: action.path, hash: action.hash,
        size: action.size, blockSize: action.blockSize, indices, hashes: indices.map((i) => action.blocks[i] as string),
      };
      const pending: Pending = { peer, path: action.path, slots: new Map(), message, busy: 0, reasked: 0 };
      for (const i of indices) {
        const length = blockLength(action.size, action.blockSize, i);
        let resolve!: (b: Parts) => void;
        let reject!: (e: Error) => void;
        const promise = new Promise<Parts>((res, rej) => ((resolve = res), (reject = rej)));
        promise.catch(() => undefined); // a copy that fails early never awaits the rest
        pending.slots.set(i, { length, deflated: null, carried: length, pieces: [], got: 0, promise, resolve, reject });
        slots.set(i, promise);
        inFlight += length;
      }
      this.#pending.set(req, pending);
      this.#wait(pending, true);
      this.#send(req, pending);
    };
    const pump = () => {
      // Two requests at a time once the window has room for both (one channel message: each send costs the same).
      const room = window - inFlight;
      const left = (remote.length - next) * action.blockSize;
      if (inFlight > 0 && room < Math.min(2 * perRequest * action.blockSize, window / 2, left)) return;
      // A file with nothing asked always gets one request; more only while the owner's queue has room (else `busy`).
      const full = () => inFlight > 0 && (this.#asked.get(peer) ?? 0) >= OWNER_QUEUE;
      while (next < remote.length && inFlight < window && !full()) {
        const batch = remote.slice(next, next + perRequest);
        next += batch.length;
        request(batch);
      }
    };
    const reuse = (i: number): Promise<Uint8Array | null> => {
      const at = this.#o.localIndex.get(action.blocks[i] as string);
      if (!at) return Promise.resolve(null);
      const key = `${at.code}\0${at.path}`;
      if (!files.has(key)) files.set(key, Promise.resolve(this.#o.localSources.get(at.code)?.open(at.path)).then((f) => (f && f.size === at.size && f.mtime === at.mtime ? f : null), () => null));
      return (files.get(key) as Promise<OpenFile | null>).then(async (f) => {
        const bytes = await f?.read(at.offset, at.length).catch(() => null);
        // Verified here: a local file edited since its inventory must not slip in; the owner then sends the block.
        return bytes && bytes.length === at.length && (await this.#o.hasher.digest(bytes)) === action.blocks[i] ? bytes : null;
      });
    };
    pump();
    return {
      reader: {
        block: async (i) => {
          if (!slots.has(i)) {
            if (!local.has(i)) local.set(i, reuse(i));
            const bytes = await local.get(i);
            local.delete(i);
            if (bytes) {
              this.#o.counters.reusedBytes += bytes.length;
              return bytes;
            }
            if (!slots.has(i)) request([i]);
          }
          const bytes = await (slots.get(i) as Promise<Parts>);
          slots.delete(i);
          inFlight -= partsLength(bytes);
          pump();
          return bytes;
        },
      },
    };
  }

  #number(): number {
    this.#made++;
    return nextRequestNumber();
  }

  #send(req: number, pending: Pending): void {
    if (this.#watch.silent(pending.peer)) return this.#fail(req, new FsError('io', pending.path, silenceReason()));
    this.#watch.asked(pending.peer);
    this.#o.send(pending.peer, pending.message).catch(() => this.#fail(req, new FsError('io', pending.path, 'send failed')));
  }

  /** Parks a request the owner was too busy for; asked again at once if nothing else of ours is pending there. */
  #retry(req: number, pending: Pending): void {
    const others = [...this.#pending].some(([r, p]) => r !== req && p.peer === pending.peer && !this.#parked.get(p.peer)?.includes(r));
    if (!others) return this.#send(req, pending);
    this.#parked.set(pending.peer, [...(this.#parked.get(pending.peer) ?? []), req]);
  }

  /** A request to `pending.peer` is over: one parked request to that owner is asked again. */
  #settled(req: number, pending: Pending): void {
    this.#pending.delete(req);
    this.#wait(pending, false);
    if (!this.#awaits(pending.peer)) this.#watch.idle(pending.peer);
    const parked = (this.#parked.get(pending.peer) ?? []).filter((r) => this.#pending.has(r));
    const next = this.#o.signal?.aborted ? undefined : parked.shift();
    if (parked.length > 0) this.#parked.set(pending.peer, parked);
    else this.#parked.delete(pending.peer);
    if (next !== undefined) this.#send(next, this.#pending.get(next) as Pending);
  }

  /** Counts `pending` in #asked while it waits for its first piece (`waiting`), and no longer once it does not. */
  #wait(pending: Pending, waiting: boolean): void {
    if ((pending.waiting ?? false) === waiting) return;
    pending.waiting = waiting;
    this.#asked.set(pending.peer, (this.#asked.get(pending.peer) ?? 0) + (waiting ? 1 : -1));
  }

  #awaits(peer: string): boolean {
    for (const p of this.#pending.values()) if (p.peer === peer) return true;
    return false;
  }

  /** `peer` said nothing for the deadline: what waits there fails, and what is asked of it from now on (#send). */
  #silenced(peer: string): void {
    this.#parked.delete(peer);
    for (const [req, p] of [...this.#pending]) if (p.peer === peer) this.#fail(req, new FsError('io', p.path, silenceReason()));
  }

  #fail(req: number, error: Error): void {
    const pending = this.#pending.get(req);
    if (!pending) return;
    this.#settled(req, pending);
    for (const slot of pending.slots.values()) slot.reject(error);
  }
}
