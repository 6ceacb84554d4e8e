/** The local kind of `quintet run`: a profile's Local Session through localSync (as `quintet local` runs it), as a RunOutcome. */
import type { RunExecutor, RunOutcome } from '../core/unattended/executor.ts';
import type { RunError } from '../core/unattended/run-record.ts';
import type { Rule } from '../core/plan/rules-types.ts';
import { emptyCounts } from '../core/unattended/run-record.ts';
import { writtenPath } from '../core/plan/skipped.ts';
import type { CliIo } from './io.ts';
import { localSync, type LocalSyncEnd } from './local-sync.ts';
import { comparisonLine, inventoryLines, planLines, refusalReason, resultLines } from './report.ts';

const SOURCE_CODE = /^[A-Z]\d+$/;

/** What the end of a Local Session becomes in the record: counts per action kind, bytes, every item left out. */
export function outcomeOf(end: LocalSyncEnd): RunOutcome {
  const outcome: RunOutcome = { present: [], missing: [], counts: emptyCounts(), perMember: [], bytes: 0, errors: [] };
  if (end.kind !== 'synchronized') return outcome;
  const { plan, result, kept, inventories } = end;
  const skipped = result.skipped ?? [];
  for (const a of plan.actions) outcome.counts.byAction[a.type] = (outcome.counts.byAction[a.type] ?? 0) + 1;
  outcome.counts = { ...outcome.counts, planned: plan.actions.length, done: result.done, failed: result.failures.length, skipped: skipped.length };
  outcome.bytes = result.bytesWritten;
  const errors: RunError[] = [
    ...result.failures.map((f) => ({ source: f.action.target, path: writtenPath(f.action), reason: `${f.code}: ${f.message}` })),
    ...skipped.map((r) => ({ ...(r.detail && SOURCE_CODE.test(r.detail) ? { source: r.detail } : {}), path: r.path, reason: `skipped: ${refusalReason(r, inventories)}` })),
    ...kept.failures.map((f) => ({ source: f.target, path: f.path, reason: `could not keep time or mode: ${f.message}` })),
    ...(result.unrecorded ?? []).map((u) => ({ source: u.target, path: '', reason: `run manifest not written (this run cannot be undone there): ${u.message}` })),
  ];
  outcome.errors = errors;
  return outcome;
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
          source: (code, sink) => ctx.log(`${code}  ${sink.root}${sink.rootKind === 'file' ? ' (file)' : ''}`),
          inventoried: (inventories, comparison) => {
            for (const line of inventoryLines(inventories)) ctx.log(line);
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
