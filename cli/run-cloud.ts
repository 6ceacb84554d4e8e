/**
 * One run of a standing group (docs/protocol.md §11): `runGroupOnce` is what `quintet run` calls for a cloud profile.
 * The hub creates the run's rendezvous and leads; a member finds it (retrying until its wait ends) and follows.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { webcrypto } from 'node:crypto';
import type { SubtleLike } from '../core/crypto/subtle.ts';
import { fromB64u, toB64u } from '../core/crypto/bytes.ts';
import { deriveJoinPassword, deriveRendezvous, signHubProof, verifyHubProof } from '../core/crypto/group-keys.ts';
import { DEFAULT_MAX_RUN_TIME, durationMs, type CloudProfile } from '../core/unattended/profile.ts';
import type { Group } from '../core/unattended/group.ts';
import { WaitWindow } from '../core/unattended/schedule.ts';
import { nodeClock } from '../adapters/node/cloud-deps.ts';
import type { CliIo } from './io.ts';
import { UsageError } from './exit-codes.ts';
import { readGroupFile } from './group-file.ts';
import { emptyOutcome, type GroupRunOutcome } from './run-outcome.ts';
import { hubRun } from './run-cloud-hub.ts';
import { memberRun } from './run-cloud-member.ts';
import { msg } from './i18n.ts';

export type { GroupRunOutcome } from './run-outcome.ts';

const subtle = webcrypto.subtle as unknown as SubtleLike;

export interface GroupRunOptions {
  /** Aborted by SIGINT/SIGTERM or "Stop": the run stops cleanly and is recorded `stopped`. */
  signal: AbortSignal;
  /** How long the hub waits for the expected members, and a member for the hub. */
  maxWaitMs: number;
  /**
   * The longest a run may last once it is under way (the hub: from the end of its wait; a member: from joining the
   * hub's run). Past it the run is stopped cleanly and recorded `failed` with the reason. Default 12 h.
   */
  maxRunMs?: number;
  io: CliIo;
  /**
   * Opens the hub's wait for its members: `quintet run` passes its runner's (core/unattended/runner.ts), which
   * `quintet run --extend` reaches; by default a WaitWindow of its own on the io's clock.
   */
  openWindow?: (expected: readonly string[], maxWaitMs: number) => WaitWindow;
  /**
   * The slots to meet in (docs/protocol.md §11): by default the UTC day of the start for the hub, and for a member that
   * day and the adjacent one when the wait crosses midnight. Tests name their own, one per run.
   */
  slots?: string[];
  /** This machine's name as the others see it (default $QUINTET_NAME, else the host name): the hub expects members by it. */
  deviceName?: string;
  /** Where a relative `profile.group` is found (the profile file's folder; default the working directory). */
  baseDir?: string;
}

/** A standing group's run as one side derives it: rendezvous, password, and the hub proof made or checked. */
export interface GroupSlot {
  slot: string;
  rendezvous: string;
  password: string;
  proveHub(binding: Uint8Array): Promise<string>;
  verifyHub(proof: string | undefined, binding: Uint8Array): Promise<boolean>;
}

/** Derives what a slot's run needs from the group (the hub's side can prove; a member's only verify). */
export async function groupSlot(group: Group, slot: string): Promise<GroupSlot> {
  const rendezvous = await deriveRendezvous(subtle, group.secret, slot);
  const password = await deriveJoinPassword(subtle, group.secret, slot);
  return {
    slot, rendezvous, password,
    proveHub: async (binding) => {
      if (!group.hubSecretKey) throw new Error('only the hub can prove it is the hub');
      return toB64u(await signHubProof(group.hubSecretKey, { rendezvous, slot, binding }));
    },
    verifyHub: async (proof, binding) => {
      const signature = proof === undefined ? null : fromB64u(proof);
      return signature !== null && verifyHubProof(group.hubPublicKey, signature, { rendezvous, slot, binding });
    },
  };
}

/** The group and names a run starts from, checked: a hub profile needs the hub's group file. */
export async function groupOf(profile: CloudProfile, baseDir = process.cwd()): Promise<Group> {
  const group = await readGroupFile(resolve(baseDir, profile.group));
  if (profile.part === 'hub' && group.part !== 'hub') throw new UsageError(msg('run.partHub', { group: profile.group }));
  if (profile.part === 'member' && group.part === 'hub') throw new UsageError(msg('run.partMember', { group: profile.group }));
  return group;
}

/** A run's bound when the profile sets no `maxRunTime`: a night's worth, so a run stuck on a member ends by morning. */
export const DEFAULT_MAX_RUN_MS = durationMs(DEFAULT_MAX_RUN_TIME);

/** The hub's wait when nobody passes one: on the io's clock (a test's manual one), with the process's timers. */
export const ownWindow = (io: CliIo) => (expected: readonly string[], maxWaitMs: number) => new WaitWindow({ clock: io.clock, timers: nodeClock }, expected, maxWaitMs);

export const deviceNameFor = (given: string | undefined, env: CliIo['env']): string => (given ?? env.QUINTET_NAME ?? hostname()).trim().slice(0, 64) || 'quintet';

/** Runs the profile's group once: never throws for what a run can meet (it is in the outcome), only for programming errors. */
export async function runGroupOnce(profile: CloudProfile, opts: GroupRunOptions): Promise<GroupRunOutcome> {
  let group: Group;
  try {
    group = await groupOf(profile, opts.baseDir);
  } catch (error) {
    return emptyOutcome('failed', error instanceof Error ? error.message : String(error));
  }
  const server = profile.server ?? group.server;
  const name = deviceNameFor(opts.deviceName, opts.io.env);
  return profile.part === 'hub' ? hubRun(profile, group, server, name, opts) : memberRun(profile, group, server, name, opts);
}
