#!/usr/bin/env node
// The `quintet` bin. Runs the bundle scripts/build-cli.mjs made (npm ci, npm run build:cli) when it is up to date with
// the sources, else the TypeScript itself through tsx (a dependency), so an edited source always runs as written.
// QUINTET_CLI_SOURCE=1 forces the TypeScript. Either way the command runs in this process, so Ctrl-C reaches it.
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { bundleFiles } from './bundle-entry.mjs';
import { runWithCodeCache } from './code-cache.mjs';

// V8 optimizes a function (TurboFan, on background threads) once it has run for a budget of bytecode; the command's
// per-file steps reach that budget within a few hundred files and are compiled at a cost they never earn back (a cold
// 2,000-file `quintet local`: a quarter of its CPU time in TurboFan, 560 → 380 ms of CPU with 10× the budget; bench/README.md,
// "Local mirror"). Ten times the default budget: what stays hot for long, a transfer's framing and sealing, is still optimized.
// The old generation may grow to 4× what a full collection left live before the next one starts (the top of V8's own
// range). A member's heap is small (~10 MB live during a transfer) and V8's default limit then sits within one young
// generation of it, so every few scavenges started another full marking: during a CLI ↔ CLI mirror of 256 MiB, 40–50
// mark-compacts per member and ~1 s of CPU between the two on their helper threads, while the heap did not grow
// (bench/README.md, "Transfer", 2026-11-30).
try {
  setFlagsFromString('--interrupt-budget=675840');
  setFlagsFromString('--heap-growing-percent=300');
} catch {
  // a Node that no longer takes V8 flags at run time: V8's defaults
}

const bundle = process.env.QUINTET_CLI_SOURCE ? null : bundleFiles(fileURLToPath(new URL('..', import.meta.url)));
// `quintet local` runs from its own CommonJS script with V8's code cache (cli/code-cache.mjs): ~30 ms less to start.
if (bundle?.local && process.argv[2] === 'local') runWithCodeCache(bundle.local);
else if (bundle) await import(bundle.entry);
else {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport('./process-entry.ts', import.meta.url);
}
