/** What an inventory of one data source holds. */
import type { EntryKind } from '../ports.ts';
import type { FsErrorCode } from '../errors.ts';

/** A file with its block hashes (docs/protocol.md §3): hash = SHA-256 over the concatenated raw block hashes. */
export interface FileItem {
  kind: 'file';
  /** Relative, '/'-separated path; exactly as the platform names it (no Unicode normalization). */
  path: string;
  size: number;
  mtime: number;
  /** Permission bits (0–0o777) where the platform has them (FileStat.mode): a Node member keeps them on its copies. */
  mode?: number;
  blockSize: number;
  /** Lower-case hex SHA-256 per block; [] for an empty file. */
  blocks: string[];
  /** Lower-case hex SHA-256 over the raw block hashes (SHA-256 of nothing for an empty file). */
  hash: string;
}

/** A directory (kept so empty directories are synchronized too). */
export interface DirItem {
  kind: 'directory';
  path: string;
}

export type InventoryItem = FileItem | DirItem;

/** A path the inventory could not read; the rest of the inventory goes on. */
export interface ItemError {
  path: string;
  code: FsErrorCode;
  message: string;
}

/** Counters a test or the UI can read; `hashedBytes` is 0 when every file came from the index. */
export interface InventoryStats {
  files: number;
  directories: number;
  bytes: number;
  hashedFiles: number;
  hashedBytes: number;
  /** Files whose hashes came from the index because size and mtime were unchanged. */
  indexedFiles: number;
  excluded: number;
}

/** One data source's inventory. Items are sorted by path (code-unit order). */
export interface Inventory {
  /** Source code, e.g. 'A1'. */
  source: string;
  rootKind: EntryKind;
  rootName: string;
  items: InventoryItem[];
  errors: ItemError[];
  stats: InventoryStats;
  /** When the inventory finished, ms since epoch (from the Clock port). */
  takenAt: number;
}

/** Progress of one source's inventory, emitted as it goes. */
export interface InventoryProgress {
  source: string;
  files: number;
  bytes: number;
  hashedBytes: number;
  /** Bytes hashed per second since the start. */
  rate: number;
  done: boolean;
  /**
   * What the walk left to hash (files the index did not know): set once the walk is over, absent during it. With
   * `hashedFiles` and `hashedBytes` it gives the time left of the hashing.
   */
  toHash?: { files: number; bytes: number };
  hashedFiles?: number;
  /** The file whose hashing started last. */
  current?: string;
}
