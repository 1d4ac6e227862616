/**
 * Finds the Chromium the browser tests drive, without ever downloading one. In order:
 *   1. CHROMIUM_PATH, when set (an error if it names no executable file: it is never silently ignored);
 *   2. a Chrome or Chromium already installed: names on PATH, then the usual Linux and macOS locations;
 *   3. on Linux x64, the headless Chromium that the dev dependency @sparticuz/chromium ships inside the npm package
 *      (brotli-compressed; extracted to <tmpdir>/chromium on first use, about 1.5 s, then reused).
 * Jest resolves it once, in its global setup (test/browser/support/global-setup.ts), so that parallel workers never
 * race on that extraction, and passes the result on to the workers through the environment.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export type Found = { path: string; source: string } | { missing: string };

/** The one line a user sees when no browser can be found. */
export const HOW_TO_GET_ONE =
  'No Chrome or Chromium found for the browser tests: run `npm install` (on Linux x64 it brings @sparticuz/chromium), ' +
  'install Chrome or Chromium, or set CHROMIUM_PATH to a Chrome/Chromium executable.';

const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

const LINUX_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/usr/lib/chromium/chromium',
  '/snap/bin/chromium',
];

const MAC_APPS = [
  'Google Chrome.app/Contents/MacOS/Google Chrome',
  'Chromium.app/Contents/MacOS/Chromium',
  'Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
  'Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary',
];

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A Chrome or Chromium already on this machine, or undefined. */
export function installedBrowser(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of PATH_NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  const fixed =
    platform === 'darwin'
      ? ['/Applications', join(homedir(), 'Applications')].flatMap((dir) => MAC_APPS.map((app) => join(dir, app)))
      : platform === 'linux'
        ? LINUX_PATHS
        : [];
  return fixed.find(isExecutable);
}

/** The headless Chromium inside @sparticuz/chromium (Linux x64 only), extracted on first use; or undefined. */
async function packagedBrowser(): Promise<string | undefined> {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  let mod: { default: { executablePath(): Promise<string> } };
  try {
    mod = await import('@sparticuz/chromium');
  } catch {
    return undefined;
  }
  const path = await mod.default.executablePath();
  return isExecutable(path) ? path : undefined;
}

export async function findBrowser(env: NodeJS.ProcessEnv = process.env): Promise<Found> {
  const configured = env.CHROMIUM_PATH;
  if (configured) {
    if (isExecutable(configured)) return { path: configured, source: 'CHROMIUM_PATH' };
    return { missing: `CHROMIUM_PATH=${configured} is not an executable file. ${HOW_TO_GET_ONE}` };
  }
  const installed = installedBrowser(env);
  if (installed) return { path: installed, source: 'installed' };
  const packaged = await packagedBrowser();
  if (packaged) return { path: packaged, source: '@sparticuz/chromium' };
  return { missing: HOW_TO_GET_ONE };
}

/**
 * Fonts: a machine without a fontconfig set-up of its own (a slim container) would render the panel's text as
 * empty boxes; then point fontconfig at the fonts @sparticuz/chromium extracts beside its binary (Open Sans).
 */
export function fontEnv(found: Found, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (!('path' in found) || found.source !== '@sparticuz/chromium' || env.FONTCONFIG_PATH) return {};
  if (existsSync('/etc/fonts/fonts.conf')) return {};
  const dir = join(found.path, '..', 'fonts');
  return existsSync(join(dir, 'fonts.conf')) ? { FONTCONFIG_PATH: dir } : {};
}
