import { describe, expect, it } from 'vitest';
import { checkProfile, durationMs } from './profile.ts';

describe('checkProfile', () => {
  it('accepts the minimal local profile as is', () => {
    const minimal = { kind: 'local', sources: ['/abs/a', '/abs/b'], preset: 'mirror', from: 'A1', to: 'A2' };
    expect(checkProfile(minimal)).toEqual({ ok: true, profile: minimal });
  });

  it('accepts a full cloud hub profile', () => {
    const hub = {
      v: 1, kind: 'cloud', name: 'nightly', sources: ['/srv/share'], preset: 'mirror', from: 'A1', to: 'B1', part: 'hub', group: '/etc/quintet/group.json',
      expectedMembers: ['lyon', 'nice'], maxWait: '45m', server: 'https://quintet.example', schedule: { at: '02:00', daily: true, timeZone: 'Europe/Paris' },
      notify: { webhook: 'https://hooks.example/quintet', email: { to: ['ops@example.com'], from: 'quintet@example.com', smtp: 'smtp://relay.example:25' } },
    };
    expect(checkProfile(hub).ok).toBe(true);
  });

  it('takes a cloud maxRunTime as a duration and refuses a zero or a malformed one, naming the field', () => {
    const member = { kind: 'cloud', part: 'member', group: 'g.json', sources: ['/srv/share'], preset: 'two-way' };
    expect(checkProfile({ ...member, maxRunTime: '6h' }).ok).toBe(true);
    expect(checkProfile({ ...member, maxRunTime: 5400 }).ok).toBe(true);
    for (const bad of ['0h', 0, '6 hours']) {
      const check = checkProfile({ ...member, maxRunTime: bad });
      expect(check.ok ? [] : check.errors.join('\n')).toMatch(/^maxRunTime: /);
    }
    expect(checkProfile({ kind: 'local', sources: ['/a', '/b'], maxRunTime: '1h' }).ok).toBe(false);
  });

  it('names each bad field', () => {
    const check = checkProfile({ kind: 'local', sources: [], preset: 'sideways', from: 'Z9', schedule: { at: '25:00', timeZone: 'Europe/Atlantis' }, extra: 1 });
    expect(check.ok).toBe(false);
    const errors = check.ok ? [] : check.errors.join('\n');
    for (const field of ['sources', 'preset', 'from', 'schedule.at', 'schedule.timeZone', 'extra']) expect(errors).toContain(field);
  });

  it('takes a time with seconds, refuses an unknown kind and a newer format version', () => {
    expect(checkProfile({ kind: 'local', sources: ['/a', '/b'], schedule: { at: '02:00:30' } }).ok).toBe(true);
    expect(checkProfile({ kind: 'remote', sources: ['/a'] }).ok).toBe(false);
    expect(checkProfile({ v: 2, kind: 'local', sources: ['/a', '/b'] })).toEqual({ ok: false, errors: ['v: profile format 2 is newer than this Quintet reads (1); update Quintet'] });
  });
});

describe('durationMs', () => {
  it('reads seconds, minutes, hours and plain seconds', () => {
    expect(durationMs('90s')).toBe(90_000);
    expect(durationMs('30m')).toBe(1_800_000);
    expect(durationMs('2h')).toBe(7_200_000);
    expect(durationMs(45)).toBe(45_000);
  });
});
