/** The live log of the run in progress: engine events as lines. Clearing it never touches a stored run record. */
import { i18n, t } from '../i18n/i18n.svelte.ts';
import type { MessageKey } from '../i18n/en.ts';

/** Lines kept on screen; older ones are counted (`dropped`), never dropped without a word. */
export const LIVE_LOG_LINES = 1000;

/** A parameter of a log message: as is, another message (a status name), or a size formatted in the reader's language. */
export type LogParam = string | number | { key: MessageKey } | { bytes: number };

/** A line as a message key and its parameters, so it reads in the language chosen when it is shown, not when it was logged. */
export interface LogMessage {
  key: MessageKey;
  params?: Record<string, LogParam>;
}

export interface LogLine {
  at: number;
  /** A message, or text that is not language (a path with its error code). */
  text: LogMessage | string;
  level: 'info' | 'error';
}

/** A line's text in the current language. */
export function lineText(line: Pick<LogLine, 'text'>): string {
  if (typeof line.text === 'string') return line.text;
  const params: Record<string, string | number> = {};
  for (const [name, v] of Object.entries(line.text.params ?? {})) params[name] = typeof v === 'object' ? ('key' in v ? t(v.key) : i18n.bytes(v.bytes)) : v;
  return t(line.text.key, params);
}

class LiveLog {
  lines = $state.raw<readonly LogLine[]>([]);
  /** Lines that scrolled off (more than LIVE_LOG_LINES) since the last clear. */
  dropped = $state(0);

  add(text: LogMessage | string, level: LogLine['level'] = 'info'): void {
    const next = [...this.lines, { at: Date.now(), text, level }];
    const over = next.length - LIVE_LOG_LINES;
    if (over > 0) this.dropped += over;
    this.lines = over > 0 ? next.slice(over) : next;
  }

  clear(): void {
    this.lines = [];
    this.dropped = 0;
  }
}

export const liveLog = new LiveLog();

/** The line a run's record ends with: "<profile>: <status>, <done>/<planned> done, <size>". */
export function endLine(profile: string | { key: MessageKey }, record: { status: string; counts: { done: number; planned: number }; bytes: number }): LogMessage {
  const { done, planned } = record.counts;
  return { key: 'log.sync.ended', params: { profile, status: { key: `history.status.${record.status}` as MessageKey }, done, planned, size: { bytes: record.bytes } } };
}
