/** Waiting inside a bench page: a check polled every 10 ms in the page, and the page's clock when it held. */
import type { Page } from '@playwright/test';

/** Waits in `page` until `check` (run there) is true, polling every 10 ms; returns the page's wall clock at that moment. */
export async function until(page: Page, check: string, timeoutMs = 600_000): Promise<number> {
  return page.evaluate(async ({ check, timeoutMs }) => {
    const end = Date.now() + timeoutMs;
    const test = new Function(`return (async () => (${check}))()`) as () => Promise<boolean>;
    while (!(await test())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${check}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return Date.now();
  }, { check, timeoutMs });
}
