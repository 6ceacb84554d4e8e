/** The leader's one synchronization, shared by `quintet create --preset` and a standing group's hub: inventory, plan, sync, results. */
import type { CloudMember } from '../core/cloud/member.ts';
import type { Plan } from '../core/plan/types.ts';
import type { RunResultMessage } from '../core/protocol/run-messages.ts';
import type { CliIo } from './io.ts';
import { Interrupted, until } from './cloud-wait.ts';
import { planLines } from './report.ts';
import { msg } from './i18n.ts';

/**
 * How a round ended: every member's result (`silent`: members whose result was no longer awaited, their actions not
 * confirmed: docs/protocol.md §10.10), a member left (the session reset: start again), or Ctrl-C / stop.
 */
export type LeadOutcome =
  | { kind: 'done'; plan: Plan; results: Map<string, RunResultMessage>; silent: string[] }
  | { kind: 'reset' }
  | { kind: 'interrupted'; plan: Plan | null };

/**
 * Once the members are in: inventory on every member, the plan `makePlan` draws from the comparison (printed as
 * `label`), the synchronization, and every member's result. A member leaving at any point resets the round.
 */
export async function leadOnce(member: CloudMember, makePlan: () => Plan, label: string, io: CliIo, signal: AbortSignal): Promise<LeadOutcome> {
  const { session, run } = member;
  let resets = 0;
  const off = session.on('run.reset', () => resets++);
  const reset = () => (resets > 0 ? 'reset' : undefined);
  try {
    await member.startInventory();
    const compared = await until(member, () => reset() ?? (run.state === 'compared' && run.comparison ? 'compared' : undefined), signal).catch(interrupted);
    if (compared === 'interrupted') return { kind: 'interrupted', plan: null };
    if (compared === 'reset') return { kind: 'reset' };
    const plan = makePlan();
    for (const line of planLines(plan, label, [])) io.out(line);
    await run.synchronize(plan);
    const over = () => session.members.every((m) => run.results.has(m.id) || run.silences.members.has(m.id));
    const synced = await until(member, () => reset() ?? (over() ? 'done' : undefined), signal).catch(interrupted);
    if (synced === 'reset') return { kind: 'reset' };
    if (synced === 'interrupted') {
      await stopRun(member, io);
      return { kind: 'interrupted', plan };
    }
    return { kind: 'done', plan, results: new Map(run.results), silent: [...run.silences.members] };
  } finally {
    off();
  }
}

const interrupted = (error: unknown): 'interrupted' => {
  if (error instanceof Interrupted) return 'interrupted';
  throw error;
};

/** Stop mid-sync: every member stops its share (`stop-sync`, nothing half-written); their results are waited for briefly. */
async function stopRun(member: CloudMember, io: CliIo): Promise<void> {
  io.err(msg('lead.stopping'));
  await member.run.stop().catch(() => undefined);
  const quit = new AbortController();
  const timer = setTimeout(() => quit.abort(), 10_000);
  await until(member, () => (member.run.results.size >= member.session.members.length ? true : undefined), quit.signal).catch(() => undefined);
  clearTimeout(timer);
}
