/**
 * Jest global setup: finds the browser once for the whole run (see find-browser.ts) and hands the answer to the
 * test workers through the environment they inherit: CHROMIUM_PATH when found, BROWSER_MISSING (the one line to
 * show) when not. The other tests run either way; only the browser tests fail without a browser.
 */
import { findBrowser, fontEnv } from './find-browser';

export default async function globalSetup(): Promise<void> {
  const found = await findBrowser();
  if ('missing' in found) {
    process.env.BROWSER_MISSING = found.missing;
    return;
  }
  process.env.CHROMIUM_PATH = found.path;
  Object.assign(process.env, fontEnv(found));
}
