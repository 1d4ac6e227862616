/** Waiting helpers for jest assertions on a live page (playwright-core has no `expect` of its own). */
import type { Locator } from 'playwright-core';

/**
 * How long a wait on the page may take before it counts as stuck: a net for a hang, far above what any step needs
 * even on a busy machine (no browser test may fail because the machine is slow). Playwright's actions use it too.
 */
export const STUCK_MS = 5 * 60_000;

/** Retries `check` (a function with jest assertions) until it passes or `timeoutMs` runs out; then throws its error. */
export async function eventually(check: () => Promise<void> | void, timeoutMs = STUCK_MS): Promise<void> {
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
  return (await locator.innerText({ timeout: STUCK_MS })).replace(/\s+/g, ' ').trim();
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
