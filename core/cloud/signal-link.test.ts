import { describe, expect, it } from 'vitest';
import type { ClientMessage } from '../protocol/signal-messages.ts';
import { SignalLink } from './signal-link.ts';

const id = (c: string) => c.repeat(16);

function link(aliases: Record<string, string> = {}) {
  const sent: ClientMessage[] = [];
  const refused: string[] = [];
  const l = new SignalLink({ send: (m) => sent.push(m), close: () => undefined }, (type) => refused.push(type), aliases);
  return { l, sent, refused };
}

describe('SignalLink: mesh IDs ↔ the server’s connection IDs', () => {
  it('translates outgoing IDs to the server’s and incoming ones to the mesh’s; an ID without an alias is the same', () => {
    const { l, sent } = link({ [id('b')]: id('1') });
    l.send({ type: 'send', to: id('b'), body: 'x' });
    l.send({ type: 'send', to: id('d'), body: 'y' });
    l.send({ type: 'admit', candidate: id('b') });
    expect(sent).toEqual([{ type: 'send', to: id('1'), body: 'x' }, { type: 'send', to: id('d'), body: 'y' }, { type: 'admit', candidate: id('1') }]);
    expect(l.translate({ type: 'envelope', from: id('1'), body: 'z' })).toEqual({ type: 'envelope', from: id('b'), body: 'z' });
    expect(l.translate({ type: 'joined', id: id('1'), address: '198.51.100.1' })).toEqual({ type: 'joined', id: id('b'), address: '198.51.100.1' });
    expect(l.translate({ type: 'back', id: id('e'), was: id('1'), address: '' })).toEqual({ type: 'back', id: id('e'), was: id('b'), address: '' });
    expect(l.translate({ type: 'left', id: id('d') })).toEqual({ type: 'left', id: id('d') });
    expect(l.aliases()).toEqual({ [id('b')]: id('1') });
  });

  it('ignores what the server says of a retired connection: a member’s old ID, or its previous alias', () => {
    const { l } = link({ [id('b')]: id('1') });
    expect(l.translate({ type: 'left', id: id('b') })).toBeNull(); // B's mesh ID is no connection at the server now
    l.alias(id('b'), id('2'));
    expect(l.translate({ type: 'envelope', from: id('1'), body: '' })).toBeNull();
    expect(l.translate({ type: 'away', id: id('2') })).toEqual({ type: 'away', id: id('b') });
    expect(l.serverOf(id('b'))).toBe(id('2'));
  });

  it('refuses and reports what it cannot send while detached, and sends again once attached', () => {
    const { l, sent, refused } = link();
    l.detach();
    expect(l.online).toBe(false);
    l.send({ type: 'send', to: id('b'), body: 'x' });
    l.send({ type: 'admit', candidate: id('c') });
    expect(refused).toEqual(['send', 'admit']);
    expect(sent).toEqual([]);
    const later: ClientMessage[] = [];
    l.attach({ send: (m) => later.push(m), close: () => undefined });
    l.send({ type: 'ping' });
    expect(later).toEqual([{ type: 'ping' }]);
  });
});
