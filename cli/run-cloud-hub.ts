/** The hub's side of a standing group's run: create the rendezvous, wait for the expected members, lead one synchronization. */
import { CloudMember } from '../core/cloud/member.ts';
import { CloudJoinError } from '../core/cloud/join/cloud-start.ts';
import { utcDay } from '../core/crypto/group-keys.ts';
import type { Plan, Preset } from '../core/plan/types.ts';
import type { Rule } from '../core/plan/rules-types.ts';
import { DEFAULT_SETTINGS, type SessionSettings } from '../core/settings/settings.ts';
import type { CloudProfile } from '../core/unattended/profile.ts';
import type { Group } from '../core/unattended/group.ts';
import { appUrlFor, memberPortsFor, openSources, startFailure } from './cloud-setup.ts';
import { followSession } from './cloud-follow.ts';
import { watch } from './cloud-wait.ts';
import { leadOnce } from './cloud-lead.ts';
import { formatDuration } from './format.ts';
import { deadline, type Deadline } from './deadline.ts';
import { emptyOutcome, hubOutcome, type GroupRunOutcome } from './run-outcome.ts';
import { DEFAULT_MAX_RUN_MS, groupSlot, ownWindow, type GroupRunOptions } from './run-cloud.ts';
import { msg } from './i18n.ts';

/** A member leaving mid-run resets the round; after this many resets the run is recorded failed. */
const MAX_ROUNDS = 3;

/** Names of the members (not the hub) that are in with a source: the ones a run goes ahead with. */
export function presentNames(member: CloudMember): string[] {
  return member.session.members.filter((m) => !m.self && m.connected && m.sources.length > 0 && m.name !== '').map((m) => m.name);
}

/** The profile's actions as a plan drawer and its label (Mirror/Update default A1 → B1, as `quintet create`). */
function actionsOf(profile: CloudProfile, member: CloudMember): { label: string; codes: string[]; plan: () => Plan } | string {
  if (profile.rules?.length) {
    return { label: `${profile.rules.length} rules`, codes: [], plan: () => member.run.planRules({ rules: profile.rules as unknown as Rule[], targeted: [] }) };
  }
  if (!profile.preset) return 'the profile has neither a preset nor rules';
  if (profile.preset === 'two-way') return { label: 'Two-way', codes: [], plan: () => member.run.planPreset({ kind: 'two-way' }) };
  const from = profile.from ?? 'A1';
  const to = profile.to ?? (from === 'B1' ? 'A1' : 'B1');
  const preset: Preset = { kind: profile.preset, from, to };
  return { label: `${profile.preset === 'mirror' ? 'Mirror' : 'Update'} ${from} → ${to}`, codes: [from, to], plan: () => member.run.planPreset(preset) };
}

/**
 * Waits for every expected member (or, with none listed, the whole wait) through the run's WaitWindow, the one
 * `quintet run --extend` reaches: 'all', 'deadline' or 'stopped'. The window learns arrivals and departures from the
 * session's events.
 */
async function waitForMembers(member: CloudMember, expected: readonly string[], opts: GroupRunOptions): Promise<'all' | 'deadline' | 'stopped'> {
  const window = (opts.openWindow ?? ownWindow(opts.io))(expected, opts.maxWaitMs);
  let seen = new Set<string>();
  const look = () => {
    const now = new Set(presentNames(member));
    for (const name of now) if (!seen.has(name)) window.arrive(name);
    for (const name of seen) if (!now.has(name)) window.leave(name);
    seen = now;
  };
  const stop = () => window.stop();
  const unwatch = watch(member, look);
  opts.signal.addEventListener('abort', stop, { once: true });
  if (opts.signal.aborted) stop();
  look();
  try {
    const { end } = await window.done;
    return end === 'complete' ? 'all' : end === 'stopped' ? 'stopped' : 'deadline';
  } finally {
    unwatch();
    opts.signal.removeEventListener('abort', stop);
  }
}

