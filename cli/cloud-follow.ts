/** What a terminal member prints while in a Cloud Session: members, safety words, password, and every run's progress and results. */
import type { CloudMember } from '../core/cloud/member.ts';
import type { LeftOutWhy } from '../core/continuous/left-out.ts';
import type { CloudMemberView } from '../core/cloud/cloud-session-types.ts';
import type { RunResultMessage, UndoResultMessage } from '../core/protocol/run-messages.ts';
import type { ResolvedPlan } from '../core/cloud/run/cloud-run-plan.ts';
import { buildInviteLink } from '../core/crypto/invite.ts';
import { writtenPath } from '../core/plan/skipped.ts';
import type { CliIo } from './io.ts';
import { createProgress } from './progress.ts';
import { comparisonLine, refusalLine } from './report.ts';
import { capped, formatBytes, formatDuration } from './format.ts';
import { CloseCode } from '../core/protocol/close-codes.ts';
import { msg } from './i18n.ts';
import { fsErrorText } from './fs-error-text.ts';

/** "B office" for a member id, as the page's blocks title them. */
export function memberLabel(members: readonly CloudMemberView[], id: string): string {
  const m = members.find((x) => x.id === id);
  return m ? msg(m.self ? 'cloud.labelSelf' : 'cloud.label', { letter: m.letter, name: m.name || msg('cloud.noName') }) : id;
}

/** One member's result, with each failure's path and reason (the action as this member resolved the plan). */
export function resultLines(label: string, result: RunResultMessage, plan: ResolvedPlan | null): string[] {
  const head = msg(result.stopped ? 'cloud.resultStopped' : 'cloud.result', { label, done: result.done.length, failed: result.failed.length, skipped: result.skipped.length, bytes: formatBytes(result.bytes), duration: formatDuration(result.ms) });
  const where = (i: number) => {
    const action = plan?.actions[i];
    return action ? `${action.target} ${writtenPath(action)}` : msg('cloud.action', { i });
  };
  const lines = [head];
  if (result.denied?.length) lines.push(msg('cloud.denied', { sources: result.denied.join(', ') }));
  for (const u of result.unflushed ?? []) lines.push(msg('cloud.unflushed', { source: u.source, message: u.message }));
  if (result.kept) lines.push(msg('cloud.kept', { times: result.kept.times, modes: result.kept.modes }));
  lines.push(...capped(result.failed.map((f) => msg('cloud.failed', { where: where(f.i), error: fsErrorText(f.code, f.message) }))));
  if (!result.stopped) lines.push(...capped(result.skipped.map((i) => msg('cloud.skipped', { where: where(i) }))));
  return lines;
}

/**
 * A source rounds now leave out (`why`) or that is back (null), as every member prints it once: continuous rounds, or
 * (`continuous` false) the leader's rounds by hand, whose Two-way with two sources is then refused and never sent.
 */
export function leftOutLine(source: string, why: LeftOutWhy | null, continuous = true): string {
  const at = continuous ? 'continuous' : 'cloud';
  return why ? msg(`${at}.leftOut.${why}`, { source }) : msg(`${at}.back`, { source });
}

/** A member whose result the others stopped awaiting: its `actions` (the plan's on its folders) are not confirmed. */
export function silentSyncLine(label: string, actions: number): string {
  return msg('cloud.silentSync', { label, actions });
}

/** One member's outcome of the leader's undo order: per folder what was put back, removed and left alone (and why). */
/** The sources the leader's plan left out as emptied (a disk not mounted?), worded as the leader's own report words them. */
export function emptiedLines(plan: ResolvedPlan): string[] {
  return plan.emptied.map((code) => refusalLine({ path: '', reason: 'emptied', detail: code }, []));
}

export function undoLines(label: string, m: UndoResultMessage): string[] {
  if (m.busy) return [msg('cloud.undoBusy', { label })];
  const sum = (f: (s: UndoResultMessage['sources'][number]) => number) => m.sources.reduce((n, s) => n + f(s), 0);
  const lines = [msg('cloud.undo', { label, restored: sum((s) => s.restored.length), removed: sum((s) => s.removed.length), leftAlone: sum((s) => s.leftAlone.length) })];
  for (const s of m.sources) {
    if (s.error) lines.push(`  ${s.code}: ${s.error}`);
    lines.push(...capped(s.leftAlone.map((l) => msg('cloud.undoLeftAlone', { code: s.code, path: l.path, reason: l.reason }))));
    if (s.more > 0) lines.push(msg('cloud.undoMore', { more: s.more, code: s.code }));
  }
  return lines;
}

