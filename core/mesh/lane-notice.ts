/** The one message the mesh itself sends on lane 0: "lane n of this pair is gone" (feature `lane-loss`, docs/protocol.md §8 Lanes). */

/**
 * First byte of a lane notice. Block pieces start with 0 or 1 (core/protocol/block-frame.ts), JSON with `{`: the mesh
 * takes a lane-0 plaintext starting with this byte for itself and hands everything else on.
 */
export const LANE_NOTICE_KIND = 2;
/** The only notice so far: the lane is closed at the sender's end, which sends nothing more on it. */
const GONE = 1;
/** kind ‖ op ‖ mine (1: the notice's sender opened the lane) ‖ lane. */
const LENGTH = 4;

/** Lane `lane` is gone; `mine`: the notice's sender opened it (as in an `rtc-lane` envelope). */
export interface LaneNotice {
  lane: number;
  mine: boolean;
}

/** Whether a lane-0 plaintext is a lane notice (for the mesh) rather than a message for the session. */
export function isLaneNotice(data: Uint8Array): boolean {
  return data.length > 0 && data[0] === LANE_NOTICE_KIND;
}

export function encodeLaneNotice(notice: LaneNotice): Uint8Array {
  return Uint8Array.of(LANE_NOTICE_KIND, GONE, notice.mine ? 1 : 0, notice.lane);
}

/** The notice, or null when it is not one this member reads (another length, op, or lane number out of 1–255). */
export function decodeLaneNotice(data: Uint8Array): LaneNotice | null {
  if (data.length !== LENGTH || data[0] !== LANE_NOTICE_KIND || data[1] !== GONE || (data[2] !== 0 && data[2] !== 1) || data[3] === 0) return null;
  return { lane: data[3] as number, mine: data[2] === 1 };
}
