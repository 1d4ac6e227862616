/**
 * The settings sidebar in real headless Chromium: dist/sidebar.html as Affinity › Settings… shows it, served with a
 * google.script.run shim whose calls run the server entry points in the Apps Script harness against the Affinity
 * emulator. One user's session, step by step; each state is screenshotted to artifacts/ (300 px wide).
 */
import type { Locator } from 'playwright-core';
import { DEALFLOW } from '../../tools/emulator/seeds/dealflow';
import { METADATA_KEY } from '../../src/server/engine/layout';
import { startProduct, tabDisplay, type Product } from '../../tools/cli/product';
import { launchBrowser, type Browser } from './support/browser';
import { EVIL_LIST, EVIL_VIEW, EXTRA_LISTS, panelSeed } from './support/seed';
import { startSidebarServer, type SidebarServer } from './support/server';
import { description, eventually, text } from './support/wait';

const KEY = DEALFLOW.apiKey;
const WRONG_KEY = 'wrong-key-not-valid-4242';

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

const userProps = () => product.harness.properties.user().getProperties();
const connection = () => b.page.locator('#section-connection');
const tabsSection = () => b.page.locator('#section-tabs');
const statusSection = () => b.page.locator('#section-status');
const card = (tabName: string): Locator =>
  tabsSection()
    .locator('.binding')
    .filter({ has: b.page.locator('.tab-name', { hasText: tabName }) });

async function connectWithKey(key: string): Promise<void> {
  await connection().getByLabel('Affinity API key').fill(key);
  await connection()
    .getByRole('button', { name: /^(Connect|Save and reconnect)$/ })
    .click();
  await b.settle();
}

async function openAddForm(): Promise<Locator> {
  await tabsSection().getByRole('button', { name: 'Add a synced tab' }).click();
  await b.settle();
  const form = tabsSection().getByRole('form', { name: 'Add a synced tab' });
  await form.getByRole('listbox', { name: 'Lists' }).locator('option').first().waitFor();
  return form;
}

async function pickList(form: Locator, filter: string, name: string): Promise<void> {
  await form.getByLabel('List', { exact: true }).fill(filter);
  await form.getByRole('listbox', { name: 'Lists' }).selectOption({ label: name });
  await form.locator('.views:not([disabled])').waitFor();
  await b.settle();
}

