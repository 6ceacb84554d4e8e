/** Reading and writing a standing group's file (core/unattended/group.ts): JSON, mode 0600, never overwritten. */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkGroupFile, groupFileOf, type Group } from '../core/unattended/group.ts';
import { UsageError } from './exit-codes.ts';
import { msg } from './i18n.ts';

/** The group in `path`, or a UsageError saying what is wrong with the file. */
export async function readGroupFile(path: string): Promise<Group> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(msg('group.cannotRead', { path, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message }));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(msg('group.notJson', { path }));
  }
  const checked = checkGroupFile(json);
  if (!checked.ok) throw new UsageError(msg('group.invalid', { path, error: checked.error }));
  return checked.value;
}

/** Writes a new group file readable by its owner only (it holds the group secret); an existing file is never replaced. */
export async function writeGroupFile(path: string, group: Group): Promise<string> {
  const at = resolve(path);
  try {
    await writeFile(at, `${JSON.stringify(groupFileOf(group), null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'EEXIST' ? msg('group.exists', { path }) : msg('group.cannotWrite', { path, reason: code ?? (error as Error).message }));
  }
  return at;
}
