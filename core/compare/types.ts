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
  /** The item's own path in that source, when it differs from the row's (case-insensitive or Flat matching). */
  path?: string;
  /** Data type "directories": this directory holds files the comparison does not show (a plan never deletes it whole). */
  holdsFiles?: boolean;
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
  /**
   * Sources holding more than one item that match this row (Flat matching: one name in two folders;
   * case-insensitive matching: `a` and `A` side by side). Such a row is shown, never acted on.
   */
  duplicates?: string[];
  /**
   * Sources whose inventory could not read this item (or a directory above it) — it is shown so
   * nothing the walk saw goes unmentioned, and every plan skips it ('unreadable').
   */
  unreadable?: string[];
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
  /** How rows were matched; Tree and case-sensitive when absent. */
  matching?: CompareOptions;
}

/** The settings that shape a comparison (a subset of SessionSettings). */
export interface CompareOptions {
  matching: 'tree' | 'flat';
  caseSensitive: boolean;
  dataType: 'files-and-directories' | 'files' | 'directories';
}
