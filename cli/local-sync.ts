/**
 * One Local Session on this machine, from opening the folders to keeping metadata and indexes: the steps `quintet
 * local` prints and `quintet run` records (cli/run-local.ts), written once.
 */
import { realpath } from 'node:fs/promises';
import { platform } from 'node:os';
import type { DirSink } from '../core/ports.ts';
import type { Plan, Preset } from '../core/plan/types.ts';
import type { Rule } from '../core/plan/rules-types.ts';
import type { TargetTraits } from '../core/names/names.ts';
import type { Inventory } from '../core/inventory/types.ts';
import type { Comparison } from '../core/compare/types.ts';
import type { StagedLeftovers } from '../core/versions/staging.ts';
import type { RunResult } from '../core/transfer/types.ts';
import { createLocalSession } from '../core/local/local-session.ts';
import { DEFAULT_SETTINGS, type SessionSettings } from '../core/settings/settings.ts';
import { recordWritten } from '../core/inventory/index-cache.ts';
import { NodeDirSink } from '../adapters/node/node-dir-sink.ts';
import { NodeHasher } from '../adapters/node/node-hasher.ts';
import { FileStore, defaultStateDir } from '../adapters/node/file-store.ts';
import { keepMetadata, planMetadata } from '../adapters/node/keep-metadata.ts';
import { keepReads } from '../adapters/node/read-again.ts';
import { UsageError } from './exit-codes.ts';
import { msg } from './i18n.ts';
import type { CliIo } from './io.ts';
import { createProgress } from './progress.ts';
import { openDirs } from './open-dir.ts';

export interface LocalSyncRequest {
  dirs: readonly string[];
  preset?: 'mirror' | 'update' | 'two-way';
  /** Mirror and Update (default A1 → A2). */
  from?: string;
  to?: string;
  /** Instead of a preset: rules over the comparison (core/plan/rules-types.ts). */
  rules?: readonly Rule[];
  /** Session settings on top of the defaults (validated by the session). */
  settings?: Record<string, unknown>;
  /** false (`--no-fsync`): nothing written is synced to disk (faster; a power cut may leave empty files). */
  fsync?: boolean;
}

/** Where the caller looks in: each step's result as it comes, and the go-ahead before anything is written. */
export interface LocalSyncHooks {
  source?(code: string, sink: NodeDirSink): void;
  /** `leftovers`: files an interrupted writer left in each folder's `.quintet/tmp/`, counted at the inventory. */
  inventoried?(inventories: readonly Inventory[], comparison: Comparison, leftovers: Readonly<Record<string, StagedLeftovers>>): void;
  /** Resolves false to stop before synchronizing (nothing written). */
  planned?(plan: Plan, label: string, inventories: readonly Inventory[]): Promise<boolean>;
}

export type KeptMetadata = Awaited<ReturnType<typeof keepMetadata>>;

export type LocalSyncEnd =
  | { kind: 'stopped-in-inventory' }
  /** No preset and no rules: the comparison only. */
  | { kind: 'compared'; inventories: readonly Inventory[]; comparison: Comparison }
  | { kind: 'declined'; plan: Plan; inventories: readonly Inventory[] }
  | { kind: 'synchronized'; plan: Plan; label: string; result: RunResult; kept: KeptMetadata; inventories: readonly Inventory[] };

/**
 * Small files copied at once: each durable copy waits on its fdatasync in libuv's pool (64 threads: cli/quintet.cjs),
 * and the file system commits the syncs that wait together in one journal commit. 16, the engine's default, made ext4
 * commit every ~4 files; 64 every ~20-30 (bench/README.md, "Local mirror", 2026-11-30 22:46). Bytes in flight stay
 * bounded (64 × 256 KiB).
 */
const SMALL_COPIES = 64;

/** What the targets' file system refuses, as far as the platform tells. */
function platformTraits(): TargetTraits {
  const p = platform();
  return { caseInsensitive: p === 'darwin' || p === 'win32', windows: p === 'win32' };
}

