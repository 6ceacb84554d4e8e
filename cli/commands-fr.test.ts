/**
 * The commands translated last, in French and in English on the same real folders: quintet versions, restore, undo,
 * test (a local profile), serve, run (the run driver's own lines), and every command's --help.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from './main.ts';
import { EXIT } from './exit-codes.ts';
import { testIo, type TestIo } from './test-io.ts';
import { setLanguage } from './i18n.ts';
import { runnerText } from './runner-text.ts';
import { runnerLineEn, type RunnerLine } from '../core/unattended/runner.ts';
import { udpBufferHint } from './cloud-setup.ts';
import { removeTempDirs, seedDir, tempDir } from '../adapters/node/temp-tree.ts';

afterEach(() => setLanguage('en'));
afterAll(removeTempDirs);

/** French output with its no-break spaces read as plain ones (cli/i18n.test.ts checks where they go). */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

async function io(lang: 'en' | 'fr', extra: Record<string, string> = {}): Promise<TestIo> {
  const made = await testIo();
  Object.assign(made.env, { QUINTET_LANG: lang, ...extra });
  return made;
}

/** b after a Mirror a → b that replaced r.txt, deleted d.txt and created n.txt; the run's id. */
async function mirrored(): Promise<{ a: string; b: string; run: string }> {
  const [a, b] = [await tempDir(), await tempDir()];
  await seedDir(a, { 'r.txt': 'new content of r', 'n.txt': 'n' });
  await seedDir(b, { 'r.txt': 'old r', 'd.txt': 'd' });
  expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], await io('en'))).toBe(EXIT.done);
  const [run] = await readdir(join(b, '.quintet', 'runs'));
  return { a, b, run: (run as string).replace(/\.json$/, '') };
}

describe('quintet versions, restore, undo', () => {
  it('lists, restores and undoes in French', async () => {
    const { b, run } = await mirrored();
    const list = await io('fr');
    expect(await main(['versions', b], list)).toBe(EXIT.done);
    const text = plain(list.lines.join('\n'));
    expect(list.lines[0]).toBe(`Exécutions dans ${b}, les plus récentes d’abord\u00a0:`);
    expect(text).toMatch(new RegExp(`^${run}  \\S+ \\S+  synchronisation, 3 changements$`, 'm'));
    expect(text).toMatch(/^ {2}remplacé\s+r\.txt\s+5 o\s/m);
    expect(text).toMatch(/^ {2}supprimé\s+d\.txt\s+1 o\s/m);
    const none = await io('fr');
    expect(await main(['versions', b, '--path', 'rien'], none)).toBe(EXIT.done);
    expect(none.lines).toEqual(['Aucune version conservée de rien.']);

    const restore = await io('fr');
    expect(await main(['restore', b, 'r.txt'], restore)).toBe(EXIT.done);
    const restored = plain(restore.lines.join('\n'));
    expect(restored).toMatch(new RegExp(`^r\\.txt remis dans la version conservée par l’exécution ${run} \\(\\S+ \\S+, 5 o\\)\\.$`, 'm'));
    expect(restored).toMatch(/^Ce qui s’y trouvait est conservé dans \S+\.$/m);
    const restoreRun = /^Cette restauration est l’exécution (\S+) : quintet undo (\S+) l’annule\.$/m.exec(restored);
    expect(restoreRun?.[2]).toBe(b);

    const undo = await io('fr');
    expect(await main(['undo', b, '--yes'], undo)).toBe(EXIT.done);
    // The restore run's own time (not the version's, which may be a second earlier): any date and time.
    const [last, undone] = plain(undo.lines.join('\n')).split('\n');
    expect(last).toMatch(new RegExp(`^Dernière exécution : ${restoreRun?.[1]} \\(restauration, \\S+ \\S+\\) : 0 créé, 1 remplacé, 0 supprimé\\.$`));
    expect(undone).toBe(`Exécution ${restoreRun?.[1]} annulée : 1 remis en place, 0 retiré (versions conservées dans .quintet/versions/${/\.quintet\/versions\/([^/]+)\//.exec(undo.lines[1] ?? '')?.[1]}/).`);
    expect(undo.lines).toHaveLength(2);
  });

  it('says what an undo left alone, in French and in English as before', async () => {
    for (const lang of ['fr', 'en'] as const) {
      const { b, run } = await mirrored();
      await writeFile(join(b, 'n.txt'), 'edited since');
      const undo = await io(lang);
      expect(await main(['undo', b, '--yes'], undo)).toBe(EXIT.doneWithIssues);
      const lines = undo.lines.map(plain);
      if (lang === 'fr') {
        expect(lines[0]).toMatch(new RegExp(`^Dernière exécution : ${run} \\(synchronisation, \\S+ \\S+\\) : 1 créé, 1 remplacé, 1 supprimé\\.$`));
        expect(lines).toContain('Laissés tels quels (1) :');
        expect(lines).toContain('  n.txt : modifié depuis l’exécution');
      } else {
        expect(lines[0]).toMatch(new RegExp(`^Last run: ${run} \\(synchronization, \\S+ \\S+\\): 1 created, 1 replaced, 1 deleted\\.$`));
        expect(lines[1]).toMatch(new RegExp(`^Undid run ${run}: 2 put back, 0 removed \\(kept in \\.quintet/versions/\\S+/\\)\\.$`));
        expect(lines).toContain('Left alone (1):');
        expect(lines).toContain('  n.txt: changed since the run');
      }
    }
  });

  it('refuses in French what cannot start (exit 2)', async () => {
    const { b } = await mirrored();
    const cases: [string[], string][] = [
      [['versions'], 'quintet versions : quel dossier ? (quintet versions --help)'],
      [['undo', b], 'quintet undo : pas de terminal : ajoutez --yes pour annuler sans confirmation (quintet undo --help)'],
      [['restore', b, 'absent.txt'], 'quintet restore : aucune version conservée de absent.txt (quintet restore --help)'],
      [['versions', join(b, 'r.txt')], `quintet versions : ${join(b, 'r.txt')} est un fichier : seul un dossier conserve des versions (quintet versions --help)`],
    ];
    for (const [args, said] of cases) {
      const run = await io('fr');
      expect(await main(args, run), args.join(' ')).toBe(EXIT.couldNotStart);
      expect(plain(run.errors.join('\n'))).toBe(said);
    }
  });
});

