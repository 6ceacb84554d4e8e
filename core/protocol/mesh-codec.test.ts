import { describe, expect, it } from 'vitest';
import { decodeMeshMessage } from './mesh-codec.ts';
import { MESH_PROTOCOL_VERSION } from './mesh-messages.ts';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const start = (extra: object) => decodeMeshMessage(bytes({ type: 'start-inventory', v: MESH_PROTOCOL_VERSION, run: 'r1', ...extra }));

describe('start-inventory on the wire (docs/protocol.md §3.1, §12)', () => {
  it('carries a continuous scope or a whole walk, and nothing else', () => {
    expect(start({})).toMatchObject({ ok: true, message: { type: 'start-inventory', run: 'r1' } });
    expect(start({ scope: 'changed' })).toMatchObject({ ok: true, message: { scope: 'changed' } });
    expect(start({ whole: true })).toMatchObject({ ok: true, message: { whole: true } });
    expect(start({ whole: false })).toMatchObject({ ok: false, failure: 'invalid-message' });
    expect(start({ scope: 'whole' })).toMatchObject({ ok: false, failure: 'invalid-message' });
  });
});