/** Whether a result leaves something undone or not durable (exit code 3). */
export const hasIssues = (r: RunResultMessage): boolean => r.failed.length > 0 || r.skipped.length > 0 || Boolean(r.stopped) || (r.unflushed?.length ?? 0) > 0;

/**
 * Prints the session's life on `io` until `stop()`; the leader's own steps are printed by create.ts. A standing group's
 * run (`secrets: false`) prints neither its rendezvous nor its password: unattended logs are read by others.
 */
/** ` (RateLimited)` for a close code the server uses, else nothing. */
const closeName = (code: number): string => {
  const name = Object.entries(CloseCode).find(([, c]) => c === code)?.[0];
  return name ? ` (${name})` : '';
};

/** What the CLI prints when the signaling server goes out of reach and comes back (docs/cli.md), in the command's language. */
export const SIGNAL_LINES = {
  get offline() {
    return msg('cloud.signalOffline');
  },
  get rehoming() {
    return msg('cloud.signalRehoming');
  },
  get online() {
    return msg('cloud.signalOnline');
  },
};

/**
 * After this member's inventory of a round started by hand: its sources walked only where their observer reported
 * changes (docs/protocol.md §3.1), as the page's hint says it; null when every source was walked whole.
 */
export function observedLine(member: CloudMember): string | null {
  const codes = member.run.observedOnly;
  return codes.length > 0 ? msg('cloud.observed', { codes: codes.join(', ') }) : null;
}

