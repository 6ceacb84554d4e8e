/** `quintet` in French: the real bin on real folders, chosen by QUINTET_LANG or by the locale, with the same exit codes as in English. */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnQuintet } from './cli-process.ts';
import { EXIT } from './exit-codes.ts';
import { main } from './main.ts';
import { testIo } from './test-io.ts';
import { setLanguage } from './i18n.ts';
import { removeTempDirs, seedDir, tempDir } from '../adapters/node/temp-tree.ts';

afterAll(async () => {
  setLanguage('en');
  await removeTempDirs();
});

/** No locale from this machine: only what a test sets counts. */
const NO_LOCALE = { QUINTET_LANG: '', LC_ALL: '', LC_MESSAGES: '', LANG: '', LANGUAGE: '' };

/** French output with its no-break spaces (before : ; ? !, inside « ») read as plain ones; `raw` keeps them. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

async function run(args: string[], env: Record<string, string>) {
  const p = spawnQuintet(args, { ...NO_LOCALE, QUINTET_STATE_DIR: await tempDir('quintet-state-'), ...env });
  return { code: await p.exited, out: plain(p.stdout()), err: plain(p.stderr()), raw: p.stdout() };
}

/** `quintet …` on a pseudo-terminal (util-linux `script`), answering `answer` when the question shows; its output and exit code. */
async function onTerminal(args: string[], env: Record<string, string>, answer: string): Promise<{ code: number | null; text: string }> {
  const bin = fileURLToPath(new URL('./quintet.cjs', import.meta.url));
  const command = [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, ...NO_LOCALE, QUINTET_STATE_DIR: await tempDir('quintet-state-'), ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  let asked = false;
  child.stdout.on('data', (d: Buffer) => {
    text += d.toString();
    if (!asked && /\[o\/N\]|\[y\/N\]/.test(text)) {
      asked = true;
      child.stdin.write(`${answer}\r`);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, text: plain(text) };
}

const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

async function twoFolders() {
  const [a, b] = [await tempDir(), await tempDir()];
  await seedDir(a, { 'lettre.txt': 'Bonjour', docs: { 'note.md': '# note' } });
  return [a, b] as const;
}

describe('quintet in French', () => {
  it('mirrors with QUINTET_LANG=fr: French lines, French units, exit 0', async () => {
    const [a, b] = await twoFolders();
    const r = await run(['local', a, b, '--preset', 'mirror', '--yes'], { QUINTET_LANG: 'fr' });
    expect(r.code, r.err).toBe(EXIT.done);
    expect(r.out).toMatch(/^A1 : 2 fichiers, 1 répertoire, 13 o \(2 analysés, 0 repris de l’index\)$/m);
    expect(r.out).toMatch(/^Comparaison : 3 éléments — 0 identique, 0 différent, 3 absents de certaines sources, 0 conflit fichier\/répertoire$/m);
    expect(r.out).toMatch(/^Plan \(.*\) : 2 copies \(dont 0 en remplacement\), 1 répertoire, 0 suppression, 13 o$/m);
    expect(r.out).toMatch(/^Terminé : 3 faits, 0 en échec, 0 ignoré, 13 o écrits en \d+,\d s$/m);
    expect(r.raw).toMatch(/^Terminé\u00a0: 3 faits/m); // a no-break space: the colon never starts a line
    expect(r.err).toMatch(/^inventaire A1 : 2 fichiers, 13 o, 13 o analysés, terminé$/m);
    expect(await readFile(join(b, 'lettre.txt'), 'utf8')).toBe('Bonjour');
  });

  it('says skipped links and special files in French, with what a link points to', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'vrai.txt': 'x' });
    execFileSync('ln', ['-s', 'vrai.txt', join(a, 'vers-fichier')]);
    execFileSync('ln', ['-s', 'nulle-part', join(a, 'casse')]);
    execFileSync('mkfifo', [join(a, 'tube')]);
    const r = await run(['local', a, b, '--preset', 'mirror', '--yes'], { QUINTET_LANG: 'fr' });
    expect(r.code, r.err).toBe(EXIT.doneWithIssues);
    expect(r.out).toMatch(/^ {2}A1 vers-fichier — lien : lien symbolique vers un fichier \(vrai\.txt\), non suivi$/m);
    expect(r.out).toMatch(/^ {2}A1 casse — lien : lien symbolique cassé \(nulle-part\), non suivi$/m);
    expect(r.out).toMatch(/^ {2}A1 tube — fichier spécial : tube nommé \(FIFO\), non copié$/m);
    expect(r.out).not.toMatch(/not followed|not copied/);
  });

  it('follows LANG=fr_FR.UTF-8 without QUINTET_LANG, and QUINTET_LANG=en overrides it', async () => {
    const [a, b] = await twoFolders();
    const fr = await run(['local', a, b], { LANG: 'fr_FR.UTF-8' });
    expect(fr.code, fr.err).toBe(EXIT.done);
    expect(fr.out).toContain('Pas de --preset : rien n’a été synchronisé (mirror, update ou two-way).');
    const en = await run(['local', a, b], { LANG: 'fr_FR.UTF-8', QUINTET_LANG: 'en' });
    expect(en.code, en.err).toBe(EXIT.done);
    expect(en.out).toContain('No --preset: nothing synchronized (mirror, update or two-way).');
  });

  it.skipIf(!hasScript)('asks « Démarrer la synchronisation ? [o/N] » on a terminal: oui starts, non does not', async () => {
    const [a, b] = await twoFolders();
    const no = await onTerminal(['local', a, b, '--preset', 'mirror'], { QUINTET_LANG: 'fr' }, 'non');
    expect(no.code, no.text).toBe(EXIT.done);
    expect(no.text).toContain('Démarrer la synchronisation ? [o/N]');
    expect(no.text).toContain('Rien n’a été synchronisé.');
    expect(await readdir(b)).not.toContain('lettre.txt');
    const yes = await onTerminal(['local', a, b, '--preset', 'mirror'], { LANG: 'fr_FR.UTF-8' }, 'oui');
    expect(yes.code, yes.text).toBe(EXIT.done);
    expect(yes.text).toMatch(/Terminé : 3 faits, 0 en échec, 0 ignoré/);
    expect(await readFile(join(b, 'lettre.txt'), 'utf8')).toBe('Bonjour');
  });

  it('lists no runs in French, while --json stays the same in both languages', async () => {
    const home = await tempDir();
    const io = await testIo();
    io.env = { ...io.env, QUINTET_HOME: home, QUINTET_LANG: 'fr' };
    expect(await main(['report'], io)).toBe(EXIT.done);
    expect(io.lines).toEqual([`Aucune exécution enregistrée dans ${join(home, 'runs')}.`]);
    expect(await main(['report', '--json'], io)).toBe(EXIT.done);
    expect(io.lines.at(-1)).toBe('[]');
    expect(await main(['report', '--last', '0'], io)).toBe(EXIT.couldNotStart);
    expect(plain(io.errors.at(-1) ?? '')).toBe('quintet report : --last 0 : un nombre entier positif (quintet report --help)');
  });

  it('says why it could not start in French, with exit 2 as in English', async () => {
    const a = await tempDir();
    const fr = await run(['local', a], { LC_ALL: 'fr_BE.UTF-8', LANG: 'en_US.UTF-8' });
    expect(fr.code).toBe(EXIT.couldNotStart);
    expect(fr.err).toContain('quintet local : il faut au moins deux dossiers (quintet local --help)');
    const b = await tempDir();
    const noTerminal = await run(['local', a, b, '--preset', 'mirror'], { QUINTET_LANG: 'fr' });
    expect(noTerminal.code).toBe(EXIT.couldNotStart);
    expect(noTerminal.err).toContain('pas de terminal : ajoutez --yes pour synchroniser sans confirmation');
    const unknown = await run(['sync'], { QUINTET_LANG: 'fr' });
    expect(unknown.code).toBe(EXIT.couldNotStart);
    expect(unknown.err).toContain('quintet : commande inconnue « sync »');
    // Nothing listens on the discard port: the server cannot be reached.
    const unreachable = await run(['create', '--source', a, '--server', 'http://127.0.0.1:9'], { QUINTET_LANG: 'fr', QUINTET_QUIET_HINTS: '1' });
    expect(unreachable.code).toBe(EXIT.couldNotStart);
    expect(unreachable.err).toContain('quintet create : serveur de signalisation injoignable à http://127.0.0.1:9 (est-il lancé ? --server ou QUINTET_SERVER)');
  });
});

