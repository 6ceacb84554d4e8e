/**
 * What a skipped link or special file is, said once: the Node adapter words its FsError messages here (English, as
 * run records and machine-read lines keep them), and the `quintet` command finds the kind again to say it in the
 * user's language. A message this module did not make is left as it is.
 */
export type NotDataKind = 'dangling-link' | 'link-to-directory' | 'link-to-file' | 'link-to-special' | 'link-above' | 'link-listed' | 'fifo' | 'socket' | 'device';

const WORDS: Record<NotDataKind, string> = {
  'dangling-link': 'dangling symbolic link ({to}), not followed',
  'link-to-directory': 'symbolic link to a directory ({to}), not followed',
  'link-to-file': 'symbolic link to a file ({to}), not followed',
  'link-to-special': 'symbolic link to a special file ({to}), not followed',
  'link-above': 'symbolic link ({to}) where a folder is expected, not followed',
  'link-listed': 'symbolic link ({to}) where the folder listed stood, not followed',
  fifo: 'FIFO (named pipe), not copied',
  socket: 'socket, not copied',
  device: 'device, not copied',
};

/** The English message of a link (with what it points to) or a special file. */
export function notDataMessage(kind: NotDataKind, to = ''): string {
  return WORDS[kind].replace('{to}', to);
}

const PATTERNS = (Object.entries(WORDS) as Array<[NotDataKind, string]>).map(([kind, words]) => {
  const [before = '', after = ''] = words.split('{to}');
  return { kind, before, after, hasTo: words.includes('{to}') };
});

/** The kind (and link target) a message of notDataMessage says, or null for any other message. */
export function notDataOf(message: string): { kind: NotDataKind; to: string } | null {
  for (const p of PATTERNS) {
    if (!p.hasTo) {
      if (message === p.before) return { kind: p.kind, to: '' };
    } else if (message.length >= p.before.length + p.after.length && message.startsWith(p.before) && message.endsWith(p.after)) {
      return { kind: p.kind, to: message.slice(p.before.length, message.length - p.after.length) };
    }
  }
  return null;
}
