/** The UDP receive buffer hint: the decision around 1 MiB, and the reader on Linux, elsewhere, unreadable, garbled. */
import { describe, expect, it } from 'vitest';
import { MIN_RMEM_DEFAULT, RMEM_DEFAULT_PATH, parseRmem, readRmemDefault, smallUdpBuffer } from './udp-buffers.ts';

describe('smallUdpBuffer', () => {
  it('below 1 MiB: the value, the minimum and the value to propose (the words are the CLI\'s: cli/commands-fr.test.ts)', () => {
    expect(smallUdpBuffer(212992)).toEqual({ rmemDefault: 212992, minimum: MIN_RMEM_DEFAULT, suggested: 4_194_304 });
    expect(smallUdpBuffer(MIN_RMEM_DEFAULT - 1)?.rmemDefault).toBe(MIN_RMEM_DEFAULT - 1);
    expect(smallUdpBuffer(0)).toBeDefined();
  });

  it('at or above 1 MiB, or unknown: nothing', () => {
    expect(MIN_RMEM_DEFAULT).toBe(1_048_576);
    expect(smallUdpBuffer(MIN_RMEM_DEFAULT)).toBeUndefined();
    expect(smallUdpBuffer(4_194_304)).toBeUndefined();
    expect(smallUdpBuffer(undefined)).toBeUndefined();
  });
});

describe('readRmemDefault', () => {
  it('reads /proc/sys/net/core/rmem_default on Linux, trailing newline and all', () => {
    const asked: string[] = [];
    expect(readRmemDefault('linux', (path) => (asked.push(path), '212992\n'))).toBe(212992);
    expect(asked).toEqual([RMEM_DEFAULT_PATH]);
  });

  it('elsewhere reads nothing and returns nothing', () => {
    const read = () => {
      throw new Error('must not be read');
    };
    expect(readRmemDefault('darwin', read)).toBeUndefined();
    expect(readRmemDefault('win32', read)).toBeUndefined();
  });

  it('an unreadable file (no /proc/sys in a container) is unknown, not an error: no hint', () => {
    const read = () => {
      throw Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
    };
    expect(readRmemDefault('linux', read)).toBeUndefined();
    expect(smallUdpBuffer(readRmemDefault('linux', read))).toBeUndefined();
  });

  it('a non-numeric value is unknown', () => {
    for (const text of ['', 'abc\n', '-5', '21e4', '1.5', '99999999999999999999']) {
      expect(parseRmem(text), JSON.stringify(text)).toBeUndefined();
      expect(readRmemDefault('linux', () => text), JSON.stringify(text)).toBeUndefined();
    }
    expect(parseRmem(' 4194304 \n')).toBe(4194304);
  });
});
