// Which built bundle the `quintet` bin may run: dist/cli/quintet.mjs (scripts/build-cli.mjs) while no file it was
// built from is newer than it, else none (the bin then runs the TypeScript through tsx: never stale code).
// Plain JavaScript, read before anything is compiled; one stat per input file (about a hundred), a millisecond or so.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The up-to-date bundle under the repository `root` (a path), or null if there is none or it is stale: `entry`, the
 * ES module's file URL (every command), and `local`, the path of the same build's CommonJS script of `quintet local`
 * (cli/local-entry.ts), or null if that build made none. The build writes the script before the entry and names it in
 * inputs.json, written last: a bundle checked fresh is never paired with another build's script.
 */
export function bundleFiles(root) {
  try {
    const dir = join(root, 'dist', 'cli');
    const entry = join(dir, 'quintet.mjs');
    const built = statSync(entry).mtimeMs;
    const { inputs, local } = JSON.parse(readFileSync(join(dir, 'inputs.json'), 'utf8'));
    if (!Array.isArray(inputs) || inputs.length === 0) return null;
    for (const input of inputs) if (statSync(join(root, input)).mtimeMs > built) return null;
    const script = typeof local === 'string' && /^local-[0-9a-f]+\.cjs$/.test(local) ? join(dir, local) : null;
    return { entry: pathToFileURL(entry).href, local: script };
  } catch {
    return null; // no bundle, no list, or an input gone: build again (npm run build:cli) or run from source
  }
}

/** The bundle's file URL under the repository `root` (a path), or null if there is none or it is stale. */
export function bundleEntry(root) {
  return bundleFiles(root)?.entry ?? null;
}
