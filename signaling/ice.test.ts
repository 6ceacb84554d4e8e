/** Tests for ICE configuration: coturn credentials checked against node:crypto, expiry, and what is left out. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readConfig } from './config.ts';
import { iceServersFor, turnCredential } from './ice.ts';

const random = { bytes: (n: number) => new Uint8Array(n).fill(0xab) };

describe('ICE servers', () => {
  it('computes the coturn credential as base64(HMAC-SHA1(secret, username))', async () => {
    const expected = createHmac('sha1', 'north').update('1700000000:abc').digest('base64');
    expect(await turnCredential('north', '1700000000:abc')).toBe(expected);
  });

  it('hands out STUN and time-limited TURN from configuration', async () => {
    const config = readConfig({
      QUINTET_STUN_URLS: 'stun:a.example:3478, stun:b.example:3478',
      QUINTET_TURN_URLS: 'turn:t.example:3478?transport=udp,turns:t.example:5349',
      QUINTET_TURN_SECRET: 's3cret',
      QUINTET_TURN_TTL_SECONDS: '600',
    });
    const servers = await iceServersFor(config, 1_700_000_000_500, random);
    expect(servers[0]).toEqual({ urls: ['stun:a.example:3478', 'stun:b.example:3478'] });
    const turn = servers[1];
    expect(turn?.urls).toEqual(['turn:t.example:3478?transport=udp', 'turns:t.example:5349']);
    expect(turn?.username).toBe('1700000600:abababababababab');
    expect(turn?.credential).toBe(createHmac('sha1', 's3cret').update('1700000600:abababababababab').digest('base64'));
  });

  it('gives nothing by default and never TURN without a secret', async () => {
    expect(await iceServersFor(readConfig({}), 0, random)).toEqual([]);
    expect(await iceServersFor(readConfig({ QUINTET_TURN_URLS: 'turn:t.example' }), 0, random)).toEqual([]);
  });
});
