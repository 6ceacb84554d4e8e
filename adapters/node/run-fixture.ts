/** Tests' child processes: a `.fixture.ts` run through tsx, its exit, its output, and the JSON report it prints last. */
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

export function runFixture(fixture: string, args: string[], timeoutMs: number): Promise<FixtureRun> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', fixture, ...args], { timeout: timeoutMs }, (_error, stdout, stderr) =>
      resolve({
        code: child.exitCode, signal: child.signalCode, stdout,
        said: `${stdout}\n${stderr.replace(/^Ignoring unsupported ICE candidate\.\n/gm, '')}`,
        report: <T>() => JSON.parse(stdout.trim().split('\n').pop()!) as T,
      }));
  });
}
