/** The interfaces the platform edges implement; core/ reaches files, time, hashing and storage only through these. */

/** What a directory entry is. A data source's root is one or the other. */
export type EntryKind = 'file' | 'directory';

/** One child of a directory, as listed. */
export interface DirEntryInfo {
  name: string;
  kind: EntryKind;
}

/** Size in bytes and modification time in ms since the epoch. */
export interface FileStat {
  size: number;
  mtime: number;
  /** Permission bits (rwx for user, group, others: 0–0o777) where the platform has them (Node); browsers have none. */
  mode?: number;
}

/** A file opened for reading. Reads past the end return fewer bytes (or none). */
export interface OpenFile {
  readonly size: number;
  readonly mtime: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * A file being written. Nothing is visible at the target path until `commit()`,
 * which replaces the target in one step (FSA `createWritable().close()`, or rename in Node).
 * `abort()` leaves the target exactly as it was.
 */
export interface FileWriter {
  write(chunk: Uint8Array): Promise<void>;
  /**
   * Moves the bytes into place. A writer that vouches for them resolves with the committed file's stat: it counted
   * every byte `write()` took into the file and checked the staged file's size before the move (Node's, where a
   * read-back would only read the page cache just written). The engine then records the block hashes it checked
   * before writing; a writer that resolves nothing (the browser's, writing through Chrome) has its file read back.
   */
  commit(): Promise<FileStat | void>;
  abort(): Promise<void>;
  /**
   * Optional (Node): gives the staged file its source's modification time and, when known, permission bits, before the
   * commit's move (which keeps both). Returns what it set. Browsers cannot: their files get the time of writing.
   */
  keep?(meta: { mtime?: number; mode?: number }): Promise<{ mtime: boolean; mode: boolean }>;
  /**
   * Optional (Node, and the browser's writers, on disk and in OPFS): does now, once every byte is written, what the
   * commit would do before its move (the data's flush to the disk, the metadata kept; Chrome's close of the staged file,
   * with its file-type check), so the commit is the move alone. The engine calls it before it looks at what stands at
   * the target: an edit made there while the disk flushed is then seen, not replaced unseen, and a tab closed during
   * the flush leaves the target in place (the browser).
   */
  flush?(): Promise<void>;
  /**
   * Optional (the browser's OPFS writer): writes bytes [start, end) of `file`, a source file the engine opened, reading
   * them itself (off the page's main thread), at `start` of the staged file, and resolves with the SHA-256 of each
   * `blockSize` block of what it wrote; the engine checks them before the commit, so nothing of a file changed since the
   * inventory reaches its final name. Returns null at once when it cannot read this file (the engine then reads and
   * writes block by block); throws FsError 'changed' when the file no longer reads as it did.
   */
  copyFrom?(file: OpenFile, start: number, end: number, blockSize: number): Promise<string[]> | null;
}

/** Whether the user still lets us read (or write) a source. */
export type AccessState = 'granted' | 'prompt' | 'denied';

/**
 * A data source as read. Paths are relative, '/'-separated, never start with '/', '' is the root.
 * A single-file source behaves as a directory that holds just that file: `list('')` returns it,
 * and its path is its name. Every method throws `FsError` (core/errors.ts) on failure.
 */
export interface DirSource {
  /** 'directory' for a folder source, 'file' for a single-file source. */
  readonly rootKind: EntryKind;
  /** The folder's or file's own name, for display. */
  readonly name: string;
  list(path: string): Promise<DirEntryInfo[]>;
  stat(path: string): Promise<FileStat>;
  open(path: string): Promise<OpenFile>;
  /**
   * Optional: what stands at a path, a file, a directory or nothing (null), where nothing costs no error (the engine
   * asks before every copy). Throws as `stat` does for what is neither. Without it the engine asks `stat`.
   */
  kindOf?(path: string): Promise<EntryKind | null>;
  /** Asks the platform whether access is still granted; `request` may prompt (needs a user gesture). */
  access(mode: 'read' | 'readwrite', request: boolean): Promise<AccessState>;
  /**
   * Optional: `path` will not be opened after its `stat` (the index knew it), so whatever `stat` kept for a next
   * `open` may go (the browser keeps each File snapshot, and the blob behind it, while it is referenced).
   */
  release?(path: string): void;
}

/** A data source we may change: the target of a synchronization. */
export interface DirSink extends DirSource {
  /** Creates the directory and any missing parents; no error if it exists. */
  mkdir(path: string): Promise<void>;
  /** Opens a writer whose commit replaces `path` atomically; parents must exist. */
  createWriter(path: string): Promise<FileWriter>;
  /** Removes a file, or a directory with everything in it when `recursive`. */
  remove(path: string, options: { recursive: boolean }): Promise<void>;
  /** Moves a file within the source in one step where the platform can; absent otherwise (core copies then removes). */
  move?(from: string, to: string): Promise<void>;
  /**
   * Optional (Node): gives the file at `from` a second name `to` (a hard link), never replacing anything at `to`. A
   * file about to be replaced is kept as a version this way, so its path is never empty (versions.ts keepBeforeReplace).
   */
  link?(from: string, to: string): Promise<void>;
  /**
   * Optional (Node): makes the names written, moved and removed since the last call survive a power cut (an fsync of
   * each changed directory). The engine calls it at the end of a run, before the run is reported done.
   */
  flush?(): Promise<void>;
}

/** Cooperative cancellation; an AbortSignal satisfies it. */
export interface CancelSignal {
  readonly aborted: boolean;
}

/**
 * SHA-256 over fixed-size blocks. Implementations: WebCrypto in Web Workers (browser),
 * the runtime's crypto module (headless member), @noble/hashes (core tests). All give the same bytes.
 */
export interface Hasher {
  /**
   * How many files it is worth hashing at once. Small files are bound by I/O latency, not CPU: the browser's
   * worker pool takes 256, sends small ones to its workers many to a message and holds large ones back by itself.
   */
  readonly parallelism?: number;
  /** Lower-case hex SHA-256 of each `blockSize` block of the file, in order; [] for an empty file. */
  hashBlocks(file: OpenFile, blockSize: number, signal?: CancelSignal): Promise<string[]>;
  /** Lower-case hex SHA-256 of the bytes, read before it returns (the caller may reuse `data` at once: copy-file.ts). */
  digest(data: Uint8Array): Promise<string>;
}

/** A small persistent key-value store (IndexedDB in the browser, a file in Node). Values are structured-cloneable. */
export interface Store {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
  del(key: string): Promise<void>;
}

/** Time, injected so tests control it. */
export interface Clock {
  now(): number;
}

/**
 * Deadlines on the same time as the Clock (setTimeout in the browser, a ManualClock in tests): `after(ms, fn)` calls
 * `fn` once, `ms` later, unless the returned function cancelled it first.
 */
export interface Timers {
  after(ms: number, fn: () => void): () => void;
}

/** Randomness, injected so tests can seed it. */
export interface Random {
  bytes(length: number): Uint8Array;
}

/**
 * Lossless compression for what members exchange (inventories, plans): CompressionStream('gzip') in the browser,
 * zlib in Node. `decompress` refuses (throws) past `maxBytes` and stops inflating as soon as it is passed, holding at
 * most `maxBytes` plus one chunk, so a small hostile message cannot fill memory.
 */
export interface Compressor {
  compress(data: Uint8Array): Promise<Uint8Array>;
  decompress(data: Uint8Array, maxBytes: number): Promise<Uint8Array>;
}

/**
 * Raw DEFLATE (RFC 1951) of file blocks between members (docs/protocol.md §10.4, `block-deflate`): fflate in core by
 * default (core/transfer/block-codec.ts), the runtime's zlib on a headless member. Both sides read either's output. `inflate` throws past
 * `maxBytes` and stops inflating there (a decompression bomb costs at most `maxBytes` plus one chunk), and throws on a
 * malformed or truncated stream.
 */
export interface BlockCodec {
  deflate(data: Uint8Array): Promise<Uint8Array>;
  inflate(data: Uint8Array, maxBytes: number): Promise<Uint8Array>;
}

/**
 * Turns a peer's complete blob into its JSON value: core/transfer/blob-parts.ts `fromBlob` (bounded inflation, fatal
 * UTF-8, JSON.parse), run where it cannot freeze the page: a Web Worker in the browser, the calling thread elsewhere.
 * Rejects when the blob is refused.
 */
export interface BlobDecoder {
  decode(bytes: Uint8Array): Promise<unknown>;
}

/**
 * What a source watcher reports (continuous synchronization, docs/protocol.md §12): something at or under `path`
 * changed, or something changed somewhere (`unknown`: the platform lost track, e.g. FileSystemObserver's "unknown"
 * record or an overflowing fs.watch) and the whole source must be looked at again.
 */
export type WatchEvent = { kind: 'changed'; path: string } | { kind: 'unknown' };

/**
 * Watches a member's own sources for changes (FileSystemObserver or a periodic rescan in the browser, fs.watch in
 * Node, core/continuous/poll-watcher.ts anywhere). `watch` returns the function that stops watching. A watcher may
 * report too much (a change Quintet made itself, a file touched without a new content): the next inventory tells.
 */
export interface SourceWatcher {
  watch(source: DirSource, onEvent: (event: WatchEvent) => void): () => void;
}

/** What a SourceObserver tells of one source it observes. */
export interface ObserveHandlers {
  onEvent(event: WatchEvent): void;
  /** The platform observes the source from now on: every later change will be reported. */
  onLive(): void;
  /** The observation stopped on its own (the folder went away, the platform gave up): nothing more will be reported. */
  onLost(): void;
}

/**
 * The platform's own change notifications, with no periodic rescan behind them (FileSystemObserver in the browser):
 * what lets a manual inventory look again only at what changed since the last one (core/inventory/watched-walks.ts).
 * `observe` returns the function that stops observing, or null where the platform cannot observe this source.
 */
export interface SourceObserver {
  observe(source: DirSource, handlers: ObserveHandlers): (() => void) | null;
  /**
   * Optional: resolves once a change made just before has most likely been reported. The platform reports
   * asynchronously, so an inventory started right after an edit waits this long before trusting what it was told.
   */
  settle?(): Promise<void>;
}
