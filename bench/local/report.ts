/** The Local mirror result table: rsync -a, the app on real disk, the app on OPFS. */
import type { Corpus } from '../inventory/corpus.ts';
import type { MirrorTiming } from './mirror-flow.ts';

export interface Measured {
  name: string;
  corpus: Corpus;
  seconds: number;
  /** The app's run, for its notes; absent for rsync. */
  app?: MirrorTiming;
  note?: string;
}

const rate = (files: number, seconds: number) => Math.round(files / seconds).toLocaleString('en-US');
const mbs = (bytes: number, seconds: number) => (bytes / 1e6 / seconds).toFixed(1);

/** A Markdown table, one line per way of copying a tree. */
export function localTable(rows: Measured[]): string {
  const notes = (r: Measured) => (r.app ? `click → result ${(r.app.wallMs / 1000).toFixed(2)} s; inventory ${(r.app.inventoryMs / 1000).toFixed(2)} s; "${r.app.heading}"` : (r.note ?? ''));
  return [
    '| Copy | Files | Time | Files/s | MB/s | Notes |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.name} | ${r.corpus.files.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} s | ${rate(r.corpus.files, r.seconds)} files/s | ${mbs(r.corpus.bytes, r.seconds)} MB/s | ${notes(r)} |`),
  ].join('\n');
}
