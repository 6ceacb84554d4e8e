/** Tests for configuration: defaults, overrides, and refusing a malformed limit. */
import { describe, expect, it } from 'vitest';
import { readConfig } from './config.ts';

describe('readConfig', () => {
  it('has safe defaults with admin disabled', () => {
    const config = readConfig({});
    expect(config.adminToken).toBeNull();
    expect(config.maxFrameBytes).toBe(65_536);
    expect(config.maxMembers).toBe(5);
    expect(config.block).toEqual({ failures: 5, windowMs: 600_000, blockMs: 3_600_000 });
    expect(config.trustProxyHops).toBe(0);
  });

  it('reads overrides', () => {
    const config = readConfig({ QUINTET_ADMIN_TOKEN: ' t ', QUINTET_CONNECTION_RATE_BURST: '5', QUINTET_IDLE_TIMEOUT_MS: '1500' });
    expect(config.adminToken).toBe('t');
    expect(config.connectionRate.burst).toBe(5);
    expect(config.idleTimeoutMs).toBe(1500);
  });

  it('refuses a limit it cannot read rather than disabling it', () => {
    expect(() => readConfig({ QUINTET_MAX_FRAME_BYTES: '64k' })).toThrow(/QUINTET_MAX_FRAME_BYTES/);
  });
});
