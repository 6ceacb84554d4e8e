/** The measures as table rows, with the two ratios: Quintet / raw data channel, and Quintet / Syncthing (times). */
import type { Corpus } from '../inventory/corpus.ts';
import { mbps, type Row } from './report.ts';
import type { QuintetRun } from './quintet.ts';
import type { RawRun } from './rtc.ts';
import type { SyncthingRun } from './syncthing.ts';

export interface Measures {
  raw: RawRun[];
  file: QuintetRun | string;
  full: QuintetRun | string;
  syncthing: SyncthingRun;
  corpus: Corpus;
  single: Corpus;
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
  const fullRatio = typeof m.full === 'string' ? '' : `${(m.full.seconds / m.syncthing.syncSeconds).toFixed(2)}× Syncthing's time`;
  out.push({ what: 'Quintet full sync, Mirror A1 → B1', bytes: m.corpus.bytes, files: m.corpus.files, result: typeof m.full === 'string' ? m.full : m.full.seconds, ratio: fullRatio });
  return out;
}
