/** `quintet create`: starts a Cloud Session as its leader (A); with `--preset … --yes --members N` it runs one synchronization unattended. */
import { parseArgs } from 'node:util';
import type { Preset } from '../core/plan/types.ts';
import { MEMBER_ROLES, type MemberRole } from '../core/settings/settings.ts';
import { skippedOf } from '../core/plan/skipped.ts';
import { CloudMember } from '../core/cloud/member.ts';
import { EXIT, UsageError, type ExitCode } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { COMMON_OPTIONS, COMMON_OPTIONS_HELP, appUrlFor, deviceNameOf, memberPortsFor, openSources, printUdpBufferHint, serverOf, startFailure } from './cloud-setup.ts';
import { followSession, hasIssues } from './cloud-follow.ts';
import { Interrupted, SessionEnded, until } from './cloud-wait.ts';
import { leadOnce } from './cloud-lead.ts';
import { helpText, msg } from './i18n.ts';

export const CREATE_HELP = `Usage: quintet create --source <dir> [--source <dir> …] [options]

Starts a Cloud Session with this computer as its leader (member A, sources A1, A2 …) and prints the session ID, the
password, the invite link and the safety words (again whenever they change). Others join from the page (the link,
or the ID and password) or with quintet join. Without --preset it stays in the session, serving its files to the
others, until Ctrl-C.

Options:
${COMMON_OPTIONS_HELP}
  --preset mirror|update|two-way   run one synchronization unattended (needs --yes and --members), then leave
  --from <code> --to <code>        Mirror and Update: from which source to which (default A1 → B1)
  --members <n>                    start once n members (this one included, 2–5) are in, each with a source
  --role <letter>=<role>           a member's role, repeatable: send-receive (default), send-only (its sources are
                                   never written) or receive-only (its changes do not spread); e.g. --role B=send-only
  -y, --yes                        synchronize without asking (the plan is printed first)
  --continuous                     continuous synchronization: every change on any member reaches the others
                                   (automatic Two-way rounds, docs/protocol.md §12); stays until Ctrl-C

As leader it waits for the members, runs the inventory, plans the preset, synchronizes, prints each member's result
and exits: 0 all done, 3 some items failed or were skipped (or a folder could not be flushed to disk), 1 failed, 2 could not start (bad arguments, server
unreachable), 130 Ctrl-C. A member that leaves mid-run sends everyone back to waiting: it starts again once n are in.`;

interface CreateArgs {
  sources: string[];
  server?: string;
  name?: string;
  preset?: Preset;
  label?: string;
  members?: number;
  /** Roles by member letter (--role B=send-only), applied to the members' ids once they are in. */
  roles: Record<string, MemberRole>;
  continuous: boolean;
  /** false with --no-fsync. */
  fsync: boolean;
}

