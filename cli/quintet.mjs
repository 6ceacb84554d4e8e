#!/usr/bin/env node
// The `quintet` bin. Runs the bundle scripts/build-cli.mjs made (npm ci, npm run build:cli) when it is up to date with
// the sources, else the TypeScript itself through tsx (a dependency), so an edited source always runs as written.
// QUINTET_CLI_SOURCE=1 forces the TypeScript. Either way the command runs in this process, so Ctrl-C reaches it.
import { fileURLToPath } from 'node:url';
import { bundleEntry } from './bundle-entry.mjs';

const bundle = process.env.QUINTET_CLI_SOURCE ? null : bundleEntry(fileURLToPath(new URL('..', import.meta.url)));
if (bundle) await import(bundle);
else {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport('./process-entry.ts', import.meta.url);
}
