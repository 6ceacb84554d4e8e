/** A pair's extra lanes (issue 16): further peer connections to the same peer, each carrying its opener's block pieces under its own key. */
import { BUFFER_HIGH, BUFFER_LOW, Outbox, type StallReason } from './outbox.ts';
import { Inlet } from './inlet.ts';
import type { ChannelStats, PeerChannel } from './transport.ts';
import { decodeLaneNotice, encodeLaneNotice } from './lane-notice.ts';
import { parseLaneSignal, type LaneSignal, type PairLanesOptions } from './lane-policy.ts';

export type { LaneEvent, LanePolicy, PairLanesOptions } from './lane-policy.ts';

/** Envelope `type` of a lane's signaling (body: LaneSignal as JSON), sealed like `rtc`. */
export const LANE_ENVELOPE_TYPE = 'rtc-lane';
/** Extra lanes one member opens toward one peer, and takes from it: 1 + 3 connections per pair and direction at most. */
export const MAX_LANES = 3;
/** How long every lane of a pair must stay full (at least its low mark waiting in its channel) before the next opens. */
export const LANE_PATIENCE_MS = 500;
/**
 * A pair's channels' backpressure marks once it has a lane (lane 0's too): each piece goes to the channel with the least
 * waiting, and a channel past LANE_BUFFER_HIGH takes none until it drained to LANE_BUFFER_LOW, so a lane slowed by a
 * loss gets fewer pieces rather than a deep queue that the receiver's window (remote-blocks.ts) would wait behind. The
 * low mark stays well above what one connection keeps in flight (~100–250 KiB on a 40–80 ms path: bench/README.md,
 * "Transfer over round trips: reading"), which `bufferedAmount` may count: at 256 KiB (before 2026-11-30) a channel
 * ran dry between refills and a pair with a lane moved slower than one without (paced 40 ms path, medians 45 s against
 * 35 s; 2 MiB / 1 MiB: 33 s, "Transfer over round trips", 15:18 notes).
 */
export const LANE_BUFFER_HIGH = 2 * 1024 * 1024;
export const LANE_BUFFER_LOW = 1024 * 1024;
/**
 * A lane not connected by then is given up (closed, reported `lane-failed`) and the pair opens no more: a path where one
 * more connection fails (a TURN quota, a peer that refused it) keeps the lanes it has; the pair itself stays.
 */
export const LANE_CONNECT_MS = 30_000;
/**
 * Each lane after the first opens only if the one before raised the pair's rate by this much (0.2: 20 %); the last one
 * opened is retired (no more pieces) once LANE_RETIRE_WINDOWS full windows in a row ran this much below the rate
 * that opened it.
 */
export const LANE_MIN_GAIN = 0.2;
/**
 * Full windows in a row below (1 − LANE_MIN_GAIN) × the opening rate before the last lane is retired: one slow window
 * is often the receiver pausing (a disk flush, a collection), not the lane; three (1.5 s) say the pair is slower with it
 * (on a path limited by its bandwidth, a second connection adds its window to an already full queue: bench/README.md,
 * "Transfer over round trips", 2026-11-30 15:18).
 */
export const LANE_RETIRE_WINDOWS = 3;
/**
 * Full windows not measured at first, and after a lane of ours connects: a connection first takes a burst into its own
 * empty buffers (its SCTP association's send queue, which `bufferedAmount` may not count), so bytes "gone" from the
 * channels in that window read as a rate the path never carried. Measured from it, the rate that opened a lane was
 * inflated (11,010 and 9,951 B/ms against 3,771–5,764 B/ms later in the same runs on a paced 40 ms path,
 * bench/README.md "Transfer over round trips", 2026-11-30 17:15–17:19) and that lane was retired for falling short of
 * a rate that never was.
 */
export const LANE_SETTLE_WINDOWS = 1;
/** The round trip (ms, lane 0's selected ICE pair) from which another connection is worth its handshake. */
export const LANE_MIN_RTT_MS = 10;

/**
 * What one measured window says, given the rate that opened the last lane (`lastRate`, null before the first) and the
 * slow windows in a row so far: open the next lane (no lane yet, or a gain of LANE_MIN_GAIN), count one more slow
 * window (below 1 − LANE_MIN_GAIN of it) and retire the last lane at LANE_RETIRE_WINDOWS, or start the count again.
 */
export function laneStep(rate: number, lastRate: number | null, slow: number): { open: boolean; slow: number; retire: boolean } {
  if (lastRate === null || rate >= lastRate * (1 + LANE_MIN_GAIN)) return { open: true, slow: 0, retire: false };
  const next = rate < lastRate * (1 - LANE_MIN_GAIN) ? slow + 1 : 0;
  return { open: false, slow: next, retire: next >= LANE_RETIRE_WINDOWS };
}