export function followSession(member: CloudMember, io: CliIo, server: string, appUrl: string, secrets = true): { stop(): void } {
  const { session, run } = member;
  const progress = createProgress(io);
  const selfLetter = () => session.members.find((m) => m.self)?.letter ?? '?';
  const printSecrets = () => secrets && io.out(`Password:     ${session.password}\nInvite link:  ${buildInviteLink(appUrl, session.sessionId, session.password)}`);
  // `Session ID:` and `Password:` are read by tests and scripts: English in both languages.
  io.out(secrets ? `Session ID:   ${session.sessionId}  (server ${server})` : msg('cloud.groupRun', { server }));
  printSecrets();

  let words = '';
  const showWords = (list: readonly string[]) => {
    const now = list.join(' ');
    if (now === '' || now === words) return;
    io.out(msg(words === '' ? 'cloud.safetyWords' : 'cloud.safetyWordsChanged', { words: now }));
    words = now;
  };
  let roster = '';
  const showMembers = (members: readonly CloudMemberView[]) => {
    const line = members
      .map((m) => `${m.letter} ${m.name || '…'}${m.self ? '*' : ''}${m.connected ? '' : msg('cloud.connecting')}${m.sources.length ? ` [${m.sources.map((s, i) => `${m.letter}${i + 1} ${s.name}`).join(', ')}]` : ''}`)
      .join(' | ');
    if (line !== roster) io.out(msg('cloud.members', { members: line }));
    roster = line;
  };
  showWords(session.safetyWords);
  showMembers(session.members);

  // Test- and bench-only (docs/cli.md): what this member's data channels carried, sealed frames as the wire counts them.
  const channelBytes = (when: string): void => {
    if (!io.env.QUINTET_TEST_CHANNEL_STATS) return;
    void session.mesh.stats().then((all) => {
      const sum = Object.values(all).reduce((s, c) => ({ received: s.received + c.bytesReceived, sent: s.sent + c.bytesSent }), { received: 0, sent: 0 });
      io.out(`Channel bytes at ${when}: received ${sum.received}, sent ${sum.sent}`);
    });
    // Per lane (core/mesh/lanes.ts): `0` the first channel, `in-<n>` lanes a peer opened; counted by the mesh as messages
    // arrive, so a peer that left since still counts.
    io.out(`Lanes received at ${when}: ${Object.entries(session.mesh.received).map(([lane, n]) => `${lane} ${n}`).join(', ')}`);
  };
  const plans = new Map<string, ResolvedPlan>();
  /** Whether the current inventory is a round by hand (not a continuous round's `changed`). */
  let byHand = true;
  const offs = [
    session.on('safety.changed', showWords),
    session.on('members.changed', showMembers),
    session.on('password.changed', () => {
      io.out(msg('cloud.passwordChanged'));
      printSecrets();
    }),
    session.on('member.dropped', (id, reason) => io.err(msg('cloud.memberDropped', { member: memberLabel(session.members, id), reason }))),
    session.on('signal.changed', (state) => io.out(SIGNAL_LINES[state])),
    // The server let go of this member (its slot is gone, so it cannot come back): say which close it was.
    session.on('ended', (_reason, code) => code !== undefined && io.err(msg('cloud.serverClosed', { code: String(code), name: closeName(code) }))),
    session.on('refused', (from, type, refusal) => io.err(msg('cloud.refused', { type, member: memberLabel(session.members, from), refusal }))),
    session.on('dropped', (from, reason) => io.err(msg('cloud.droppedMessage', { member: memberLabel(session.members, from), reason }))),
    // A lane lost is worth a line (its pieces are asked again on the others); the rest of a lane's life only when asked.
    session.mesh.on('lane', (peer, lane, what, detail) => {
      if (what !== 'lost' && !io.env.QUINTET_DEBUG_LANES) return;
      // English in both languages, as the channel statistics: benches and e2e read these lines (docs/cli.md).
      io.err(`${new Date().toISOString()} lane ${lane} with ${memberLabel(session.members, peer)}: ${what}${detail ? ` (${detail})` : ''}`);
    }),
    session.on('run.command', (command, _run, scope) => {
      if (command === 'start-inventory') byHand = scope !== 'changed';
      io.out(msg(command === 'start-inventory' ? 'cloud.inventoryStarted' : 'cloud.syncStarted'));
      if (command === 'start-sync') channelBytes('start');
    }),
    session.on('run.reset', () => {
      progress.stop();
      io.out(msg('cloud.reset'));
    }),
    run.on('progress', (from, p) => {
      if (from !== session.self) return;
      if (p.stage === 'inventory') {
        progress.inventory({ source: selfLetter(), files: p.files, bytes: p.bytes, hashedBytes: p.bytes, rate: p.rate, done: p.done });
        // A continuous round walks by its own notes (§12): what the observer allowed is said of rounds by hand only.
        const observed = p.done && byHand ? observedLine(member) : null;
        if (observed) io.out(observed);
      } else progress.sync({ actionsDone: p.files, actionsTotal: p.filesTotal, bytesDone: p.bytes, bytesTotal: p.bytesTotal, rate: p.rate });
    }),
    run.on('comparison.ready', (comparison) => {
      progress.stop();
      io.out(comparisonLine(comparison));
    }),
    run.on('plan', (plan) => {
      const mine = plan.actions.filter((a) => a && a.target.startsWith(selfLetter())).length;
      const s = plan.summary;
      io.out(msg('cloud.plan', { copies: s.copies, directories: s.directories, deletions: s.deletions, bytes: formatBytes(s.bytes), mine }));
      plans.set('current', plan);
      // The leader's own report already lists them (cloud-lead.ts): the others learn it from the plan (and A's `left-out`).
      if (!session.isLeader) for (const line of emptiedLines(plan)) io.out(line);
    }),
    run.on('result', (from, result) => {
      if (from === session.self) progress.stop();
      for (const line of resultLines(memberLabel(session.members, from), result, run.resolved ?? plans.get('current') ?? null)) io.out(line);
      if (from === session.self) channelBytes('result');
    }),
    run.on('problem', (reason) => io.err(msg('cloud.problem', { reason }))),
    // A member whose result the round stopped awaiting (core/cloud/run/silence.ts); one left out of an inventory is
    // said by the `left-out` line of its sources, below.
    run.on('member.silent', (id, step) => {
      const letter = session.members.find((m) => m.id === id)?.letter;
      if (step === 'sync') io.err(silentSyncLine(memberLabel(session.members, id), run.resolved?.targets.filter((t) => t[0] === letter).length ?? 0));
    }),
    // A source rounds leave out (or back): once per change, on every member (core/continuous/left-out.ts).
    member.continuous.on('left-out', (source, why) => (why ? io.err : io.out)(leftOutLine(source, why, member.continuous.enabled))),
    // The leader's "Undo last run": this member undoes its own folders (core/cloud/run/cloud-undo.ts); every outcome is printed.
    run.on('undo-result', (from, m) => {
      for (const line of undoLines(memberLabel(session.members, from), m)) io.out(line);
    }),
  ];
  return {
    stop() {
      progress.stop();
      for (const off of offs) off();
    },
  };
}
