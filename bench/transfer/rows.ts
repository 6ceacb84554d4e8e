/** The measures as table rows, with the two ratios: Quintet / raw data channel, and Quintet / Syncthing (times). */
import type { Corpus } from '../inventory/corpus.ts';
import { mbps, type Row } from './report.ts';
import type { QuintetRun } from './quintet.ts';
import type { RawRun } from './rtc.ts';
import type { SyncthingRun } from './syncthing.ts';
import type { NodeRawRun } from './node-raw.ts';
import type { CliRun } from './cli-mirror.ts';

export interface Measures {
  raw: RawRun[];
  file: QuintetRun | string;
  full: QuintetRun | string;
  syncthing: SyncthingRun;
  corpus: Corpus;
  single: Corpus;
  /** The Node stack's raw rate, before and after CLI ↔ CLI. */
  nodeRaw: NodeRawRun[];
  /** CLI ↔ CLI on the corpus. */
  cli: CliRun | string;
  /** Browser → CLI on the corpus. */
  toCli: QuintetRun | string;
}

/** The Node raw rate CLI ↔ CLI is held against: the faster of the runs around it (MB/s; the stricter reading on a shared machine). */
export const nodeRawBest = (m: Pick<Measures, 'nodeRaw'>): number => Math.max(...m.nodeRaw.map((r) => r.mbPerSecond));

/** CLI ↔ CLI's rate over the Node raw rate, or null when it was not measured. */
export function cliRatio(m: Pick<Measures, 'nodeRaw' | 'cli' | 'corpus'>): number | null {
  return typeof m.cli === 'string' ? null : mbps(m.corpus.bytes, m.cli.seconds) / nodeRawBest(m);
}

/** The fastest raw run (the limit Quintet's transfer is compared with). */
export function bestRaw(raw: RawRun[]): RawRun {
  return raw.reduce((best, r) => (mbps(r.bytes, r.seconds) > mbps(best.bytes, best.seconds) ? r : best));
}

export function rows(m: Measures): Row[] {
  const best = bestRaw(m.raw);
  const out: Row[] = m.raw.map((r) => ({
    what: `Raw RTCDataChannel${r.channels > 1 ? ` × ${r.channels} in parallel` : ''}, ${r.messageBytes >> 10} KiB messages, ≤ ${r.inFlightBytes >> 20} MiB in flight${r.channels > 1 ? ' each' : ''}${r === best ? ' (best)' : ''}`,
    bytes: r.bytes,
    files: null,
    result: r.seconds,
    ratio: '',
  }));
  const fileRatio = typeof m.file === 'string' ? '' : `${(mbps(m.single.bytes, m.file.seconds) / mbps(best.bytes, best.seconds)).toFixed(2)}× raw`;
  out.push({ what: 'Quintet E2EE transfer, Mirror A1 → B1, one file', bytes: m.single.bytes, files: 1, result: typeof m.file === 'string' ? m.file : m.file.seconds, ratio: fileRatio });
  out.push({ what: "Syncthing, initial scan of A's folder (not in the sync time)", bytes: m.corpus.bytes, files: m.corpus.files, result: m.syncthing.scanSeconds, ratio: '' });
  out.push({ what: 'Syncthing full sync A → B (send-only → receive-only)', bytes: m.corpus.bytes, files: m.corpus.files, result: m.syncthing.syncSeconds, ratio: '' });
  const fullRatio = typeof m.full === 'string' ? '' : `${(mbps(m.corpus.bytes, m.full.seconds) / mbps(best.bytes, best.seconds)).toFixed(2)}× raw; ${(m.full.seconds / m.syncthing.syncSeconds).toFixed(2)}× Syncthing's time`;
  out.push({ what: 'Quintet full sync, Mirror A1 → B1 (browser ↔ browser)', bytes: m.corpus.bytes, files: m.corpus.files, result: typeof m.full === 'string' ? m.full : m.full.seconds, ratio: fullRatio });
  const toCliRatio = typeof m.toCli === 'string' ? '' : `${(mbps(m.corpus.bytes, m.toCli.seconds) / mbps(best.bytes, best.seconds)).toFixed(2)}× raw (browser); ${(m.toCli.seconds / m.syncthing.syncSeconds).toFixed(2)}× Syncthing's time`;
  out.push({ what: 'Quintet full sync, Mirror A1 → B1, browser → CLI', bytes: m.corpus.bytes, files: m.corpus.files, result: typeof m.toCli === 'string' ? m.toCli : m.toCli.seconds, ratio: toCliRatio });
  m.nodeRaw.forEach((r, i) => out.push({ what: `Node raw (@roamhq/wrtc), one stream, 2 processes, ${i === 0 ? 'before' : 'after'} CLI ↔ CLI`, bytes: r.bytes, files: null, result: r.seconds, ratio: '' }));
  const ratio = cliRatio(m);
  const cliRatioText = ratio === null ? '' : `**${ratio.toFixed(2)}× Node raw** (best ${nodeRawBest(m).toFixed(1)} MB/s); ${((m.cli as CliRun).seconds / m.syncthing.syncSeconds).toFixed(2)}× Syncthing's time`;
  out.push({ what: 'Quintet full sync, Mirror A1 → B1, CLI ↔ CLI', bytes: m.corpus.bytes, files: m.corpus.files, result: typeof m.cli === 'string' ? m.cli : m.cli.seconds, ratio: cliRatioText });
  return out;
}