interface Lane {
  index: number;
  channel: PeerChannel;
  up: boolean;
  /** It connected once: it may have carried pieces, so its loss is reported (`lost`) and mended, not just given up. */
  connected: boolean;
  /** Closed for good: nothing more is sent or read on it, and its number is never used again in this pair. */
  dead: boolean;
  /** Lanes this member opened: it sends on them. */
  outbox?: Outbox;
  /** Retired for making the pair slower: it takes no more pieces (what it holds still goes), and stays open. */
  retired?: boolean;
  /** Lanes the peer opened: this member reads them. */
  inlet?: Inlet;
}

/**
 * Lanes of one pair. A lane is opened by the side that sends on it (no glare: each side numbers its own), only toward a
 * peer that takes lanes, only while every lane it has stays full for LANE_PATIENCE_MS and lane 0's round trip is at
 * least LANE_MIN_RTT_MS (on loopback none opens). Only messages marked `anyLane` (block pieces, whose order does not
 * matter) go on them, each on the lane with the least waiting; everything else stays on lane 0.
 */
export class PairLanes {
  readonly #o: PairLanesOptions;
  /** Lanes this member opened (index 1…), in order. */
  readonly #out: Lane[] = [];
  /** Lanes the peer opened, by index (a lost one stays, dead: its number is never taken again). */
  readonly #in = new Map<number, Lane>();
  /** Numbers of the peer's lanes it said were gone before they were offered: never taken either. */
  readonly #retired = new Set<number>();
  #opening = false;
  /** A lane of ours failed to connect, or a lane of the pair was lost: no more are opened to this peer. */
  #gaveUp = false;
  #closed = false;
  #hushed = false;
  #cancelWait: (() => void) | null = null;
  /** Bytes gone from the pair's channels when the patience timer was armed. */
  #mark = 0;
  /** The pair's rate (bytes/ms) over the window that opened our last lane; null before the first. */
  #lastRate: number | null = null;
  /** Full windows in a row since, each below (1 − LANE_MIN_GAIN) × #lastRate. */
  #slowWindows = 0;
  /** Full windows still to let pass unmeasured: the pair's first ones, then those since our last lane connected. */
  #settling = LANE_SETTLE_WINDOWS;

  constructor(options: PairLanesOptions) {
    this.#o = options;
  }

