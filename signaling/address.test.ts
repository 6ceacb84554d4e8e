/** Tests for client address resolution: socket, trusted proxy hops, forged headers, Cloudflare. */
import { describe, expect, it } from 'vitest';
import { nodeClientAddress, workerClientAddress } from './address.ts';

describe('nodeClientAddress', () => {
  it('uses the socket unless told to trust a proxy', () => {
    expect(nodeClientAddress('::ffff:127.0.0.1', '203.0.113.9', 0)).toBe('127.0.0.1');
    expect(nodeClientAddress('::1', undefined, 1)).toBe('::1');
  });

  it('reads X-Forwarded-For from the right, by the number of trusted hops', () => {
    // The client forged "1.1.1.1"; our one proxy appended the real 203.0.113.9.
    expect(nodeClientAddress('10.0.0.2', '1.1.1.1, 203.0.113.9', 1)).toBe('203.0.113.9');
    expect(nodeClientAddress('10.0.0.2', '1.1.1.1, 203.0.113.9, 10.0.0.5', 2)).toBe('203.0.113.9');
    expect(nodeClientAddress('10.0.0.2', '203.0.113.9', 3)).toBe('203.0.113.9');
  });
});

describe('workerClientAddress', () => {
  it('reads CF-Connecting-IP', () => {
    expect(workerClientAddress(new Headers({ 'CF-Connecting-IP': '2001:db8::1' }))).toBe('2001:db8::1');
    expect(workerClientAddress(new Headers())).toBe('unknown');
  });
});
