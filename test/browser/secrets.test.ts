/**
 * The API key and the Nango secret appear nowhere but in their own user property: not in any HTML the harness
 * recorded (sidebar, dialogs), log line, sheet cell, note or tab name, error message, RPC answer, cache entry, other
 * property, nor in the page (its DOM, its inputs, its console). A whole session, failures included, then a search
 * everywhere.
 */
import { DEALFLOW } from '../../tools/emulator/seeds/dealflow';
import { KEY_COLUMN, METADATA_KEY } from '../../src/server/engine/layout';
import { startProduct, type Product } from '../../tools/cli/product';
import { launchBrowser, type Browser } from './support/browser';
import { panelSeed } from './support/seed';
import { startSidebarServer, type SidebarServer } from './support/server';
import { eventually, text } from './support/wait';

const KEY = DEALFLOW.apiKey;
const N = DEALFLOW.nango;

let product: Product;
let server: SidebarServer;
let b: Browser;
const consoleLines: string[] = [];

beforeAll(async () => {
  product = await startProduct({ seed: panelSeed() });
  server = await startSidebarServer(product.harness);
  b = await launchBrowser();
  b.page.on('console', (m) => consoleLines.push(m.text()));
  await b.open(server.url);
});

afterAll(async () => {
  await b?.close();
  await server?.close();
  await product?.close();
});

afterEach(() => product.emulator.admin.clearFaults());

const connection = () => b.page.locator('#section-connection');
const tabs = () => b.page.locator('#section-tabs');

/** Every place a secret could leak to, as [where, text] pairs. */
async function everything(keep: string): Promise<[string, string][]> {
  const h = product.harness;
  const out: [string, string][] = [];
  const add = (where: string, v: unknown) =>
    out.push([where, typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v))]);
  for (const s of h.ui.sidebars) add('sidebar html', s);
  for (const d of h.ui.dialogs) add('dialog html', d);
  for (const a of h.ui.alerts) add('alert', a);
  for (const t of h.ui.toasts) add('toast', t);
  for (const line of h.logs) add('log', line);
  for (const e of h.logEntries) add('log entry', e);
  for (const x of h.executions) add(`execution ${x.fn}`, { error: x.error, internal: x.internalErrors });
  for (const sheet of h.spreadsheet.getSheets()) {
    add('tab name', sheet.getName());
    const rows = sheet.getLastRow();
    const cols = sheet.getLastColumn();
    if (rows > 0 && cols > 0) {
      const range = sheet.getRange(1, 1, rows, cols);
      add(`cells of ${sheet.getName()}`, range.getValues());
      add(`shown cells of ${sheet.getName()}`, range.getDisplayValues());
      add(`notes of ${sheet.getName()}`, range.getNotes());
    }
    add(
      `metadata of ${sheet.getName()}`,
      sheet.getDeveloperMetadata().map((m) => [m.getKey(), m.getValue()]),
    );
  }
  add('document properties', h.properties.document.getProperties());
  add('script properties', h.properties.script.getProperties());
  for (const [k, v] of Object.entries(h.properties.user().getProperties())) {
    if (k !== keep) add(`user property ${k}`, v);
  }
  for (const cache of [h.cache.document, h.cache.script, h.cache.user()])
    add(`cache ${cache.label}`, [...cache.entries.entries()]);
  for (const c of server.calls) add(`rpc answer ${c.fn}`, c.ok ? c.value : c.error);
  add('page html', await b.page.content());
  add(
    'page inputs',
    await b.page.$$eval('input, select, textarea', (els) => els.map((e) => (e as HTMLInputElement).value)),
  );
  add('page text', await b.page.evaluate(() => document.body.innerText));
  for (const line of consoleLines) add('console', line);
  for (const d of b.dialogs) add('dialog', d);
  return out;
}

async function leaks(secret: string, keep: string): Promise<string[]> {
  return (await everything(keep)).filter(([, v]) => v.includes(secret)).map(([where]) => where);
}