describe('quintet test, serve', () => {
  it('checks a local profile\'s sources in French', async () => {
    const [a, home] = [await tempDir(), await tempDir()];
    const gone = join(home, 'absent');
    await writeFile(join(home, 'p.json'), JSON.stringify({ kind: 'local', sources: [a, gone], preset: 'mirror' }));
    const run = await io('fr');
    expect(await main(['test', join(home, 'p.json')], run)).toBe(EXIT.couldNotStart);
    expect(run.lines).toEqual([`source ${a}\u00a0: lisible`]);
    expect(run.errors).toEqual([`source ${gone}\u00a0: ENOENT`]);
    const bad = await io('fr');
    expect(await main(['test', join(home, 'p.json'), '--wait', '5x'], bad)).toBe(EXIT.couldNotStart);
    expect(bad.errors).toEqual(['quintet test\u00a0: --wait prend une durée comme 30s ou 2m (reçu «\u00a05x\u00a0») (quintet test --help)']);
    const unread = await io('fr');
    expect(await main(['test', join(home, 'none.json')], unread)).toBe(EXIT.couldNotStart);
    expect(plain(unread.errors[0] ?? '')).toBe(`quintet test : impossible de lire le profil ${join(home, 'none.json')} : ENOENT (quintet test --help)`);
  });

  it('names a group file that is not one, in French (exit 2)', async () => {
    const home = await tempDir();
    await writeFile(join(home, 'group.json'), JSON.stringify({ v: 1 }));
    await writeFile(join(home, 'p.json'), JSON.stringify({ kind: 'cloud', part: 'member', group: 'group.json', sources: [home] }));
    const run = await io('fr');
    expect(await main(['test', join(home, 'p.json')], run)).toBe(EXIT.couldNotStart);
    expect(plain(run.errors.join('\n'))).toMatch(new RegExp(`^quintet test : ${join(home, 'group.json')} : not a group file: `));
  });

  it('refuses a bad port in French and in English', async () => {
    const fr = await io('fr');
    expect(await main(['serve', '--port', 'x'], fr)).toBe(EXIT.couldNotStart);
    expect(fr.errors).toEqual(['quintet serve\u00a0: port invalide «\u00a0x\u00a0» (quintet serve --help)']);
    const en = await io('en');
    expect(await main(['serve', '--port', 'x'], en)).toBe(EXIT.couldNotStart);
    expect(en.errors).toEqual(['quintet serve: bad port "x" (quintet serve --help)']);
  });
});

describe('every --help', () => {
  it.each(['versions', 'restore', 'undo', 'test', 'serve', 'local', 'create', 'join', 'run', 'report', 'group'])('%s --help is French in French, English in English', async (command) => {
    const fr = await io('fr');
    expect(await main([command, '--help'], fr)).toBe(EXIT.done);
    expect(fr.lines.join('\n')).toMatch(new RegExp(`^Utilisation\u00a0: quintet ${command}`));
    expect(fr.lines.join('\n')).not.toMatch(/Usage:|Options:|this help/);
    const en = await io('en');
    expect(await main(['help', command], en)).toBe(EXIT.done);
    expect(en.lines.join('\n')).toMatch(new RegExp(`^Usage: quintet ${command}`));
  });
});

