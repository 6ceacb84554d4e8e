/**
 * The folder tree beside the comparison grid (FreeFileSync's tree view): every folder that holds compared items, with
 * how many items lie under it and how many of those differ, so a user goes straight to where the differences are.
 */
import type { ComparisonRow } from './types.ts';

export interface FolderNode {
  /** Relative path of the folder ('' for the root). */
  path: string;
  /** Its own name (the last path segment). */
  name: string;
  /** Items (files and folders) under it, at any depth. */
  items: number;
  /** Of those, items whose status is not 'identical'. */
  differing: number;
  /** Sub-folders, by name. */
  children: FolderNode[];
}

const node = (path: string, name: string): FolderNode => ({ path, name, items: 0, differing: 0, children: [] });

/**
 * The tree of the rows' folders. A row's parents are counted from its path, whether or not the folder has a row of its
 * own (a Flat comparison, or a folder excluded while its files are not). One pass over the rows; children sorted by name.
 */
export function folderTree(rows: readonly ComparisonRow[]): FolderNode {
  const root = node('', '');
  const byPath = new Map<string, FolderNode>([['', root]]);
  const folder = (path: string): FolderNode => {
    let found = byPath.get(path);
    if (found) return found;
    const cut = path.lastIndexOf('/');
    const parent = folder(cut < 0 ? '' : path.slice(0, cut));
    found = node(path, path.slice(cut + 1));
    parent.children.push(found);
    byPath.set(path, found);
    return found;
  };
  for (const row of rows) {
    const differs = row.status !== 'identical';
    const isFolder = Object.values(row.cells).some((c) => c?.kind === 'directory');
    if (isFolder) folder(row.path);
    // Every folder above the row counts it (the row's own folder node, if it is one, does not count itself).
    let cut = row.path.lastIndexOf('/');
    let at = cut < 0 ? '' : row.path.slice(0, cut);
    for (;;) {
      const f = folder(at);
      f.items++;
      if (differs) f.differing++;
      if (at === '') break;
      cut = at.lastIndexOf('/');
      at = cut < 0 ? '' : at.slice(0, cut);
    }
  }
  const sort = (n: FolderNode): void => {
    n.children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    n.children.forEach(sort);
  };
  sort(root);
  return root;
}

/** Whether `path` is the folder `under` or lies beneath it ('' holds everything). */
export function isUnder(path: string, under: string): boolean {
  return under === '' || path === under || path.startsWith(`${under}/`);
}
