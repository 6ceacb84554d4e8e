/**
 * Whether a picked folder or file lies inside a source already in the session, or holds one. Between two such
 * sources a run copies the folder into itself: a Mirror from "Documents" to "Documents/Backup" changed its own source
 * (the backup's files are the source's too) and each run nested the tree one level deeper. The same entry twice is
 * not this (the session refuses a duplicate by its id).
 */
type Picked = FileSystemDirectoryHandle | FileSystemFileHandle;

/** The first of `others` that holds `handle` or lies inside it, or null. */
export async function nestedWith<T extends Picked>(handle: Picked, others: readonly T[]): Promise<T | null> {
  for (const other of others) {
    if ((await holds(other, handle)) || (await holds(handle, other))) return other;
  }
  return null;
}

/** Whether `item` lies strictly inside folder `dir` (resolve() names the path to it; [] is the folder itself). */
async function holds(dir: Picked, item: Picked): Promise<boolean> {
  if (dir.kind !== 'directory') return false;
  try {
    const path = await dir.resolve(item);
    return path !== null && path.length > 0;
  } catch {
    return false; // a handle gone stale: the inventory reports it, not this
  }
}
