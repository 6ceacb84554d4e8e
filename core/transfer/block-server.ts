/** Serves this member's blocks to the member that needs them (issue 6): by path and content hash, read-checked, in pieces, within a budget per peer. */
import type { BlockCodec, DirSource, Hasher, OpenFile } from '../ports.ts';
import type { FileItem } from '../inventory/types.ts';
import { blockCount, blockLength } from '../inventory/blocks.ts';
import { FsError, toFsError } from '../errors.ts';
import { PiecePacker } from './piece-packer.ts';
import { packBlock, type PackedBlock } from './block-deflate.ts';
import { MESH_PROTOCOL_VERSION } from '../protocol/mesh-messages.ts';
import { MAX_REQUEST_BYTES, type BlocksErrorMessage, type BlocksGetMessage } from '../protocol/run-messages.ts';

/** Requests of one peer accepted and not yet served (the one being served included); more are answered `busy`. */
export const SERVE_QUEUE_PER_PEER = 32;
/**
 * Block bytes read for one peer and not yet handed to its channel. The mesh resolves a send only once the channel has
 * room (mesh.ts BUFFER_HIGH), so a peer that stops reading stops the reads. A block larger than this (files over
 * 4 GB have 4–16 MiB blocks) is read alone.
 */
export const SERVE_BYTES_PER_PEER = 2 * 1024 * 1024;
/**
 * Requests of one peer served at once. A small file is one request whose cost is file-system latency (stat, open,
 * read, close), not bytes: served one at a time, a Mirror of thousands of small files waited on each in turn. The
 * byte budget above still bounds what is read ahead, whatever the number in flight.
 */
export const SERVE_PARALLEL_PER_PEER = 4;
/**
 * Small requests waiting in a peer's queue are served together (issue 16): read at once, then their pieces handed to
 * the mesh in one go, so they leave in a few channel messages (core/mesh/bundle.ts) instead of one each. A request is
 * small when it asks for at most SERVE_GROUP_REQUEST bytes; a group holds at most SERVE_GROUP_SIZE requests and
 * SERVE_GROUP_BYTES bytes (within SERVE_BYTES_PER_PEER: a group is read as a whole).
 */
export const SERVE_GROUP_REQUEST = 256 * 1024;
export const SERVE_GROUP_SIZE = 16;
export const SERVE_GROUP_BYTES = 1024 * 1024;
/** `blocks-error` answers to one peer not yet handed to its channel; past this a peer that does not read gets none. */
export const SERVE_REPLIES_PER_PEER = 64;

export type ServeErrorCode = BlocksErrorMessage['code'];

/** What the server needs from the mesh: a JSON reply and the binary pieces, both with backpressure. */
export interface BlockServerOptions {
  hasher: Hasher;
  sendError(peer: string, message: BlocksErrorMessage): Promise<void>;
  /** One piece, as its header and a view of its block (core/protocol/block-frame.ts blockPieceParts). */
  sendBytes(peer: string, data: readonly Uint8Array[]): Promise<void>;
  /**
   * Compresses blocks worth it (core/transfer/block-deflate.ts) toward the peers `deflateFor` names: those that
   * advertise `block-deflate`. Without a codec, or toward any other peer, blocks travel as they are.
   */
  codec?: BlockCodec;
  deflateFor?(peer: string): boolean;
  /** Called with the payload bytes of every block sent. */
  onServed?(bytes: number): void;
  /** A peer's answers are held up past SERVE_REPLIES_PER_PEER: its further requests go unanswered (called once per episode). */
  onOverflow?(peer: string): void;
}

interface Known extends FileItem {
  code: string;
}

/** What one peer costs the server right now (read-only, for tests and the page). */
export interface ServeLoad {
  /** Requests accepted and not finished. */
  requests: number;
  /** Block bytes read and not yet handed to the channel. */
  bytes: number;
  /** Error answers not yet handed to the channel. */
  replies: number;
}

interface PeerLoad {
  /** Accepted and not started. */
  queue: BlocksGetMessage[];
  /** Requests being served. */
  active: number;
  /** Serves under way, one request or a group of small ones (at most SERVE_PARALLEL_PER_PEER). */
  running: number;
  bytes: number;
  replies: number;
  dropping: boolean;
  /** The peer left: what it asked for is not read any more. */
  gone: boolean;
  /** Serves waiting for the byte budget to have room. */
  waiting: (() => void)[];
  /** Cuts this peer's pieces to fill its channel messages. */
  packer: PiecePacker;
}

/** A request the server will not serve as asked: answered `refused`. */
class Refusal extends Error {}

