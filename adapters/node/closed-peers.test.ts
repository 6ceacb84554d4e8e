/**
 * closed-peers.ts on real @roamhq/wrtc connections, in a child process with --expose-gc (closed-peers.fixture.ts): the
 * collector takes each closed connection before its channels, and the keeper lets everything go in the end. Let go
 * together (no keeper), each channel was taken before its connection, the order whose native finalizers crash
 * (~RTCPeerConnection releasing a freed channel).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./closed-peers.fixture.ts', import.meta.url));
const PAIRS = 4;

interface Report {
  kept: number;
  channels: number;
  heldAfterClose: number;
  takenWhileHeld: number;
  heldAtEnd: number;
  taken: string[];
}

function runFixture(): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--expose-gc', '--import', 'tsx', FIXTURE, String(PAIRS)], { timeout: 90_000 }, (_error, stdout, stderr) =>
      resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr }));
  });
}

describe('closed wrtc connections (closed-peers.ts)', () => {
  it('are held after close, then collected connection first, channels after, and all let go', async () => {
    const run = await runFixture();
    const said = `${run.stdout}\n${run.stderr.replace(/^Ignoring unsupported ICE candidate\.\n/gm, '')}`;
    // The process ends by itself, not by a signal from a finalizer.
    expect(run.signal, said).toBeNull();
    expect(run.code, said).toBe(0);
    const report = JSON.parse(run.stdout.trim().split('\n').pop()!) as Report;
    // Both ends of every pair handed over their connection and its one channel, all held past the first collections.
    expect(report.kept, said).toBe(2 * PAIRS);
    expect(report.channels, said).toBe(2 * PAIRS);
    expect(report.heldAfterClose, said).toBe(2 * PAIRS);
    expect(report.takenWhileHeld, said).toBe(0);
    // Bounded: nothing is held for good, and the collector took every connection and channel.
    expect(report.heldAtEnd, said).toBe(0);
    expect(report.taken).toHaveLength(4 * PAIRS);
    for (let id = 0; id < 2 * PAIRS; id++) {
      expect(report.taken.indexOf(`pc${id}`), said).toBeGreaterThanOrEqual(0);
      expect(report.taken.indexOf(`dc${id}`), said).toBeGreaterThan(report.taken.indexOf(`pc${id}`));
    }
  }, 120_000);
});
