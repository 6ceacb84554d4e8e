/** The e2e server's admin token (playwright.config.ts hands it to the server; a test value, not a secret). */
export const E2E_ADMIN_TOKEN = 'e2e-admin-token';
