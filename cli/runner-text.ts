/** The run driver's lines (core/unattended/runner.ts RunnerLine) in the command's language: `quintet run`'s live log. */
import { formatWall } from '../core/unattended/zoned-time.ts';
import { spanOf, type RunnerLine } from '../core/unattended/runner.ts';
import { msg } from './i18n.ts';

/**
 * Times stay as formatWall writes them ("2026-03-29 03:00:00 Europe/Paris", read back by scripts and tests in both
 * languages); the status is the record's own word (ok, partial …), as quintet report shows it.
 */
export function runnerText(line: RunnerLine): string {
  switch (line.key) {
    case 'next': return msg('runner.next', { at: formatWall(line.at, line.timeZone) });
    case 'stoppedBeforeStart': return msg('runner.stoppedBeforeStart');
    case 'started': return msg('runner.started', { id: line.id });
    case 'notice': return msg('runner.notice', { note: line.note });
    case 'ended': {
      const { id, status, done, failed, skipped, bytes } = line;
      let text = msg('runner.ended', { id, status, done, failed, skipped, bytes });
      if (line.missing.length > 0) text = msg('runner.endedMissing', { line: text, who: line.missing.join(', ') });
      return line.message ? msg('runner.endedMessage', { line: text, message: line.message }) : text;
    }
    case 'extended': return msg('runner.extended', { span: spanOf(line.ms), until: formatWall(line.until, line.timeZone) });
    case 'extendPending': return msg('runner.extendPending', { span: spanOf(line.ms) });
    case 'extendRefused': return msg('runner.extendRefused');
  }
}
