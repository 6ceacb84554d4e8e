/** The local kind of `quintet run`: a profile's Local Session through localSync (as `quintet local` runs it), as a RunOutcome. */
import type { RunExecutor, RunOutcome } from '../core/unattended/executor.ts';
import type { Rule } from '../core/plan/rules-types.ts';
import { emptyCounts } from '../core/unattended/run-record.ts';
import { localShare, planRefusal } from '../core/unattended/record-from-result.ts';
import type { CliIo } from './io.ts';
import { localSync, type LocalSyncEnd } from './local-sync.ts';
import { comparisonLine, inventoryLines, leftoverLines, planLines, resultLines } from './report.ts';
import { msg } from './i18n.ts';

/** What the end of a Local Session becomes in the record: counts per action kind, bytes, every item left out. */
export function outcomeOf(end: LocalSyncEnd): RunOutcome {
  const outcome: RunOutcome = { present: [], missing: [], counts: emptyCounts(), perMember: [], bytes: 0, errors: [] };
  if (end.kind !== 'synchronized') return outcome;
  const { counts, errors } = localShare(end.plan, end.result);
  // What only the Node member does: times and modes kept after the copy (a failure there is listed, not counted).
  const kept = end.kept.failures.map((f) => ({ source: f.target, path: f.path, reason: `could not keep time or mode: ${f.message}` }));
  // A plan refused as a whole ran nothing: failed with the reason, never an ok of zero actions.
  const refusal = planRefusal(end.plan);
  return { ...outcome, counts, bytes: end.result.bytesWritten, errors: [...errors, ...kept], ...(refusal ? { status: 'failed' as const, message: refusal } : {}) };
}

/** Runs a local profile: sources A1, A2 … in the profile's order, its preset (or rules) and settings, no question asked. */
export function localExecutor(io: CliIo): RunExecutor {
  return {
    async execute(profile, ctx) {
      if (profile.kind !== 'local') throw new Error(`a ${profile.kind} profile given to the local executor`);
      const end = await localSync(
        { dirs: profile.sources, preset: profile.preset, from: profile.from, to: profile.to, rules: profile.rules as Rule[] | undefined, settings: profile.settings },
        io,
        {
          source: (code, sink) => ctx.log(msg(sink.rootKind === 'file' ? 'local.sourceFile' : 'local.source', { code, root: sink.root })),
          inventoried: (inventories, comparison, leftovers) => {
            for (const line of inventoryLines(inventories)) ctx.log(line);
            for (const line of leftoverLines(leftovers)) ctx.log(line);
            ctx.log(comparisonLine(comparison));
          },
          planned: async (plan, label, inventories) => {
            for (const line of planLines(plan, label, inventories)) ctx.log(line);
            return !ctx.signal.aborted;
          },
        },
      );
      if (end.kind === 'synchronized') for (const line of resultLines(end.result, end.inventories)) ctx.log(line);
      return outcomeOf(end);
    },
  };
}
