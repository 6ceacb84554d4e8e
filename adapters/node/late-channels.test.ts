/**
 * closeLateChannels on real @roamhq/wrtc, in a child process that ends by itself (late-channels.fixture.ts): answerers
 * closed while their channel came up get it announced after the close, and the process still ends with 0, not by a
 * signal from ~RTCPeerConnection as Node tears its environment down. The same fixture unguarded (`bare`) died by
 * SIGSEGV 6 times in 6.
 */
import { runFixture } from './run-fixture.ts';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./late-channels.fixture.ts', import.meta.url));

describe('closeLateChannels', () => {
  it('a channel announced after its connection closed leaves nothing for the teardown to crash on', async () => {
    const run = await runFixture(FIXTURE, ['3', 'guarded'], 60_000);
    const { said } = run;
    expect(run.signal, said).toBeNull();
    expect(run.code, said).toBe(0);
    // The case happened: at least one channel came after its connection's close (all three, most runs).
    const report = run.report<{ late: number }>();
    expect(report.late, said).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
