/**
 * The Connection section in Chromium: each way connecting can fail gets its own plain message, a user without the
 * export permission is told at once, and the Nango mode sends Nango's three headers (checked at the emulator's request
 * log) and never an Affinity key.
 */
import { DEALFLOW } from '../../tools/emulator/seeds/dealflow';
import { startProduct, tabDisplay, type Product } from '../../tools/cli/product';
import { launchBrowser, type Browser } from './support/browser';
import { panelSeed, TRIAL_KEY, VIEWER_KEY } from './support/seed';
import { startSidebarServer, type SidebarServer } from './support/server';
import { eventually, text } from './support/wait';

let product: Product;
let server: SidebarServer;
let b: Browser;

beforeAll(async () => {
  product = await startProduct({ seed: panelSeed() });
  server = await startSidebarServer(product.harness);
  b = await launchBrowser();
  await b.open(server.url);
});

afterAll(async () => {
  await b?.close();
  await server?.close();
  await product?.close();
});

afterEach(() => product.emulator.admin.clearFaults());

const userProps = () => product.harness.properties.user().getProperties();
const connection = () => b.page.locator('#section-connection');
const messages: Record<string, string> = {};

async function tryKey(key: string): Promise<string> {
  await connection().getByLabel('Affinity API key').fill(key);
  await connection().getByRole('button', { name: 'Connect', exact: true }).click();
  await b.settle();
  const alert = connection().locator('.connect-form').getByRole('alert');
  await alert.waitFor({ state: 'visible' });
  return text(alert);
}

function expectNothingStored(secret: string): void {
  const props = userProps();
  expect(Object.keys(props).filter((k) => k !== 'affinity.usage')).toEqual([]);
  expect(Object.values(props).filter((v) => v.includes(secret))).toEqual([]);
}

describe('connecting: one plain message for each way it fails', () => {
  it('a key whose plan has no API access (trial, Essentials)', async () => {
    messages.plan = await tryKey(TRIAL_KEY);
    expect(messages.plan).toBe(
      'This Affinity account has no API access (403). API keys work only on plans that include the API (not trial or Essentials); ask your Affinity admin.',
    );
    expectNothingStored(TRIAL_KEY);
    await b.shot('connect-plan');
  });

  it('a network failure', async () => {
    await product.emulator.admin.injectFault({
      networkError: true,
      count: -1,
      match: { pathIncludes: '/auth/whoami' },
    });
    messages.network = await tryKey(DEALFLOW.apiKey);
    expect(messages.network).toMatch(
      /^Could not reach Affinity after 2 attempts \(.+\)\. Check your connection and try again\.$/,
    );
    expect(messages.network).not.toContain(DEALFLOW.apiKey);
    expectNothingStored(DEALFLOW.apiKey);
    await b.shot('connect-network');
  });

  it('a rejected key', async () => {
    messages.rejected = await tryKey('not-a-key-at-all-0000');
    expect(messages.rejected).toBe('Affinity rejected the API key (401). Open Settings and enter a valid key.');
    expectNothingStored('not-a-key-at-all-0000');
  });

  it('a user without the export permission: connected, and told at once that pulls will fail', async () => {
    await connection().getByLabel('Affinity API key').fill(VIEWER_KEY);
    await connection().getByRole('button', { name: 'Connect', exact: true }).click();
    await b.settle();
    expect(await text(connection().locator('.who'))).toBe('Connected as Viewer Only · Analytical Ventures');
    messages.export = await text(connection().locator('.message.warning'));
    expect(messages.export).toBe(
      "Your Affinity user lacks the 'Export data from Lists' permission (403). Ask an Affinity admin to grant it, then pull again.",
    );
    await b.shot('connect-no-export');
    // Each failure has its own message.
    expect(new Set(Object.values(messages)).size).toBe(4);
  });

  it('a user without the export permission: binding a view says so next to the new binding', async () => {
    const tabs = b.page.locator('#section-tabs');
    await tabs.getByRole('button', { name: 'Add a synced tab' }).click();
    await b.settle();
    const form = tabs.getByRole('form', { name: 'Add a synced tab' });
    await form.getByLabel('List', { exact: true }).fill('Deal');
    await form.getByRole('listbox', { name: 'Lists' }).selectOption({ label: 'Deal Flow' });
    await form.locator('.views:not([disabled])').waitFor();
    await form.getByRole('radio', { name: 'All Deals' }).check();
    await form.getByRole('button', { name: 'Add and pull' }).click();
    const bound = tabs.locator('.binding').filter({ hasText: 'All Deals' });
    await eventually(async () => expect(await text(bound.getByRole('alert'))).toBe(messages.export));
    await b.settle();
    await b.shot('bind-no-export');
    // Remove this user's key for the next tests.
    await connection().getByRole('button', { name: 'Remove key' }).click();
    await connection().getByRole('button', { name: 'Remove', exact: true }).click();
    await connection().getByLabel('Affinity API key').waitFor({ state: 'visible' });
    await b.settle();
    expect(userProps()['affinity.apiKey']).toBeUndefined();
  });
});