describe('settings sidebar, in Chromium', () => {
  it('opens from Affinity › Settings… and loads offline, with nothing fetched from the network', async () => {
    expect(product.harness.ui.menus.find((m) => m.name === 'Affinity')?.items.map((i) => i.caption)).toEqual(
      expect.arrayContaining(['Settings…', 'Pull this tab', 'Pull all tabs', 'Push this tab', 'Preview changes…']),
    );
    expect(product.harness.ui.sidebars.at(-1)?.title).toBe('Affinity sync');
    expect(await connection().getByLabel('Affinity API key').getAttribute('type')).toBe('password');
    expect(await b.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(300);
    await b.shot('1-not-connected');
    expect(b.foreign).toEqual([]);
  });

  it('a rejected key shows its message and stores nothing', async () => {
    await connectWithKey(WRONG_KEY);
    const error = connection().getByRole('alert');
    await eventually(async () =>
      expect(await text(error)).toBe('Affinity rejected the API key (401). Open Settings and enter a valid key.'),
    );
    expect(await connection().getByLabel('Affinity API key').inputValue()).toBe('');
    const props = userProps();
    expect(Object.keys(props)).not.toContain('affinity.apiKey');
    expect(Object.keys(props)).not.toContain('affinity.profile');
    expect(Object.values(props).filter((v) => v.includes(WRONG_KEY))).toEqual([]);
    await b.shot('2-rejected-key');
  });

  it('a valid key shows the connected user, and only its last four characters afterwards', async () => {
    await connectWithKey(KEY);
    expect(await text(connection().locator('.who'))).toBe('Connected as Ada Lovelace · Analytical Ventures');
    expect(await text(connection().locator('.key-hint'))).toBe(`API key ••••${KEY.slice(-4)}`);
    expect(userProps()['affinity.apiKey']).toBe(KEY);
    const html = await b.page.content();
    expect(html).not.toContain(KEY);
    const values = await b.page.$$eval('input, select, textarea', (els) =>
      els.map((e) => (e as HTMLInputElement).value),
    );
    expect(values.filter((v) => v.includes(KEY))).toEqual([]);
    // The key went to the server once (the connect call) and never came back.
    expect(server.calls.filter((c) => JSON.stringify(c.value ?? c.error ?? '').includes(KEY))).toEqual([]);
    await b.shot('3-connected');
  });

  it('finds a list among hundreds with the filter box', async () => {
    const form = await openAddForm();
    const lists = form.getByRole('listbox', { name: 'Lists' });
    expect(await lists.locator('option').count()).toBe(EXTRA_LISTS + 2);
    await form.getByLabel('List', { exact: true }).fill('portfolio 12');
    expect(await lists.locator('option').allTextContents()).toEqual(
      Array.from({ length: 10 }, (_, i) => `Portfolio 12${i}`),
    );
    expect(await text(form.locator('.field .help'))).toBe(`10 lists of ${EXTRA_LISTS + 2} match.`);
    // A list name that is HTML is shown as text.
    await form.getByLabel('List', { exact: true }).fill('watchlist');
    expect(await lists.locator('option').allTextContents()).toEqual([EVIL_LIST]);
    await pickList(form, 'deal', 'Deal Flow');
    expect(await form.getByRole('radio').count()).toBe(7); // 5 views + new/existing tab
    await b.shot('4-choose-view');
  });

  it('a board or dashboard view cannot be chosen: disabled, with the reason', async () => {
    const form = tabsSection().getByRole('form', { name: 'Add a synced tab' });
    const board = form.getByRole('radio', { name: /^Pipeline Board/ });
    expect(await board.isDisabled()).toBe(true);
    expect(await description(board)).toBe(
      'Board view: Affinity’s API serves no rows for it. Only sheet views can be synced.',
    );
    expect(await text(form.locator('.choice.disabled').first())).toBe(
      'Pipeline Board Board view: Affinity’s API serves no rows for it. Only sheet views can be synced.',
    );
    const dashboard = form.getByRole('radio', { name: /^Partner Dashboard/ });
    expect(await dashboard.isDisabled()).toBe(true);
    expect(await description(dashboard)).toMatch(/^Dashboard view: /);
    // Clicking it does nothing.
    await form.locator('.choice.disabled').first().click({ force: true });
    expect(await board.isChecked()).toBe(false);
    expect(await form.getByRole('radio', { name: 'Active Pipeline' }).isEnabled()).toBe(true);
    expect(await form.getByRole('button', { name: 'Add and pull' }).isDisabled()).toBe(true);
  });

  it('a view named like HTML renders as text and no script runs', async () => {
    const form = tabsSection().getByRole('form', { name: 'Add a synced tab' });
    const evil = form.getByRole('radio', { name: EVIL_VIEW });
    expect(await evil.isEnabled()).toBe(true);
    expect(await text(form.locator('.choice').filter({ has: b.page.getByRole('radio', { name: EVIL_VIEW }) }))).toBe(
      EVIL_VIEW,
    );
    expect(await b.page.locator('img').count()).toBe(0);
    expect(await b.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // Binding it: the tab is named after the view; its name shows as text in the list of bindings too.
    await evil.check();
    await form.getByRole('button', { name: 'Add and pull' }).click();
    await eventually(async () =>
      expect(await text(card(EVIL_VIEW).locator('.message.success'))).toBe(`Pulled 3 rows into “${EVIL_VIEW}”.`),
    );
    await b.settle();
    expect(product.harness.spreadsheet.getSheetByName(EVIL_VIEW)).not.toBeNull();
    expect(await text(card(EVIL_VIEW).locator('.tab-name'))).toBe(EVIL_VIEW);
    expect(await text(card(EVIL_VIEW).locator('.binding-source'))).toBe(`Deal Flow › ${EVIL_VIEW}`);
    // Hovering everything that shows data fires no handler either.
    for (const el of await b.page.locator('.tab-name, .binding-source, option, .choice').all())
      await el.hover({ force: true, trial: false }).catch(() => undefined);
    expect(await b.page.locator('img').count()).toBe(0);
    expect(b.dialogs).toEqual([]);
    expect(b.pageErrors).toEqual([]);
    expect(await b.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await b.shot('5-html-name');
  });

  it('pick a list and a sheet view: a new tab named after it is created and pulled at once', async () => {
    const form = await openAddForm();
    await pickList(form, 'deal', 'Deal Flow');
    await form.getByRole('radio', { name: 'Active Pipeline' }).check();
    expect(await form.getByRole('radio', { name: 'A new tab named after the view' }).isChecked()).toBe(true);
    await form.getByRole('button', { name: 'Add and pull' }).click();
    const bound = card('Active Pipeline');
    await eventually(async () =>
      expect(await text(bound.locator('.message.success'))).toBe('Pulled 20 rows into “Active Pipeline”.'),
    );
    await b.settle();
    expect(await text(bound.locator('.binding-source'))).toBe('Deal Flow › Active Pipeline');
    expect(await text(bound.locator('.binding-meta'))).toBe('20 rows · Pulled just now ✓ · Pushed never');
    const rows = tabDisplay(product.harness, 'Active Pipeline');
    expect(rows).toHaveLength(21);
    expect(rows[0].slice(0, 3)).toEqual(['Entry ID', 'Organization', 'Stage']);
    expect(await tabsSection().locator('.add-form').isHidden()).toBe(true);
    await b.shot('6-bound');
  });

  it('binds a view to an existing tab', async () => {
    const form = await openAddForm();
    await pickList(form, 'deal', 'Deal Flow');
    await form.getByRole('radio', { name: 'All Deals' }).check();
    await form.getByRole('radio', { name: 'An existing tab' }).check();
    const tabSelect = form.getByRole('combobox', { name: 'Existing tab' });
    // Tabs already synced cannot be picked; the product's hidden tabs are not offered.
    await eventually(async () =>
      expect(
        await tabSelect.locator('option', { hasText: 'Active Pipeline (follows Active Pipeline)' }).isDisabled(),
      ).toBe(true),
    );
    expect(await tabSelect.locator('option').allTextContents()).not.toContainEqual(
      expect.stringContaining('_affinity_'),
    );
    await tabSelect.selectOption({ label: 'Sheet1' });
    await form.getByRole('button', { name: 'Add and pull' }).click();
    await eventually(async () =>
      expect(await text(card('Sheet1').locator('.message.success'))).toBe('Pulled 25 rows into “Sheet1”.'),
    );
    await b.settle();
    expect(tabDisplay(product.harness, 'Sheet1')).toHaveLength(26);
  });

  it('pulls a binding in the background, then shows the outcome and the status', async () => {
    const bound = card('Active Pipeline');
    await bound.getByRole('button', { name: 'Pull “Active Pipeline” from Affinity' }).click();
    await eventually(async () => expect(await text(bound.locator('.message.success'))).toBe('Pulled 20 rows.'));
    await b.settle();
    const status = statusSection();
    const fetched = product.harness.fetchLog.length;
    expect(fetched).toBeGreaterThan(20);
    expect(await text(status.locator('.stat').nth(0).locator('.stat-row'))).toBe(`Requests today ${fetched} of 20,000`);
    const requests = await product.emulator.admin.requests();
    const minuteLeft = 900 - requests.filter((r) => r.status !== 401 && r.userId === 501).length;
    expect(await text(status.locator('.stat').nth(1).locator('.stat-row'))).toBe(
      `This minute ${minuteLeft} of 900 left`,
    );
    expect(await text(status.locator('.stat').nth(2).locator('.stat-row'))).toMatch(
      /^This month 99,9\d\d of 100,000 left$/,
    );
    expect(await text(status.locator('.run').first())).toBe('✓ Pull · Active Pipeline · just now 20 rows.');
    await b.shot('7-status');
  });

  it('long work shows its progress, and the panel stays usable meanwhile', async () => {
    const sheetId = product.harness.sheet('Active Pipeline').getSheetId();
    const gate = server.gate('pullTab');
    const bound = card('Active Pipeline');
    await bound.getByRole('button', { name: 'Pull “Active Pipeline” from Affinity' }).click();
    await gate.arrived;
    // What a long pull writes as it goes (every 5 pages), read by the panel's polling.
    const key = `affinity.progress.${sheetId}`;
    const progress = { sheetId, message: '1,200 rows fetched of about 5,000…', at: product.harness.clock.now() };
    product.harness.cache.document.put(key, JSON.stringify(progress), 600);
    try {
      await eventually(async () =>
        expect(await text(bound.getByRole('status'))).toBe('1,200 rows fetched of about 5,000…'),
      );
      expect(await bound.getAttribute('aria-busy')).toBe('true');
      expect(await bound.getByRole('button', { name: 'Pull “Active Pipeline” from Affinity' }).isDisabled()).toBe(true);
      await b.shot('7b-progress');
      // Meanwhile the rest of the panel works: other tabs open, the status refreshes.
      await card('Sheet1').getByRole('button', { name: 'Open the tab “Sheet1”' }).click();
      await eventually(() => expect(product.harness.spreadsheet.getActiveSheet().getName()).toBe('Sheet1'));
      const refresh = statusSection().getByRole('button', { name: 'Refresh' });
      await refresh.click();
      await eventually(async () => expect(await refresh.isEnabled()).toBe(true));
      await eventually(async () => expect(await text(card('Sheet1').locator('.badge'))).toBe('this tab'));
    } finally {
      product.harness.cache.document.remove(key);
      gate.release();
    }
    await eventually(async () => expect(await text(bound.locator('.message.success'))).toBe('Pulled 20 rows.'));
    await b.settle();
    expect(await bound.getAttribute('aria-busy')).toBe('false');
  });

  it('pushes a binding’s edits to Affinity', async () => {
    const sheet = product.harness.sheet('Active Pipeline');
    const col = sheet
      .createDeveloperMetadataFinder()
      .withKey(METADATA_KEY)
      .find()
      .find((m) => m.getValue() === DEALFLOW.fields.description)!
      .getLocation()
      .getColumn()!
      .getColumn();
    const entryId = Number(sheet.getRange(2, 1).getValue());
    product.harness.userEdit('Active Pipeline', sheet.getRange(2, col).getA1Notation(), [['Edited in the sheet']]);
    const bound = card('Active Pipeline');
    await bound.getByRole('button', { name: 'Push the edits of “Active Pipeline” to Affinity' }).click();
    await eventually(async () =>
      expect(await text(bound.locator('.message.success'))).toBe('Active Pipeline: 1 change sent to Affinity.'),
    );
    await b.settle();
    expect(await text(bound.locator('.binding-meta'))).toBe('20 rows · Pulled just now ✓ · Pushed just now ✓');
    const stored = await product.emulator.admin.getEntry(DEALFLOW.listId, entryId);
    expect(stored?.entity.fields?.find((f) => f.id === DEALFLOW.fields.description)?.value).toMatchObject({
      data: 'Edited in the sheet',
    });
    expect(await text(statusSection().locator('.run').first())).toBe(
      '✓ Push · Active Pipeline · just now Active Pipeline: 1 change sent to Affinity.',
    );
  });

  it('an error appears next to the binding it concerns, in words a user can act on', async () => {
    await product.emulator.admin.injectFault({
      status: 403,
      count: 1,
      match: { pathIncludes: `/saved-views/${DEALFLOW.views.allDeals}/list-entries` },
    });
    const bound = card('Sheet1');
    await bound.getByRole('button', { name: 'Pull “Sheet1” from Affinity' }).click();
    await eventually(async () =>
      expect(await text(bound.getByRole('alert'))).toBe(
        "Your Affinity user lacks the 'Export data from Lists' permission (403). Ask an Affinity admin to grant it, then pull again.",
      ),
    );
    await b.settle();
    expect(await card('Active Pipeline').getByRole('alert').count()).toBe(0);
    expect(await text(statusSection().locator('.run.bad').first())).toMatch(
      /^✕ Pull · Sheet1 · just now Your Affinity user lacks/,
    );
    await b.shot('8-binding-error');
    // After the panel is reopened the error is still beside the binding (it was recorded with the binding).
    await b.page.reload();
    await b.page.waitForSelector('#panel[aria-busy="false"]');
    await b.settle();
    expect(await text(card('Sheet1').getByRole('alert'))).toContain("lacks the 'Export data from Lists' permission");
  });

  it('stops syncing a tab; the tab and its data stay', async () => {
    const bound = card('Sheet1');
    await bound.getByRole('button', { name: 'Stop syncing “Sheet1”' }).click();
    await bound.getByRole('button', { name: 'Stop syncing', exact: true }).click();
    await eventually(async () => expect(await card('Sheet1').count()).toBe(0));
    await b.settle();
    expect(product.harness.run('getBindings')).toHaveLength(2);
    expect(tabDisplay(product.harness, 'Sheet1')).toHaveLength(26);
  });

  it('push settings: the conflict setting and the pending marks are saved as soon as they change', async () => {
    const push = b.page.locator('#section-push');
    const flag = push.getByRole('radio', { name: /^Flag and skip/ });
    await flag.waitFor();
    expect(await flag.isChecked()).toBe(true);
    await push.getByRole('radio', { name: /^Sheet wins/ }).check();
    await eventually(async () => expect(await text(push.getByRole('status'))).toBe('Conflict setting saved.'));
    expect(product.harness.run('getConflictPolicy')).toBe('sheet-wins');
    await push.getByLabel('Mark edited cells until they are pushed').check();
    await eventually(() =>
      expect(product.harness.triggers.filter((t) => t.handler === 'onEditMarkPending')).toHaveLength(1),
    );
    await push.getByLabel('Mark edited cells until they are pushed').uncheck();
    await eventually(() =>
      expect(product.harness.triggers.filter((t) => t.handler === 'onEditMarkPending')).toHaveLength(0),
    );
    await push.getByRole('radio', { name: /^Flag and skip/ }).check();
    await eventually(() => expect(product.harness.run('getConflictPolicy')).toBe('flag'));
    await b.shot('8b-push-settings');
  });

  it('is keyboard accessible: every control is reachable with Tab and has a name', async () => {
    const unnamed = await b.page.$$eval('button, input, select', (els) =>
      els
        .filter((e) => !(e as HTMLElement).closest('[hidden]'))
        .filter((e) => {
          const el = e as HTMLInputElement;
          const labelled = el.labels && el.labels.length > 0;
          return !labelled && !el.getAttribute('aria-label') && !(el.textContent ?? '').trim();
        })
        .map((e) => e.outerHTML),
    );
    expect(unnamed).toEqual([]);
    await b.page.locator('body').focus();
    const reached = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await b.page.keyboard.press('Tab');
      const name = await b.page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el ? (el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName) : '';
      });
      reached.add(name);
    }
    for (const name of ['Change', 'Remove key', 'Pull “Active Pipeline” from Affinity', 'Add a synced tab', 'Refresh'])
      expect(reached).toContain(name);
  });

  it('removing the key removes it from storage', async () => {
    await connection().getByRole('button', { name: 'Remove key' }).click();
    await b.shot('9-remove-confirm');
    await connection().getByRole('button', { name: 'Remove', exact: true }).click();
    await connection().getByLabel('Affinity API key').waitFor({ state: 'visible' });
    await b.settle();
    const props = userProps();
    expect(props['affinity.apiKey']).toBeUndefined();
    expect(props['affinity.profile']).toBeUndefined();
    expect(Object.values(props).filter((v) => v.includes(KEY))).toEqual([]);
    // Bindings stay (they belong to the spreadsheet); pulling needs a connection again.
    await eventually(async () =>
      expect(
        await card('Active Pipeline')
          .getByRole('button', { name: 'Pull “Active Pipeline” from Affinity' })
          .isDisabled(),
      ).toBe(true),
    );
    await b.shot('10-removed');
    expect(b.dialogs).toEqual([]);
    expect(b.pageErrors).toEqual([]);
    expect(b.consoleErrors).toEqual([]);
    expect(b.foreign).toEqual([]);
  });
});