/**
 * Answers `blocks-get`, one request at a time per peer, reading a block only when that peer's budget has room. Sizes,
 * block size and block hashes are this member's inventory's: a request that disagrees, asks for blocks the file does
 * not have, or for more than MAX_REQUEST_BYTES at once is refused. A file is found at the requested path when its
 * inventoried hash is the requested one, else wherever this member's inventory holds the same content (a conflict copy
 * reads the original), and read only if its size and mtime are still those of the inventory. A file found by path
 * alone (written during this run) is served only block by block against the inventoried hashes. The receiver verifies
 * every block anyway (§6).
 */
export class BlockServer {
  readonly #o: BlockServerOptions;
  #sources: ReadonlyMap<string, DirSource> = new Map();
  #byPath = new Map<string, Known>();
  #byHash = new Map<string, Known[]>();
  readonly #loads = new Map<string, PeerLoad>();
  /** Bumped by `stop()`: a request accepted under an older epoch is not served further. */
  #epoch = 0;

  constructor(options: BlockServerOptions) {
    this.#o = options;
  }

  /** This member's sources by code and the files it may serve: its own inventories (replaced at each inventory). */
  setFiles(sources: ReadonlyMap<string, DirSource>, files: readonly Known[]): void {
    this.#sources = sources;
    this.#byPath = new Map(files.map((f) => [`${f.code}\0${f.path}`, f]));
    this.#byHash = new Map();
    for (const f of files) this.#byHash.set(f.hash, [...(this.#byHash.get(f.hash) ?? []), f]);
  }

  /** What `peer` holds of this server now. */
  load(peer: string): ServeLoad {
    const load = this.#loads.get(peer);
    return { requests: (load?.queue.length ?? 0) + (load?.active ?? 0), bytes: load?.bytes ?? 0, replies: load?.replies ?? 0 };
  }

  /** Queues one request; beyond SERVE_QUEUE_PER_PEER it is answered `busy`. Failures answer `blocks-error`, never throw. */
  handle(peer: string, request: BlocksGetMessage): void {
    const load = this.#load(peer);
    if (load.queue.length + load.active >= SERVE_QUEUE_PER_PEER) return this.refuse(peer, request, 'busy');
    load.queue.push(request);
    this.#work(peer, load);
  }

