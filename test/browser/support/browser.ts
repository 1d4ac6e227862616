/**
 * Real headless Chromium (found by find-browser.ts; never a downloaded browser) driven by playwright-core,
 * with a fresh user-data dir, 300 px wide like the Sheets sidebar, and everything the page does watched: dialogs
 * (alert/confirm/prompt), page errors, console errors, and any request that leaves the local server (the panel
 * must need nothing from the network: such requests are refused and recorded).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { findBrowser, fontEnv } from './find-browser';
import { STUCK_MS } from './wait';

/** Jest's global setup found no browser: every browser test file fails with that one line, and no stack trace. */
if (process.env.BROWSER_MISSING) {
  const err = new Error(process.env.BROWSER_MISSING);
  err.stack = err.message;
  throw err;
}

/** The browser's path: as Jest's global setup found it, or found now (outside Jest: `npm run screenshot`). */
async function chromiumPath(): Promise<string> {
  const found = await findBrowser();
  if ('missing' in found) {
    const err = new Error(found.missing);
    err.stack = err.message;
    throw err;
  }
  Object.assign(process.env, fontEnv(found));
  return found.path;
}
export const SIDEBAR_WIDTH = 300;
export const ARTIFACTS = resolve(__dirname, '../../../artifacts');

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  dialogs: string[];
  pageErrors: string[];
  consoleErrors: string[];
  /** Requests to anything but the local server (refused). */
  foreign: string[];
  /** Opens the panel and waits until its first snapshot is drawn. */
  open(url: string): Promise<void>;
  /** Opens any page of the local server (a dialog), without waiting for the panel. */
  goto(url: string): Promise<void>;
  /** Waits until no google.script.run call is in flight. */
  settle(): Promise<void>;
  /** Writes artifacts/sidebar-<name>.png (full page, 300 px wide). */
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(opts: { height?: number } = {}): Promise<Browser> {
  const executablePath = await chromiumPath();
  const userDataDir = mkdtempSync(join(tmpdir(), 'sidebar-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ARGS,
    viewport: { width: SIDEBAR_WIDTH, height: opts.height ?? 720 },
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'America/New_York',
    reducedMotion: 'reduce',
    timeout: STUCK_MS,
  });
  context.setDefaultTimeout(STUCK_MS);
  const page = context.pages()[0] ?? (await context.newPage());
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const foreign: string[] = [];
  let origin = '';
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (origin && url.startsWith(`${origin}/`)) return route.continue();
    foreign.push(url);
    return route.abort('blockedbyclient');
  });
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });

  const b: Browser = {
    context,
    page,
    dialogs,
    pageErrors,
    consoleErrors,
    foreign,
    async open(url) {
      origin = new URL(url).origin;
      await page.goto(url);
      await page.waitForSelector('#panel[aria-busy="false"]');
      await b.settle();
    },
    async goto(url) {
      origin = new URL(url).origin;
      await page.goto(url);
    },
    async settle() {
      await page.waitForFunction(() => !(window as unknown as { __rpcPending?: number }).__rpcPending);
    },
    async shot(name) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const path = join(ARTIFACTS, `sidebar-${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
  return b;
}
