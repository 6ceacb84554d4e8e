/**
 * Stress for @roamhq/wrtc crashes in the Node member: `tsx adapters/node/wrtc-stress.ts [processes] [pairs] [at once] [parallel]`
 * runs adapters/node/wrtc-descriptions.fixture.ts that many times (`parallel` processes at a time, each making `pairs`
 * real pairs through the simple-peer fork, `at once` signaling together, and ending by itself) and counts how each
 * ended: a SIGSEGV or abort there is a native crash (the description getters of node-webrtc issue #696, or a
 * finalizer at teardown). Prints one line per process and a JSON summary.
 */
import { fileURLToPath } from 'node:url';
import { stressFixture } from './run-fixture.ts';

const FIXTURE = fileURLToPath(new URL('./wrtc-descriptions.fixture.ts', import.meta.url));
const arg = (at: number, fallback: number) => Number(process.argv[2 + at] ?? fallback);
const [PROCESSES, PAIRS, AT_ONCE, PARALLEL] = [arg(0, 30), arg(1, 60), arg(2, 8), arg(3, 2)];

let nativeReads = 0;
const ends = await stressFixture<{ nativeReads: Record<string, number> }>(FIXTURE, [String(PAIRS), String(AT_ONCE)], PROCESSES, PARALLEL, (report) => {
  nativeReads += Object.values(report.nativeReads).reduce((sum, n) => sum + n, 0);
});
process.stdout.write(`${JSON.stringify({ processes: PROCESSES, pairs: PAIRS, atOnce: AT_ONCE, parallel: PARALLEL, ends, nativeReads })}\n`);