  /** Answers `blocks-error`; a peer whose answers pile up unread gets no more of them (reported through onOverflow). */
  refuse(peer: string, request: BlocksGetMessage, code: ServeErrorCode): void {
    const load = this.#load(peer);
    if (load.replies >= SERVE_REPLIES_PER_PEER) {
      if (!load.dropping) this.#o.onOverflow?.(peer);
      load.dropping = true;
      return;
    }
    load.replies++;
    const message: BlocksErrorMessage = { type: 'blocks-error', v: MESH_PROTOCOL_VERSION, run: request.run, req: request.req, code };
    void this.#o.sendError(peer, message).catch(() => undefined).then(() => {
      load.replies--;
      this.#idle(peer, load);
    });
  }

  /** Stops serving what was accepted (the run stopped or ended): queued requests are refused, those in flight end at their next block. */
  stop(): void {
    this.#epoch++;
    for (const [peer, load] of this.#loads) {
      for (const request of load.queue.splice(0)) this.refuse(peer, request, 'refused');
      this.#wakeUp(load);
    }
  }

  /** `peer` left: its queued requests are dropped unanswered (nobody would read the answers), the one in flight ends. */
  forget(peer: string): void {
    const load = this.#loads.get(peer);
    if (!load) return;
    this.#loads.delete(peer);
    load.gone = true;
    load.queue.splice(0);
    this.#wakeUp(load);
  }

  #load(peer: string): PeerLoad {
    let load = this.#loads.get(peer);
    if (!load) this.#loads.set(peer, (load = { queue: [], active: 0, running: 0, bytes: 0, replies: 0, dropping: false, gone: false, waiting: [], packer: new PiecePacker() }));
    return load;
  }

  /** Forgets a peer that holds nothing (peers come and go; the map stays small). */
  #idle(peer: string, load: PeerLoad): void {
    if (load.queue.length === 0 && load.active === 0 && load.bytes === 0 && load.replies === 0 && this.#loads.get(peer) === load) this.#loads.delete(peer);
  }

  #wakeUp(load: PeerLoad): void {
    for (const wake of load.waiting.splice(0)) wake();
  }

  /**
   * Starts queued requests while fewer than SERVE_PARALLEL_PER_PEER serves run; each serve takes the next when it ends.
   * Small requests at the head of the queue start together as one group (SERVE_GROUP_*).
   */
  #work(peer: string, load: PeerLoad): void {
    while (load.running < SERVE_PARALLEL_PER_PEER && load.queue.length > 0) {
      const group = takeGroup(load.queue);
      load.active += group.length;
      load.running++;
      const serve = group.length === 1 ? this.#serve(peer, load, group[0] as BlocksGetMessage, this.#epoch) : this.#serveGroup(peer, load, group, this.#epoch);
      void serve.finally(() => {
        load.active -= group.length;
        load.running--;
        if (!load.gone) this.#work(peer, load);
        this.#idle(peer, load);
      });
    }
  }

  /**
   * Serves small requests together: room for all their bytes first, every file read and checked at once, then every
   * piece handed to the mesh in one go (so they share channel messages), in the order asked; a request that fails is
   * answered `blocks-error` as when served alone.
   */
  async #serveGroup(peer: string, load: PeerLoad, group: BlocksGetMessage[], epoch: number): Promise<void> {
    const total = group.reduce((sum, r) => sum + requestBytes(r), 0);
    while (load.bytes > 0 && load.bytes + total > SERVE_BYTES_PER_PEER && epoch === this.#epoch && !load.gone) {
      await new Promise<void>((resolve) => load.waiting.push(resolve));
    }
    if (load.gone) return;
    if (epoch !== this.#epoch) return group.forEach((r) => this.refuse(peer, r, 'refused'));
    load.bytes += total;
    const read = await Promise.all(group.map((request) => this.#readAll(peer, request).then((blocks) => ({ blocks }), (error: unknown) => ({ error }))));
    let unsent = total;
    const release = (bytes: number) => {
      load.bytes -= bytes;
      this.#wakeUp(load);
      this.#idle(peer, load);
    };
    for (const [k, request] of group.entries()) {
      const outcome = read[k] as { blocks?: { raw: number; packed: PackedBlock }[]; error?: unknown };
      const bytes = requestBytes(request);
      if (load.gone) break;
      unsent -= bytes;
      if (epoch !== this.#epoch || !outcome.blocks) {
        release(bytes);
        this.#answerError(peer, request, epoch !== this.#epoch ? new Refusal('run ended') : outcome.error);
        continue;
      }
      let last: Promise<void> = Promise.resolve();
      for (const [j, { raw, packed }] of outcome.blocks.entries()) {
        for (const piece of load.packer.pieces(request.req, request.indices[j] as number, packed.bytes, packed.deflated)) last = this.#o.sendBytes(peer, piece);
        this.#o.onServed?.(raw);
      }
      void last.then(() => release(bytes));
    }
    if (unsent > 0) release(unsent); // the peer left: what was read for it is dropped
  }

  /** Every block a small request asks for, read, checked and compressed like #send does one block at a time. */
  async #readAll(peer: string, request: BlocksGetMessage): Promise<{ raw: number; packed: PackedBlock }[]> {
    const { file, known, check } = await this.#open(request);
    const out: { raw: number; packed: PackedBlock }[] = [];
    for (const index of request.indices) {
      const length = blockLength(known.size, known.blockSize, index);
      const bytes = await file.read(index * known.blockSize, length);
      if (bytes.length !== length) throw new FsError('changed', request.path, 'short read');
      if (check && (await this.#o.hasher.digest(bytes)) !== known.blocks[index]) throw new FsError('changed', request.path);
      out.push({ raw: bytes.length, packed: await this.#pack(peer, bytes) });
    }
    return out;
  }

  #answerError(peer: string, request: BlocksGetMessage, error: unknown): void {
    const code = error instanceof Refusal ? 'refused' : toFsError(error, request.path).code;
    this.refuse(peer, request, code === 'not-found' || code === 'changed' || code === 'refused' ? code : 'io');
  }

  async #serve(peer: string, load: PeerLoad, request: BlocksGetMessage, epoch: number): Promise<void> {
    try {
      const { file, known, check } = await this.#open(request);
      for (const index of request.indices) {
        const length = blockLength(known.size, known.blockSize, index);
        // Waits for the channel: bytes are released once their last piece is handed to it.
        while (load.bytes > 0 && load.bytes + length > SERVE_BYTES_PER_PEER && epoch === this.#epoch && !load.gone) {
          await new Promise<void>((resolve) => load.waiting.push(resolve));
        }
        if (load.gone) return;
        if (epoch !== this.#epoch) throw new Refusal('run ended');
        load.bytes += length;
        let sent: Promise<void>;
        try {
          ({ sent } = await this.#send(peer, load, request, file, known, check, index, length));
        } catch (error) {
          load.bytes -= length;
          throw error;
        }
        void sent.then(() => {
          load.bytes -= length;
          this.#wakeUp(load);
          this.#idle(peer, load);
        });
        this.#o.onServed?.(length);
      }
    } catch (error) {
      this.#answerError(peer, request, error);
    }
  }

  /** Reads, checks and hands one block's pieces to the mesh; `sent` settles with the last piece's send (wrapped: not awaited here). */
  async #send(peer: string, load: PeerLoad, request: BlocksGetMessage, file: OpenFile, known: Known, check: boolean, index: number, length: number): Promise<{ sent: Promise<void> }> {
    const bytes = await file.read(index * known.blockSize, length);
    if (bytes.length !== length) throw new FsError('changed', request.path, 'short read');
    if (check && (await this.#o.hasher.digest(bytes)) !== known.blocks[index]) throw new FsError('changed', request.path);
    const packed = await this.#pack(peer, bytes);
    // Not awaited one by one: a block's pieces are sealed at once; the mesh keeps their order and waits on the buffer.
    let last: Promise<void> = Promise.resolve();
    for (const piece of load.packer.pieces(request.req, index, packed.bytes, packed.deflated)) last = this.#o.sendBytes(peer, piece);
    return { sent: last };
  }

  /** The block as it goes to `peer`: compressed before sealing (the mesh seals what it is handed) when that pays. */
  #pack(peer: string, bytes: Uint8Array): Promise<PackedBlock> | PackedBlock {
    const codec = this.#o.codec;
    return codec && this.#o.deflateFor?.(peer) ? packBlock(codec, bytes) : { bytes, deflated: false };
  }

  /** The inventoried file the request names, checked against the request, and an open file with that content. */
  async #open(request: BlocksGetMessage): Promise<{ file: OpenFile; known: Known; check: boolean }> {
    const source = this.#sources.get(request.source);
    if (!source) throw new FsError('not-found', request.path, 'not my source');
    const atPath = this.#byPath.get(`${request.source}\0${request.path}`);
    const candidates = [...(atPath?.hash === request.hash ? [atPath] : []), ...(this.#byHash.get(request.hash) ?? [])];
    const known = candidates[0];
    if (!known) throw new Refusal('content not in my inventory');
    checkRequest(request, known);
    for (const candidate of candidates) {
      if (candidate.size !== known.size || candidate.blockSize !== known.blockSize) continue;
      const file = await this.#sources.get(candidate.code)?.open(candidate.path).catch(() => null);
      if (file && file.size === candidate.size && file.mtime === candidate.mtime) return { file, known: candidate, check: false };
    }
    const file = await source.open(request.path);
    if (file.size !== known.size) throw new FsError('changed', request.path);
    return { file, known, check: true };
  }
}

/** The block bytes a request asks for, by its own geometry (checked against the inventory before anything is read). */
function requestBytes(request: BlocksGetMessage): number {
  return request.indices.reduce((sum, i) => sum + blockLength(request.size, request.blockSize, i), 0);
}

/** The head request of `queue`, and the small ones right behind it when it is small too (SERVE_GROUP_*). */
function takeGroup(queue: BlocksGetMessage[]): BlocksGetMessage[] {
  const group = [queue.shift() as BlocksGetMessage];
  let bytes = requestBytes(group[0] as BlocksGetMessage);
  if (bytes > SERVE_GROUP_REQUEST) return group;
  while (queue.length > 0 && group.length < SERVE_GROUP_SIZE) {
    const next = requestBytes(queue[0] as BlocksGetMessage);
    if (next > SERVE_GROUP_REQUEST || bytes + next > SERVE_GROUP_BYTES) break;
    group.push(queue.shift() as BlocksGetMessage);
    bytes += next;
  }
  return group;
}

/** Refuses a request whose geometry is not the inventory's, or that asks for too much at once. */
function checkRequest(request: BlocksGetMessage, known: Known): void {
  if (request.size !== known.size || request.blockSize !== known.blockSize) throw new Refusal('size or block size differs from my inventory');
  const count = blockCount(known.size, known.blockSize);
  const most = Math.max(1, Math.floor(MAX_REQUEST_BYTES / known.blockSize));
  const { indices, hashes } = request;
  if (indices.length > most || new Set(indices).size !== indices.length || indices.some((i) => i >= count)) throw new Refusal('blocks out of range');
  if (hashes.length !== indices.length || hashes.some((h, k) => h !== known.blocks[indices[k] as number])) throw new Refusal('block hashes differ from my inventory');
}
