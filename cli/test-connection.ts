/** `quintet test <profile.json>`: the connection test — server, rendezvous, the group's members online, protocol versions. */
import { readFile } from 'node:fs/promises';
import { access } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { CloudMember } from '../core/cloud/member.ts';
import { CloudJoinError } from '../core/cloud/join/cloud-start.ts';
import { memberSlots, utcDay } from '../core/crypto/group-keys.ts';
import { MESH_PROTOCOL_VERSION } from '../core/protocol/mesh-messages.ts';
import { SIGNAL_PROTOCOL_VERSION } from '../core/protocol/signal-messages.ts';
import { checkProfile, durationMs, type CloudProfile } from '../core/unattended/profile.ts';
import type { CloudMemberView } from '../core/cloud/cloud-session-types.ts';
import { EXIT, UsageError, type ExitCode } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { appUrlFor, memberPortsFor, startFailure } from './cloud-setup.ts';
import { Interrupted, until } from './cloud-wait.ts';
import { formatDuration } from './format.ts';
import { deadline } from './deadline.ts';
import { deviceNameFor, groupOf, groupSlot, type GroupSlot } from './run-cloud.ts';
import { findHub } from './run-cloud-member.ts';
import { helpText, msg } from './i18n.ts';

export const TEST_HELP = `Usage: quintet test <profile.json> [--wait <duration>]

The connection test. It reaches the profile's signaling server (its /health gives the protocol version and whether it
knows standing groups); then, for a cloud profile:
  hub     creates the group's test rendezvous (not a run's: nothing is synchronized) and waits up to --wait (default
          30s) for the expected members, which must run quintet test at the same time; says which member is not online
          or speaks another protocol version.
  member  finds the hub's test rendezvous within --wait, checks that its leader proves it is the group's hub and that
          both speak the same protocol version.
For a local profile it checks that every source can be read.

Exit codes: 0 all is well, 1 the server cannot be reached (or refuses the rendezvous), 2 could not start (bad
arguments, profile or group file), 3 the server is fine but a member or the hub is not online or is incompatible,
130 Ctrl-C. Each problem is one line saying who and why.`;

/** What /health says, or why the server could not be asked. */
async function health(server: string): Promise<{ ok: true; protocol: unknown; features: unknown } | { ok: false; why: string }> {
  const url = new URL('health', appUrlFor(server));
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) return { ok: false, why: msg('test.http', { url: url.href, status: String(response.status) }) };
    const body = (await response.json()) as { protocol?: unknown; features?: unknown };
    return { ok: true, protocol: body.protocol, features: body.features };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    return { ok: false, why: msg('test.unreachable', { cause }) };
  }
}

/** "protocol 1" agreement between this side and another member's announcement. */
function versionProblem(view: CloudMemberView, own: number): string | null {
  if (view.protocol === undefined) return msg('test.noProtocol');
  if (view.protocol !== own) return msg('test.otherProtocol', { theirs: String(view.protocol), own: String(own) });
  return null;
}

export async function runTest(argv: string[], io: CliIo): Promise<ExitCode> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { wait: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    io.out(await helpText('test', TEST_HELP));
    return EXIT.done;
  }
  if (positionals.length !== 1) throw new UsageError(msg('test.oneProfile'));
  if (v.wait !== undefined && !/^\d+(s|m|h)$/.test(v.wait)) throw new UsageError(msg('test.wait', { value: v.wait }));
  const waitMs = durationMs(v.wait ?? '30s');
  const path = positionals[0] as string;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(msg('test.cannotRead', { file: path, reason: (error as NodeJS.ErrnoException).code ?? msg('test.notJson') }));
  }
  const checked = checkProfile(json);
  if (!checked.ok) throw new UsageError(msg('test.invalid', { file: path, errors: checked.errors.join('; ') }));
  const profile = checked.profile;
  if (profile.kind === 'local') {
    let bad = 0;
    for (const dir of profile.sources) {
      const ok = await access(dir).then(() => true, (error: NodeJS.ErrnoException) => (io.err(msg('test.sourceUnreadable', { dir, reason: error.code ?? error.message })), false));
      if (ok) io.out(msg('test.sourceReadable', { dir }));
      else bad++;
    }
    return bad === 0 ? EXIT.done : EXIT.couldNotStart;
  }
  const group = await groupOf(profile, dirname(path));
  const server = profile.server ?? group.server;
  const h = await health(server);
  if (!h.ok) {
    io.err(msg('test.server', { server, why: h.why }));
    return EXIT.failed;
  }
  if (h.protocol !== SIGNAL_PROTOCOL_VERSION || !Array.isArray(h.features) || !h.features.includes('rendezvous')) {
    const groups = Array.isArray(h.features) && h.features.includes('rendezvous');
    io.err(msg(groups ? 'test.serverOld' : 'test.serverNoGroups', { server, protocol: String(h.protocol), needed: String(SIGNAL_PROTOCOL_VERSION) }));
    return EXIT.failed;
  }
  io.out(msg('test.serverOk', { server, protocol: String(SIGNAL_PROTOCOL_VERSION) }));
  const name = deviceNameFor(v.name, io.env);
  const ports = memberPortsFor(server, name, io);
  const own = ports.ports.deps.announcedProtocol ?? MESH_PROTOCOL_VERSION;
  try {
    if (profile.part === 'hub') return await testAsHub(profile, await groupSlot(group, `test-${utcDay(io.clock.now())}`), ports, server, own, waitMs, io);
    const slots = await Promise.all(memberSlots(io.clock.now(), waitMs).map((day) => groupSlot(group, `test-${day}`)));
    return await testAsMember(slots, ports, server, own, waitMs, io);
  } finally {
    await ports.dispose();
  }
}

