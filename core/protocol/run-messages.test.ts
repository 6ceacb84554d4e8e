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
