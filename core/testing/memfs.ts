/** An in-memory DirSink with Syncthing-style knobs (case folding, latency, faults) for tests and benchmarks. */
import type { AccessState, Clock, DirEntryInfo, DirSink, EntryKind, FileStat, FileWriter, OpenFile } from '../ports.ts';
import { FsError, type FsErrorCode } from '../errors.ts';
import { baseName, isValidName, joinPath, parentPath } from '../paths.ts';
import { concat } from '../bytes.ts';
import { utf8 } from './bytes.ts';
import { MemTree, type DirNode, type FileNode } from './mem-tree.ts';

/** The operations a fault can target. `read` is one `OpenFile.read`; `write`/`commit` are writer calls. */
export type MemOp = 'list' | 'stat' | 'open' | 'read' | 'mkdir' | 'createWriter' | 'write' | 'commit' | 'remove' | 'move';

/** A tree to seed: a string or bytes is a file, an object is a directory. */
export interface TreeSpec {
  [name: string]: string | Uint8Array | TreeSpec;
}

export interface MemFsOptions {
  /** Display name of the source (and, for a single-file root, the file's name). */
  name?: string;
  /** Names differing only by case are the same entry, as on Windows and macOS by default. */
  caseInsensitive?: boolean;
  /** Source of file mtimes; a fixed epoch when absent. */
  clock?: Clock;
  /** Awaited before every operation, e.g. a timer-based delay in benchmarks. */
  latency?: () => Promise<void>;
  /** Total file bytes allowed; writes beyond it fail with 'no-space'. */
  capacityBytes?: number;
  /** When false, the sink has no `move` and core must copy then remove. */
  move?: boolean;
  /** Longest path mkdir and createWriter accept (Linux PATH_MAX is 4096); longer ones fail with 'invalid-name'. */
  maxPathLength?: number;
}

interface Fault { op: MemOp; path: string | undefined; code: FsErrorCode; skip: number; sticky: boolean }

let versions = 0;

/** The in-memory file system. Every method behaves as core/ports.ts says, failures included. */
export class MemFs implements DirSink {
  readonly rootKind: EntryKind;
  readonly name: string;
  /** Present unless constructed with `move: false`. */
  readonly move?: (from: string, to: string) => Promise<void>;
  /** Called before every read with the path and offset; may change or delete files mid-run. */
  onBeforeRead?: (path: string, offset: number) => void | Promise<void>;
  /** Operations performed, by kind: lets tests assert that a path was not hashed again, etc. */
  readonly counts: Record<MemOp, number> = { list: 0, stat: 0, open: 0, read: 0, mkdir: 0, createWriter: 0, write: 0, commit: 0, remove: 0, move: 0 };
  #tree: MemTree;
  #faults: Fault[] = [];
  #revoked = false;
  #opts: MemFsOptions;

  constructor(options: MemFsOptions = {}, rootKind: EntryKind = 'directory') {
    this.#opts = options;
    this.#tree = new MemTree(options.caseInsensitive === true);
    this.rootKind = rootKind;
    this.name = options.name ?? 'mem';
    if (options.move !== false) this.move = (from, to) => this.#move(from, to);
  }

  /** A directory source seeded with a tree. */
  static from(tree: TreeSpec, options: MemFsOptions = {}): MemFs {
    const fs = new MemFs(options);
    fs.seed(tree);
    return fs;
  }

  /** A single-file source: `list('')` returns the one file, whose path is its name. */
  static file(name: string, content: string | Uint8Array, options: MemFsOptions = {}): MemFs {
    const fs = new MemFs({ ...options, name }, 'file');
    fs.writeFile(name, content);
    return fs;
  }

  // ---- knobs and test helpers (never faulted) ----