describe('no secret anywhere', () => {
  let sheetId = 0;

  it('a session with the API key: failures, a bind, pulls, a push, menu actions', async () => {
    // A wrong key first, then the right one.
    await connection().getByLabel('Affinity API key').fill(`${KEY}-typo`);
    await connection().getByRole('button', { name: 'Connect', exact: true }).click();
    await b.settle();
    await connection().getByLabel('Affinity API key').fill(KEY);
    await connection().getByRole('button', { name: 'Connect', exact: true }).click();
    await b.settle();
    expect(await text(connection().locator('.who:visible'))).toBe('Connected as Ada Lovelace · Analytical Ventures');

    // Bind and pull.
    await tabs().getByRole('button', { name: 'Add a synced tab' }).click();
    await b.settle();
    const form = tabs().getByRole('form', { name: 'Add a synced tab' });
    await form.getByLabel('List', { exact: true }).fill('deal');
    await form.getByRole('listbox', { name: 'Lists' }).selectOption({ label: 'Deal Flow' });
    await form.locator('.views:not([disabled])').waitFor();
    await form.getByRole('radio', { name: 'Active Pipeline' }).check();
    await form.getByRole('button', { name: 'Add and pull' }).click();
    const card = tabs().locator('.binding').filter({ hasText: 'Active Pipeline' });
    await card.locator('.message.success').waitFor();
    await b.settle();
    const sheet = product.harness.sheet('Active Pipeline');
    sheetId = sheet.getSheetId();

    // A failed pull (the key rejected now) and a network failure: messages next to the binding.
    await product.emulator.admin.injectFault({ status: 401, count: 1, match: { pathIncludes: '/list-entries' } });
    await card.getByRole('button', { name: /^Pull / }).click();
    await eventually(async () => expect(await text(card.getByRole('alert'))).toMatch(/rejected the API key/));
    await b.settle();
    await product.emulator.admin.injectFault({ networkError: true, count: -1 });
    await card.getByRole('button', { name: /^Pull / }).click();
    await eventually(async () => expect(await text(card.getByRole('alert'))).toMatch(/^Could not reach Affinity/));
    await b.settle();
    await product.emulator.admin.clearFaults();

    // An edit pushed from the panel.
    const cols = new Map(
      sheet
        .createDeveloperMetadataFinder()
        .withKey(METADATA_KEY)
        .find()
        .map((m) => [m.getValue(), m.getLocation().getColumn()!.getColumn()]),
    );
    const descriptionCol = cols.get(DEALFLOW.fields.description)!;
    const letter = String.fromCharCode(64 + descriptionCol);
    product.harness.userEdit('Active Pipeline', `${letter}2`, [['Edited in the sheet']]);
    await card.getByRole('button', { name: /^Push / }).click();
    await eventually(async () => expect(await card.locator('.message').count()).toBeGreaterThan(0));
    await b.settle();
    expect(cols.has(KEY_COLUMN)).toBe(true);

    // Menu actions, on the bound tab and on one that is not bound.
    sheet.activate();
    product.harness.clickMenu('Affinity', 'Pull this tab');
    product.harness.clickMenu('Affinity', 'Pull all tabs');
    product.harness.sheet('Sheet1').activate();
    product.harness.clickMenu('Affinity', 'Pull this tab');
    product.harness.clickMenu('Affinity', 'Settings…');
    await b.page.reload();
    await b.page.waitForSelector('#panel[aria-busy="false"]');
    await b.settle();

    expect(await leaks(KEY, 'affinity.apiKey')).toEqual([]);
    expect(product.harness.properties.user().getProperties()['affinity.apiKey']).toBe(KEY);
  });

  it('then through Nango: the secret stays in its property, and the API key is gone everywhere', async () => {
    await connection().getByRole('button', { name: 'Change' }).click();
    await connection().getByRole('radio', { name: 'Nango' }).check();
    await connection().getByLabel('Nango secret key').fill(N.secretKey);
    await connection().getByLabel('Integration ID').fill(N.providerConfigKey);
    await connection().getByLabel('Connection ID').fill(N.connectionId);
    await connection().getByRole('button', { name: 'Save and reconnect' }).click();
    await b.settle();
    expect(await text(connection().locator('.key-hint:visible'))).toMatch(/^Through Nango/);
    const card = tabs().locator('.binding').filter({ hasText: 'Active Pipeline' });
    await card.getByRole('button', { name: /^Pull / }).click();
    await eventually(async () => expect(await text(card.locator('.message.success'))).toMatch(/^Pulled 20 rows/));
    await b.settle();
    await product.emulator.admin.injectFault({ status: 500, count: -1 });
    await card.getByRole('button', { name: /^Pull / }).click();
    await eventually(async () => expect(await text(card.getByRole('alert'))).toMatch(/Affinity is having trouble/));
    await b.settle();

    expect(await leaks(N.secretKey, 'affinity.nango')).toEqual([]);
    expect(await leaks(KEY, '')).toEqual([]);
    expect(product.harness.properties.user().getProperties()['affinity.nango']).toContain(N.secretKey);
    expect(sheetId).toBeGreaterThan(0);
  });

  it('the search would find a leak (a check that cannot fail proves nothing)', async () => {
    product.harness.logs.push(`oops ${N.secretKey}`);
    try {
      expect(await leaks(N.secretKey, 'affinity.nango')).toEqual(['log']);
    } finally {
      product.harness.logs.pop();
    }
    await b.page.evaluate((s) => {
      const p = document.createElement('p');
      p.hidden = true;
      p.textContent = s;
      document.body.appendChild(p);
    }, KEY);
    expect(await leaks(KEY, '')).toEqual(['page html']);
  });
});
