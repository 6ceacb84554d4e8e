/** e2e helpers for a CLI member's real folder: read it as opfs-tree.ts reads an OPFS one (path → SHA-256, directories). */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TreeSnapshot } from './opfs-tree.ts';

/** Every file's SHA-256 and every directory under `root`, skipping the top folder `skip` (e.g. '.quintet'). */
export async function readDiskTree(root: string, options: { skip?: string } = {}): Promise<TreeSnapshot> {
  const files: Record<string, string> = {};
  const dirs: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (path === options.skip) continue;
      if (entry.isDirectory()) {
        dirs.push(path);
        await walk(path);
      } else files[path] = createHash('sha256').update(await readFile(join(root, path))).digest('hex');
    }
  };
  await walk('');
  dirs.sort();
  return { files, dirs };
}
