/** Checks a synced disk folder against its source: same relative paths, same SHA-256 for every file. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Relative path → SHA-256 (hex) of every file under `root`, skipping the top-level names in `skip`. */
export async function hashTree(root: string, skip: string[] = []): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  async function walk(dir: string, prefix: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (!prefix && skip.includes(entry.name)) continue;
      if (entry.isDirectory()) await walk(join(dir, entry.name), path);
      else if (entry.isFile()) {
        const hash = createHash('sha256');
        for await (const chunk of createReadStream(join(dir, entry.name), { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
        out.set(path, hash.digest('hex'));
      }
    }
  }
  await walk(root, '');
  return out;
}

/** Throws unless `target` holds exactly the files of `source`, byte for byte (by SHA-256). */
export async function sameTree(source: string, target: string, skip: string[]): Promise<number> {
  const [a, b] = await Promise.all([hashTree(source, skip), hashTree(target, skip)]);
  const wrong = [...a].filter(([path, hash]) => b.get(path) !== hash).map(([path]) => path);
  const extra = [...b.keys()].filter((path) => !a.has(path));
  if (wrong.length > 0 || extra.length > 0) throw new Error(`target differs from source: ${wrong.length} missing/different (${wrong.slice(0, 3).join(', ')}), ${extra.length} extra`);
  return a.size;
}