export function parseCreateArgs(argv: string[]): CreateArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: false, strict: true,
      options: { ...COMMON_OPTIONS, preset: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, members: { type: 'string' }, yes: { type: 'boolean', short: 'y' }, role: { type: 'string', multiple: true }, continuous: { type: 'boolean' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const kind = v.preset;
  if (kind !== undefined && kind !== 'mirror' && kind !== 'update' && kind !== 'two-way') throw new UsageError(msg('local.unknownPreset', { preset: kind }));
  if ((v.from !== undefined || v.to !== undefined) && kind !== 'mirror' && kind !== 'update') throw new UsageError(msg('local.fromTo'));
  for (const code of [v.from, v.to]) if (code !== undefined && !/^[A-E][1-9][0-9]*$/.test(code)) throw new UsageError(msg('create.notCode', { code }));
  if (kind !== undefined && !v.yes) throw new UsageError(msg('create.presetYes'));
  if (kind !== undefined && v.members === undefined) throw new UsageError(msg('create.presetMembers'));
  if ((v.members !== undefined || v.yes) && kind === undefined) throw new UsageError(msg('create.membersWithPreset'));
  if (v.continuous && kind !== undefined) throw new UsageError(msg('create.continuousPreset'));
  let members: number | undefined;
  if (v.members !== undefined) {
    members = Number(v.members);
    if (!Number.isInteger(members) || members < 2 || members > 5) throw new UsageError(msg('create.membersRange', { value: v.members }));
  }
  const roles: Record<string, MemberRole> = {};
  for (const spec of v.role ?? []) {
    const m = /^([A-E])=(.+)$/.exec(spec);
    if (!m || !(MEMBER_ROLES as readonly string[]).includes(m[2] as string)) throw new UsageError(msg('create.roleSpec', { spec, roles: MEMBER_ROLES.join(', ') }));
    roles[m[1] as string] = m[2] as MemberRole;
  }
  if (Object.keys(roles).length > 0 && kind === undefined) throw new UsageError(msg('create.roleWithPreset'));
  const from = v.from ?? 'A1';
  const to = v.to ?? (from === 'B1' ? 'A1' : 'B1');
  const preset: Preset | undefined = kind === undefined ? undefined : kind === 'two-way' ? { kind } : { kind, from, to };
  const label = kind === undefined ? undefined : kind === 'two-way' ? msg('preset.twoWay') : msg(kind === 'mirror' ? 'preset.mirror' : 'preset.update', { from, to });
  return { sources: v.source ?? [], server: v.server, name: v.name, preset, label, members, roles, continuous: v.continuous ?? false, fsync: v['no-fsync'] !== true };
}

export async function runCreate(argv: string[], io: CliIo): Promise<ExitCode> {
  const args = parseCreateArgs(argv);
  if (args === 'help') {
    io.out(await helpText('create', CREATE_HELP));
    return EXIT.done;
  }
  const server = serverOf(args.server, io.env);
  const ports = memberPortsFor(server, deviceNameOf(args.name), io, { observe: true });
  printUdpBufferHint(io);
  let member: CloudMember | null = null;
  let follow: { stop(): void } | null = null;
  try {
    const sources = await openSources(args.sources, ports, io, { fsync: args.fsync });
    member = await CloudMember.start(ports.ports).catch((error: unknown) => {
      throw startFailure(error, server);
    });
    follow = followSession(member, io, server, appUrlFor(server));
    member.setSources(sources);
    if (!args.preset || !args.members) {
      if (args.continuous) {
        await member.changeSettings({ ...member.settings, continuous: true }).sent;
        io.out(msg('create.continuous'));
      }
      io.out(msg('create.inSession'));
      const m = member;
      await until(m, () => (m.session.phase === 'ended' ? true : undefined), io.signal).catch((e: unknown) => {
        if (!(e instanceof Interrupted)) throw e;
      });
      return io.signal.aborted ? EXIT.interrupted : EXIT.done;
    }
    return await lead(member, { preset: args.preset, label: args.label ?? '', members: args.members, roles: args.roles }, io);
  } catch (error) {
    if (!(error instanceof SessionEnded)) throw error;
    // The server let go of the leader (cloud-follow printed which close): its run cannot finish.
    io.err(msg('create.endedEarly'));
    return EXIT.failed;
  } finally {
    follow?.stop();
    await member?.exit().catch(() => undefined);
    await ports.dispose();
  }
}

/** The leader's one unattended run: wait for n members with sources, inventory, plan, synchronize, collect every result. */
async function lead(member: CloudMember, job: { preset: Preset; label: string; members: number; roles: Record<string, MemberRole> }, io: CliIo): Promise<ExitCode> {
  const { session, run } = member;
  for (;;) {
    io.out(msg('create.waiting', { members: job.members }));
    try {
      await until(member, () => (session.members.length >= job.members && session.members.every((m) => m.connected && m.sources.length > 0) ? true : undefined), io.signal);
    } catch (error) {
      if (error instanceof Interrupted) return EXIT.interrupted;
      throw error;
    }
    if (session.members.length > job.members) throw new UsageError(msg('create.tooManyJoined', { joined: session.members.length, members: job.members }));
    const codes = session.members.flatMap((m) => m.sources.map((_, i) => `${m.letter}${i + 1}`));
    for (const code of job.preset.kind === 'two-way' ? [] : [job.preset.from, job.preset.to]) {
      if (!codes.includes(code)) throw new UsageError(msg('create.noSource', { code, codes: codes.join(', ') }));
    }
    await applyRoles(member, job.roles, io);
    io.out(msg('create.membersIn', { members: job.members }));
    const outcome = await leadOnce(member, () => run.planPreset(job.preset), job.label, io, io.signal);
    if (outcome.kind === 'reset') continue;
    if (outcome.kind === 'interrupted') return EXIT.interrupted;
    // Items the plan skipped (unreadable, a refused name, a member's role) count like a member's skipped ones.
    // So do a member's actions not confirmed: the round went on without its result (docs/protocol.md §10.10).
    const issues = [...outcome.results.values()].some(hasIssues) || skippedOf(outcome.plan.refusals).length > 0 || outcome.silent.length > 0;
    io.out(msg(issues ? 'create.completeIssues' : 'create.complete'));
    return issues ? EXIT.doneWithIssues : EXIT.done;
  }
}

/** The --role letters as the settings' roles (by member id, as every member checks them), sent before the inventory. */
async function applyRoles(member: CloudMember, byLetter: Record<string, MemberRole>, io: CliIo): Promise<void> {
  if (Object.keys(byLetter).length === 0) return;
  const letters = new Set(member.session.members.map((m) => m.letter as string));
  const missing = Object.keys(byLetter).filter((l) => !letters.has(l));
  if (missing.length > 0) throw new UsageError(msg('create.roleMissing', { letters: missing.join(', ') }));
  const roles = Object.fromEntries(member.session.members.flatMap((m) => (byLetter[m.letter] ? [[m.id, byLetter[m.letter] as MemberRole]] : [])));
  const { issues, sent } = member.changeSettings({ ...member.settings, roles });
  if (issues.length > 0) throw new UsageError(msg('create.rolesRefused', { codes: issues.map((i) => i.code).join(', ') }));
  await sent;
  io.out(msg('create.roles', { roles: Object.entries(byLetter).map(([l, r]) => `${l} ${r}`).join(', ') }));
}
