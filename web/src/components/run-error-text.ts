/** A run record's error reason in the reader's language: the builder's codes translated, anything else as written. */
import { t } from '../i18n/i18n.svelte.ts';
import type { RefusalReason } from '../../../core/plan/types.ts';
import type { RunError } from '../../../core/unattended/run-record.ts';
import { skipReason } from './skip-text.ts';

const ERROR_CODES = new Set(['not-found', 'permission-denied', 'no-space', 'invalid-name', 'type-mismatch', 'exists', 'changed', 'corrupt', 'cancelled', 'link', 'special', 'io']);

/** "skipped: permission (A2)", "not-found: vanished", "unrecorded: …", "unflushed: …" → words (core/unattended/record-from-result.ts). */
export function runErrorReason(e: RunError): string {
  const skipped = /^skipped: ([\w-]+)(?: \((.*)\))?$/.exec(e.reason);
  if (skipped) {
    const [, reason = '', detail] = skipped;
    if (reason === 'stopped' || reason === 'not-run') return t(`history.reason.${reason}`);
    if (reason === 'name-refused' || reason === 'permission' || reason === 'unreadable') return skipReason({ path: e.path, reason: reason as RefusalReason, ...(detail ? { detail } : {}) });
    return e.reason;
  }
  const unrecorded = /^unrecorded: (.*)$/s.exec(e.reason);
  if (unrecorded) return t('history.reason.unrecorded', { message: unrecorded[1] ?? '' });
  const unflushed = /^unflushed: (.*)$/s.exec(e.reason);
  if (unflushed) return t('history.reason.unflushed', { message: unflushed[1] ?? '' });
  const code = /^([\w-]+): /.exec(e.reason)?.[1];
  if (code && ERROR_CODES.has(code)) return t(`error.${code}` as 'error.io');
  if (code === 'plan-mismatch' || code === 'member-left') return t(`run.error.${code}`);
  return e.reason;
}

/** Where: "A2/docs/a.txt", or the source alone. */
export function runErrorWhere(e: RunError): string {
  return [e.source, e.path].filter(Boolean).join('/');
}