type Ports = ReturnType<typeof memberPortsFor>;

async function testAsHub(profile: CloudProfile, slot: GroupSlot, ports: Ports, server: string, own: number, waitMs: number, io: CliIo): Promise<ExitCode> {
  let member: CloudMember;
  try {
    member = await CloudMember.start(ports.ports, { rendezvous: slot.rendezvous, password: slot.password, proveHub: slot.proveHub });
  } catch (error) {
    if (!(error instanceof CloudJoinError)) throw error;
    io.err(msg('test.noRendezvous', { server, message: startFailure(error, server).message }));
    return EXIT.failed;
  }
  try {
    io.out(msg('test.waiting', { duration: formatDuration(waitMs) }));
    const expected = profile.expectedMembers ?? [];
    const seen = () => member.session.members.filter((m) => !m.self && m.connected && m.name !== '');
    // Each member's view as soon as its hello told its protocol: a member leaves once it has read the hub's hello,
    // which may be long before the last expected member comes (or the wait ends).
    const known = new Map<string, ReturnType<typeof seen>[number]>();
    const note = () => {
      for (const m of seen()) if (m.protocol !== undefined) known.set(m.name, m);
      return known;
    };
    const timeUp = deadline(io.signal, waitMs);
    await until(member, () => (expected.length > 0 && expected.every((n) => note().has(n)) ? true : undefined), timeUp.signal)
      .catch((error: unknown) => {
        if (!(error instanceof Interrupted)) throw error;
      })
      .finally(() => timeUp.clear());
    if (io.signal.aborted) return EXIT.interrupted;
    let problems = 0;
    for (const name of expected) {
      const view = note().get(name) ?? seen().find((m) => m.name === name);
      const problem = view ? versionProblem(view, own) : msg('test.notJoined', { duration: formatDuration(waitMs) });
      if (problem) {
        problems++;
        io.err(msg('test.member', { name, problem }));
      } else io.out(msg('test.memberOk', { name, protocol: String(own) }));
    }
    for (const view of [...note().values()].filter((m) => !expected.includes(m.name))) io.out(msg('test.memberExtra', { name: view.name, protocol: String(view.protocol ?? '?') }));
    if (expected.length === 0) io.out(msg('test.noExpected'));
    // Stay until the members have read this hub's hello and left (each leaves once it has), at most one more wait:
    // leaving at once, the hub's 'left' could reach a member before its hello and the member would find no hub.
    const linger = deadline(io.signal, waitMs);
    await until(member, () => (seen().length === 0 ? true : undefined), linger.signal).catch(() => undefined).finally(() => linger.clear());
    return problems === 0 ? EXIT.done : EXIT.doneWithIssues;
  } finally {
    await member.exit().catch(() => undefined);
  }
}

async function testAsMember(slots: readonly GroupSlot[], ports: Ports, server: string, own: number, waitMs: number, io: CliIo): Promise<ExitCode> {
  const found = await findHub(ports, slots, server, { signal: io.signal, maxWaitMs: waitMs, io });
  if (!('member' in found)) {
    if (found.stopped) return EXIT.interrupted;
    io.err(msg('test.hub', { problem: found.timedOut ? msg('test.hubNotOnline', { duration: formatDuration(waitMs) }) : found.why }));
    return EXIT.doneWithIssues;
  }
  const member = found.member;
  try {
    const hubId = member.session.members[0]!.id;
    const hub = () => member.session.members.find((m) => m.id === hubId);
    const timeUp = deadline(io.signal, waitMs);
    const view = await until(member, () => {
      const h = hub();
      return !h ? null : h.connected && h.protocol !== undefined ? h : undefined;
    }, timeUp.signal)
      .catch((error: unknown) => {
        if (error instanceof Interrupted) return null;
        throw error;
      })
      .finally(() => timeUp.clear());
    if (io.signal.aborted) return EXIT.interrupted;
    if (!view) {
      io.err(msg('test.hubNoChannel', { duration: formatDuration(waitMs) }));
      return EXIT.doneWithIssues;
    }
    const problem = versionProblem(view, own);
    if (problem) io.err(msg('test.hubNamed', { name: view.name, problem }));
    else io.out(msg('test.hubOk', { name: view.name, protocol: String(own) }));
    // The hub already has this member's hello (it was sent when the channel opened, before the hub's came back): leave,
    // which tells the hub it may end its test.
    return problem ? EXIT.doneWithIssues : EXIT.done;
  } finally {
    await member.exit().catch(() => undefined);
  }
}