describe('quintet run\'s own lines', () => {
  const lines: RunnerLine[] = [
    { key: 'next', at: Date.UTC(2026, 5, 11, 2), timeZone: 'UTC' },
    { key: 'stoppedBeforeStart' },
    { key: 'started', id: 'R1' },
    { key: 'notice', note: 'webhook: HTTP 500' },
    { key: 'ended', id: 'R1', status: 'partial', done: 1234, failed: 1, skipped: 2, bytes: 1, missing: ['lyon', 'nice'], message: 'no result from lyon' },
    { key: 'ended', id: 'R2', status: 'ok', done: 1, failed: 0, skipped: 0, bytes: 0, missing: [] },
    { key: 'extended', ms: 30 * 60_000, until: Date.UTC(2026, 5, 10, 13), timeZone: 'UTC' },
    { key: 'extendPending', ms: 45_000 },
    { key: 'extendRefused' },
  ];

  it('are the runner\'s own English words in English', () => {
    expect(lines.map(runnerText)).toEqual(lines.map(runnerLineEn));
    expect(runnerText(lines[4]!)).toBe('Run R1: partial — 1234 done, 1 failed, 2 skipped, 1 bytes, missing: lyon, nice (no result from lyon)');
  });

  it('are French in French (times as the English ones, for scripts)', () => {
    setLanguage('fr');
    expect(lines.map(runnerText).map(plain)).toEqual([
      'Prochaine exécution : 2026-06-11 02:00:00 UTC',
      'Arrêté avant le début de l’exécution : rien n’a été exécuté ni enregistré.',
      'Exécution R1 démarrée',
      'Avis : webhook: HTTP 500',
      'Exécution R1 : partial — 1 234 faites, 1 en échec, 2 ignorées, 1 octet, absents : lyon, nice (no result from lyon)',
      'Exécution R2 : ok — 1 faite, 0 en échec, 0 ignorée, 0 octet',
      'Attente des membres prolongée de 30 min : jusqu’à 2026-06-10 13:00:00 UTC',
      'Aucune attente en cours : la prochaine attente des membres durera 45 s de plus',
      'ce profil n’attend pas de membres (seul un pivot cloud en attend)',
    ]);
  });

  it('come in French from a real quintet run of a local profile', async () => {
    const [a, b, home] = [await tempDir(), await tempDir(), await tempDir('quintet-home-')];
    await seedDir(a, { 'notes.txt': 'hello', docs: { 'report.txt': 'quarterly figures' } });
    const file = join(await tempDir(), 'nightly.json');
    await writeFile(file, JSON.stringify({ kind: 'local', sources: [a, b], preset: 'mirror' }));
    const run = await io('fr', { QUINTET_HOME: home });
    expect(await main(['run', file, '--now'], run)).toBe(EXIT.done);
    const text = plain(run.lines.join('\n'));
    expect(text).toMatch(/^Exécution \S+ démarrée$/m);
    expect(text).toContain(`A1  ${a}`);
    expect(text).toMatch(/^Plan \(Miroir A1 → A2\) : 2 copies/m);
    expect(text).toMatch(/^Exécution \S+ : ok — 3 faites, 0 en échec, 0 ignorée, 22 octets$/m);
  });
});

describe('the UDP receive buffer hint', () => {
  it('names the value, the commands, the permanent file, why and the docs, in English as before', () => {
    const hint = udpBufferHint(212992) ?? '';
    expect(hint).toContain('Hint: this system\'s default UDP receive buffer is 208 KiB (net.core.rmem_default = 212992), below 1 MiB.');
    expect(hint).toContain('sudo sysctl -w net.core.rmem_default=4194304 net.core.rmem_max=4194304');
    expect(hint).toContain('/etc/sysctl.d/');
    expect(hint).toMatch(/lost; transfers get slower, especially over\nlong round trips/);
    expect(hint).toContain('docs/cli.md, "Network buffers (Linux)"');
    expect(hint).toContain('QUINTET_QUIET_HINTS=1');
    expect(udpBufferHint(1_048_576)).toBeUndefined();
  });

  it('in French, with the same command (byte counts as sysctl reads them)', () => {
    setLanguage('fr');
    const hint = plain(udpBufferHint(212992) ?? '');
    expect(hint).toContain('Conseil : le tampon de réception UDP par défaut de ce système est de 208 Kio (net.core.rmem_default = 212992),\nsous les 1 Mio.');
    expect(hint).toContain('\nsudo sysctl -w net.core.rmem_default=4194304 net.core.rmem_max=4194304\n');
    expect(hint).toContain('QUINTET_QUIET_HINTS=1 masque ce conseil.');
    expect(Math.max(...hint.split('\n').map((l) => l.length))).toBeLessThanOrEqual(120);
  });
});
