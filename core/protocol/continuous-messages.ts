/** Continuous synchronization's wire messages (docs/protocol.md §12): a change notice to the leader, pause states, sources left out. */
import * as v from 'valibot';

const Version = v.pipe(v.number(), v.integer(), v.minValue(1));
const Code = v.pipe(v.string(), v.regex(/^[A-E][1-9][0-9]?$/));

/**
 * To the leader: the sender's watcher saw its own sources change (`sources`: which, by code; empty when unknown). No
 * paths, no contents: the round's inventory says what changed. A sender sends at most one per NOTICE_MIN_MS.
 */
export const ChangedMessage = v.object({ type: v.literal('changed'), v: Version, sources: v.pipe(v.array(Code), v.maxLength(99)) });
export type ChangedMessage = v.InferOutput<typeof ChangedMessage>;

/** To everyone, about the sender itself: it paused (left out of rounds) or resumed its own continuous synchronization. */
export const PauseMemberMessage = v.object({ type: v.literal('pause-member'), v: Version, paused: v.boolean() });
export type PauseMemberMessage = v.InferOutput<typeof PauseMemberMessage>;

/** Leader only: continuous synchronization paused or resumed for the whole session. */
export const PauseSessionMessage = v.object({ type: v.literal('pause-session'), v: Version, paused: v.boolean() });
export type PauseSessionMessage = v.InferOutput<typeof PauseSessionMessage>;

/**
 * Leader only, to each member that announced LEFT_OUT: the sources the last round's Two-way left out (all of them, not
 * a change), `emptied` (a root that lists nothing where its base held files) and `unreadable` (a root that could not
 * be listed). Sent when the set changes and to a member whose channel opens: a round of no action sends no plan.
 */
export const LeftOutMessage = v.object({
  type: v.literal('left-out'), v: Version, emptied: v.pipe(v.array(Code), v.maxLength(45)), unreadable: v.pipe(v.array(Code), v.maxLength(45)),
  /** The sources of members the round went on without (`silent`, below). Absent when none; a member from before drops it. */
  silent: v.optional(v.pipe(v.array(Code), v.maxLength(45))),
});
export type LeftOutMessage = v.InferOutput<typeof LeftOutMessage>;

/**
 * A sender's change notices at most this often (it coalesces what comes in between). 8 a second, the leader's limit
 * below, and under the leader's quiet time (QUIET_MS, 200 ms), so a member's ongoing burst keeps the quiet time going.
 */
export const NOTICE_MIN_MS = 125;
/** The leader takes at most this many notices per member per second; more are dropped and counted (one is enough). */
export const NOTICES_PER_SECOND = 8;

export const CONTINUOUS_MESSAGES = [ChangedMessage, PauseMemberMessage, PauseSessionMessage, LeftOutMessage] as const;
export type ContinuousMessage = ChangedMessage | PauseMemberMessage | PauseSessionMessage | LeftOutMessage;
