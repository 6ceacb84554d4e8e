/** The base of two-way: what each source held after the last run, per item, so a deletion is told from a creation. */

/** An item's state: absent (null), a directory, or a file by content hash. */
export type ItemState = null | 'dir' | `f:${string}`;

/** Source code → (row key → state). A source missing from the base has none: every item counts as created. */
export type BaseStates = Record<string, ReadonlyMap<string, ItemState>>;

/** The state of a comparison cell. */
export function stateOfCell(cell: { kind: 'file' | 'directory'; hash?: string } | null | undefined): ItemState {
  if (!cell) return null;
  return cell.kind === 'directory' ? 'dir' : `f:${cell.hash ?? ''}`;
}
