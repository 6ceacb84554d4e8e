import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.ts';
import { SeededRandom } from '../testing/seeded-random.ts';
import { MemoryRunHistory } from '../testing/memory-run-history.ts';
import type { Profile } from './profile.ts';
import type { RunRecord } from './run-record.ts';
import type { Notifier, RunContext, RunExecutor, RunOutcome } from './executor.ts';
import { Runner, statusOf } from './runner.ts';
import type { SchedulePlan } from './schedule.ts';

const MIN = 60_000;
const LOCAL: Profile = { kind: 'local', name: 'photos', sources: ['/a', '/b'], preset: 'mirror', from: 'A1', to: 'A2' };
const HUB: Profile = { kind: 'cloud', name: 'nightly', part: 'hub', group: '/g.json', sources: ['/a'], expectedMembers: ['lyon', 'nice'], maxWait: '30m' };

const outcome = (over: Partial<RunOutcome> = {}): RunOutcome => ({
  present: [], missing: [], counts: { planned: 2, done: 2, failed: 0, skipped: 0, byAction: { copy: 2 } }, perMember: [], bytes: 10, errors: [], ...over,
});

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function setup(executor: RunExecutor, options: { profile?: Profile; schedule?: Partial<SchedulePlan>; notifier?: Notifier } = {}) {
  const clock = new ManualClock(Date.UTC(2026, 5, 10, 12));
  const history = new MemoryRunHistory();
  const notified: RunRecord[] = [];
  const notifier: Notifier = options.notifier ?? { notify: async (_p, r) => (notified.push(JSON.parse(JSON.stringify(r)) as RunRecord), []) };
  const controller = new AbortController();
  const log: string[] = [];
  const runner = new Runner({
    profile: options.profile ?? LOCAL, name: 'photos', executor, schedule: { timeZone: 'UTC', ...options.schedule },
    ports: { clock, timers: clock, random: new SeededRandom(7), history, notifier }, signal: controller.signal, log: (l) => log.push(l),
  });
  return { clock, history, notified, controller, log, runner };
}

describe('statusOf', () => {
  it('ok, partial (some failed, skipped, errors or missing), failed (nothing planned got done), or the executor’s own', () => {
    expect(statusOf(outcome())).toBe('ok');
    expect(statusOf(outcome({ counts: { planned: 2, done: 1, failed: 1, skipped: 0, byAction: {} } }))).toBe('partial');
    expect(statusOf(outcome({ counts: { planned: 2, done: 2, failed: 0, skipped: 1, byAction: {} } }))).toBe('partial');
    expect(statusOf(outcome({ missing: ['lyon'] }))).toBe('partial');
    expect(statusOf(outcome({ counts: { planned: 2, done: 0, failed: 2, skipped: 0, byAction: {} } }))).toBe('failed');
    expect(statusOf(outcome({ status: 'no-members' }))).toBe('no-members');
  });
});