/** Runs the session; throws UsageError for what keeps it from starting (a folder that cannot be opened, bad settings). */
export async function localSync(request: LocalSyncRequest, io: CliIo, hooks: LocalSyncHooks = {}): Promise<LocalSyncEnd> {
  const sinks = new Map<string, NodeDirSink>();
  const store = new FileStore(defaultStateDir(io.env));
  const hasher = new NodeHasher();
  // No worker started ahead: small files are hashed here (node-hasher.ts); the first larger one starts it.
  const session = createLocalSession({ hasher, store, clock: io.clock, letter: 'A', targetTraits: platformTraits(), smallCopyConcurrency: SMALL_COPIES });
  const progress = createProgress(io);
  try {
    if (request.settings) {
      const issues = session.setSettings({ ...DEFAULT_SETTINGS, exclusionPatterns: [], ...request.settings } as SessionSettings);
      if (issues.length > 0) throw new UsageError(msg('local.settingsRefused', { issues: issues.map((i) => `${i.field}: ${i.code}`).join('; ') }));
    }
    for (const [i, { dir, sink, id }] of (await openDirs(request.dirs, store, { fsync: request.fsync })).entries()) {
      sinks.set(`A${i + 1}`, sink);
      const wrapped: DirSink = io.wrapSink ? io.wrapSink(sink, dir) : sink;
      session.addSource({ source: wrapped, id });
      hooks.source?.(`A${i + 1}`, sink);
    }
    // The copies read again what the inventory just read: small files' bytes are kept meanwhile (read-again.ts).
    keepReads(true);
    session.on('inventory.progress', (p) => progress.inventory(p));
    session.on('sync.progress', (p) => progress.sync(p));
    try {
      await session.runInventory({ signal: io.signal });
    } catch (error) {
      if (io.signal.aborted) return { kind: 'stopped-in-inventory' };
      throw error;
    }
    progress.stop();
    const inventories = session.inventories;
    const comparison = session.comparison;
    if (!comparison) throw new Error('no comparison after the inventory');
    hooks.inventoried?.(inventories, comparison, session.leftovers);
    if (!request.preset && !request.rules) return { kind: 'compared', inventories, comparison };

    const from = request.from ?? 'A1';
    const to = request.to ?? (from === 'A2' ? 'A1' : 'A2');
    let plan: Plan;
    let label: string;
    let direction: { from: string; to: string } | undefined;
    if (request.preset) {
      const preset: Preset = request.preset === 'two-way' ? { kind: 'two-way' } : { kind: request.preset, from, to };
      label = preset.kind === 'two-way' ? msg('preset.twoWay') : msg(preset.kind === 'mirror' ? 'preset.mirror' : 'preset.update', { from, to });
      direction = preset.kind === 'two-way' ? undefined : { from, to };
      plan = session.planPreset(preset);
    } else {
      label = msg('preset.rules');
      plan = session.planRules({ rules: request.rules ?? [], targeted: [] });
    }
    if (hooks.planned && !(await hooks.planned(plan, label, inventories))) return { kind: 'declined', plan, inventories };

    planMetadata(plan, sinks);
    const result = await session.synchronize(plan, { signal: io.signal });
    const itemsOf = (code: string) => inventories.find((i) => i.source === code)?.items ?? [];
    progress.stop();
    const kept = await keepMetadata({
      sinks, applied: result.applied ?? [], written: result.written ?? [],
      direction: !direction || result.cancelled ? undefined : { ...direction, items: itemsOf(direction.from), targetItems: itemsOf(direction.to) },
    });
    // The index learns the times just set, so the next inventory of the targets hashes nothing again.
    for (const [code, sink] of sinks) {
      const files = kept.written.filter((w) => w.target === code);
      if (files.length > 0) await recordWritten(store, await realpath(sink.root), files).catch(() => undefined);
    }
    return { kind: 'synchronized', plan, label, result, kept, inventories };
  } finally {
    keepReads(false);
    progress.stop();
    await hasher.dispose();
  }
}
