/**
 * The system's default UDP receive buffer (Linux) and the hint a Node member prints when it is small.
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

/** A byte count for people: 212992 → "208 KiB". */
function kib(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/** The hint for a default receive buffer of `rmemDefault` bytes: a paragraph when it is below MIN_RMEM_DEFAULT, else nothing. */
export function udpBufferHint(rmemDefault: number | undefined): string | undefined {
  if (rmemDefault === undefined || rmemDefault >= MIN_RMEM_DEFAULT) return undefined;
  return [
    `Hint: this system's default UDP receive buffer is ${kib(rmemDefault)} (net.core.rmem_default = ${rmemDefault}), below ${kib(MIN_RMEM_DEFAULT)}.`,
    'WebRTC in Node uses it as is, so bursts of packets overflow it and are lost; transfers get slower, especially over',
    `long round trips. To raise it: sudo sysctl -w net.core.rmem_default=${SUGGESTED_RMEM} net.core.rmem_max=${SUGGESTED_RMEM}`,
    '(to keep it after a reboot, put both settings in a file in /etc/sysctl.d/, e.g. /etc/sysctl.d/90-udp-buffers.conf).',
    'See docs/cli.md, "Network buffers (Linux)". QUINTET_QUIET_HINTS=1 hides this hint.',
  ].join('\n');
}
