#!/usr/bin/env node
// Test support: one standing group's run in its own process, `node cli/run-group-driver.mjs <profile.json> <slot> <maxWaitMs>`,
// printing the outcome as `OUTCOME {json}` (what `quintet run` records for a cloud profile). Ctrl-C stops it cleanly.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { tsImport } from 'tsx/esm/api';

const [profilePath, slot, maxWait] = process.argv.slice(2);
const { runGroupOnce } = await tsImport('./run-cloud.ts', import.meta.url);
const { processIo } = await tsImport('./io.ts', import.meta.url);
const { checkProfile } = await tsImport('../core/unattended/profile.ts', import.meta.url);
const checked = checkProfile(JSON.parse(await readFile(profilePath, 'utf8')));
if (!checked.ok || checked.profile.kind !== 'cloud') {
  process.stderr.write(`not a cloud profile: ${checked.ok ? 'local' : checked.errors.join('; ')}\n`);
  process.exit(2);
}
const io = processIo();
const outcome = await runGroupOnce(checked.profile, { signal: io.signal, maxWaitMs: Number(maxWait), io, slots: [slot], baseDir: dirname(profilePath) });
process.stdout.write(`OUTCOME ${JSON.stringify(outcome)}\n`);
setTimeout(() => process.exit(0), 2000).unref();
