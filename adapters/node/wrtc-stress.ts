/**
 * Stress for @roamhq/wrtc crashes in the Node member: `tsx adapters/node/wrtc-stress.ts [processes] [pairs] [at once] [parallel]`
 * runs adapters/node/wrtc-descriptions.fixture.ts that many times (`parallel` processes at a time, each making `pairs`
 * real pairs through the simple-peer fork, `at once` signaling together, and ending by itself) and counts how each
 * ended: a SIGSEGV or abort there is a native crash (the description getters of node-webrtc issue #696, or a
 * finalizer at teardown). Prints one line per process and a JSON summary.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('./wrtc-descriptions.fixture.ts', import.meta.url));
const arg = (at: number, fallback: number) => Number(process.argv[2 + at] ?? fallback);
const [PROCESSES, PAIRS, AT_ONCE, PARALLEL] = [arg(0, 30), arg(1, 60), arg(2, 8), arg(3, 2)];

interface Run { code: number | null; signal: string | null; ms: number; report: string; stderr: string }

function runOnce(): Promise<Run> {
  const start = performance.now();
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', FIXTURE, String(PAIRS), String(AT_ONCE)], { timeout: 300_000 }, (_error, stdout, stderr) =>
      resolve({ code: child.exitCode, signal: child.signalCode, ms: Math.round(performance.now() - start), report: stdout.trim(), stderr }));
  });
}

const ends: Record<string, number> = {};
let nativeReads = 0;
let next = 0;
await Promise.all(Array.from({ length: PARALLEL }, async () => {
  while (next < PROCESSES) {
    const index = next++;
    const run = await runOnce();
    const end = run.signal ?? `exit ${run.code}`;
    ends[end] = (ends[end] ?? 0) + 1;
    try {
      const reads = (JSON.parse(run.report.split('\n').pop()!) as { nativeReads: Record<string, number> }).nativeReads;
      nativeReads += Object.values(reads).reduce((sum, n) => sum + n, 0);
    } catch {
      // No report: the process died before its end.
    }
    const said = run.stderr.split('\n').filter((line) => line && line !== 'Ignoring unsupported ICE candidate.').slice(-3).join(' | ');
    process.stdout.write(`${index + 1}/${PROCESSES} ${end} ${run.ms} ms ${run.report.split('\n').pop() ?? ''}${said ? ` stderr: ${said}` : ''}\n`);
  }
}));
process.stdout.write(`${JSON.stringify({ processes: PROCESSES, pairs: PAIRS, atOnce: AT_ONCE, parallel: PARALLEL, ends, nativeReads })}\n`);
