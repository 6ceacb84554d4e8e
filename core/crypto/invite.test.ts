/** Invite links: the password only in the fragment; parse forgives what people paste. */
import { describe, expect, it } from 'vitest';
import { buildInviteLink, parseInviteLink } from './invite.ts';

describe('invite links', () => {
  it('build puts ID and password in the fragment only', () => {
    const link = buildInviteLink('https://quintet.example/app/?x=1#old', '482-KQT-913', 'KQT4-M9PX-7HWD-3RZN');
    expect(link).toBe('https://quintet.example/app/?x=1#join=482-KQT-913&pw=KQT4-M9PX-7HWD-3RZN');
    expect(link.split('#')[0]).not.toContain('KQT4');
  });

  it('parse round-trips and normalizes', () => {
    const link = buildInviteLink('https://quintet.example/', '482-KQT-913', 'KQT4-M9PX-7HWD-3RZN');
    expect(parseInviteLink(link)).toEqual({ sessionId: '482-KQT-913', password: 'KQT4-M9PX-7HWD-3RZN' });
    expect(parseInviteLink('#pw=kqt4%20m9px%207hwd%203rzn&join=482kqt913')).toEqual({ sessionId: '482-KQT-913', password: 'KQT4-M9PX-7HWD-3RZN' });
  });

  it.each(['https://quintet.example/', '#join=482-KQT-913', '#join=482-KQT-913&pw=short', '#join=%E0%A4%A&pw=KQT4-M9PX-7HWD-3RZN'])('refuses %j', (url) => {
    expect(parseInviteLink(url)).toBeNull();
  });
});
