/** One WebSocket's life on the server: frame checks (size, rate, schema) in order, then dispatch to its room. */
import { CLOSE_REASONS, CloseCode } from '../core/protocol/close-codes.ts';
import { decodeClientMessage, encodeMessage, type DecodeFailure } from '../core/protocol/signal-codec.ts';
import type { Clock } from '../core/ports.ts';
import type { SignalingConfig } from './config.ts';
import type { Link, Peer, Room } from './room.ts';
import { TokenBucket, type BucketMap } from './token-bucket.ts';

const DECODE_REASONS: Record<DecodeFailure, string> = {
  'malformed-json': CLOSE_REASONS.malformedJson,
  'unknown-type': CLOSE_REASONS.unknownType,
  'invalid-message': CLOSE_REASONS.invalidMessage,
};

/** What a connection shares with the others of its hub. */
export interface ConnectionContext {
  config: SignalingConfig;
  clock: Clock;
  /** Message buckets per address, shared by every connection from that address. */
  addressBuckets: BucketMap;
  log(line: string): void;
  /** Called exactly once when the connection is gone, whoever closed it. */
  onGone(connection: Connection): void;
  /** A resuming connection proved its token: the hub sends its welcome (new token, the slot's old ID). */
  onResumed(connection: Connection, was: string, token: string): void;
}

/**
 * UTF-8 length without encoding when the answer is obvious: a JS string of n code units
 * takes between n and 3n bytes, so only frames near the limit get encoded.
 */
function tooLarge(text: string, max: number): boolean {
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  return new TextEncoder().encode(text).length > max;
}

/** A connection that has entered a room as member or candidate. */
export class Connection implements Peer {
  role: 'member' | 'candidate' | 'resuming' = 'candidate';
  /** For a resuming connection: the member ID whose slot it asks back. */
  resumes: string | null = null;
  spoke = false;
  /** Last time any frame arrived; the idle sweep closes connections silent for longer than `idleTimeoutMs`. */
  lastSeen: number;
  /** When the connection entered its room. */
  readonly since: number;
  private gone = false;
  private readonly bucket: TokenBucket;

  constructor(
    readonly id: string,
    readonly address: string,
    readonly link: Link,
    readonly room: Room,
    private readonly ctx: ConnectionContext,
  ) {
    this.lastSeen = this.since = ctx.clock.now();
    this.bucket = new TokenBucket(ctx.config.connectionRate, this.lastSeen);
  }

  /** Handles one incoming frame. Text only; anything wrong closes this connection and no other. */
  receive(data: string | ArrayBuffer | Uint8Array): void {
    if (this.gone) return;
    const now = this.ctx.clock.now();
    this.lastSeen = now;
    if (typeof data !== 'string') return this.kill(CloseCode.BadMessage, CLOSE_REASONS.binaryFrame);
    if (tooLarge(data, this.ctx.config.maxFrameBytes)) return this.kill(CloseCode.FrameTooLarge, CLOSE_REASONS.frameTooLarge);
    if (!this.bucket.take(now)) return this.kill(CloseCode.RateLimited, CLOSE_REASONS.messageRate);
    if (!this.ctx.addressBuckets.take(this.address, now)) return this.kill(CloseCode.RateLimited, CLOSE_REASONS.addressRate);
    const decoded = decodeClientMessage(data);
    if (!decoded.ok) return this.kill(CloseCode.BadMessage, DECODE_REASONS[decoded.failure]);
    const message = decoded.message;
    // A resuming connection says nothing before its token, and sends its token once.
    if ((this.role === 'resuming') !== (message.type === 'resume') && message.type !== 'ping') return this.kill(CloseCode.BadMessage, CLOSE_REASONS.invalidMessage);
    switch (message.type) {
      case 'ping':
        return this.link.send(encodeMessage({ type: 'pong' }));
      case 'send':
        return this.room.relay(this, message.to, message.body);
      case 'admit':
        return this.room.admit(this, message.candidate);
      case 'deny':
        return this.room.deny(this, message.candidate);
      case 'leave':
        // On purpose: the slot is released at once (no hold), then the socket closes.
        this.ctx.log(`connection ${this.id} in ${this.room.session} left`);
        try {
          this.link.close(1000, 'left');
        } catch {
          // Already closing.
        }
        return this.closed(false);
      case 'resume': {
        const token = this.room.resume(this, this.resumes ?? '', message.token);
        if (token !== null) this.ctx.onResumed(this, this.resumes ?? '', token);
        return;
      }
    }
  }

  /** The server ends this connection with a reason; the room forgets it at once, not when the socket finishes closing. */
  kill(code: number, reason: string): void {
    if (this.gone) return;
    this.ctx.log(`connection ${this.id} in ${this.room.session} closed by server: ${code} ${reason}`);
    try {
      this.link.close(code, reason);
    } catch {
      // Already closing: nothing more to tell the client.
    }
    this.closed(false);
  }

  /**
   * The socket is gone (client closed, network dropped, or after `kill`). Idempotent. `hold` (the default, a socket
   * that closed under us without `leave`): a member's slot is held for a resume; the server's own closes never hold.
   */
  closed(hold = true): void {
    if (this.gone) return;
    this.gone = true;
    try {
      if (this.role !== 'resuming') this.room.remove(this, hold);
    } finally {
      this.ctx.onGone(this); // the hub forgets it (and its address's count) whatever the room's removal did
    }
  }

  /** True once the connection has been closed or killed. */
  get isGone(): boolean {
    return this.gone;
  }
}