  /** The next matching op (after `skip` matches) throws `code`; `path` undefined matches any path. */
  failNext(op: MemOp, path: string | undefined, code: FsErrorCode, skip = 0): void {
    this.#faults.push({ op, path, code, skip, sticky: false });
  }
  /** Every matching op throws `code` until `clearFaults()`. */
  failAlways(op: MemOp, path: string | undefined, code: FsErrorCode): void {
    this.#faults.push({ op, path, code, skip: 0, sticky: true });
  }
  clearFaults(): void {
    this.#faults = [];
  }
  /** The user withdraws permission: every op throws 'permission-denied', access() says 'denied'. */
  revoke(): void {
    this.#revoked = true;
  }
  grant(): void {
    this.#revoked = false;
  }

  /** Adds files and directories under `at`, creating parents. */
  seed(tree: TreeSpec, at = ''): void {
    for (const [name, value] of Object.entries(tree)) {
      const path = joinPath(at, name);
      if (typeof value === 'string' || value instanceof Uint8Array) this.writeFile(path, value);
      else {
        this.#tree.mkdirs(path);
        this.seed(value, path);
      }
    }
  }
  /** Writes a file directly (parents created), with mtime `mtime` or the clock's now. */
  writeFile(path: string, content: string | Uint8Array, mtime?: number): void {
    this.#tree.mkdirs(parentPath(path));
    const dir = this.#tree.dir(parentPath(path));
    const data = typeof content === 'string' ? utf8(content) : content.slice();
    const old = dir.children.get(this.#tree.key(baseName(path)));
    if (old?.kind === 'directory') throw new FsError('type-mismatch', path);
    const node: FileNode = { kind: 'file', name: old?.name ?? baseName(path), data, mtime: mtime ?? this.#now(), version: ++versions };
    dir.children.set(this.#tree.key(baseName(path)), node);
  }
  /** Sets a file's mtime (a "touch" that keeps the content). */
  setMtime(path: string, mtime: number): void {
    const node = this.#tree.find(path);
    if (node?.kind !== 'file') throw new FsError('not-found', path);
    node.mtime = mtime;
    node.version = ++versions;
  }
  /** The bytes of a file, or undefined. */
  readFile(path: string): Uint8Array | undefined {
    const node = this.#tree.find(path);
    return node?.kind === 'file' ? node.data : undefined;
  }
  /** Removes a file or directory directly. */
  delete(path: string): void {
    const dir = this.#tree.find(parentPath(path));
    if (dir?.kind === 'directory') dir.children.delete(this.#tree.key(baseName(path)));
  }
  /** The tree as {path: bytes, dir: null}, paths relative to `under`, skipping `exclude` top-level names. */
  snapshot(options: { under?: string; exclude?: string[] } = {}): Record<string, Uint8Array | null> {
    const out: Record<string, Uint8Array | null> = {};
    const start = this.#tree.find(options.under ?? '');
    const exclude = new Set(options.exclude ?? []);
    const visit = (node: DirNode, path: string): void => {
      for (const child of node.children.values()) {
        if (path === '' && exclude.has(child.name)) continue;
        const p = joinPath(path, child.name);
        if (child.kind === 'file') out[p] = child.data;
        else {
          out[p] = null;
          visit(child, p);
        }
      }
    };
    if (start?.kind === 'directory') visit(start, '');
    return out;
  }

  // ---- DirSink ----

  async list(path: string): Promise<DirEntryInfo[]> {
    await this.#enter('list', path);
    const dir = this.#tree.dir(path);
    return [...dir.children.values()].map((n) => ({ name: n.name, kind: n.kind }));
  }

  async stat(path: string): Promise<FileStat> {
    await this.#enter('stat', path);
    const node = this.#tree.find(path);
    if (!node) throw new FsError('not-found', path);
    if (node.kind === 'directory') throw new FsError('type-mismatch', path);
    return { size: node.data.length, mtime: node.mtime };
  }

  async open(path: string): Promise<OpenFile> {
    await this.#enter('open', path);
    const node = this.#tree.find(path);
    if (!node) throw new FsError('not-found', path);
    if (node.kind === 'directory') throw new FsError('type-mismatch', path);
    const { version, data, mtime } = node;
    // Like a DOM File: a snapshot that refuses to read once the file changed on disk.
    return {
      size: data.length,
      mtime,
      read: async (offset, length) => {
        await this.onBeforeRead?.(path, offset);
        await this.#enter('read', path);
        const now = this.#tree.find(path);
        if (!now) throw new FsError('not-found', path);
        if (now.kind !== 'file' || now.version !== version) throw new FsError('changed', path);
        return data.slice(offset, Math.min(data.length, offset + length));
      },
    };
  }

  async access(_mode: 'read' | 'readwrite', _request: boolean): Promise<AccessState> {
    return this.#revoked ? 'denied' : 'granted';
  }

  async mkdir(path: string): Promise<void> {
    await this.#enter('mkdir', path);
    if (this.rootKind === 'file') throw new FsError('type-mismatch', path);
    this.#checkLength(path);
    this.#tree.mkdirs(path);
  }

  async createWriter(path: string): Promise<FileWriter> {
    await this.#enter('createWriter', path);
    if (!isValidName(baseName(path))) throw new FsError('invalid-name', path);
    this.#checkLength(path);
    this.#tree.dir(parentPath(path));
    if (this.rootKind === 'file' && path !== this.name) throw new FsError('type-mismatch', path);
    const chunks: Uint8Array[] = [];
    let buffered = 0;
    let state: 'open' | 'done' = 'open';
    return {
      write: async (chunk) => {
        if (state !== 'open') throw new FsError('io', path, 'writer closed');
        await this.#enter('write', path);
        buffered += chunk.length;
        if (this.#opts.capacityBytes !== undefined && this.#tree.used() + buffered > this.#opts.capacityBytes) throw new FsError('no-space', path);
        chunks.push(chunk.slice());
      },
      commit: async () => {
        if (state !== 'open') throw new FsError('io', path, 'writer closed');
        await this.#enter('commit', path);
        state = 'done';
        // The parent must still exist (commit never creates folders), and a directory is never replaced by a file:
        // like a real platform, the writer stages bytes elsewhere and only the commit meets what stands at `path`.
        const parent = this.#tree.dir(parentPath(path));
        if (parent.children.get(this.#tree.key(baseName(path)))?.kind === 'directory') throw new FsError('type-mismatch', path);
        this.writeFile(path, concat(...chunks));
      },
      abort: async () => {
        state = 'done';
      },
    };
  }

  async remove(path: string, options: { recursive: boolean }): Promise<void> {
    await this.#enter('remove', path);
    if (path === '' || this.rootKind === 'file') throw new FsError('permission-denied', path);
    const node = this.#tree.find(path);
    if (!node) throw new FsError('not-found', path);
    if (node.kind === 'directory' && node.children.size > 0 && !options.recursive) throw new FsError('io', path, 'not empty');
    this.delete(path);
  }

  async #move(from: string, to: string): Promise<void> {
    await this.#enter('move', from);
    const node = this.#tree.find(from);
    if (!node) throw new FsError('not-found', from);
    const target = this.#tree.dir(parentPath(to));
    if (target.children.has(this.#tree.key(baseName(to)))) throw new FsError('exists', to);
    if (to === from || to.startsWith(`${from}/`)) throw new FsError('invalid-name', to);
    this.delete(from);
    node.name = baseName(to);
    target.children.set(this.#tree.key(node.name), node);
  }

  // ---- internals ----

  #checkLength(path: string): void {
    if (this.#opts.maxPathLength !== undefined && path.length > this.#opts.maxPathLength) throw new FsError('invalid-name', path, 'path too long');
  }
  #now(): number {
    return this.#opts.clock?.now() ?? Date.UTC(2024, 0, 1);
  }
  async #enter(op: MemOp, path: string): Promise<void> {
    this.counts[op]++;
    if (this.#opts.latency) await this.#opts.latency();
    if (this.#revoked) throw new FsError('permission-denied', path);
    const i = this.#faults.findIndex((f) => f.op === op && (f.path === undefined || f.path === path) && (f.sticky || f.skip-- <= 0));
    const fault = this.#faults[i];
    if (!fault) return;
    if (!fault.sticky) this.#faults.splice(i, 1);
    throw new FsError(fault.code, path, `injected ${fault.code}`);
  }
}
