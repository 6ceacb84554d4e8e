/** A member's side of a standing group's run: find the hub's rendezvous (retrying until the wait ends), follow it, record its share. */
import { CloudMember } from '../core/cloud/member.ts';
import { CloudJoinError } from '../core/cloud/join/cloud-start.ts';
import { memberSlots } from '../core/crypto/group-keys.ts';
import type { Action } from '../core/plan/types.ts';
import type { RunResultMessage } from '../core/protocol/run-messages.ts';
import type { CloudProfile } from '../core/unattended/profile.ts';
import type { RunError } from '../core/unattended/run-record.ts';
import type { Group } from '../core/unattended/group.ts';
import type { NodeMemberPorts } from '../adapters/node/cloud-member-ports.ts';
import { appUrlFor, memberPortsFor, openSources, startFailure } from './cloud-setup.ts';
import { followSession } from './cloud-follow.ts';
import { Interrupted, until } from './cloud-wait.ts';
import { formatDuration } from './format.ts';
import { emptyOutcome, memberStatus, ownLeftOut, shareOf, type GroupRunOutcome } from './run-outcome.ts';
import { DEFAULT_MAX_RUN_MS, groupSlot, type GroupRunOptions, type GroupSlot } from './run-cloud.ts';
import { deadline } from './deadline.ts';
import { msg } from './i18n.ts';

/** Waits between rounds of attempts: 1 s, doubling up to this (well inside the server's new-connection rate). */
const MAX_BACKOFF_MS = 15_000;

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      done();
    }
    signal.addEventListener('abort', finish, { once: true });
  });
}

/** Reasons worth another try: the hub is not there yet, the server is briefly away, a squatter may go. */
const RETRY = new Set(['no-such-session', 'network', 'not-hub', 'timeout', 'validator-left']);

/**
 * Joins one of `slots`' runs as soon as its hub has created it, trying each slot in turn, then again after a pause,
 * until `maxWaitMs`. Resolves with the member, or with why not (the last reason met).
 */
export async function findHub(ports: NodeMemberPorts, slots: readonly GroupSlot[], server: string, opts: GroupRunOptions): Promise<{ member: CloudMember; slot: GroupSlot } | { why: string; stopped: boolean; timedOut?: boolean }> {
  const { io, signal } = opts;
  const deadline = io.clock.now() + opts.maxWaitMs;
  let why = `the hub did not open the run within ${formatDuration(opts.maxWaitMs)}`;
  let timedOut = true; // no reason met but the wait's end (quintet test words that one itself)
  // Pauses grow to MAX_BACKOFF_MS but never past a tenth of the wait: with `quintet test`'s 30 s, a 15 s pause could
  // miss a hub that opened a little late (its last try before the deadline came 15 s earlier).
  const cap = Math.max(1000, Math.min(MAX_BACKOFF_MS, opts.maxWaitMs / 10));
  for (let backoff = 1000; ; backoff = Math.min(cap, backoff * 2)) {
    for (const slot of slots) {
      if (signal.aborted) return { why: 'stopped while waiting for the hub', stopped: true };
      try {
        const member = await CloudMember.join(ports.ports, { sessionId: slot.rendezvous, password: slot.password, verifyHub: slot.verifyHub });
        return { member, slot };
      } catch (error) {
        if (!(error instanceof CloudJoinError)) throw error;
        if (!RETRY.has(error.reason)) return { why: startFailure(error, server).message, stopped: false };
        if (error.reason !== 'no-such-session') {
          why = startFailure(error, server).message;
          timedOut = false;
          io.err(msg('member.retry', { slot: slot.slot, why }));
        }
      }
    }
    const left = deadline - io.clock.now();
    if (left <= 0) return { why, stopped: false, timedOut };
    await pause(Math.min(backoff, left), signal);
  }
}

/**
 * Waits until this member's channel to every other member is open (at most its maxWait), before it announces its
 * sources. The hub counts a member present once it has sources, and a run message such as this member's inventory
 * goes only over open channels: announced earlier, the hub could start the inventory while this member's channel to
 * another member is still opening, and that member would wait for ever for this one's inventory.
 */
async function meshed(m: CloudMember, opts: GroupRunOptions): Promise<void> {
  const wait = deadline(opts.signal, opts.maxWaitMs, () => opts.io.clock.now());
  try {
    await until(m, () => (m.session.members.every((x) => x.connected) ? true : undefined), wait.signal);
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    // Stopped: the caller sees the signal. Out of time: announce anyway, the hub decides whom it runs with.
  } finally {
    wait.clear();
  }
}

