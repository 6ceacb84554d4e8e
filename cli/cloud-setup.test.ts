/** memberPortsFor: QUINTET_ICE_TRANSPORT_POLICY is checked before any port is built. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memberPortsFor } from './cloud-setup.ts';
import { UsageError } from './exit-codes.ts';
import type { CliIo } from './io.ts';

const io = (env: Record<string, string>) => ({ env, err: () => undefined }) as unknown as CliIo;

describe('QUINTET_ICE_TRANSPORT_POLICY', () => {
  it('refuses a value other than relay or all with a usage error naming it', () => {
    expect(() => memberPortsFor('http://127.0.0.1:1', 'n', io({ QUINTET_ICE_TRANSPORT_POLICY: 'turn-only' }))).toThrow(UsageError);
    expect(() => memberPortsFor('http://127.0.0.1:1', 'n', io({ QUINTET_ICE_TRANSPORT_POLICY: 'turn-only' }))).toThrow(/relay or all, not "turn-only"/);
  });

  it('takes relay', async () => {
    const state = await mkdtemp(join(tmpdir(), 'quintet-cloud-setup-'));
    const ports = memberPortsFor('http://127.0.0.1:1', 'n', io({ QUINTET_ICE_TRANSPORT_POLICY: 'relay', QUINTET_STATE_DIR: state }));
    await ports.dispose();
    await rm(state, { recursive: true, force: true });
  });
});
