/** Progress of inventory and synchronization: bars on a terminal (cli-progress), plain lines at most every 2 s otherwise. */
import cliProgress from 'cli-progress';
import type { InventoryProgress } from '../core/inventory/types.ts';
import type { SyncProgress } from '../core/transfer/types.ts';
import type { CliIo } from './io.ts';
import { formatBytes, formatRate } from './format.ts';
import { msg } from './i18n.ts';

export interface Progress {
  inventory(p: InventoryProgress): void;
  sync(p: SyncProgress): void;
  /** Removes the bars (before results are printed). */
  stop(): void;
}

const PLAIN_EVERY_MS = 2000;

export function createProgress(io: CliIo): Progress {
  return io.progressStream.isTTY ? barProgress(io) : plainProgress(io);
}

function plainProgress(io: CliIo): Progress {
  const last = new Map<string, number>();
  const due = (key: string, done: boolean) => {
    const now = io.clock.now();
    if (!done && now - (last.get(key) ?? -Infinity) < PLAIN_EVERY_MS) return false;
    last.set(key, now);
    return true;
  };
  return {
    inventory(p) {
      if (due(`inv ${p.source}`, p.done)) io.err(msg(p.done ? 'progress.inventoryDone' : 'progress.inventory', { source: p.source, files: p.files, bytes: formatBytes(p.bytes), hashed: formatBytes(p.hashedBytes) }));
    },
    sync(p) {
      const done = p.actionsDone === p.actionsTotal;
      if (due('sync', done)) io.err(msg('progress.sync', { done: p.actionsDone, total: p.actionsTotal, bytes: formatBytes(p.bytesDone), bytesTotal: formatBytes(p.bytesTotal), rate: formatRate(p.rate) }));
    },
    stop() {},
  };
}

function barProgress(io: CliIo): Progress {
  // One set of bars per phase: made on the first report, stopped (once) before the phase's results are printed.
  let bars: cliProgress.MultiBar | null = null;
  const multi = () =>
    (bars ??= new cliProgress.MultiBar(
      { stream: io.progressStream, hideCursor: true, clearOnComplete: false, etaBuffer: 50, // cli-progress fills the {…} of its format: the message's own placeholders are handed back to it by name.
        format: msg('progress.bar', { label: '{label}', bar: '{bar}', percentage: '{percentage}', items: '{items}', amount: '{amount}', speed: '{speed}', eta: '{eta_formatted}' }) },
      cliProgress.Presets.shades_classic,
    ));
  const inventories = new Map<string, cliProgress.SingleBar>();
  let syncBar: cliProgress.SingleBar | null = null;
  return {
    inventory(p) {
      // The total is only known once the walk ends: the bar measures hashing against the bytes found so far.
      const payload = { label: msg('progress.barInventory', { source: p.source }), items: msg('progress.barFiles', { files: p.files }), amount: msg('progress.barHashed', { hashed: formatBytes(p.hashedBytes), bytes: formatBytes(p.bytes) }), speed: formatRate(p.rate) };
      const value = p.done ? Math.max(1, p.bytes) : p.hashedBytes;
      let bar = inventories.get(p.source);
      if (!bar) inventories.set(p.source, (bar = multi().create(Math.max(1, p.bytes), value, payload)));
      bar.setTotal(Math.max(1, p.bytes));
      bar.update(value, payload);
    },
    sync(p) {
      const payload = { label: msg('progress.barSync'), items: msg('progress.barItems', { done: p.actionsDone, total: p.actionsTotal }), amount: msg('progress.barOf', { bytes: formatBytes(p.bytesDone), bytesTotal: formatBytes(p.bytesTotal) }), speed: formatRate(p.rate) };
      // Bytes alone would say "done" while thousands of small files remain: the bar (and its time left) averages both.
      const bytes = p.bytesTotal === 0 ? 1 : p.bytesDone / p.bytesTotal;
      const items = p.actionsTotal === 0 ? 1 : p.actionsDone / p.actionsTotal;
      syncBar ??= multi().create(1000, 0, payload);
      syncBar.update(Math.round(500 * (bytes + items)), payload);
    },
    stop() {
      bars?.stop();
      bars = null;
      inventories.clear();
      syncBar = null;
    },
  };
}
