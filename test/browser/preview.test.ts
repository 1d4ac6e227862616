/**
 * Affinity › Preview changes… in real headless Chromium: the dialog the menu records in the harness, served with the
 * google.script.run shim. A change, a conflict, a value that cannot be sent and a formula-looking edit are listed as
 * text with the request cost; pushing from the dialog sends exactly the change.
 */
import { join } from 'node:path';
import { DEALFLOW } from '../../tools/emulator/seeds/dealflow';
import { METADATA_KEY } from '../../src/server/engine/layout';
import { startProduct, type Product } from '../../tools/cli/product';
import { launchBrowser, type Browser } from './support/browser';
import { startSidebarServer, type SidebarServer } from './support/server';
import { eventually, text } from './support/wait';

let product: Product;
let server: SidebarServer;
let b: Browser;
let tab: string;

function a1Of(entryId: number, fieldId: string): string {
  const sheet = product.harness.spreadsheet.getSheetByName(tab)!;
  const cols = new Map<string, number>();
  for (const md of sheet.createDeveloperMetadataFinder().withKey(METADATA_KEY).find())
    cols.set(md.getValue()!, md.getLocation().getColumn()!.getColumn());
  const keys = sheet
    .getRange(1, cols.get('@entry'), sheet.getLastRow(), 1)
    .getValues()
    .map((r) => Number(r[0]));
  return sheet.getRange(keys.indexOf(entryId) + 1, cols.get(fieldId)).getA1Notation();
}

beforeAll(async () => {
  product = await startProduct();
  const { harness, emulator } = product;
  harness.openSpreadsheet();
  harness.run('connect', DEALFLOW.apiKey);
  tab = (harness.run('bindTab', DEALFLOW.listId, DEALFLOW.views.activePipeline) as { tabName: string }).tabName;
  // Text that looks like a formula, typed as text (leading apostrophe), and a formula that fails.
  harness.userEdit(tab, a1Of(20001, DEALFLOW.fields.description), [[`'=IMPORTXML("http://evil.example","//a")`]]);
  harness.userEdit(tab, a1Of(20004, DEALFLOW.fields.description), [['=VLOOKUP(A1, Nowhere!A:B, 2)']]);
  harness.userEdit(tab, a1Of(20002, DEALFLOW.fields.amount), [['fifteen million']]);
  harness.userEdit(tab, a1Of(20003, DEALFLOW.fields.description), [['Ours: agents for supply chains']]);
  await emulator.admin.editField(DEALFLOW.listId, 20003, DEALFLOW.fields.description, {
    type: 'text',
    data: 'Theirs: changed in Affinity',
  });
  harness.spreadsheet.setActiveSheet(harness.spreadsheet.getSheetByName(tab)!);
  harness.clickMenu('Affinity', 'Preview changes…');
  const dialog = harness.ui.dialogs.at(-1)!;
  server = await startSidebarServer(harness, { html: dialog.html });
  b = await launchBrowser({ height: 900 });
  await b.page.setViewportSize({ width: 760, height: 900 });
  await b.goto(server.url);
  await b.page
    .locator('#cost')
    .filter({ hasText: /request/ })
    .waitFor();
});

afterAll(async () => {
  await b?.close();
  await server?.close();
  await product?.close();
});

describe('preview changes, in Chromium', () => {
  it('lists the change, the conflict and the value that cannot be sent, as text, with the request cost', async () => {
    const page = b.page;
    const changes = page.locator('section', { hasText: 'Changes to send' });
    expect(await text(changes)).toContain('=IMPORTXML("http://evil.example","//a")');
    expect(await page.locator('section img, section script, section a').count()).toBe(0);
    const conflicts = page.locator('section', { hasText: 'Conflicts' });
    expect(await text(conflicts)).toContain('Ours: agents for supply chains');
    expect(await text(conflicts)).toContain('Theirs: changed in Affinity');
    const invalid = page.locator('section', { hasText: 'Values that cannot be sent as typed' });
    expect(await text(invalid)).toContain('fifteen million');
    expect(await text(invalid)).toContain('The cell shows a formula error (#NAME?), not a value.');
    expect(await text(page.locator('#cost'))).toMatch(
      /Pushing sends 1 change in 1 update request, after \d+ reads? to check for conflicts/,
    );
    await page.screenshot({
      path: join(__dirname, '../../artifacts/preview-dialog.png'),
      fullPage: true,
    });
    expect(b.dialogs).toEqual([]);
    expect(b.pageErrors).toEqual([]);
  });

  it('Push sends exactly the change; the conflict stays, the invalid cell is not sent', async () => {
    await product.emulator.admin.clearRequests();
    await b.page.locator('#push').click();
    await eventually(async () => expect(await text(b.page.locator('#cost'))).toMatch(/request/));
    await b.settle();
    const patches = (await product.emulator.admin.requests()).filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0].path).toBe(`/v2/lists/${DEALFLOW.listId}/list-entries/20001/fields`);
    const entry = await product.emulator.admin.getEntry(DEALFLOW.listId, 20003);
    const description = entry!.entity.fields!.find((f) => f.id === DEALFLOW.fields.description)!;
    expect(description.value.data).toBe('Theirs: changed in Affinity');
    expect(b.pageErrors).toEqual([]);
  });
});