describe('quintet local names the files an interrupted run left staged in a folder', () => {
  it('one line after the inventory, in English and in French, and the files stay where they are', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'x.txt': 'x' });
    await seedDir(b, { 'x.txt': 'x', '.quintet': { tmp: { 'x-1.txt': 'half', 'y-2.bin': 'written' } } });
    const en = await testIo();
    expect(await main(['local', a, b], en)).toBe(EXIT.done);
    const lines = en.text().split('\n');
    const at = lines.findIndex((l) => l.startsWith('A2: 2 files (11 B) left staged in .quintet/tmp/'));
    expect(at).toBe(lines.findIndex((l) => l.startsWith('A2: 1 file,')) + 1); // right after the inventory lines
    expect(lines[at]).toContain('A run that writes to this folder (quintet local too) removes them once they are a day old');
    expect(en.text()).not.toMatch(/^A1: .* left staged/m);
    const fr = await run(['local', a, b], { QUINTET_LANG: 'fr' });
    expect(fr.code).toBe(EXIT.done);
    expect(fr.out).toMatch(/^A2 : 2 fichiers laissés \(11 o\) dans \.quintet\/tmp\/ par une exécution interrompue .*\(quintet local aussi\) les supprime quand ils ont plus d’un jour/m);
    expect((await readdir(join(b, '.quintet', 'tmp'))).sort()).toEqual(['x-1.txt', 'y-2.bin']);
  });
});
