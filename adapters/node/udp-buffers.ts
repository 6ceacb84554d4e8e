/**
 * The system's default UDP receive buffer (Linux) and when a Node member hints that it is small (the hint's words are
 * the CLI's, in its language: cli/cloud-setup.ts).
 * @roamhq/wrtc (libwebrtc) leaves its UDP sockets at `net.core.rmem_default` and offers no socket option, so the app
 * cannot enlarge them itself: only the system's default helps (docs/cli.md, "Network buffers (Linux)").
 */
import { readFileSync } from 'node:fs';

export const RMEM_DEFAULT_PATH = '/proc/sys/net/core/rmem_default';

/**
 * Below this the hint is shown: 1 MiB holds ~8 ms of a 1 Gbit/s burst (125 MB/s), enough to ride out a busy turn of
 * the WebRTC network thread. The usual 208 KiB default holds ~1.7 ms and overflowed thousands of times per transfer
 * here; 4 MiB (the value the hint proposes) made the drops fewer (8,000 → 2,300 over a 40 ms path), not none.
 */
export const MIN_RMEM_DEFAULT = 1024 * 1024;

/** The value the hint proposes for rmem_default and rmem_max: the one measured in docs/cli.md. */
export const SUGGESTED_RMEM = 4 * 1024 * 1024;

/** The file's text as a byte count; anything but a plain non-negative integer is unknown. */
export function parseRmem(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * `net.core.rmem_default` in bytes, on Linux only; undefined elsewhere or when the file cannot be read (a container
 * without /proc/sys, a hardened system). Synchronous: one small procfs read at start, never worth a promise.
 */
export function readRmemDefault(platform: NodeJS.Platform = process.platform, read: (path: string) => string = (path) => readFileSync(path, 'utf8')): number | undefined {
  if (platform !== 'linux') return undefined;
  try {
    return parseRmem(read(RMEM_DEFAULT_PATH));
  } catch {
    return undefined;
  }
}

/** What the hint needs when a default receive buffer of `rmemDefault` bytes is below MIN_RMEM_DEFAULT; else undefined. */
export function smallUdpBuffer(rmemDefault: number | undefined): { rmemDefault: number; minimum: number; suggested: number } | undefined {
  if (rmemDefault === undefined || rmemDefault >= MIN_RMEM_DEFAULT) return undefined;
  return { rmemDefault, minimum: MIN_RMEM_DEFAULT, suggested: SUGGESTED_RMEM };
}
