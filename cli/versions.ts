/** `quintet versions`, `quintet restore`, `quintet undo`: a folder's kept versions, through core/versions/. */
import { parseArgs } from 'node:util';
import { FsError } from '../core/errors.ts';
import { NodeDirSink } from '../adapters/node/node-dir-sink.ts';
import { NodeHasher } from '../adapters/node/node-hasher.ts';
import { listRuns, versionsAt, type KeptVersion, type RunInfo, type UnreadableRun } from '../core/versions/catalogue.ts';
import { RestoreError, restoreVersion, versionToRestore } from '../core/versions/restore.ts';
import { lastRun, undoLastRun, type LeftAloneReason } from '../core/versions/undo.ts';
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore, defaultStateDir } from '../adapters/node/file-store.ts';
import { forgetInStoredBase } from '../core/base/base-store.ts';
import { EXIT, UsageError, type ExitCode } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { capped, formatBytes } from './format.ts';
import { helpText, msg } from './i18n.ts';
import { fsErrorText } from './fs-error-text.ts';

export const VERSIONS_HELP = `Usage: quintet versions <dir> [--path <path>]

Lists what Quintet kept in <dir>: its runs, newest first, and for each what it replaced or deleted (path, size,
modification time, kind, and the source its copy came from). Versions live in <dir>/.quintet/versions/<run>/, and
each run's list of what it did in <dir>/.quintet/runs/<run>.json.

Options:
  --path <path>   only the versions of this file or folder (a folder: everything kept in it too)
  -h, --help      this help`;

export const RESTORE_HELP = `Usage: quintet restore <dir> <path> [--run <run>]

Puts a kept version of a file or a folder back at <path> (relative to <dir>): the newest one, or the one run <run>
kept (see quintet versions). Whatever stands at <path> now is kept first, under the restore's own run, so a restore
loses nothing and can itself be undone (quintet undo). The version stays kept.

Options:
  --run <run>   the run whose version to restore (default: the newest that kept one)
  -h, --help    this help`;

export const UNDO_HELP = `Usage: quintet undo <dir> [--yes]

Undoes the last run on <dir> (a synchronization, a restore or an undo): puts back what it replaced or deleted and
moves what it created to the undo's own versions, item by item, only where the item is still exactly what the run
left (content hash checked). Anything changed since is listed and left alone (exit code 3). Nothing is deleted
outright: an undo is a run of its own, so undoing it again brings the run back.

Options:
  -y, --yes    undo without asking (needed when not on a terminal)
  -h, --help   this help`;

type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

function parse(argv: string[], options: Record<string, { type: 'string' | 'boolean'; short?: string }>): Parsed {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...options, help: { type: 'boolean', short: 'h' } } }) as Parsed;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The folder as a sink; a missing folder or a single file cannot hold versions (exit 2). */
async function openFolder(dir: string | undefined, io: CliIo): Promise<NodeDirSink> {
  if (dir === undefined) throw new UsageError(msg('versions.whichFolder'));
  let sink: NodeDirSink;
  try {
    sink = await NodeDirSink.open(dir);
  } catch (error) {
    throw new UsageError(msg('open.cannot', { dir, reason: error instanceof FsError ? `${error.code} (${error.message})` : String(error) }));
  }
  if (sink.rootKind !== 'directory') throw new UsageError(msg('versions.isFile', { dir }));
  return io.wrapSink ? (io.wrapSink(sink, dir) as NodeDirSink) : sink;
}

/** Local time as the run ids read: 2024-01-15 12:00:00. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** "synchronization", or "undo of <run>" for an undo or restore that names the run it takes back. */
const kindOf = (kind: RunInfo['kind'], undoes: string | undefined): string =>
  undoes ? msg('versions.kindOf', { kind: msg(`versions.kind.${kind}`), run: undoes }) : msg(`versions.kind.${kind}`);

