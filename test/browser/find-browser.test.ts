/** How the browser tests find Chromium (support/find-browser.ts): the order, and the one line when there is none. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBrowser, HOW_TO_GET_ONE, installedBrowser } from './support/find-browser';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'find-browser-'));
  for (const name of ['chromium', 'google-chrome', 'my-chrome']) {
    writeFileSync(join(dir, name), '#!/bin/sh\n');
    chmodSync(join(dir, name), 0o755);
  }
  writeFileSync(join(dir, 'not-executable'), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('CHROMIUM_PATH comes first, before anything installed', async () => {
  await expect(findBrowser({ CHROMIUM_PATH: join(dir, 'my-chrome'), PATH: dir })).resolves.toEqual({
    path: join(dir, 'my-chrome'),
    source: 'CHROMIUM_PATH',
  });
});

test('a CHROMIUM_PATH that names no executable is an error in one line, never ignored', async () => {
  for (const bad of [join(dir, 'not-executable'), join(dir, 'absent'), dir]) {
    const found = await findBrowser({ CHROMIUM_PATH: bad, PATH: dir });
    expect(found).toEqual({ missing: `CHROMIUM_PATH=${bad} is not an executable file. ${HOW_TO_GET_ONE}` });
    expect('missing' in found && found.missing.includes('\n')).toBe(false);
  }
});

test('then a Chrome or Chromium on PATH, Chromium first', async () => {
  expect(installedBrowser({ PATH: `/nonexistent:${dir}` }, 'linux')).toBe(join(dir, 'chromium'));
  await expect(findBrowser({ PATH: dir })).resolves.toEqual({ path: join(dir, 'chromium'), source: 'installed' });
});

test('the message says how to get one', () => {
  expect(HOW_TO_GET_ONE).toMatch(/npm install.*CHROMIUM_PATH/);
  expect(HOW_TO_GET_ONE.includes('\n')).toBe(false);
});
