/**
 * `quintet join --local-changes keep|revert`: what a receive-only terminal member does with its own changes that its role
 * kept from spreading (docs/protocol.md §10.11). The page offers "Revert" per item; a headless member decides once, on
 * its command line: keep them (the default, listed after each run) or revert every one as soon as its share is done.
 */
import type { CloudMember } from '../core/cloud/member.ts';
import type { LocalChange } from '../core/cloud/run/local-changes.ts';
import type { CliIo } from './io.ts';
import { capped } from './format.ts';
import { msg } from './i18n.ts';

export const LOCAL_CHANGES_POLICIES = ['keep', 'revert'] as const;
export type LocalChangesPolicy = (typeof LOCAL_CHANGES_POLICIES)[number];

/** One line per local change: what this member did and where. */
export function localChangeLines(changes: readonly LocalChange[]): string[] {
  return capped(changes.map((c) => `  ${c.change} ${c.source} ${c.path}`));
}

/**
 * Follows `member`'s local changes: lists them after each run and, under 'revert', reverts them all. `settled()` resolves
 * once no revert is under way, so the command does not leave in the middle of one.
 */
export function followLocalChanges(member: CloudMember, policy: LocalChangesPolicy, io: CliIo): { settled(): Promise<void>; stop(): void } {
  let pending: Promise<void> = Promise.resolve();
  let reverting = false;
  const onChanged = (changes: LocalChange[]) => {
    if (changes.length === 0 || reverting) return;
    const n = changes.length;
    io.out(msg('changes.head', { count: n }));
    for (const line of localChangeLines(changes)) io.out(line);
    if (policy === 'keep') {
      io.out(msg('changes.kept'));
      return;
    }
    reverting = true;
    pending = member.run
      .revert('all')
      .then(({ done, failed }) => io.out(msg('changes.reverted', { done, failed })))
      .catch((error: unknown) => io.err(msg('changes.revertFailed', { message: (error as Error).message })))
      .finally(() => (reverting = false));
  };
  const off = member.run.on('local.changed', onChanged);
  return {
    settled: async () => {
      await pending;
    },
    stop: off,
  };
}
