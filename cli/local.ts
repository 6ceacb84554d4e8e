/** `quintet local`: a Local Session on this machine, driven as the page drives it (core/local/local-session.ts). */
import { parseArgs } from 'node:util';
import { realpath } from 'node:fs/promises';
import { platform } from 'node:os';
import type { DirSink } from '../core/ports.ts';
import type { Preset } from '../core/plan/types.ts';
import type { TargetTraits } from '../core/names/names.ts';
import { createLocalSession } from '../core/local/local-session.ts';
import { recordWritten } from '../core/inventory/index-cache.ts';
import { NodeDirSink } from '../adapters/node/node-dir-sink.ts';
import { NodeHasher } from '../adapters/node/node-hasher.ts';
import { FileStore, defaultStateDir } from '../adapters/node/file-store.ts';
import { keepMetadata, planMetadata } from '../adapters/node/keep-metadata.ts';
import { EXIT, UsageError, type ExitCode } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { createProgress } from './progress.ts';
import { openDirs } from './open-dir.ts';
import { comparisonLine, inventoryLines, planLines, resultLines } from './report.ts';

export const LOCAL_HELP = `Usage: quintet local <dir> <dir> [<dir> …] [options]

Synchronizes folders (or single files, as sources) on this machine: inventory, comparison, plan, confirmation,
synchronization, result. The sources are A1, A2 … in the order given.

Options:
  --preset mirror|update|two-way   what to do; without it, only the comparison is shown
  --from <code> --to <code>        Mirror and Update: from which source to which (default A1 → A2)
  -y, --yes                        start without asking (needed when not on a terminal)
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
}

export function parseLocalArgs(argv: string[]): LocalArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { preset: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, yes: { type: 'boolean', short: 'y' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length < 2) throw new UsageError('quintet local needs at least two folders');
  if (positionals.length > 26) throw new UsageError('quintet local takes at most 26 sources');
  const preset = values.preset;
  if (preset !== undefined && preset !== 'mirror' && preset !== 'update' && preset !== 'two-way') throw new UsageError(`unknown preset "${preset}" (mirror, update or two-way)`);
  if ((values.from !== undefined || values.to !== undefined) && preset !== 'mirror' && preset !== 'update') throw new UsageError('--from and --to go with --preset mirror or update');
  const codes = positionals.map((_, i) => `A${i + 1}`);
  for (const code of [values.from, values.to]) if (code !== undefined && !codes.includes(code)) throw new UsageError(`unknown source "${code}" (the sources are ${codes.join(', ')})`);
  return { dirs: positionals, preset, from: values.from, to: values.to, yes: values.yes ?? false };
}

/** What the targets' file system refuses, as far as the platform tells. */
function platformTraits(): TargetTraits {
  const p = platform();
  return { caseInsensitive: p === 'darwin' || p === 'win32', windows: p === 'win32' };
}

export async function runLocal(argv: string[], io: CliIo): Promise<ExitCode> {
  const args = parseLocalArgs(argv);
  if (args === 'help') {
    io.out(LOCAL_HELP);
    return EXIT.done;
  }
  if (args.preset && !args.yes && !io.interactive) throw new UsageError('not on a terminal: add --yes to synchronize without a confirmation');

  const sinks = new Map<string, NodeDirSink>();
  const store = new FileStore(defaultStateDir(io.env));
  const hasher = new NodeHasher();
  const session = createLocalSession({ hasher, store, clock: io.clock, letter: 'A', targetTraits: platformTraits() });
  for (const [i, { dir, sink, id }] of (await openDirs(args.dirs, store)).entries()) {
    sinks.set(`A${i + 1}`, sink);
    const wrapped: DirSink = io.wrapSink ? io.wrapSink(sink, dir) : sink;
    session.addSource({ source: wrapped, id });
    io.out(`A${i + 1}  ${sink.root}${sink.rootKind === 'file' ? ' (file)' : ''}`);
  }

  const progress = createProgress(io);
  try {
    session.on('inventory.progress', (p) => progress.inventory(p));
    session.on('sync.progress', (p) => progress.sync(p));
    try {
      await session.runInventory({ signal: io.signal });
    } catch (error) {
      progress.stop();
      if (io.signal.aborted) {
        io.err('Stopped during the inventory: nothing was changed.');
        return EXIT.interrupted;
      }
      throw error;
    }
    progress.stop();
    const inventories = session.inventories;
    const comparison = session.comparison;
    if (!comparison) throw new Error('no comparison after the inventory');
    for (const line of inventoryLines(inventories)) io.out(line);
    io.out(comparisonLine(comparison));
    const unread = inventories.some((i) => i.errors.length > 0);
    if (!args.preset) {
      io.out('No --preset: nothing synchronized (mirror, update or two-way).');
      return unread ? EXIT.doneWithIssues : EXIT.done;
    }

    const from = args.from ?? 'A1';
    const to = args.to ?? (from === 'A2' ? 'A1' : 'A2');
    const preset: Preset = args.preset === 'two-way' ? { kind: 'two-way' } : { kind: args.preset, from, to };
    const label = preset.kind === 'two-way' ? 'Two-way' : `${preset.kind === 'mirror' ? 'Mirror' : 'Update'} ${from} → ${to}`;
    const plan = session.planPreset(preset);
    for (const line of planLines(plan, label, inventories)) io.out(line);
    if (plan.actions.length > 0 && !args.yes && !(await io.confirm('Start synchronization?'))) {
      io.out('Nothing synchronized.');
      return io.signal.aborted ? EXIT.interrupted : EXIT.done;
    }
    if (io.signal.aborted) return EXIT.interrupted;

    planMetadata(plan, sinks);
    const result = await session.synchronize(plan, { signal: io.signal });
    const itemsOf = (code: string) => inventories.find((i) => i.source === code)?.items ?? [];
    progress.stop();
    const kept = await keepMetadata({
      sinks, applied: result.applied ?? [], written: result.written ?? [],
      direction: preset.kind === 'two-way' || result.cancelled ? undefined : { from, to, items: itemsOf(from), targetItems: itemsOf(to) },
    });
    // The index learns the times set after the run (the run recorded the others), so the next inventory hashes nothing again.
    for (const [code, sink] of sinks) {
      const files = kept.written.filter((w) => w.target === code);
      if (files.length > 0) await recordWritten(store, await realpath(sink.root), files).catch(() => undefined);
    }
    for (const line of resultLines(result, inventories)) io.out(line);
    if (kept.files + kept.directories > 0) io.out(`Kept modification times and permission bits of ${kept.files} files and ${kept.directories} directories.`);
    for (const f of kept.failures) io.out(`  could not keep time or mode of ${f.target} ${f.path}: ${f.message}`);
    // Ctrl-C during the run is an interruption even when every action was already under way and finished.
    if (result.cancelled || io.signal.aborted) return EXIT.interrupted;
    return result.failures.length > 0 || (result.skipped?.length ?? 0) > 0 || kept.failures.length > 0 ? EXIT.doneWithIssues : EXIT.done;
  } finally {
    progress.stop();
    await hasher.dispose();
  }
}
