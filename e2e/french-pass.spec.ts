/**
 * The French pass (issue 14): the main screens in a French browser, each checked for English left behind — in the
 * visible text and in what a screen reader reads (aria-label, title, placeholder). "English" is any word the English
 * messages use and the French ones never do, so a hard-coded English string is caught as well as a missing key.
 */
import type { Page } from '@playwright/test';
import { test, expect, pick } from './support/fixtures.ts';
import { writeTree } from './support/opfs-tree.ts';
import { join, meshed, newMember, startSession } from './support/cloud-members.ts';
import { addFolder, inventory as cloudInventory, synchronize } from './support/cloud-run.ts';
import { en } from '../web/src/i18n/en.ts';
import { fr } from '../web/src/i18n/fr.ts';

test.use({ locale: 'fr-FR' });

// ICU plural/select syntax and placeholders are not text a user reads.
const wordsOf = (text: string): string[] => text.replace(/\{[^{}]*\}/g, ' ').toLowerCase().match(/\p{L}{3,}/gu) ?? [];
const frWords = new Set(Object.values(fr).flatMap((v) => wordsOf(String(v))));
const ENGLISH_ONLY = new Set(Object.values(en).flatMap((v) => wordsOf(String(v))).filter((w) => !frWords.has(w)));

/**
 * English-only words on the page as it is now, each with the text it was found in. `skip`: elements whose text is
 * generated, not translated (a session's safety words are drawn from BIP39's English list).
 */
async function englishOn(page: Page, skip: readonly string[] = []): Promise<string[]> {
  const texts = await page.evaluate((skip) => {
    const generated = new Set(skip.flatMap((selector) => [...document.querySelectorAll<HTMLElement>(selector)].map((e) => e.innerText.trim())));
    const out = [document.body.innerText.split('\n').filter((line) => !generated.has(line.trim())).join('\n')];
    for (const el of document.querySelectorAll('[aria-label],[title],[placeholder]')) {
      for (const a of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(a);
        if (v) out.push(v);
      }
    }
    return out;
  }, skip);
  const found: string[] = [];
  for (const text of texts) for (const line of text.split('\n')) for (const w of wordsOf(line)) if (ENGLISH_ONLY.has(w)) found.push(`${w} — “${line.trim().slice(0, 120)}”`);
  return [...new Set(found)];
}

async function expectFrench(page: Page, screen: string, skip: readonly string[] = []): Promise<void> {
  expect(await englishOn(page, skip), `English left on "${screen}"`).toEqual([]);
}

