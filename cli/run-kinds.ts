/** Which executor runs each kind of profile for `quintet run`: local (cli/run-local.ts), cloud (cli/run-cloud-kind.ts). */
import type { Profile } from '../core/unattended/profile.ts';
import type { RunExecutor } from '../core/unattended/executor.ts';
import type { CliIo } from './io.ts';
import { localExecutor } from './run-local.ts';
import { cloudKind } from './run-cloud-kind.ts';

/**
 * Builds the executor of a profile read from `file`; throws UsageError when the profile cannot run here (checked
 * before any wait, so a service does not find out at 2 a.m.).
 */
export type ExecutorFactory = (profile: Profile, io: CliIo, file: string) => RunExecutor | Promise<RunExecutor>;

export const RUN_KINDS: Record<Profile['kind'], ExecutorFactory> = {
  local: (_profile, io) => localExecutor(io),
  cloud: cloudKind,
};
