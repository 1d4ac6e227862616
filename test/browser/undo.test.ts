/**
 * Affinity › Undo last push… in real headless Chromium: the dialog the menu records in the harness, served with the
 * google.script.run shim. It lists the value it puts back and the cell a colleague changed since (both values), links
 * the entry the push added to its record in Affinity, and puts the value back on request.
 */
import { DEALFLOW } from '../../tools/emulator/seeds/dealflow';
import { KEY_COLUMN, METADATA_KEY, NAME_COLUMN } from '../../src/server/engine/layout';
import { startProduct, type Product } from '../../tools/cli/product';
import type { Browser } from './support/browser';
import { openDialog, type OpenDialog } from './support/dialog';
import { eventually, text } from './support/wait';

const F = DEALFLOW.fields;
let product: Product;
let dialog: OpenDialog | undefined;
let b: Browser;

beforeAll(async () => {
  product = await startProduct();
  const { harness, emulator } = product;
  harness.openSpreadsheet();
  harness.run('connect', DEALFLOW.apiKey);
  const tab = (harness.run('bindTab', DEALFLOW.listId, DEALFLOW.views.activePipeline) as { tabName: string }).tabName;
  const sheet = harness.spreadsheet.getSheetByName(tab)!;
  const cols = new Map<string, number>();
  for (const md of sheet.createDeveloperMetadataFinder().withKey(METADATA_KEY).find())
    cols.set(md.getValue()!, md.getLocation().getColumn()!.getColumn());
  const a1 = (row: number, id: string) => sheet.getRange(row, cols.get(id)).getA1Notation();
  // Rows 2 and 3 are the view's first entries; a new row below them is added by the same push.
  harness.userEdit(tab, a1(2, F.description), [['Pushed <b>A</b>']]);
  harness.userEdit(tab, a1(3, F.description), [['Pushed B']]);
  harness.userEdit(tab, a1(sheet.getLastRow() + 1, NAME_COLUMN), [['northwind.vc']]);
  harness.run('pushTab', sheet.getSheetId());
  const colleague = Number(sheet.getRange(a1(3, KEY_COLUMN)).getValue());
  await emulator.admin.editField(DEALFLOW.listId, colleague, F.description, { type: 'text', data: 'Colleague B' });
  harness.spreadsheet.setActiveSheet(sheet);
  dialog = await openDialog(product, 'Undo last push…', 700);
  b = dialog.b;
  await b.page
    .locator('#cost')
    .filter({ hasText: /back|Nothing/ })
    .waitFor();
});

afterAll(async () => {
  await (dialog ? dialog.close() : product?.close());
});

describe('undo last push, in Chromium', () => {
  it('lists both values of the cell not undone and links the added entry to Affinity', async () => {
    const page = b.page;
    expect(await text(page.locator('section', { hasText: 'Values put back' }))).toContain('Pushed <b>A</b>');
    const notUndone = await text(page.locator('section', { hasText: 'Not undone' }));
    expect(notUndone).toContain('Pushed B');
    expect(notUndone).toContain('Colleague B');
    const link = page.locator('section', { hasText: 'Entries the push added' }).locator('a');
    expect(await link.count()).toBe(1);
    expect(await link.getAttribute('href')).toBe('https://analytical-ventures.affinity.co/companies/8001');
    expect(await text(link)).toContain('Northwind Ventures');
    expect(await page.locator('section b, section img, section script').count()).toBe(0);
    expect(b.pageErrors).toEqual([]);
  });

  it('puts the value back on request', async () => {
    await product.emulator.admin.clearRequests();
    await b.page.locator('#undo').click();
    await eventually(async () => expect(await text(b.page.locator('#content'))).toMatch(/1 value put back/));
    const patches = (await product.emulator.admin.requests()).filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(b.pageErrors).toEqual([]);
  });
});
