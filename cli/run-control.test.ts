import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { lstat, mkdir, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { AlreadyRunning, controlPath, sendControl, serveControl } from './run-control.ts';
import { removeTempDirs, tempDir } from '../adapters/node/temp-tree.ts';

afterAll(removeTempDirs);

describe('the control socket of quintet run', () => {
  it('answers requests one JSON line each way, and a bad request gets a reason', async () => {
    const home = await tempDir('quintet-home-');
    const path = await controlPath(home, join(home, 'p.json'));
    const seen: unknown[] = [];
    const server = await serveControl(path, (request) => (seen.push(request), { ok: true, message: 'extended' }));
    expect(await sendControl(path, { extend: 1800_000 })).toEqual({ ok: true, message: 'extended', pid: process.pid });
    expect(seen).toEqual([{ extend: 1800_000 }]);
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(path, () => socket.write('not json\n'));
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('end', () => resolve(text));
    });
    expect(JSON.parse(raw)).toMatchObject({ ok: false, message: expect.stringMatching(/^bad request: /) });
    expect((await lstat(join(home, 'control'))).mode & 0o777).toBe(0o700);
    await server.close();
    await expect(sendControl(path, { ping: true })).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a second listener while the first lives, and replaces a socket left by a killed process', async () => {
    const home = await tempDir('quintet-home-');
    const path = await controlPath(home, join(home, 'p.json'));
    const first = await serveControl(path, () => ({ ok: true, message: '' }));
    await expect(serveControl(path, () => ({ ok: true, message: '' }))).rejects.toEqual(new AlreadyRunning(process.pid));
    await first.close();
    // A process that listened there and was killed (SIGKILL: no clean-up) leaves the socket file behind.
    const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect((await lstat(path)).isSocket()).toBe(true);
    const again = await serveControl(path, () => ({ ok: true, message: 'me' }));
    expect((await sendControl(path, { ping: true })).message).toBe('me');
    await again.close();
  });

  it('one address per profile file, whatever the spelling; under the temporary folder when the home is too deep', async () => {
    const home = await tempDir('quintet-home-');
    const dir = await tempDir('quintet-profile-');
    const file = join(dir, 'nightly.json');
    await writeFile(file, '{}');
    await symlink(dir, join(home, 'link'));
    const a = await controlPath(home, file);
    expect(await controlPath(home, join(home, 'link', 'nightly.json'))).toBe(a);
    expect(await controlPath(home, relative(process.cwd(), file))).toBe(a);
    expect(a).toMatch(new RegExp(`^${home}/control/[0-9a-f]{16}\\.sock$`));
    const deep = join(home, 'x'.repeat(60), 'y'.repeat(60));
    await mkdir(deep, { recursive: true });
    expect((await controlPath(deep, file)).startsWith(tmpdir())).toBe(true);
  });
});
