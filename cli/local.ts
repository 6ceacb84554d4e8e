/** `quintet local`: a Local Session on this machine, driven as the page drives it (core/local/local-session.ts). */
import { parseArgs } from 'node:util';
import { EXIT, UsageError, type ExitCode } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { localSync } from './local-sync.ts';
import { helpText, msg } from './i18n.ts';
import { comparisonLine, inventoryLines, leftoverLines, planLines, resultLines } from './report.ts';

export const LOCAL_HELP = `Usage: quintet local <dir> <dir> [<dir> …] [options]

Synchronizes folders (or single files, as sources) on this machine: inventory, comparison, plan, confirmation,
synchronization, result. The sources are A1, A2 … in the order given.

Options:
  --preset mirror|update|two-way   what to do; without it, only the comparison is shown
  --from <code> --to <code>        Mirror and Update: from which source to which (default A1 → A2)
  -y, --yes                        start without asking (needed when not on a terminal)
  --no-fsync                       do not sync written files and folders to disk (faster for many files or large
                                   ones; after a power cut a file just written may be empty or missing)
  -h, --help                       this help

Mirror makes the target equal to the source (deletions included); Update copies what is new or newer and deletes
nothing; Two-way spreads every change since the last two-way run of the same sources, deletions included.
Everything replaced or deleted is kept under <target>/.quintet/versions/<run>/. Copied files keep their
modification time and permission bits. Symbolic links, FIFOs, sockets and devices are skipped and listed.
The index of each folder lives in <folder>/.quintet/index.json; two-way history in $QUINTET_STATE_DIR
(default ~/.local/state/quintet).`;

interface LocalArgs {
  dirs: string[];
  preset?: 'mirror' | 'update' | 'two-way';
  from?: string;
  to?: string;
  yes: boolean;
  /** false with --no-fsync. */
  fsync: boolean;
}

export function parseLocalArgs(argv: string[]): LocalArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { preset: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, yes: { type: 'boolean', short: 'y' }, 'no-fsync': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length < 2) throw new UsageError(msg('local.needTwo'));
  if (positionals.length > 26) throw new UsageError(msg('local.tooMany'));
  const preset = values.preset;
  if (preset !== undefined && preset !== 'mirror' && preset !== 'update' && preset !== 'two-way') throw new UsageError(msg('local.unknownPreset', { preset }));
  if ((values.from !== undefined || values.to !== undefined) && preset !== 'mirror' && preset !== 'update') throw new UsageError(msg('local.fromTo'));
  const codes = positionals.map((_, i) => `A${i + 1}`);
  for (const code of [values.from, values.to]) if (code !== undefined && !codes.includes(code)) throw new UsageError(msg('local.unknownSource', { code, codes: codes.join(', ') }));
  return { dirs: positionals, preset, from: values.from, to: values.to, yes: values.yes ?? false, fsync: values['no-fsync'] !== true };
}

export async function runLocal(argv: string[], io: CliIo): Promise<ExitCode> {
  const args = parseLocalArgs(argv);
  if (args === 'help') {
    io.out(await helpText('local', LOCAL_HELP));
    return EXIT.done;
  }
  if (args.preset && !args.yes && !io.interactive) throw new UsageError(msg('local.notTerminal'));

  const end = await localSync({ dirs: args.dirs, preset: args.preset, from: args.from, to: args.to, fsync: args.fsync }, io, {
    source: (code, sink) => io.out(msg(sink.rootKind === 'file' ? 'local.sourceFile' : 'local.source', { code, root: sink.root })),
    inventoried: (inventories, comparison, leftovers) => {
      for (const line of inventoryLines(inventories)) io.out(line);
      for (const line of leftoverLines(leftovers)) io.out(line);
      io.out(comparisonLine(comparison));
    },
    planned: async (plan, label, inventories) => {
      for (const line of planLines(plan, label, inventories)) io.out(line);
      if (plan.actions.length > 0 && !args.yes && !(await io.confirm(msg('local.confirm')))) {
        io.out(msg('local.nothing'));
        return false;
      }
      return !io.signal.aborted;
    },
  });
  switch (end.kind) {
    case 'stopped-in-inventory':
      io.err(msg('local.stoppedInInventory'));
      return EXIT.interrupted;
    case 'compared':
      io.out(msg('local.noPreset'));
      return end.inventories.some((i) => i.errors.length > 0) ? EXIT.doneWithIssues : EXIT.done;
    case 'declined':
      return io.signal.aborted ? EXIT.interrupted : EXIT.done;
    case 'synchronized': {
      const { result, kept } = end;
      for (const line of resultLines(result, end.inventories)) io.out(line);
      if (kept.files + kept.directories > 0) io.out(msg('local.kept', { files: kept.files, directories: kept.directories }));
      for (const f of kept.failures) io.out(msg('local.keptFailed', { target: f.target, path: f.path, message: f.message }));
      // Ctrl-C during the run is an interruption even when every action was already under way and finished.
      if (result.cancelled || io.signal.aborted) return EXIT.interrupted;
      const issues = result.failures.length > 0 || (result.skipped?.length ?? 0) > 0 || kept.failures.length > 0 || (result.unflushed?.length ?? 0) > 0;
      return issues ? EXIT.doneWithIssues : EXIT.done;
    }
  }
}
