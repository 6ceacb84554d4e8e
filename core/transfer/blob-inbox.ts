/** Peers' blobs (inventories, plans) gathered part by part within a byte budget per sender and kind, then decoded. */
import type { BlobDecoder } from '../ports.ts';
import { PART_BYTES } from '../protocol/run-messages.ts';
import { MAX_BLOB_BYTES, PartCollector, type BlobPart } from './blob-parts.ts';

/** The run messages that carry parts of a blob. */
export type BlobKind = 'inventory-part' | 'inventory-delta-part' | 'plan-part';

/**
 * Compressed bytes one sender may have in flight per kind, collecting or decoding: one blob at its largest
 * (MAX_BLOB_BYTES, derived from the 2,000,000-item cap). A new round's blob replaces the sender's unfinished one.
 */
export const BLOB_BUDGET: Readonly<Record<BlobKind, number>> = { 'inventory-part': MAX_BLOB_BYTES, 'inventory-delta-part': MAX_BLOB_BYTES, 'plan-part': MAX_BLOB_BYTES };

/** Why a sender's blob was refused: past its budget, a part that contradicts the others, or a blob that would not decode. */
export type BlobRefusal = 'over-budget' | 'bad-part' | 'undecodable';

/** What one part led to: more parts awaited (null), the decoded value of the whole blob, or its refusal (said once). */
export type BlobOutcome = null | { ok: true; value: unknown } | { ok: false; reason: BlobRefusal; detail: string };

interface Slot {
  run: string;
  /** Null once this round's blob is refused (its later parts are dropped) or complete (a later part is refused). */
  collector: PartCollector | null;
  refused: boolean;
  /** Compressed bytes of this sender's blobs of this kind now being decoded. */
  decoding: number;
}

/** One member's inbox of peers' blobs. */
export class BlobInbox {
  readonly #decoder: BlobDecoder;
  readonly #budget: Readonly<Record<BlobKind, number>>;
  readonly #slots = new Map<string, Slot>();

  constructor(decoder: BlobDecoder, budget: Readonly<Record<BlobKind, number>> = BLOB_BUDGET) {
    this.#decoder = decoder;
    this.#budget = budget;
  }

  /** Bytes held for `from`'s blobs of `kind` (parts collected plus blobs being decoded): never past its budget. */
  held(from: string, kind: BlobKind): number {
    const slot = this.#slots.get(`${kind}\0${from}`);
    return (slot?.collector?.held ?? 0) + (slot?.decoding ?? 0);
  }

  /** Adds a part of `from`'s blob of round `run`. The parts of a refused blob are dropped after the one refusal. */
  async add(from: string, kind: BlobKind, run: string, part: BlobPart): Promise<BlobOutcome> {
    const key = `${kind}\0${from}`;
    let slot = this.#slots.get(key);
    if (!slot) this.#slots.set(key, (slot = { run, collector: new PartCollector(), refused: false, decoding: 0 }));
    if (slot.run !== run) Object.assign(slot, { run, collector: new PartCollector(), refused: false }); // another round replaces the unfinished blob
    const collector = slot.collector;
    if (!collector) return slot.refused ? null : refuse(slot, 'bad-part', `${kind} after its blob was complete`);
    const budget = this.#budget[kind];
    // A blob within budget has at most ceil(budget / PART_BYTES) parts: a larger count is refused at its first part.
    const over = part.count > Math.ceil(budget / PART_BYTES) || collector.held + slot.decoding + Math.floor((part.data.length * 3) / 4) > budget;
    let whole: Uint8Array | null;
    try {
      if (over) return refuse(slot, 'over-budget', `${kind} past ${budget} bytes in flight`);
      whole = collector.add(part);
    } catch (e) {
      return refuse(slot, 'bad-part', String(e));
    }
    if (whole === null) return null;
    slot.collector = null;
    const size = whole.length; // the decoder may take the buffer (a worker transfer leaves it empty)
    slot.decoding += size;
    try {
      return { ok: true, value: await this.#decoder.decode(whole) };
    } catch (e) {
      return { ok: false, reason: 'undecodable', detail: String(e) };
    } finally {
      slot.decoding -= size;
    }
  }
}

function refuse(slot: Slot, reason: BlobRefusal, detail: string): BlobOutcome {
  slot.collector = null; // its parts are released now; later parts of the same blob are dropped
  slot.refused = true;
  return { ok: false, reason, detail };
}
