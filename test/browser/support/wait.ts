/** Waiting helpers for jest assertions on a live page (playwright-core has no `expect` of its own). */
import type { Locator } from 'playwright-core';

/** Retries `check` (a function with jest assertions) until it passes or `timeoutMs` runs out; then throws its error. */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The element's text as rendered (blocks on their own lines), whitespace collapsed. */
export async function text(locator: Locator): Promise<string> {
  return (await locator.innerText({ timeout: 15_000 })).replace(/\s+/g, ' ').trim();
}

/** The element's accessible description (the text of its aria-describedby targets). */
export function description(locator: Locator): Promise<string> {
  return locator.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ')
      .trim(),
  );
}
