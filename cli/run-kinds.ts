/**
 * Which executor runs each kind of profile for `quintet run`. The cloud kind (hub and member of a standing group)
 * comes with the standing groups' CLI side; until it is wired here, a cloud profile is refused before any wait.
 */
import type { Profile } from '../core/unattended/profile.ts';
import type { RunExecutor } from '../core/unattended/executor.ts';
import { UsageError } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { localExecutor } from './run-local.ts';

/** Builds the executor of a profile; throws UsageError when the profile cannot run here (checked before any wait). */
export type ExecutorFactory = (profile: Profile, io: CliIo) => RunExecutor;

export const RUN_KINDS: Record<Profile['kind'], ExecutorFactory> = {
  local: (_profile, io) => localExecutor(io),
  cloud: () => {
    throw new UsageError('cloud profiles: not yet supported by quintet run in this build');
  },
};
