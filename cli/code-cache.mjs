// Runs a CommonJS bundle (dist/cli/local-<hash>.cjs: `quintet local`) in this process with a V8 code cache beside it.
// Node 20 keeps no compiled code between runs (its module compile cache came in Node 22), so every start parsed and
// compiled the bundle again and compiled each function at its first call: 20-50 ms of a 2,000-file `quintet local`
// (bench/README.md, "Local mirror", 2026-11-30 23:28-23:45). A `vm.Script` takes the code V8 serialized after an earlier run,
// the functions that run called included. The cache is named after the bundle, whose name holds its content's hash: a
// cache is never used with another build's code (V8 itself checks only its version, flags and the source's length).
// V8 rejects a cache from another Node or other flags: the script is then compiled as without one, and the cache is
// written again. It is written at the end of a run that succeeded (a help text or a usage error compiles little), whole
// under its final name (temp file, then rename), never when the folder is not writable. Same trust as the bundle: it
// sits in the bundle's own folder, which whoever could change the cache could change too.
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** The cache file of the bundle at `file` (a path). */
export const cacheOf = (file) => `${file}.v8-cache`;

/** Runs the CommonJS script at `file` as Node would run it as a module, with its code cache when there is one. */
export function runWithCodeCache(file) {
  const cachePath = cacheOf(file);
  let cachedData;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined; // none yet (first run after a build) or unreadable: compile as usual
  }
  const source = readFileSync(file, 'utf8');
  // Node's own CommonJS wrapper, so the bundle sees require, module and __filename as under `node file.cjs`.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  if (!cachedData || script.cachedDataRejected) {
    const compiledLittle = process.argv.includes('--help') || process.argv.includes('-h');
    process.on('exit', (code) => {
      if (code !== 0 || compiledLittle) return;
      const temp = `${cachePath}.${process.pid}.tmp`;
      try {
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, cachePath);
      } catch {
        try {
          unlinkSync(temp);
        } catch {
          // no temp file was made (a folder the user cannot write): nothing to remove
        }
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
}