function versionLine(v: KeptVersion): string {
  const from = v.from !== undefined ? msg('versions.from', { source: v.from }) : '';
  return `  ${msg(`versions.action.${v.action}`).padEnd(9)} ${v.path}${v.kind === 'directory' ? '/' : ''}  ${formatBytes(v.size)}  ${v.mtime > 0 ? formatTime(v.mtime) : '-'}${from}`;
}

export async function runVersions(argv: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parse(argv, { path: { type: 'string' } });
  if (values.help) return void io.out(await helpText('versions', VERSIONS_HELP)), EXIT.done;
  if (positionals.length > 1) throw new UsageError(msg('versions.oneFolder'));
  const sink = await openFolder(positionals[0], io);
  const path = values.path as string | undefined;
  // A record that does not read is named after the others, which are listed all the same (exit 3).
  const unreadable: UnreadableRun[] = [];
  const runs = await listRuns(sink, unreadable);
  const shown = path === undefined ? runs : await filterRuns(sink, runs, path);
  const bad = () => {
    for (const u of unreadable) io.err(msg('versions.unreadable', { path: join(sink.root, u.path), reason: fsErrorText(u.code, u.message) }));
    return unreadable.length > 0 ? EXIT.doneWithIssues : EXIT.done;
  };
  if (shown.length === 0) {
    io.out(path === undefined ? msg('versions.none', { root: sink.root }) : msg('versions.noneOf', { path }));
    return bad();
  }
  io.out(path === undefined ? msg('versions.runs', { root: sink.root }) : msg('versions.of', { path, root: sink.root }));
  for (const run of shown) {
    const changes = run.manifest ? msg('versions.changes', { count: run.manifest.entries.length }) : '';
    io.out(`${run.run}  ${formatTime(run.time)}  ${kindOf(run.kind, run.undoes)}${changes}`);
    for (const line of capped(run.versions.map(versionLine))) io.out(line);
  }
  return bad();
}

async function filterRuns(sink: NodeDirSink, runs: RunInfo[], path: string): Promise<RunInfo[]> {
  const found = await versionsAt(sink, runs, path);
  return runs.flatMap((run) => {
    const versions = found.filter((v) => v.run === run.run);
    return versions.length > 0 ? [{ ...run, versions }] : [];
  });
}

export async function runRestore(argv: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parse(argv, { run: { type: 'string' } });
  if (values.help) return void io.out(await helpText('restore', RESTORE_HELP)), EXIT.done;
  if (positionals.length !== 2) throw new UsageError(msg('restore.needTwo'));
  const sink = await openFolder(positionals[0], io);
  const path = (positionals[1] as string).replace(/^\.\/+/, '').replace(/\/+$/, '');
  const run = values.run as string | undefined;
  // A catalogue that cannot be read (a manifest cut short) fails as such: never said as 'no kept version'.
  if (!(await versionToRestore(sink, path, run))) {
    throw new UsageError(run ? msg('restore.noneInRun', { run, path, dir: positionals[0] as string }) : msg('restore.none', { path }));
  }
  const hasher = new NodeHasher();
  try {
    const result = await restoreVersion({ sink, hasher, clock: io.clock, path, ...(run ? { run } : {}) });
    const durable = await flushed(sink, io);
    const v = result.version;
    io.out(msg('restore.done', { path, run: v.run, time: formatTime(v.time), size: formatBytes(v.size) }));
    if (result.replacedKeptAt) io.out(msg('restore.replacedKept', { path: result.replacedKeptAt }));
    for (const path of result.notRestored ?? []) io.out(msg('restore.notRestored', { path }));
    io.out(msg('restore.undoIt', { run: result.run, dir: positionals[0] as string }));
    return durable ? EXIT.done : EXIT.doneWithIssues;
  } catch (error) {
    if (!(error instanceof RestoreError)) throw error;
    // Named in full, so the user can find the version (and what stood there) and copy it back by hand.
    const root = await realpath(positionals[0] as string); // sink.root, also through a test's wrapped sink
    const at = (rel: string) => join(root, ...rel.split('/'));
    io.err(msg('restore.failed', { path, error: fsErrorText(error.code, error.message), version: at(error.version) }));
    if (error.keptAt !== undefined) io.err(msg('restore.failedKept', { path, kept: at(error.keptAt) }));
    await sink.flush?.().catch(() => undefined); // what it moved (a version kept) is made durable all the same
    return EXIT.failed;
  } finally {
    await hasher.dispose();
  }
}

