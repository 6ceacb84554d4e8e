import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { ResultCode, RunResultMessage } from './run-messages.ts';
import type { FsErrorCode } from '../errors.ts';

describe('run-result codes', () => {
  it('carry every FsError code, links and special files of a Node member included', () => {
    const codes: FsErrorCode[] = ['not-found', 'permission-denied', 'no-space', 'invalid-name', 'type-mismatch', 'exists', 'changed', 'corrupt', 'cancelled', 'link', 'special', 'io'];
    for (const code of codes) expect(v.is(ResultCode, code), code).toBe(true);
    const message = { type: 'run-result', v: 1, run: 'r', done: [], failed: [{ i: 0, code: 'link', message: 'symbolic link, not followed' }], skipped: [], bytes: 0, ms: 0 };
    expect(v.is(RunResultMessage, message)).toBe(true);
    expect(v.is(ResultCode, 'symlink')).toBe(false);
  });
});

describe('run-result unflushed', () => {
  const base = { type: 'run-result', v: 1, run: 'r', done: [], failed: [], skipped: [], bytes: 0, ms: 0 };
  const one = (source: unknown, message: unknown) => ({ ...base, unflushed: [{ source, message }] });

  it('is optional, and carries a member’s targets whose folders could not be flushed to disk', () => {
    expect(v.is(RunResultMessage, base)).toBe(true);
    expect(v.parse(RunResultMessage, one('B1', 'EIO: i/o error, fsync')).unflushed).toEqual([{ source: 'B1', message: 'EIO: i/o error, fsync' }]);
    expect(v.is(RunResultMessage, one('E99', 'x'.repeat(200)))).toBe(true);
    expect(v.is(RunResultMessage, { ...base, unflushed: Array.from({ length: 99 }, () => ({ source: 'B1', message: '' })) })).toBe(true);
  });

  it('refuses a code that is no source code, a message past 200 characters, more than 99 entries, wrong types', () => {
    expect(v.is(RunResultMessage, one('F1', 'io'))).toBe(false);
    expect(v.is(RunResultMessage, one('B0', 'io'))).toBe(false);
    expect(v.is(RunResultMessage, one('B1/x', 'io'))).toBe(false);
    expect(v.is(RunResultMessage, one('B1', 'x'.repeat(201)))).toBe(false);
    expect(v.is(RunResultMessage, { ...base, unflushed: Array.from({ length: 100 }, () => ({ source: 'B1', message: '' })) })).toBe(false);
    expect(v.is(RunResultMessage, one(1, 'io'))).toBe(false);
    expect(v.is(RunResultMessage, one('B1', 5))).toBe(false);
    expect(v.is(RunResultMessage, { ...base, unflushed: [{ source: 'B1' }] })).toBe(false);
    expect(v.is(RunResultMessage, { ...base, unflushed: { source: 'B1', message: '' } })).toBe(false);
    expect(v.is(RunResultMessage, { ...base, unflushed: ['B1'] })).toBe(false);
  });
});