test('the main screens in French have no English left', async ({ page }) => {
  expect(ENGLISH_ONLY.size).toBeGreaterThan(100); // the check has teeth: "synchronize", "folder", "copy" …
  await page.goto('/');
  // File names without English words: the check reads every word on the page, names included.
  await writeTree(page, 'fr-src', { 'docs/rapport.txt': { text: 'final\n' }, 'photo.jpg': { size: 20_000, seed: 1 }, 'seul.txt': { text: 'x\n' } });
  await writeTree(page, 'fr-dst', { 'docs/rapport.txt': { text: 'brouillon\n' }, 'vieux.txt': { text: 'vieux\n' } });
  await expect(page.getByRole('button', { name: fr['home.local'] })).toBeVisible();
  await expectFrench(page, 'accueil');

  await page.getByRole('button', { name: fr['home.local'] }).click();
  await expect(page.getByRole('button', { name: fr['source.addDirectory'] })).toBeVisible();
  await expectFrench(page, 'session locale vide');

  await pick(page, 'Ajouter un répertoire' as 'Add directory', 'fr-src');
  await pick(page, 'Ajouter un répertoire' as 'Add directory', 'fr-dst');
  await page.getByRole('button', { name: fr['inventory.start'] }).click();
  await expect(page.getByRole('table')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('button', { name: fr['inventory.start'] })).toBeEnabled({ timeout: 120_000 });
  await expectFrench(page, 'comparaison');

  await page.getByRole('button', { name: fr['rules.add'] }).click();
  const editor = page.getByRole('dialog');
  await editor.getByRole('button', { name: fr['rule.condition.add'] }).click();
  await editor.getByLabel(fr['rule.on'], { exact: true }).selectOption('size');
  await editor.getByRole('button', { name: fr['rule.save'] }).click();
  await expect(editor.getByText(fr['rule.error.size-empty'])).toBeVisible();
  await expectFrench(page, 'éditeur de règle, avec une erreur');
  await editor.getByRole('button', { name: fr['rule.cancel'] }).click();

  const actions = page.getByRole('region', { name: fr['actions.title'] });
  await actions.getByLabel(fr['actions.preset']).selectOption('mirror');
  await actions.getByLabel(fr['actions.from']).selectOption('A1');
  await actions.getByLabel(fr['actions.to']).selectOption('A2');
  await page.getByRole('button', { name: fr['actions.apply'] }).click();
  await page.getByRole('button', { name: fr['sync.start'] }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectFrench(page, 'confirmation');
  await page.getByRole('dialog').getByRole('button', { name: fr['sync.confirm.ok'] }).click();
  await expect(page.getByRole('status').getByRole('heading', { level: 2 })).toHaveText(fr['sync.complete'], { timeout: 120_000 });
  await expectFrench(page, 'résultat');

  await page.getByRole('button', { name: fr['history.open'] }).click();
  await expect(page.getByRole('table').first()).toBeVisible();
  await expectFrench(page, 'historique');

  // A reload brings the local session back (its folders remembered): that screen too, then home and the cloud pages.
  await page.goto('/');
  await expect(page.getByRole('region', { name: fr['remembered.title'] })).toBeVisible();
  await expectFrench(page, 'session locale retrouvée');
  await page.getByRole('button', { name: fr['common.back'] }).click();
  await page.getByRole('button', { name: fr['home.cloud'] }).click();
  await expect(page.getByRole('button', { name: fr['cloud.join'] })).toBeVisible();
  await expectFrench(page, 'cloud, départ');
  await page.getByRole('button', { name: fr['cloud.join'] }).click();
  await expect(page.getByRole('textbox').first()).toBeVisible();
  await expectFrench(page, 'cloud, rejoindre');
});

test('a cloud session of three members and its result in French have no English left', async ({ browser }) => {
  test.setTimeout(300_000);
  // The shared helpers click English labels: each page is set up in English, then switched to French through the
  // header's language menu, as a user would (the switch itself is part of what is checked).
  const members = [await newMember(browser, { name: 'Aline' }), await newMember(browser, { name: 'Bruno' }), await newMember(browser, { name: 'Chloé' })];
  const pages = members.map((m) => m.page);
  const [a, b, c] = pages as [Page, Page, Page];
  const language = async (lang: 'en' | 'fr') => {
    for (const p of pages) await p.getByLabel(lang === 'fr' ? 'Language' : 'Langue').selectOption(lang);
  };
  const { id, password } = await startSession(a);
  await join(b, id, password, 'B');
  await join(c, id, password, 'C');
  for (const p of pages) await meshed(p, 3);
  await writeTree(a, 'fr-a1', { 'docs/rapport.txt': { text: 'final\n' }, 'photo.jpg': { size: 20_000, seed: 1 } });
  await writeTree(b, 'fr-b1', { 'docs/rapport.txt': { text: 'brouillon\n' }, 'vieux.txt': { text: 'vieux\n' } });
  await writeTree(c, 'fr-c1', {});
  await addFolder(a, 'A', 'fr-a1');
  await addFolder(b, 'B', 'fr-b1');
  await addFolder(c, 'C', 'fr-c1');
  await cloudInventory(a, pages);

  await language('fr');
  await expect(a.getByRole('table', { name: fr['comparison.title'] })).toBeVisible();
  await expectFrench(a, 'session cloud à trois, meneur', ['.words']);
  await expectFrench(c, 'session cloud à trois, membre C', ['.words']);

  await language('en');
  expect(await synchronize(a, pages, 'mirror', 'A1', 'B1')).toEqual(Array(3).fill('Synchronization complete'));
  await language('fr');
  await expect(a.getByRole('heading', { name: fr['sync.complete'] })).toBeVisible();
  await expectFrench(a, 'résultat cloud, meneur', ['.words']);
  await expectFrench(b, 'résultat cloud, membre B', ['.words']);
  for (const m of members) await m.context.close();
});
