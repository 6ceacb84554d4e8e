import { describe, expect, it } from 'vitest';
import { notDataMessage, notDataOf, type NotDataKind } from './not-data.ts';

describe('links and special files, in words', () => {
  it('finds again the kind and the target of every message it makes, targets with parentheses and commas too', () => {
    const kinds: NotDataKind[] = ['dangling-link', 'link-to-directory', 'link-to-file', 'link-to-special', 'link-above', 'link-listed', 'fifo', 'socket', 'device'];
    for (const kind of kinds) {
      const to = kind.startsWith('link') || kind === 'dangling-link' ? '../a (b), not followed' : '';
      expect(notDataOf(notDataMessage(kind, to))).toEqual({ kind, to });
    }
  });

  it('says the messages the Node member always said', () => {
    expect(notDataMessage('link-to-file', '/etc/passwd')).toBe('symbolic link to a file (/etc/passwd), not followed');
    expect(notDataMessage('fifo')).toBe('FIFO (named pipe), not copied');
  });

  it('leaves any other message alone', () => {
    expect(notDataOf('EACCES: permission denied, open ‘x’')).toBeNull();
    expect(notDataOf('socket, not copied!')).toBeNull();
    expect(notDataOf('symbolic link to a file (x)')).toBeNull();
  });
});