describe('Nango mode', () => {
  const N = DEALFLOW.nango;

  async function tryNango(secretKey: string, providerConfigKey: string, connectionId: string): Promise<void> {
    await connection().getByRole('radio', { name: 'Nango' }).check();
    await connection().getByLabel('Nango secret key').fill(secretKey);
    await connection().getByLabel('Integration ID').fill(providerConfigKey);
    await connection().getByLabel('Connection ID').fill(connectionId);
    await connection().getByRole('button', { name: 'Connect', exact: true }).click();
    await b.settle();
  }

  it('a wrong secret or connection gets Nango’s own message and stores nothing', async () => {
    await tryNango('not-the-secret-1111', N.providerConfigKey, N.connectionId);
    const alert = connection().locator('.connect-form').getByRole('alert');
    expect(await text(alert)).toBe(
      'Nango rejected the secret key (401). Open Affinity › Settings… and check the Nango connection.',
    );
    expect(await connection().getByLabel('Nango secret key').inputValue()).toBe('');
    await b.shot('nango-rejected');
    await tryNango(N.secretKey, N.providerConfigKey, 'someone-else');
    expect(await text(alert)).toBe(
      'Nango has no such connection: check the integration ID and the connection ID (401). Open Affinity › Settings… and check the Nango connection.',
    );
    expectNothingStored(N.secretKey);
  });

  it('connects through Nango’s proxy with its three headers, and never sends an Affinity key', async () => {
    const seq = Math.max(0, ...(await product.emulator.admin.requests()).map((r) => r.seq));
    const fetches = product.harness.fetchLog.length;
    await tryNango(N.secretKey, N.providerConfigKey, N.connectionId);
    expect(await text(connection().locator('.who:visible'))).toBe('Connected as Ada Lovelace · Analytical Ventures');
    expect(await text(connection().locator('.key-hint:visible'))).toBe(
      `Through Nango: connection ${N.connectionId}, integration ${N.providerConfigKey}, secret key ••••${N.secretKey.slice(-4)}`,
    );
    await b.shot('nango-connected');

    // Pull the bound tab through Nango.
    const bound = b.page.locator('#section-tabs .binding').filter({ hasText: 'All Deals' });
    await bound.getByRole('button', { name: /^Pull / }).click();
    await eventually(async () =>
      expect(await text(bound.locator('.message.success'))).toBe('Pulled 25 rows, 25 added.'),
    );
    await b.settle();
    expect(tabDisplay(product.harness, 'All Deals')).toHaveLength(26);

    const sent = (await product.emulator.admin.requests(seq)).filter((r) => !r.path.startsWith('/__emulator'));
    expect(sent.length).toBeGreaterThan(4);
    for (const r of sent) {
      expect(r.via).toBe('nango');
      expect(r.path.startsWith('/proxy/v2/')).toBe(true);
      expect(r.headers).toMatchObject({
        authorization: `Bearer ${N.secretKey}`,
        'provider-config-key': N.providerConfigKey,
        'connection-id': N.connectionId,
      });
      expect(JSON.stringify(r)).not.toContain(DEALFLOW.apiKey);
    }
    const urls = product.harness.fetchLog.slice(fetches).map((f) => f.url);
    expect(urls.every((u) => u.startsWith('https://api.nango.dev/proxy/v2/'))).toBe(true);
    // Stored as one JSON value in the user's properties; no API key is kept.
    const props = userProps();
    expect(JSON.parse(props['affinity.nango'])).toEqual({
      secretKey: N.secretKey,
      providerConfigKey: N.providerConfigKey,
      connectionId: N.connectionId,
    });
    expect(props['affinity.apiKey']).toBeUndefined();
    expect(await b.page.content()).not.toContain(N.secretKey);
  });

  it('disconnecting removes the Nango connection from storage', async () => {
    await connection().getByRole('button', { name: 'Disconnect' }).click();
    await connection().getByRole('button', { name: 'Remove', exact: true }).click();
    await connection().getByRole('radio', { name: 'API key' }).waitFor({ state: 'visible' });
    await b.settle();
    expectNothingStored(N.secretKey);
    expect(b.dialogs).toEqual([]);
    expect(b.pageErrors).toEqual([]);
    expect(b.foreign).toEqual([]);
  });
});
