import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../protocol/close-codes.ts';
import { closeReason } from './cloud-start.ts';

describe('closeReason: what a close before membership tells the user', () => {
  it('names each refusal the server can give, so none reads as "could not be reached"', () => {
    expect(closeReason(CloseCode.JoinDenied)).toBe('wrong-password');
    expect(closeReason(CloseCode.NoSuchSession)).toBe('no-such-session');
    expect(closeReason(CloseCode.Blocked)).toBe('blocked');
    expect(closeReason(CloseCode.SessionFull)).toBe('session-full');
    expect(closeReason(CloseCode.IdleTimeout)).toBe('timeout');
    expect(closeReason(CloseCode.RateLimited)).toBe('rate-limited');
  });

  it('keeps "network" for a close the server did not choose (1006 abnormal, 1001 going away)', () => {
    expect(closeReason(1006)).toBe('network');
    expect(closeReason(CloseCode.GoingAway)).toBe('network');
  });
});
