/** The comparison of several inventories: one row per item, one cell per data source. */
import type { EntryKind } from '../ports.ts';

/** An item as one source holds it; absent sources have no cell (null). */
export interface ComparisonCell {
  kind: EntryKind;
  /** Content group within the row: same number = same content (files only; 1-based, by first appearance). */
  group?: number;
  size?: number;
  mtime?: number;
  hash?: string;
  /** Block size and block hashes (files only), shared with the inventory: a plan's copy needs them. */
  blockSize?: number;
  blocks?: string[];
}

export type ComparisonStatus =
  | 'identical' // present everywhere with the same content (or a directory everywhere)
  | 'different' // present everywhere, content differs
  | 'missing' // absent from some sources
  | 'conflict'; // a file on some sources and a directory on others

export interface ComparisonRow {
  /** Relative path (Tree matching). */
  path: string;
  /** Source code → cell, or null where the source lacks the item. */
  cells: Record<string, ComparisonCell | null>;
  status: ComparisonStatus;
}

export interface Comparison {
  /** Source codes, in column order. */
  sources: string[];
  /** Sorted by path. Parents come before children. */
  rows: ComparisonRow[];
  /**
   * Source code → paths its inventory could not read ('' = the whole source, e.g. permission
   * denied). Plans refuse to act at or under them: an unread item is not an absent item.
   */
  unreadable?: Record<string, string[]>;
}
