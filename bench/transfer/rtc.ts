/** Baseline (a): raw RTCDataChannel throughput between two Chromium pages on loopback, no encryption beyond DTLS. */
import type { Page } from '@playwright/test';

export interface RawRun {
  /** Data channels of the one peer connection, sending in parallel (each with its own in-flight bound). */
  channels: number;
  messageBytes: number;
  inFlightBytes: number;
  bytes: number;
  seconds: number;
}

interface RawWindow {
  __raw?: { pc: RTCPeerConnection; channels: RTCDataChannel[]; got: number; want: number };
}

/** Creates this page's end (offerer if `offer` is null), waits for ICE gathering to finish, returns its description. */
async function describe(page: Page, offer: RTCSessionDescriptionInit | null, channels: number): Promise<RTCSessionDescriptionInit> {
  return page.evaluate(async ({ offer, channels }) => {
    const w = window as unknown as RawWindow;
    w.__raw?.pc.close();
    const pc = new RTCPeerConnection();
    const state: NonNullable<RawWindow['__raw']> = { pc, channels: [], got: 0, want: Infinity };
    w.__raw = state;
    const receive = (channel: RTCDataChannel) => {
      channel.binaryType = 'arraybuffer';
      channel.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
        if (typeof event.data === 'string') return;
        const before = state.got;
        state.got += event.data.byteLength;
        if (before < state.want && state.got >= state.want) channel.send('done');
      };
    };
    if (offer === null) {
      for (let i = 0; i < channels; i++) state.channels.push(pc.createDataChannel(`bench-${i}`));
      await pc.setLocalDescription(await pc.createOffer());
    } else {
      pc.ondatachannel = (event) => {
        state.channels.push(event.channel);
        receive(event.channel);
      };
      await pc.setRemoteDescription(offer);
      await pc.setLocalDescription(await pc.createAnswer());
    }
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    });
    return pc.localDescription!.toJSON() as RTCSessionDescriptionInit;
  }, { offer, channels });
}

/** A fresh peer connection between the two pages (descriptions relayed by this script), channel open on both ends. */
async function connect(sender: Page, receiver: Page, channels: number): Promise<void> {
  const offer = await describe(sender, null, channels);
  const answer = await describe(receiver, offer, channels);
  await sender.evaluate(async (answer) => {
    const raw = (window as unknown as RawWindow).__raw!;
    await raw.pc.setRemoteDescription(answer);
    for (const channel of raw.channels) if (channel.readyState !== 'open') await new Promise((resolve) => channel.addEventListener('open', resolve, { once: true }));
  }, answer);
  await receiver.waitForFunction(
    (n) => (window as unknown as RawWindow).__raw?.channels.filter((c) => c.readyState === 'open').length === n,
    channels,
    { timeout: 30_000 },
  );
}

/**
 * Sends `bytes` in messages of `messageBytes` over `channels` channels in parallel (an equal share each), keeping at
 * most `inFlightBytes` in each channel's buffer (bufferedamountlow at half of it); the time runs until the receiver
 * has counted every byte and said so.
 */
export async function rawThroughput(sender: Page, receiver: Page, messageBytes: number, inFlightBytes: number, bytes: number, channels = 1): Promise<RawRun> {
  await connect(sender, receiver, channels);
  await receiver.evaluate((bytes) => Object.assign((window as unknown as RawWindow).__raw!, { got: 0, want: bytes }), bytes);
  const ms = await sender.evaluate(
    async ({ messageBytes, inFlightBytes, bytes }) => {
      const all = (window as unknown as RawWindow).__raw!.channels;
      const message = new Uint8Array(messageBytes);
      crypto.getRandomValues(message.subarray(0, Math.min(65536, messageBytes)));
      const done = Promise.race(all.map((c) => new Promise<void>((resolve) => c.addEventListener('message', () => resolve(), { once: true }))));
      const share = Math.ceil(bytes / all.length);
      const t0 = performance.now();
      await Promise.all(
        all.map(async (channel, i) => {
          channel.bufferedAmountLowThreshold = inFlightBytes / 2;
          const mine = Math.max(0, Math.min(share, bytes - i * share));
          for (let sent = 0; sent < mine; sent += messageBytes) {
            if (channel.bufferedAmount + messageBytes > inFlightBytes) await new Promise((resolve) => channel.addEventListener('bufferedamountlow', resolve, { once: true }));
            channel.send(sent + messageBytes <= mine ? message : message.subarray(0, mine - sent));
          }
        }),
      );
      await done;
      return performance.now() - t0;
    },
    { messageBytes, inFlightBytes, bytes },
  );
  for (const page of [sender, receiver]) await page.evaluate(() => (window as unknown as RawWindow).__raw?.pc.close());
  return { channels, messageBytes, inFlightBytes, bytes, seconds: ms / 1000 };
}
