/** `quintet join`: joins a Cloud Session with its sources and follows the leader's runs until the session ends or Ctrl-C. */
import { parseArgs } from 'node:util';
import { CloudMember } from '../core/cloud/member.ts';
import { parseInviteLink } from '../core/crypto/invite.ts';
import { normalizePassword } from '../core/crypto/password.ts';
import { normalizeSessionId } from '../core/protocol/session-id.ts';
import type { RunResultMessage } from '../core/protocol/run-messages.ts';
import { EXIT, UsageError, type ExitCode } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { COMMON_OPTIONS, COMMON_OPTIONS_HELP, appUrlFor, deviceNameOf, memberPortsFor, openSources, printUdpBufferHint, serverOf, startFailure } from './cloud-setup.ts';
import { followSession, hasIssues } from './cloud-follow.ts';
import { Interrupted, until } from './cloud-wait.ts';
import { followLocalChanges, LOCAL_CHANGES_POLICIES, type LocalChangesPolicy } from './local-changes.ts';
import { helpText, msg } from './i18n.ts';

export const JOIN_HELP = `Usage: quintet join <session-id | invite-link> [--password <password>] --source <dir> [--source <dir> …] [options]

Joins a Cloud Session with this computer's sources and follows the leader: it inventories its sources when the
leader starts an inventory, runs its share of every synchronization (the actions whose target is one of its
sources, pulling blocks from their owners) and serves its own files to the others. It prints the members, the safety
words (compare them with the others'), progress and every member's result, and stays until the session ends or
Ctrl-C. Ctrl-C leaves at once; a copy under way is abandoned, its staged file removed, nothing half-written.

Options:
  --password <password>            the session password (or in the invite link, or $QUINTET_PASSWORD)
  --local-changes keep|revert      when the leader made this member receive only: its own changes do not spread and
                                   are listed after each run; keep them (default) or revert them at once (the others'
                                   state comes back, what it replaces goes to versions)
${COMMON_OPTIONS_HELP}

Exit codes: 0 the session ended and every run was done, 3 some items failed or were skipped in the last run (or
one of its folders could not be flushed to disk), 1 failed, 2 could not start (bad arguments, wrong password, no such
session, server unreachable), 130 Ctrl-C.`;

interface JoinArgs {
  sessionId: string;
  password: string;
  sources: string[];
  server?: string;
  name?: string;
  localChanges: LocalChangesPolicy;
  /** false with --no-fsync. */
  fsync: boolean;
}

export function parseJoinArgs(argv: string[], env: CliIo['env']): JoinArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...COMMON_OPTIONS, password: { type: 'string' }, 'local-changes': { type: 'string' } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help) return 'help';
  if (positionals.length !== 1) throw new UsageError(msg('join.one'));
  const given = positionals[0] as string;
  const link = given.includes('#') || given.includes('join=') ? parseInviteLink(given) : null;
  if ((given.includes('#') || given.includes('join=')) && !link) throw new UsageError(msg('join.notLink', { given }));
  const sessionId = link?.sessionId ?? normalizeSessionId(given);
  if (!sessionId) throw new UsageError(msg('join.notId', { given }));
  const typed = v.password ?? link?.password ?? env.QUINTET_PASSWORD;
  if (typed === undefined) throw new UsageError(msg('join.noPassword'));
  const password = normalizePassword(typed);
  if (!password) throw new UsageError(msg('join.badPassword'));
  const localChanges = v['local-changes'] ?? 'keep';
  if (!(LOCAL_CHANGES_POLICIES as readonly string[]).includes(localChanges)) throw new UsageError(msg('join.localChanges', { value: localChanges }));
  return { sessionId, password, sources: v.source ?? [], server: v.server, name: v.name, localChanges: localChanges as LocalChangesPolicy, fsync: v['no-fsync'] !== true };
}

export async function runJoin(argv: string[], io: CliIo): Promise<ExitCode> {
  const args = parseJoinArgs(argv, io.env);
  if (args === 'help') {
    io.out(await helpText('join', JOIN_HELP));
    return EXIT.done;
  }
  const server = serverOf(args.server, io.env);
  const ports = memberPortsFor(server, deviceNameOf(args.name), io, { observe: true });
  printUdpBufferHint(io);
  let member: CloudMember | null = null;
  let follow: { stop(): void } | null = null;
  let local: ReturnType<typeof followLocalChanges> | null = null;
  try {
    const sources = await openSources(args.sources, ports, io, { fsync: args.fsync });
    member = await CloudMember.join(ports.ports, { sessionId: args.sessionId, password: args.password }).catch((error: unknown) => {
      throw startFailure(error, server);
    });
    follow = followSession(member, io, server, appUrlFor(server));
    local = followLocalChanges(member, args.localChanges, io);
    member.setSources(sources);
    io.out(msg('join.joined'));
    let last: RunResultMessage | null = null;
    const m = member;
    m.run.on('result', (from, result) => {
      if (from === m.session.self) last = result;
    });
    try {
      await until(m, () => (m.session.phase === 'ended' ? true : undefined), io.signal);
    } catch (error) {
      if (error instanceof Interrupted) return EXIT.interrupted;
      throw error;
    }
    await local.settled();
    io.out(msg('join.ended'));
    return last && hasIssues(last) ? EXIT.doneWithIssues : EXIT.done;
  } finally {
    follow?.stop();
    local?.stop();
    await member?.exit().catch(() => undefined);
    await ports.dispose();
  }
}
