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

// Hoisted: a regular expression literal in a function body is a new object at each call.
const BAD_IN_PATH = /[\\\0]/;
const BAD_IN_NAME = /[/\\\0]/;

/**
 * Whether a relative path is acceptable: '' (the root) or segments that are non-empty,
 * not '.' or '..', and free of '/', '\\' and NUL. Absolute paths are refused.
 */
export function isValidPath(path: string): boolean {
  if (path === '') return true;
  if (BAD_IN_PATH.test(path)) return false;
  // Segment by segment without splitting: the engine checks paths once or twice per file and step (no array, no strings).
  for (let start = 0; ; ) {
    const slash = path.indexOf('/', start);
    const end = slash < 0 ? path.length : slash;
    if (isDotSegment(path, start, end - start)) return false;
    if (slash < 0) return true;
    start = slash + 1;
  }
}

/** Whether one path segment is acceptable (see `isValidPath`). */
export function isValidName(name: string): boolean {
  return !isDotSegment(name, 0, name.length) && !BAD_IN_NAME.test(name);
}

/** Whether `length` code units of `s` from `start` are empty, '.' or '..'. */
function isDotSegment(s: string, start: number, length: number): boolean {
  if (length === 0) return true;
  if (length > 2 || s.charCodeAt(start) !== 46) return false;
  return length === 1 || s.charCodeAt(start + 1) === 46;
}

/** Code-unit order, the order of inventories and comparisons; a parent always sorts before its children. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
