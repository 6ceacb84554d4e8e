/** Relative '/'-separated paths inside a data source: join, split, validate. Never normalizes Unicode. */

/**
 * Joins a parent path and a child name. The root is '', so `joinPath('', 'a')` is 'a'.
 * NFC and NFD spellings stay distinct: a name is kept exactly as the platform gave it.
 */
export function joinPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}

/** The parent of a path; '' for a top-level item and for the root itself. */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** The last segment of a path ('' for the root). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Every ancestor of a path, nearest last, starting with the root ''. `ancestors('a/b/c')` is ['', 'a', 'a/b']. */
export function ancestors(path: string): string[] {
  const out = [''];
  if (path === '') return [];
  let i = path.indexOf('/');
  while (i >= 0) {
    out.push(path.slice(0, i));
    i = path.indexOf('/', i + 1);
  }
  return out;
}

/** True when `path` is `dir` itself or lies inside it ('' contains everything). */
export function isWithin(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/**
 * Whether a relative path is acceptable: '' (the root) or segments that are non-empty,
 * not '.' or '..', and free of '/', '\\' and NUL. Absolute paths are refused.
 */
export function isValidPath(path: string): boolean {
  if (path === '') return true;
  return path.split('/').every(isValidName);
}

/** Whether one path segment is acceptable (see `isValidPath`). */
export function isValidName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}

/** Code-unit order, the order of inventories and comparisons; a parent always sorts before its children. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