describe('Runner', () => {
  it('runs once now, records the run and sends the very record it stored', async () => {
    const { history, notified, runner, clock } = setup({ execute: async (_p, ctx) => (clock.advance(1500), ctx.log('working'), outcome()) });
    const records = await runner.run();
    expect(records).toHaveLength(1);
    const record = records[0] as RunRecord;
    expect(record).toMatchObject({ profile: 'photos', kind: 'local', status: 'ok', start: '2026-06-10T12:00:00.000Z', end: '2026-06-10T12:00:01.500Z', durationMs: 1500, bytes: 10 });
    expect(record.id).toMatch(/^2026-06-10T12-00-00\.000Z-[0-9a-f]{4}$/);
    expect(await history.list()).toEqual([record]);
    expect(notified).toEqual([record]);
  });

  it('an executor that throws makes a failed record with its message', async () => {
    const { runner, history } = setup({ execute: async () => Promise.reject(new Error('target gone')) });
    const [record] = await runner.run();
    expect(record).toMatchObject({ status: 'failed', message: 'target gone', errors: [] });
    expect((await history.list())[0]?.status).toBe('failed');
  });

  it('Stop during a run makes it stopped, recorded, and ends a daily schedule', async () => {
    let release: () => void = () => undefined;
    const { runner, controller, history } = setup(
      { execute: (_p, ctx) => new Promise((resolve) => { release = () => resolve(outcome({ counts: { planned: 2, done: 1, failed: 0, skipped: 0, byAction: {} } })); ctx.signal.addEventListener('abort', () => release()); }) },
      { schedule: { at: { hour: 12, minute: 0, second: 0 }, daily: true } },
    );
    const done = runner.run();
    await flush();
    (controller as AbortController).abort('SIGTERM');
    const records = await done;
    expect(records.map((r) => r.status)).toEqual(['stopped']);
    expect(records[0]?.message).toBe('Stopped: SIGTERM');
    expect((await history.list()).map((r) => r.status)).toEqual(['stopped']);
  });

  it('daily: one run per day at the time, newest first in the history; Stop while waiting records nothing more', async () => {
    const { runner, clock, controller, history, log } = setup({ execute: async () => outcome() }, { schedule: { at: { hour: 2, minute: 0, second: 0 }, daily: true } });
    const done = runner.run();
    await flush();
    expect(log).toContain('Next run: 2026-06-11 02:00:00 UTC');
    clock.advance(14 * 60 * MIN);
    await flush();
    clock.advance(24 * 60 * MIN);
    await flush();
    controller.abort();
    const records = await done;
    expect(records.map((r) => r.start)).toEqual(['2026-06-11T02:00:00.000Z', '2026-06-12T02:00:00.000Z']);
    expect((await history.list()).map((r) => r.start)).toEqual(['2026-06-12T02:00:00.000Z', '2026-06-11T02:00:00.000Z']);
  });

  it('daily: a notifier that throws (against its contract) is noted, and the next day still runs', async () => {
    const { runner, clock, controller, history } = setup(
      { execute: async () => outcome() },
      { schedule: { at: { hour: 2, minute: 0, second: 0 }, daily: true }, notifier: { notify: () => Promise.reject(new Error('Invalid URL')) } },
    );
    const done = runner.run();
    await flush();
    clock.advance(14 * 60 * MIN);
    await flush();
    clock.advance(24 * 60 * MIN);
    await flush();
    controller.abort();
    const records = await done;
    expect(records.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(records[0]?.message).toBe('notices not sent: Invalid URL');
    expect((await history.list()).map((r) => r.message)).toEqual(['notices not sent: Invalid URL', 'notices not sent: Invalid URL']);
  });

  it('a notice that fails is noted in the stored record, and the run keeps its status', async () => {
    const { runner, history } = setup({ execute: async () => outcome() }, { notifier: { notify: async () => ['webhook: HTTP 500'] } });
    const [record] = await runner.run();
    expect(record).toMatchObject({ status: 'ok', message: 'webhook: HTTP 500' });
    expect((await history.get(record?.id as string))?.message).toBe('webhook: HTTP 500');
  });

  describe('a hub waiting for members', () => {
    /** An executor that opens the wait and runs with whoever came, as the cloud hub does. */
    const hub = (arrivals: (ctx: RunContext, window: ReturnType<RunContext['openWindow']>) => void): RunExecutor => ({
      execute: async (_p, ctx) => {
        const window = ctx.openWindow(['lyon', 'nice'], 30 * MIN);
        arrivals(ctx, window);
        const end = await window.done;
        if (end.end === 'no-members') return outcome({ status: 'no-members', missing: end.missing, counts: { planned: 0, done: 0, failed: 0, skipped: 0, byAction: {} } });
        return outcome({ present: end.present, missing: end.missing });
      },
    });

    it('nobody within the wait: no-members, with everyone missing', async () => {
      const { runner, clock } = setup(hub(() => undefined), { profile: HUB });
      const done = runner.run();
      await flush();
      clock.advance(30 * MIN);
      const [record] = await done;
      expect(record).toMatchObject({ status: 'no-members', missing: ['lyon', 'nice'], present: [] });
    });

    it('--extend during the wait moves its end; the late member is counted present, the other missing', async () => {
      let window: ReturnType<RunContext['openWindow']> | undefined;
      const { runner, clock, log } = setup(hub((_ctx, w) => (window = w)), { profile: HUB });
      const done = runner.run();
      await flush();
      clock.advance(25 * MIN);
      expect(runner.extend(30 * MIN)).toEqual({ ok: true, message: 'Wait for members extended by 30 min: until 2026-06-10 13:00:00 UTC' });
      clock.advance(10 * MIN); // past the first end
      window?.arrive('lyon');
      clock.advance(25 * MIN);
      const [record] = await done;
      expect(record).toMatchObject({ status: 'partial', present: ['lyon'], missing: ['nice'] });
      expect(log).toContain('Wait for members extended by 30 min: until 2026-06-10 13:00:00 UTC');
    });

    it('--extend before the wait opens lengthens the next wait', async () => {
      const { runner, clock } = setup(hub(() => undefined), { profile: HUB, schedule: { at: { hour: 13, minute: 0, second: 0 } } });
      const done = runner.run();
      await flush();
      expect(runner.extend(15 * MIN).message).toBe('No wait in progress: the next wait for members will be 15 min longer');
      clock.advance(60 * MIN);
      await flush();
      clock.advance(44 * MIN);
      await flush();
      let ended = false;
      void done.then(() => (ended = true));
      await flush();
      expect(ended).toBe(false);
      clock.advance(MIN);
      expect((await done)[0]?.status).toBe('no-members');
    });

    it('a local profile refuses --extend', () => {
      const { runner } = setup({ execute: async () => outcome() });
      expect(runner.extend(MIN)).toEqual({ ok: false, message: 'this profile does not wait for members (only a cloud hub does)' });
    });
  });
});
