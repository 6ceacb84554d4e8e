/**
 * A file error as the `quintet` command says it: `code: message`, the platform's message as it came, except links
 * and special files, whose messages the Node adapter makes from core/inventory/not-data.ts and which are said here in
 * the user's language (English reads as it always did).
 */
import { notDataOf } from '../core/inventory/not-data.ts';
import { msg } from './i18n.ts';

export function fsErrorText(code: string, message: string): string {
  const known = code === 'link' || code === 'special' ? notDataOf(message) : null;
  if (known) return msg('notData.line', { code: msg(code === 'link' ? 'notData.code.link' : 'notData.code.special'), message: msg(`notData.${known.kind}`, { to: known.to }) });
  return message.startsWith(code) ? message : msg('notData.line', { code, message });
}
