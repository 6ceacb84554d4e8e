/** Issue 12: the cloud page's "Test connection" asks the server's /health and says what fails, in English and French. */
import { test, expect, type Page } from '@playwright/test';
import { SIGNAL_PROTOCOL_VERSION } from '../core/protocol/signal-messages.ts';

// page.route sees the page's own requests only when no service worker answers them first.
test.use({ serviceWorkers: 'block' });

async function cloudPage(page: Page, lang: 'en' | 'fr', title: string): Promise<void> {
  await page.addInitScript((l) => localStorage.setItem('quintet.lang', l), lang);
  await page.goto('/');
  await page.getByRole('button', { name: title }).click();
}

test('with the server up all is well; an unreachable server, an HTTP error, another version and no standing groups each say what fails', async ({ page }) => {
  await cloudPage(page, 'en', 'Cloud synchronization');
  const button = page.getByRole('button', { name: 'Test connection' });
  await button.click();
  await expect(page.getByRole('status').filter({ hasText: 'All is well' })).toHaveText(
    `All is well: the server is reachable, speaks signaling protocol ${SIGNAL_PROTOCOL_VERSION} like this page, and knows standing groups.`,
  );

  const failures: [(route: Parameters<Parameters<Page['route']>[1]>[0]) => Promise<void>, string][] = [
    [(route) => route.abort('connectionrefused'), 'The server could not be reached: check your connection, or the server is down.'],
    [(route) => route.fulfill({ status: 503, body: 'down for maintenance' }), 'The server answered with an error (HTTP 503) instead of its health: it may be down or misconfigured.'],
    [(route) => route.fulfill({ json: { ok: true, protocol: SIGNAL_PROTOCOL_VERSION + 1, features: ['rendezvous'] } }), `The server speaks signaling protocol ${SIGNAL_PROTOCOL_VERSION + 1}, this page ${SIGNAL_PROTOCOL_VERSION}: they are incompatible, update the older one.`],
    [(route) => route.fulfill({ json: { ok: true, protocol: SIGNAL_PROTOCOL_VERSION, features: [] } }), 'The server is reachable and compatible but does not know standing groups: it needs an update.'],
  ];
  for (const [answer, message] of failures) {
    await page.route('**/health', answer);
    await button.click();
    await expect(page.getByRole('alert')).toHaveText(message);
    await expect(page.getByRole('status').filter({ hasText: 'All is well' })).toHaveCount(0);
    await page.unroute('**/health');
  }

  // The join form has it too, and the real server answers well again.
  await page.getByRole('button', { name: 'Join cloud session' }).click();
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'All is well' })).toBeVisible();
});

test('in French', async ({ page }) => {
  await cloudPage(page, 'fr', 'Synchronisation cloud');
  await page.route('**/health', (route) => route.abort('connectionrefused'));
  await page.getByRole('button', { name: 'Tester la connexion' }).click();
  await expect(page.getByRole('alert')).toHaveText('Le serveur est injoignable : vérifiez votre connexion, ou le serveur est arrêté.');
  await page.unroute('**/health');
  await page.getByRole('button', { name: 'Tester la connexion' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Tout va bien' })).toContainText(`protocole de signalisation ${SIGNAL_PROTOCOL_VERSION}`);
});
