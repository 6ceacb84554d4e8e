/** Tests' and stress runners' child processes: a `.fixture.ts` run through tsx, its exit, its output, and the JSON report it prints last. */
import { execFile } from 'node:child_process';

export interface FixtureRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** stdout and stderr together, without wrtc's noise: what an assertion shows when it fails. */
  said: string;
  /** The last line of stdout, parsed. */
  report<T>(): T;
}

const WRTC_NOISE = /^Ignoring unsupported ICE candidate\.\n/gm;

export function runFixture(fixture: string, args: string[], timeoutMs: number): Promise<FixtureRun> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', fixture, ...args], { timeout: timeoutMs }, (_error, stdout, stderr) =>
      resolve({
        code: child.exitCode, signal: child.signalCode, stdout,
        said: `${stdout}\n${stderr.replace(WRTC_NOISE, '')}`,
        report: <T>() => JSON.parse(stdout.trim().split('\n').pop()!) as T,
      }));
  });
}

/**
 * A stress run (wrtc-stress.ts, mesh-order-stress.ts): `fixture` run `processes` times, `parallel` at a time. Prints a
 * line per process (how it ended, its time, its report, its last stderr lines), hands each report that parsed to
 * `each`, and returns how many processes ended how (`exit 0`, `SIGSEGV`…): a signal there is a native crash.
 */
export async function stressFixture<T>(fixture: string, args: string[], processes: number, parallel: number, each: (report: T) => void): Promise<Record<string, number>> {
  const ends: Record<string, number> = {};
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < processes) {
      const index = next++;
      const start = performance.now();
      const run = await runFixture(fixture, args, 300_000);
      const end = run.signal ?? `exit ${run.code}`;
      ends[end] = (ends[end] ?? 0) + 1;
      const last = run.stdout.trim().split('\n').pop() ?? '';
      try {
        each(run.report<T>());
      } catch {
        // No report: the process died before its end.
      }
      const said = run.said.slice(run.stdout.length + 1).split('\n').filter(Boolean).slice(-3).join(' | ');
      process.stdout.write(`${index + 1}/${processes} ${end} ${Math.round(performance.now() - start)} ms ${last}${said ? ` stderr: ${said}` : ''}\n`);
    }
  }));
  return ends;
}
