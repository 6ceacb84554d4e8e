import { describe, expect, it } from 'vitest';
import type { RunRecord } from './run-record.ts';
import { noticeSubject, noticeText } from './run-text.ts';

const record: RunRecord = {
  id: '2026-11-29T01-00-00.000Z-3f9a', profile: 'nightly', kind: 'cloud', start: '2026-11-29T01:00:00.000Z', end: '2026-11-29T01:02:00.000Z', durationMs: 120_000,
  status: 'partial', present: ['lyon'], missing: ['nice'], counts: { planned: 3, done: 2, failed: 1, skipped: 0, byAction: { copy: 2, delete: 1 } },
  perMember: [], bytes: 2048, errors: [{ source: 'B1', path: 'reports/q4, "final".txt', reason: 'permission-denied: EACCES' }], message: 'one member missing',
};

describe('notice text', () => {
  it('subject names the profile and status; the body lists counts, the missing member and every error', () => {
    expect(noticeSubject(record)).toBe('Quintet: nightly partial');
    const text = noticeText(record);
    expect(text).toContain('Status: partial');
    expect(text).toContain('Actions: 3 planned (copy 2, delete 1), 2 done, 1 failed, 0 skipped');
    expect(text).toContain('Members missing: nice');
    expect(text).toContain('  B1 reports/q4, "final".txt: permission-denied: EACCES');
  });
});
