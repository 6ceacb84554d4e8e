import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.ts';
import { ContinuousLoop, MAX_WAIT_MS, QUIET_MS, RECONCILE_FACTOR, RECONCILE_MS } from './continuous-loop.ts';

/** A loop whose rounds the test ends by hand: `rounds` lists each round's start time and `finish()` ends the oldest. */
function scripted() {
  const clock = new ManualClock(0);
  const open: (() => void)[] = [];
  const starts: number[] = [];
  const full: boolean[] = [];
  let overlapping = 0;
  let live = 0;
  const loop = new ContinuousLoop({
    timers: clock,
    now: () => clock.now(),
    round: (whole) => {
      starts.push(clock.now());
      full.push(whole);
      if (++live > 1) overlapping++;
      return new Promise<void>((r) => open.push(() => (live--, r())));
    },
  });
  const finish = async () => {
    open.shift()?.();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { clock, loop, starts, full, finish, overlapping: () => overlapping, pending: () => open.length };
}

describe('ContinuousLoop: debounce, one round at a time, reconciliation, pause', () => {
  it('turning on runs a first round at once; a change then waits for QUIET_MS of quiet', async () => {
    const { clock, loop, starts, finish } = scripted();
    loop.send('on');
    expect(starts).toEqual([0]);
    await finish();
    expect(loop.state).toBe('idle');
    clock.advance(1000);
    loop.send('change');
    clock.advance(QUIET_MS - 100);
    loop.send('change'); // re-arms the quiet time
    clock.advance(QUIET_MS - 1);
    expect(starts).toEqual([0]);
    clock.advance(1);
    expect(starts).toEqual([0, 1000 + 2 * QUIET_MS - 100]);
  });

  it('changes that never stop still get a round MAX_WAIT_MS after the first', async () => {
    const { clock, loop, starts, finish } = scripted();
    loop.send('on');
    await finish();
    for (let t = 0; t < MAX_WAIT_MS + 500; t += 100) {
      loop.send('change');
      clock.advance(100);
    }
    expect(starts).toEqual([0, MAX_WAIT_MS]);
    expect(loop.state).toBe('again');
  });

  it('a change during a round makes another round after it, never two at once', async () => {
    const { clock, loop, starts, finish, overlapping } = scripted();
    loop.send('on');
    loop.send('change');
    expect(loop.state).toBe('again');
    clock.advance(5000);
    expect(starts).toEqual([0]); // no timer runs during a round
    await finish();
    expect(loop.state).toBe('quiet');
    clock.advance(QUIET_MS);
    expect(starts).toEqual([0, 5000 + QUIET_MS]);
    await finish();
    expect(loop.state).toBe('idle');
    expect(overlapping()).toBe(0);
  });

  it('RECONCILE_MS after the last round, a round runs even without any change (a watcher may miss events)', async () => {
    const { clock, loop, starts, finish } = scripted();
    loop.send('on');
    await finish();
    clock.advance(RECONCILE_MS - 1);
    expect(starts).toHaveLength(1);
    clock.advance(1);
    expect(starts).toEqual([0, RECONCILE_MS]);
  });

  it('after a long whole round, reconciliation waits RECONCILE_FACTOR times as long (idle watching stays cheap)', async () => {
    const { clock, loop, starts, finish } = scripted();
    loop.send('on');
    clock.advance(2000); // the first round walks a large folder whole: 2 s
    await finish();
    expect(loop.lastFullMs).toBe(2000);
    const wait = RECONCILE_FACTOR * 2000;
    expect(wait).toBeGreaterThan(RECONCILE_MS);
    clock.advance(wait - 1);
    expect(starts).toHaveLength(1);
    clock.advance(1);
    expect(starts).toEqual([0, 2000 + wait]);
    // That reconciliation round is quick (the index warm): the next one comes RECONCILE_MS after it.
    clock.advance(100);
    await finish();
    clock.advance(RECONCILE_MS);
    expect(starts).toEqual([0, 2000 + wait, 2000 + wait + 100 + RECONCILE_MS]);
  });

  it('pause: changes start nothing, a round under way finishes; resume catches up with one round', async () => {
    const { clock, loop, starts, finish } = scripted();
    loop.send('on');
    loop.send('pause');
    expect(loop.state).toBe('paused-running');
    await finish();
    expect(loop.state).toBe('paused');
    loop.send('change');
    clock.advance(RECONCILE_MS * 3);
    expect(starts).toEqual([0]);
    loop.send('resume');
    expect(starts).toEqual([0, RECONCILE_MS * 3]);
  });

  it('off then on during a round: the new first round waits for the old one, then runs', async () => {
    const { loop, starts, finish, overlapping, pending } = scripted();
    loop.send('on');
    loop.send('off');
    loop.send('on');
    expect(starts).toHaveLength(1);
    await finish();
    expect(starts).toHaveLength(2);
    expect(pending()).toBe(1);
    expect(overlapping()).toBe(0);
    loop.send('off');
    await finish();
    expect(loop.state).toBe('off');
  });

  it('only a round after changes looks at what the watchers named: the first, the reconciliation and the resumed ones walk whole', async () => {
    const { clock, loop, full, finish } = scripted();
    loop.send('on');
    await finish();
    loop.send('change');
    clock.advance(QUIET_MS);
    await finish();
    clock.advance(RECONCILE_MS);
    await finish();
    loop.send('pause');
    loop.send('resume');
    loop.send('change'); // during the resumed round: the next one follows it
    await finish();
    clock.advance(QUIET_MS);
    expect(full).toEqual([true, false, true, true, false]);
    expect(loop.fullRounds).toBe(3);
  });
});
