/** Init script and reader for the payload bytes of every RTCPeerConnection a page creates (data-channel statistics). */
import type { Page } from '@playwright/test';

/** Serialized into the page: keeps every peer connection the page makes (the app's through simple-peer included). */
export function recordPeerConnections(): void {
  const w = window as unknown as { __benchPcs: RTCPeerConnection[]; RTCPeerConnection: typeof RTCPeerConnection };
  const Original = w.RTCPeerConnection;
  const list: RTCPeerConnection[] = [];
  w.__benchPcs = list;
  w.RTCPeerConnection = class extends Original {
    constructor(config?: RTCConfiguration) {
      super(config);
      list.push(this);
    }
  };
}

/** Message payload bytes received (or sent) so far on every open data channel of the page (RTCDataChannelStats). */
export function channelBytesReceived(page: Page, field: 'bytesReceived' | 'bytesSent' = 'bytesReceived'): Promise<number> {
  return page.evaluate(async (field) => {
    let total = 0;
    for (const pc of (window as unknown as { __benchPcs?: RTCPeerConnection[] }).__benchPcs ?? []) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((report: { type: string; bytesReceived?: number; bytesSent?: number }) => {
        if (report.type === 'data-channel') total += report[field] ?? 0;
      });
    }
    return total;
  }, field);
}
