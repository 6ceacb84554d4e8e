/**
 * Continuous synchronization with a member that takes part and says nothing (docs/security.md, table row 22): its
 * sources are left out of the round and every member hears it (`left-out`, why `silent`); a member that never sends
 * its result no longer holds the leader's loop. Two CloudMembers over the in-memory mesh, time on a clock the test moves.
 */
import { describe, expect, it } from 'vitest';
import { deafRun as deaf } from '../testing/deaf-run.ts';
import { inMemoryWorld } from '../../signaling/testing/in-memory-world.ts';
import { settle } from '../../signaling/testing/cloud-members.ts';
import { nodeCompressor } from '../../adapters/node/compressor.ts';
import { memberPair } from './member-pair.fixture.ts';
import { MemoryStore } from '../testing/memory-store.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import type { CloudMemberPorts } from '../cloud/member.ts';
import { INVENTORY_SILENCE_MS, SHARE_SILENCE_MS } from '../cloud/run/silence.ts';

/** A (one file) and B (empty), continuous on, the first round done; `step` moves the clock 100 ms at a time until `done`. */
async function continuousPair() {
  const clock = new ManualClock(Date.now());
  const world = inMemoryWorld({ clock });
  const ports = (name: string): CloudMemberPorts => ({ deps: world.deps(name), hasher: new NobleHasher(), store: new MemoryStore(), compressor: nodeCompressor });
  const { a, b, A, B, connected } = await memberPair(ports, { 'a.txt': 'from A' });
  await connected();
  const step = async (done: () => boolean, most = 600) => {
    for (let i = 0; !done(); i++) {
      if (i === most) throw new Error(`never came: A ${A.run.state} ${A.continuous.loopState}, B ${B.run.state} ${B.session.phase}`);
      clock.advance(100);
      await settle(3);
    }
  };
  /** Time passes in steps of 5 s, deliveries in between (the signaling's keep-alives see each other, as in real time). */
  const pass = async (ms: number) => {
    for (let left = ms; left > 0; left -= 5000) {
      clock.advance(Math.min(5000, left));
      await settle(3);
    }
  };
  await A.changeSettings({ ...A.settings, continuous: true }).sent;
  await step(() => b.readFile('a.txt') !== undefined && A.continuous.loopState === 'idle');
  const said: string[] = [];
  for (const [name, m] of [['A', A], ['B', B]] as const) m.continuous.on('left-out', (code, why) => said.push(`${name} ${code} ${why}`));
  return { clock, a, b, A, B, step, pass, said };
}

describe('continuous rounds with a member that says nothing', () => {
  it('one that never sends its inventory: the round goes on without B1, every member hears it, and B1 is back after', async () => {
    const { a, b, A, B, step, pass, said } = await continuousPair();
    const walk = deaf(B, 'start-inventory');
    a.writeFile('new.txt', 'A again');
    A.continuous.nudge();
    await step(() => A.run.state === 'sharing');
    await pass(INVENTORY_SILENCE_MS);
    await step(() => said.length === 2 && A.continuous.loopState === 'idle');
    expect(said.sort()).toEqual(['A B1 silent', 'B B1 silent']);
    expect([A.continuous.leftOut.get('B1'), B.continuous.leftOut.get('B1'), A.run.silences.counts.inventory]).toEqual(['silent', 'silent', 1]);
    expect(b.readFile('new.txt')).toBeUndefined(); // nothing written to it, nothing deleted because of it
    expect(Object.keys(a.snapshot({ exclude: ['.quintet'] })).sort()).toEqual(['a.txt', 'new.txt']);

    walk.release(); // B's walk of that round ends now; the next round takes B in again
    A.continuous.nudge();
    await step(() => b.readFile('new.txt') !== undefined && A.continuous.loopState === 'idle' && A.continuous.leftOut.size === 0);
    expect(A.run.sources.map((s) => s.code)).toEqual(['A1', 'B1']);
    expect(said.filter((s) => s.endsWith('null')).sort()).toEqual(['A B1 null', 'B B1 null']);
    for (const m of [A, B]) await m.exit();
  }, 60_000);

  it('one that never sends its run-result: the round ends after the deadline, the next goes on; its late result changes nothing', async () => {
    const { clock, a, b, A, B, step, pass } = await continuousPair();
    const share = deaf(B, 'start-sync');
    const problems: string[] = [];
    A.run.on('problem', (p) => problems.push(p));
    let syncAt = 0; // when A's clock for B's result started (the test's steps move time on after it)
    A.session.on('run.command', (command) => void (command === 'start-sync' && (syncAt = clock.now())));
    const fromB: string[] = [];
    A.run.on('result', (id, r) => void (id === B.session.self && fromB.push(r.run)));
    a.writeFile('new.txt', 'A again');
    A.continuous.nudge();
    await step(() => A.run.state === 'done' && A.run.resolved?.targets[0] === 'B1' && A.run.results.size === 1);
    expect(A.continuous.loopState, 'the round awaits B').toBe('running');
    await pass(syncAt + SHARE_SILENCE_MS - 1 - clock.now());
    await settle();
    expect(A.continuous.loopState, 'B still awaited').toBe('running');
    clock.advance(1);
    await step(() => A.continuous.loopState === 'idle');
    expect([A.run.silences.counts.sync, A.run.results.has(B.session.self)]).toEqual([1, false]);
    const cut = A.run.results.get(A.session.self)?.run;

    // The next round goes on (B, still in that share, is left out of it after its own deadline).
    a.writeFile('more.txt', 'and more');
    A.continuous.nudge();
    await step(() => A.run.state === 'sharing');
    await pass(INVENTORY_SILENCE_MS);
    await step(() => A.continuous.loopState === 'idle' && A.run.silences.counts.inventory === 1);

    share.release(); // B's late share of the first round: its copy is made, its result is taken for no later round
    await step(() => b.readFile('new.txt') !== undefined && B.run.state === 'done');
    A.continuous.nudge();
    await step(() => b.readFile('more.txt') !== undefined && A.continuous.loopState === 'idle' && A.continuous.leftOut.size === 0);
    expect(b.readFile('new.txt')).toEqual(a.readFile('new.txt'));
    expect(fromB.length > 0 && !fromB.includes(cut as string)).toBe(true);
    expect(problems.filter((p) => !p.startsWith('result-late'))).toEqual([]);
    for (const m of [A, B]) await m.exit();
  }, 60_000);
});
