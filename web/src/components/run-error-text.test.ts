import { describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.svelte.ts';
import { runErrorReason, runErrorWhere } from './run-error-text.ts';

describe('runErrorReason', () => {
  it('translates the builder’s codes and keeps anything else as written', () => {
    i18n.lang = 'en';
    expect(runErrorReason({ source: 'A2', path: 'x', reason: 'not-found: ENOENT x' })).toBe('vanished');
    expect(runErrorReason({ path: 'x', reason: 'skipped: permission (A2)' })).toBe('no permission to write on A2');
    expect(runErrorReason({ path: 'x', reason: 'skipped: stopped' })).toBe('not run: the run was stopped');
    expect(runErrorReason({ source: 'A2', path: '', reason: 'unrecorded: disk full' })).toBe('the run could not be recorded there, so it cannot be undone there: disk full');
    expect(runErrorReason({ source: 'B1', path: '', reason: 'unflushed: EIO: i/o error, fsync' })).toBe('not flushed to disk: what was written there may not survive a power cut (EIO: i/o error, fsync)');
    expect(runErrorReason({ path: 'x', reason: 'member-left: gone' })).not.toBe('member-left: gone');
    expect(runErrorReason({ path: 'x', reason: 'something new: as is' })).toBe('something new: as is');
    i18n.lang = 'fr';
    expect(runErrorReason({ path: 'x', reason: 'no-space: full' })).not.toBe('disk full');
    i18n.lang = 'en';
  });

  it('says where: source and path, or either alone', () => {
    expect(runErrorWhere({ source: 'A2', path: 'docs/a.txt', reason: '' })).toBe('A2/docs/a.txt');
    expect(runErrorWhere({ source: 'A2', path: '', reason: '' })).toBe('A2');
    expect(runErrorWhere({ path: 'a.txt', reason: '' })).toBe('a.txt');
  });
});