export async function memberRun(profile: CloudProfile, group: Group, server: string, name: string, opts: GroupRunOptions): Promise<GroupRunOutcome> {
  const { io, signal } = opts;
  const slots = await Promise.all((opts.slots ?? memberSlots(io.clock.now(), opts.maxWaitMs)).map((s) => groupSlot(group, s)));
  const ports = memberPortsFor(server, name, io);
  let member: CloudMember | null = null;
  let follow: { stop(): void } | null = null;
  try {
    const sources = await openSources(profile.sources, ports, io);
    io.out(msg('member.looking', { group: group.name, slots: slots.map((s) => s.slot).join(msg('member.or')), duration: formatDuration(opts.maxWaitMs) }));
    const found = await findHub(ports, slots, server, opts);
    if (!('member' in found)) return emptyOutcome(found.stopped ? 'stopped' : 'failed', found.why, [], ['hub']);
    const m = (member = found.member);
    follow = followSession(m, io, server, appUrlFor(server), false);
    await meshed(m, opts);
    m.setSources(sources);
    const hub = m.session.members[0]!;
    io.out(msg('member.inRun', { slot: found.slot.slot }));
    // The hub's name as it announced it, kept for the record once it has left the roster.
    let hubLabel = hub.name || 'hub';
    m.session.on('members.changed', (members) => (hubLabel = members.find((x) => x.id === hub.id)?.name || hubLabel));
    // This member's result with the plan and letter it was for: both are gone once the hub leaves (the run resets).
    // What its own folders left out (emptied, unreadable paths) counts as skipped: this member's record must not say ok.
    let last: { result: RunResultMessage; actions: readonly (Action | null)[]; letter: string; left: RunError[] } | undefined;
    m.run.on('result', (from, result) => {
      if (from !== m.session.self) return;
      const letter = m.session.members.find((x) => x.self)?.letter ?? '?';
      last = { result, actions: m.run.resolved?.actions ?? [], letter, left: ownLeftOut(letter, m.run.resolved?.emptied ?? [], m.run.comparison?.unreadable) };
    });
    const hubGone = () => m.session.phase === 'ended' || !m.session.members.some((x) => x.id === hub.id);
    // Bounded like the hub's run: a hub that never ends its run does not keep this member in it for ever.
    const maxRunMs = opts.maxRunMs ?? DEFAULT_MAX_RUN_MS;
    const bound = deadline(signal, maxRunMs, () => io.clock.now());
    try {
      await until(m, () => (hubGone() ? true : undefined), bound.signal);
    } catch (error) {
      if (!(error instanceof Interrupted)) throw error;
      if (!bound.passed) return emptyOutcome('stopped', 'stopped by a signal during the run', [hubLabel], []);
      const why = `the hub's run did not end within this member's maxRunTime (${formatDuration(maxRunMs)}): left it`;
      io.err(msg('hub.failed', { why }));
      return { ...emptyOutcome('failed', why, [hubLabel], []), ...(last ? shareOf(last.letter, last.actions, last.result, last.left) : {}) };
    } finally {
      bound.clear();
    }
    if (!last) return emptyOutcome('failed', 'the hub ended the run before this member had a result', [hubLabel], []);
    const { result, actions, letter, left: leftOut } = last;
    const share = shareOf(letter, actions, result, leftOut);
    const unflushed = (result.unflushed ?? []).map((u) => u.source);
    const status = memberStatus(result, share.counts);
    const left = `${share.counts.failed} failed, ${share.counts.skipped} skipped${unflushed.length > 0 ? `; not flushed to disk: ${unflushed.join(', ')}` : ''}`;
    return {
      status, present: [hubLabel], missing: [], counts: share.counts, bytes: result.bytes, errors: share.errors,
      perMember: [{ letter, name, counts: share.counts, bytes: result.bytes }],
      ...(status === 'ok' ? {} : { message: status === 'stopped' ? 'the hub stopped the run' : left }),
    };
  } catch (error) {
    const why = error instanceof CloudJoinError ? startFailure(error, server).message : error instanceof Error ? error.message : String(error);
    return emptyOutcome(signal.aborted ? 'stopped' : 'failed', why, [], []);
  } finally {
    follow?.stop();
    await member?.exit().catch(() => undefined);
    await ports.dispose();
  }
}