export async function hubRun(profile: CloudProfile, group: Group, server: string, name: string, opts: GroupRunOptions): Promise<GroupRunOutcome> {
  const { io, signal } = opts;
  const expected = profile.expectedMembers ?? [];
  const slot = await groupSlot(group, opts.slots?.[0] ?? utcDay(io.clock.now()));
  const ports = memberPortsFor(server, name, io);
  let member: CloudMember | null = null;
  let follow: { stop(): void } | null = null;
  let bound: Deadline | null = null;
  const missingOf = (present: readonly string[]) => expected.filter((n) => !present.includes(n));
  try {
    const sources = await openSources(profile.sources, ports, io);
    member = await CloudMember.start(ports.ports, { rendezvous: slot.rendezvous, password: slot.password, proveHub: slot.proveHub });
    follow = followSession(member, io, server, appUrlFor(server), false);
    member.setSources(sources);
    const settings = member.changeSettings({ ...DEFAULT_SETTINGS, ...(profile.settings as Partial<SessionSettings> | undefined) });
    if (settings.issues.length > 0) return emptyOutcome('failed', `the profile's settings are refused: ${settings.issues.map((i) => i.field).join(', ')}`, [], expected);
    const actions = actionsOf(profile, member);
    if (typeof actions === 'string') return emptyOutcome('failed', actions, [], expected);

    io.out(msg('hub.waiting', { group: group.name, slot: slot.slot, duration: formatDuration(opts.maxWaitMs), members: expected.length ? expected.join(', ') : msg('hub.theMembers') }));
    if ((await waitForMembers(member, expected, opts)) === 'stopped') return emptyOutcome('stopped', 'stopped while waiting for the members', presentNames(member), missingOf(presentNames(member)));
    const maxRunMs = opts.maxRunMs ?? DEFAULT_MAX_RUN_MS;
    bound = deadline(signal, maxRunMs, () => io.clock.now());
    const overtime = () => `the run did not end within its maxRunTime (${formatDuration(maxRunMs)}): stopped`;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const present = presentNames(member);
      const missing = missingOf(present);
      if (present.length === 0) {
        io.out(msg('hub.nobody'));
        return emptyOutcome('no-members', `no member came within ${formatDuration(opts.maxWaitMs)}`, [], missing);
      }
      if (missing.length > 0) io.out(msg('hub.missing', { missing: missing.join(', '), present: present.join(', ') }));
      const codes = member.session.members.flatMap((m) => m.sources.map((_, i) => `${m.letter}${i + 1}`));
      const absent = actions.codes.filter((code) => !codes.includes(code));
      if (absent.length > 0) return emptyOutcome('failed', `no source ${absent.join(', ')} in this run (sources: ${codes.join(', ')})`, present, missing);
      const outcome = await leadOnce(member, actions.plan, actions.label, io, bound.signal);
      if (outcome.kind === 'reset') continue;
      if (outcome.kind === 'interrupted' && bound.passed) {
        io.err(msg('hub.failed', { why: overtime() }));
        return emptyOutcome('failed', overtime(), present, missing);
      }
      if (outcome.kind === 'interrupted') return emptyOutcome('stopped', 'stopped by a signal during the run', present, missing);
      // A member the round went on without (docs/protocol.md §10.10) counts as missing: the run is partial.
      const silent = member.session.members.filter((m) => outcome.silent.includes(m.id)).map((m) => m.name || m.letter);
      const result = hubOutcome(outcome.plan, member.run.resolved?.actions ?? outcome.plan.actions, outcome.results, member.session.members, present, [...missing, ...silent]);
      io.out(msg('hub.done', { status: result.status, done: result.counts.done, failed: result.counts.failed, skipped: result.counts.skipped }));
      return result;
    }
    return emptyOutcome('failed', `members left mid-run ${MAX_ROUNDS} times`, presentNames(member), missingOf(presentNames(member)));
  } catch (error) {
    const why = error instanceof CloudJoinError ? startFailure(error, server).message : error instanceof Error ? error.message : String(error);
    return emptyOutcome(signal.aborted ? 'stopped' : 'failed', why, member ? presentNames(member) : [], member ? missingOf(presentNames(member)) : expected);
  } finally {
    bound?.clear();
    follow?.stop();
    await member?.exit().catch(() => undefined);
    await ports.dispose();
  }
}