/** The folder's changed names synced to disk (NodeDirSink.flush, as at the end of a run); false, said, when they could not be. */
async function flushed(sink: NodeDirSink, io: CliIo): Promise<boolean> {
  try {
    await sink.flush?.(); // optional: a test may hand in a wrapped sink
    return true;
  } catch (error) {
    io.out(msg('versions.unflushed', { message: (error as Error).message }));
    return false;
  }
}

/** Why an item was left alone, in the command's language (the catalog has a key per reason: a new one needs words). */
const reasonOf = (reason: LeftAloneReason): string => msg(`undo.reason.${reason}`);

export async function runUndo(argv: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parse(argv, { yes: { type: 'boolean', short: 'y' } });
  if (values.help) return void io.out(await helpText('undo', UNDO_HELP)), EXIT.done;
  if (positionals.length !== 1) throw new UsageError(msg('undo.oneFolder'));
  const sink = await openFolder(positionals[0], io);
  if (!values.yes && !io.interactive) throw new UsageError(msg('undo.notTerminal'));
  const last = await lastRun(sink);
  if (!last) {
    io.out(msg('undo.none', { root: sink.root }));
    return EXIT.done;
  }
  const count = (t: string) => last.entries.filter((e) => e.type === t).length;
  io.out(msg('undo.last', {
    run: last.run, kind: kindOf(last.kind, last.undoes), time: formatTime(last.startedAt),
    created: count('created') + count('conflict'), replaced: count('replaced'), deleted: count('deleted'),
  }));
  if (!values.yes && !(await io.confirm(msg('undo.confirm')))) {
    io.out(msg('undo.nothing'));
    return io.signal.aborted ? EXIT.interrupted : EXIT.done;
  }
  const hasher = new NodeHasher();
  try {
    const result = await undoLastRun({ sink, hasher, clock: io.clock, run: last.run });
    // What the undo moved is made durable before any base forgets it (docs/protocol.md §6).
    const flushedAll = await flushed(sink, io);
    // Every two-way base holding this folder forgets what the undo put back: the next two-way between it and its
    // partners then keeps both sides where they differ, instead of carrying the undone content over their edits.
    const paths = [...result.restored, ...result.removed];
    if (paths.length > 0) {
      const store = new FileStore(defaultStateDir(io.env));
      const id = await realpath(sink.root);
      for (const key of await store.keys('base/')) await forgetInStoredBase(store, key, id, paths).catch(() => false);
    }
    // An undo that changed nothing (everything changed since) has no run of its own and kept nothing.
    const counts = { run: last.run, restored: result.restored.length, removed: result.removed.length };
    io.out(result.undoRun === null ? msg('undo.done', counts) : msg('undo.doneKept', { ...counts, undoRun: result.undoRun }));
    if (result.leftAlone.length > 0) {
      io.out(msg('undo.leftAlone', { count: result.leftAlone.length }));
      const item = (l: (typeof result.leftAlone)[number]) =>
        l.detail ? msg('undo.itemDetail', { path: l.path, reason: reasonOf(l.reason), detail: l.detail }) : msg('undo.item', { path: l.path, reason: reasonOf(l.reason) });
      for (const line of capped(result.leftAlone.map(item))) io.out(line);
      return EXIT.doneWithIssues;
    }
    return flushedAll ? EXIT.done : EXIT.doneWithIssues;
  } finally {
    await hasher.dispose();
  }
}