  /** Outboxes that take `anyLane` messages now: lane 0's and every open lane's this member opened. */
  get outboxes(): Outbox[] {
    return [this.#o.first.outbox, ...this.#out.filter((l) => l.up && !l.retired && l.outbox).map((l) => l.outbox as Outbox)];
  }

  /** The lane with the least waiting (queued here plus the bound of its channel's buffer) for one `anyLane` message. */
  pick(): Outbox {
    this.consider();
    let best = this.#o.first.outbox;
    for (const outbox of this.outboxes) if (outbox.load < best.load) best = outbox;
    return best;
  }

  /** A lane envelope (already opened) from the peer. The mesh checked that lane 0 is up. */
  signal(body: string): void {
    const signal = parseLaneSignal(body);
    if (!signal) return this.#o.drop('lane-malformed');
    if (!signal.mine) {
      const lane = this.#out.find((l) => l.index === signal.lane);
      return lane ? lane.channel.signal(signal.data) : this.#o.drop('lane-unknown');
    }
    let lane = this.#in.get(signal.lane);
    if (lane?.dead || this.#retired.has(signal.lane)) return; // candidates may trail a close; a number is never taken again
    if (!lane) {
      if (!this.#o.policy.accept) return this.#o.drop('lane-refused');
      if (signal.lane > MAX_LANES) return this.#o.drop('lane-over-cap');
      if (this.#closed) return;
      lane = this.#lane(signal.lane, false);
      this.#in.set(signal.lane, lane);
    }
    lane.channel.signal(signal.data);
  }

  /**
   * A lane notice from the peer (lane 0, so in order with its messages): that lane is closed at its end. A lane it
   * opened (`mine`) is one this member reads: once gone at the sender, what it carried and did not deliver is asked
   * again (`lost`). A lane this member opened is closed here before anything sent after the notice is read, so no later
   * piece goes on it. A notice for a number not yet offered keeps that number from being taken later.
   */
  notice(data: Uint8Array): void {
    const notice = decodeLaneNotice(data);
    if (!notice || notice.lane > MAX_LANES) return this.#o.drop('lane-notice-malformed');
    if (this.#closed) return;
    const lane = notice.mine ? this.#in.get(notice.lane) : this.#out.find((l) => l.index === notice.lane);
    if (!lane) return notice.mine ? void this.#retired.add(notice.lane) : this.#o.drop('lane-unknown');
    this.#end(lane, !notice.mine, 'closed by the peer', true);
  }

  /** Opens frames of incoming lanes that waited for an epoch's key. */
  flushPending(): void {
    for (const lane of this.#in.values()) lane.inlet?.flush();
  }

  /** Leaving: nothing more is written on this member's lanes (the peer closes them on `bye`, as lane 0). */
  hush(): void {
    this.#hushed = true;
    this.#cancelWait?.();
    for (const lane of this.#out) lane.outbox?.close();
  }

  /** Closes every lane (the pair went down or is closing). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelWait?.();
    for (const lane of [...this.#out, ...this.#in.values()]) {
      lane.outbox?.close();
      lane.channel.close();
    }
  }

  /** Bytes each lane's channel carried, named `out-<n>` (opened here) and `in-<n>` (opened by the peer). */
  async stats(): Promise<Record<string, ChannelStats>> {
    const out: Record<string, ChannelStats> = {};
    for (const [dir, lanes] of [['out', this.#out], ['in', [...this.#in.values()]]] as const) {
      for (const lane of lanes) {
        const stats = lane.up ? await lane.channel.stats?.().catch(() => undefined) : undefined;
        if (stats) out[`${dir}-${lane.index}`] = stats;
      }
    }
    return out;
  }

  /**
   * Opens the next lane when the policy says so: called at each `anyLane` send (cheap unless every lane is full), and
   * once the peer's profile says it takes lanes (forced lanes then open before the first piece).
   */
  consider(): void {
    if (this.#opening || this.#gaveUp || this.#closed || this.#hushed || this.#out.length >= MAX_LANES || !this.#o.policy.peerAccepts(this.#o.peer)) return;
    const force = this.#o.policy.force;
    if (force !== undefined) {
      while (this.#out.length < Math.min(force, MAX_LANES)) this.#open(); // all at once: their handshakes overlap
      return;
    }
    if (this.#cancelWait || !this.#full(false)) return;
    this.#mark = this.#progress(); // reads the buffers: at most once per LANE_PATIENCE_MS
    this.#cancelWait = this.#o.timers.after(LANE_PATIENCE_MS, () => {
      this.#cancelWait = null;
      if (!this.#full(true)) return;
      if (this.#settling > 0) return void this.#settling--; // the new lane's first burst: not a rate of the path
      void this.#measure((this.#progress() - this.#mark) / LANE_PATIENCE_MS);
    });
  }

  #progress(): number {
    return this.outboxes.reduce((n, outbox) => n + outbox.progress, 0);
  }

  /**
   * Every lane in use has at least BUFFER_LOW waiting in its channel (or behind it): the path, not Quintet, is the
   * limit. `exact`: reads the channels' buffers (a blocking call under Node, so only when the patience timer fires);
   * else their upper bounds (outbox.ts `load`), what a send may look at.
   */
  #full(exact: boolean): boolean {
    return this.outboxes.every((outbox) => outbox.queued > 0 || (exact ? outbox.buffered : outbox.load) >= outbox.low);
  }

  /**
   * Opens the next lane if the path has a round trip worth it and, after the first, if the last one paid: the pair's
   * `rate` over this full window beats the one that opened it by LANE_MIN_GAIN (a path whose bottleneck is its
   * bandwidth, not one connection's window, gets no further connection). A last lane under which the pair stays
   * slower than before it opened is retired (`#retireLast`).
   */
  async #measure(rate: number): Promise<void> {
    const step = laneStep(rate, this.#lastRate, this.#slowWindows);
    this.#slowWindows = step.slow;
    if (step.retire) this.#retireLast(rate);
    if (!step.open) return;
    this.#opening = true;
    const rtt = await this.#o.first.channel.roundTripMs?.().catch(() => undefined);
    this.#opening = false;
    if (rtt === undefined || rtt < LANE_MIN_RTT_MS || this.#closed || this.#hushed) return;
    this.#lastRate = rate;
    this.#open();
  }

  /**
   * The last lane opened takes no more pieces (they go to the lanes before it) and no more lanes open in this pair. It
   * stays open and its outbox drains what it holds, so nothing is dropped and the peer sees no change: a lane with
   * nothing to carry. Left with lane 0 alone, the pair takes back lane 0's own marks (BUFFER_HIGH, BUFFER_LOW).
   */
  #retireLast(rate: number): void {
    const lane = [...this.#out].reverse().find((l) => l.up && !l.retired);
    this.#gaveUp = true;
    if (!lane) return;
    lane.retired = true;
    // Back to one channel: lane 0 gets its own marks again, as in a pair that never had a lane.
    if (this.outboxes.length === 1) [this.#o.first.outbox.high, this.#o.first.outbox.low] = [BUFFER_HIGH, BUFFER_LOW];
    this.#o.report(`out-${lane.index}`, 'retired', `${Math.round(rate)} B/ms against ${Math.round(this.#lastRate ?? 0)} before it opened`);
  }

  #open(): void {
    this.#opening = true;
    const lane = this.#lane(this.#out.length + 1, true);
    this.#out.push(lane);
  }

  /**
   * Ends one lane alone: closed (its unsent frames dropped: sealed under its own counters, they could go nowhere else),
   * out of the pool, its number never used again, and no more lanes opened in this pair. Toward a peer that mends, the
   * peer is told on lane 0 unless it told us (`told`); one that carried pieces is reported `lost` (the receiver then asks
   * again for what it still awaits: core/transfer/remote-blocks.ts), one that never connected `failed`. Toward a peer
   * that does not mend, a lane that connected takes the pair down, as there.
   */
  #end(lane: Lane, mine: boolean, reason: string, told: boolean, stalled?: StallReason): void {
    if (lane.dead || this.#closed) return;
    const o = this.#o;
    const name = `${mine ? 'out' : 'in'}-${lane.index}`;
    lane.dead = true;
    lane.up = false;
    if (mine || lane.connected) this.#gaveUp = true; // a peer's lane that never came up says nothing of ours
    if (mine) this.#opening = false;
    lane.outbox?.close();
    lane.channel.close();
    const mends = o.policy.peerMends?.(o.peer) === true;
    // Told first: whatever `lost` makes the receiver ask again goes on lane 0 after the notice, so the sender has
    // closed the lane before it reads the new requests.
    if (mends && !told && !this.#hushed) o.notify(encodeLaneNotice({ lane: lane.index, mine }));
    if (lane.connected && !mends) o.down(stalled); // first: the pair's requests fail as member-left, none is asked again
    o.report(name, lane.connected ? 'lost' : 'failed', reason);
    if (!lane.connected) o.drop('lane-failed'); // it carried nothing
  }

  #lane(index: number, mine: boolean): Lane {
    const o = this.#o;
    const lane = { index, up: false, connected: false, dead: false } as Lane;
    const cancelConnect = o.timers.after(LANE_CONNECT_MS, () => {
      if (!lane.connected) this.#end(lane, mine, 'connect-timeout', false);
    });
    o.report(`${mine ? 'out' : 'in'}-${index}`, 'opened');
    lane.channel = o.transport.open({
      peer: o.peer,
      initiator: mine,
      handlers: {
        onSignal: (data) => o.sendSignal(JSON.stringify({ lane: index, mine, data } satisfies LaneSignal)),
        onConnect: () => {
          if (lane.dead) return;
          lane.up = lane.connected = true;
          cancelConnect();
          o.report(`${mine ? 'out' : 'in'}-${index}`, 'connected');
          if (!mine) return;
          this.#opening = false;
          this.#settling = LANE_SETTLE_WINDOWS; // no window runs while a lane opens (#opening): the next one starts now
          for (const outbox of this.outboxes) [outbox.high, outbox.low] = [LANE_BUFFER_HIGH, LANE_BUFFER_LOW];
        },
        onData: (message) => {
          if (!lane.inlet) return o.drop('lane-wrong-way');
          o.received(`in-${index}`, message.length);
          lane.inlet.arrived(message);
        },
        onClose: (error) => {
          cancelConnect();
          this.#end(lane, mine, error ? `closed: ${error.message}` : 'closed', false);
        },
      },
    });
    if (mine) {
      lane.outbox = new Outbox({
        channel: lane.channel,
        seal: (data) => o.keys.seal(o.peer, data, index),
        timers: o.timers,
        onStall: (reason) => this.#end(lane, mine, reason, false, reason),
        onError: () => o.drop('send-failed'),
        onShrink: () => o.onShrink(),
      });
    } else {
      lane.inlet = new Inlet({
        open: (frame) => o.keys.open(o.peer, frame, index),
        deliver: (data) => (o.policy.laneable(data) ? o.deliver(data) : o.drop('lane-not-bulk')),
        drop: o.drop,
        alive: () => !this.#closed && !lane.dead,
      });
    }
    return lane;
  }
}
