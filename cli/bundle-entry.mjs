// Which built bundle the `quintet` bin may run: dist/cli/quintet.mjs (scripts/build-cli.mjs) while no file it was
// built from is newer than it, else none (the bin then runs the TypeScript through tsx: never stale code).
// Plain JavaScript, read before anything is compiled; one stat per input file (about a hundred), a millisecond or so.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The bundle's file URL under the repository `root` (a path), or null if there is none or it is stale. */
export function bundleEntry(root) {
  try {
    const entry = join(root, 'dist', 'cli', 'quintet.mjs');
    const built = statSync(entry).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(join(root, 'dist', 'cli', 'inputs.json'), 'utf8'));
    if (!Array.isArray(inputs) || inputs.length === 0) return null;
    for (const input of inputs) if (statSync(join(root, input)).mtimeMs > built) return null;
    return pathToFileURL(entry).href;
  } catch {
    return null; // no bundle, no list, or an input gone: build again (npm run build:cli) or run from source
  }
}
