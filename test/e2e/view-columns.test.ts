/**
 * A view's columns, end to end (docs/scenarios/view-columns.json): they come from Affinity's columns endpoint, never
 * from the rows alone. An empty view gets its field columns; every entry leaving and coming back neither unbinds nor
 * duplicates a column (with the endpoint, and without it: 404 or 501); rows that leave out empty fields or order
 * them differently pull the same tab; a field dropped from the view with an edit not pushed keeps the edit, says so
 * where the user looks, and sends it once the field is back. The built bundle in the harness, against the emulator.
 */
import { KEY_COLUMN, LEFT_VIEW_PREFIX, METADATA_KEY } from '../../src/server/engine/layout';
import type { PushPreview, PushSummary } from '../../src/shared/push';
import type { PullSummary } from '../../src/shared/types';
import { startProduct, tabDisplay, type Product } from '../../tools/cli/product';
import { DEALFLOW, dealflowSeed } from '../../tools/emulator/seeds/dealflow';
import type { FakeSheet } from '../../tools/harness';
import { expectValidRequests, letters, patches } from './pushHelpers';

const L = DEALFLOW.listId;
const V = DEALFLOW.views.activePipeline;
const F = DEALFLOW.fields;

/** Synced columns by field id (or, with `left`, columns whose field left the view). */
function boundColumns(sheet: FakeSheet, left = false): Map<string, number> {
  const out = new Map<string, number>();
  for (const md of sheet.createDeveloperMetadataFinder().withKey(METADATA_KEY).find()) {
    const value = md.getValue()!;
    if (value.startsWith(LEFT_VIEW_PREFIX) !== left) continue;
    out.set(left ? value.slice(LEFT_VIEW_PREFIX.length) : value, md.getLocation().getColumn()!.getColumn());
  }
  return out;
}

function headerNotes(sheet: FakeSheet): string[] {
  return sheet
    .getRange(1, 1, 1, sheet.getLastColumn())
    .getNotes()[0]
    .filter((n) => n !== '');
}

async function open(opts: { rows?: 'complete' | 'sparse' } = {}): Promise<Product> {
  const product = await startProduct({ seed: dealflowSeed(), rows: opts.rows });
  product.harness.openSpreadsheet();
  product.harness.run('connect', DEALFLOW.apiKey);
  return product;
}

function bind(product: Product): { tab: string; sheet: FakeSheet; sheetId: number; summary: PullSummary } {
  const summary = product.harness.run('bindTab', L, V) as PullSummary;
  const sheet = product.harness.sheet(summary.tabName);
  return { tab: summary.tabName, sheet, sheetId: sheet.getSheetId(), summary };
}

describe("a view's columns", () => {
  let product: Product;
  afterEach(() => product.close());

  it('a view with no entries gets a tab with its field columns, in the view order', async () => {
    product = await open();
    const view = await product.emulator.admin.getView(L, V);
    await product.emulator.admin.setView(L, V, { entryIds: [] });
    const { sheet, summary } = bind(product);
    expect(summary.rows).toBe(0);
    const cols = boundColumns(sheet);
    const fieldCols = [...cols].filter(([id]) => !id.startsWith('@'));
    expect(fieldCols.map(([id]) => id)).toEqual(view.fieldIds);
    expect(fieldCols.map(([, c]) => c)).toEqual([...fieldCols.map(([, c]) => c)].sort((a, b) => a - b));
    expect(sheet.getRange(1, cols.get(F.stage)).getValue()).toBe('Stage');
    expectValidRequests(product.harness.fetchLog.filter((r) => r.url.startsWith('https://api.affinity.co/')));
  });

  for (const columnsAnswer of ['served', 404, 501] as const) {
    it(`every entry leaving and returning neither unbinds nor duplicates a column (columns endpoint: ${columnsAnswer})`, async () => {
      product = await open();
      if (columnsAnswer !== 'served')
        await product.emulator.admin.injectFault({
          status: columnsAnswer,
          count: -1,
          match: { method: 'GET', pathIncludes: '/columns' },
        });
      const view = await product.emulator.admin.getView(L, V);
      const { tab, sheet, sheetId } = bind(product);
      const before = tabDisplay(product.harness, tab);
      const cols = boundColumns(sheet);
      const width = sheet.getLastColumn();

      await product.emulator.admin.setView(L, V, { entryIds: [] });
      const gone = product.harness.run('pullTab', sheetId) as PullSummary;
      expect(gone.rows).toBe(0);
      expect(boundColumns(sheet)).toEqual(cols);
      expect(boundColumns(sheet, true).size).toBe(0);
      expect(headerNotes(sheet).filter((n) => n.includes('no longer in the view'))).toEqual([]);

      await product.emulator.admin.setView(L, V, { entryIds: view.entryIds });
      const back = product.harness.run('pullTab', sheetId) as PullSummary;
      expect(back.rows).toBe(view.entryIds.length);
      expect(sheet.getLastColumn()).toBe(width);
      expect(boundColumns(sheet)).toEqual(cols);
      // the same tab as first pulled (rows may come back in another order: compare by entry)
      const byEntry = (g: string[][]) => {
        const k = cols.get(KEY_COLUMN)! - 1;
        return new Map(g.slice(1).map((r) => [r[k], r.join('|')]));
      };
      const after = tabDisplay(product.harness, tab);
      expect(after[0]).toEqual(before[0]);
      expect(byEntry(after)).toEqual(byEntry(before));
    });
  }

  it('rows that leave out empty fields and order fields differently pull the same tab', async () => {
    product = await open();
    const complete = tabDisplay(product.harness, bind(product).tab);
    await product.close();
    product = await open({ rows: 'sparse' });
    const sparse = tabDisplay(product.harness, bind(product).tab);
    expect(sparse).toEqual(complete);
  });

  it('costs no request more than before: the view’s columns replace the list’s fields (which a fallback reads)', async () => {
    product = await open();
    const { sheetId } = bind(product);
    const paths = (from: number) => product.harness.fetchLog.slice(from).map((r) => new URL(r.url).pathname);
    let from = product.harness.fetchLog.length;
    const s = product.harness.run('pullTab', sheetId) as PullSummary;
    let urls = paths(from);
    expect(urls.filter((u) => u.endsWith('/columns'))).toHaveLength(1);
    expect(urls.filter((u) => u.endsWith('/fields'))).toHaveLength(0);
    expect(s.requests).toBe(urls.length);
    // without the columns endpoint: the list's fields, as before
    await product.emulator.admin.injectFault({ status: 404, count: -1, match: { pathIncludes: '/columns' } });
    from = product.harness.fetchLog.length;
    product.harness.run('pullTab', sheetId);
    urls = paths(from);
    expect(urls.filter((u) => u.endsWith('/fields'))).toHaveLength(1);
    expect(urls.length).toBe(s.requests + 1);
  });
});

describe('a field dropped from the view with an edit not pushed', () => {
  let product: Product;
  afterEach(() => product.close());

  it('keeps the edit, says so in the note, the summary and the preview, and sends it once the field is back', async () => {
    product = await open();
    const h = product.harness;
    const { tab, sheet, sheetId } = bind(product);
    const cols = boundColumns(sheet);
    const col = cols.get(F.description)!;
    const keyCol = cols.get(KEY_COLUMN)!;
    const keys = sheet.getRange(2, keyCol, sheet.getLastRow() - 1, 1).getValues();
    const row = 2 + keys.findIndex((r) => Number(r[0]) === 20001);
    const a1 = `${letters(col)}${row}`;
    h.userEdit(tab, a1, [['Edited before the field left']]);

    const view = await product.emulator.admin.getView(L, V);
    await product.emulator.admin.setView(L, V, { fieldIds: view.fieldIds.filter((id) => id !== F.description) });
    const pulled = h.run('pullTab', sheetId) as PullSummary;
    expect(pulled.leftViewEdits).toBe(1);
    expect(sheet.getRange(a1).getValue()).toBe('Edited before the field left');
    expect(sheet.getRange(a1).getNote()).toMatch(/not sent.*Description.*no longer in the view/);
    expect(boundColumns(sheet).has(F.description)).toBe(false);
    expect(boundColumns(sheet, true).get(F.description)).toBe(col);
    const base = h.spreadsheet.getSheetByName(`_affinity_base_${sheetId}`)!;
    expect(base.getRange(1, 1, 1, base.getLastColumn()).getValues()[0]).toContain(F.description);

    const preview = h.runAs('rpc', 'previewPush', sheetId) as PushPreview;
    expect(preview.notSent).toEqual([
      expect.objectContaining({
        entryId: 20001,
        field: 'Description',
        value: 'Edited before the field left',
        reason: expect.stringMatching(/^not sent: field left the view/),
      }),
    ]);
    const from = h.fetchLog.length;
    h.run('pushTab', sheetId);
    expect(patches(h.fetchLog.slice(from))).toEqual([]);

    // The field comes back: its column is synced again where it is, and the edit is pending again.
    await product.emulator.admin.setView(L, V, { fieldIds: view.fieldIds });
    const width = sheet.getLastColumn();
    const again = h.run('pullTab', sheetId) as PullSummary;
    expect(sheet.getLastColumn()).toBe(width);
    expect(boundColumns(sheet).get(F.description)).toBe(col);
    expect(again.pendingEdits).toBe(1);
    expect(sheet.getRange(a1).getValue()).toBe('Edited before the field left');
    expect(sheet.getRange(a1).getNote()).not.toMatch(/no longer in the view/);
    const pushed = h.run('pushTab', sheetId) as PushSummary;
    expect(pushed.sent).toBe(1);
    const entry = await product.emulator.admin.getEntry(L, 20001);
    const field = entry!.entity.fields!.find((f) => f.id === F.description);
    expect(field?.value.data).toBe('Edited before the field left');
  });
});

describe('a system field that looks editable', () => {
  let product: Product;
  afterEach(() => product.close());

  it('created-at (a list field of type datetime) is read-only: an edit is restored and never sent', async () => {
    const seed = dealflowSeed();
    seed.fields[String(L)] = [
      ...seed.fields[String(L)],
      {
        id: 'created-at',
        name: 'Date Added',
        type: 'list',
        valueType: 'datetime',
        enrichmentSource: null,
        createdAt: null,
        description: null,
        isRequired: false,
      },
    ];
    const view = seed.savedViews[String(L)].find((v) => v.id === V)!;
    view.fieldIds = [...view.fieldIds, 'created-at'];
    product = await startProduct({ seed });
    const h = product.harness;
    h.openSpreadsheet();
    h.run('connect', DEALFLOW.apiKey);
    const { tab, sheet, sheetId } = bind(product);
    const cols = boundColumns(sheet);
    expect(cols.has('created-at')).toBe(true);
    const keys = sheet.getRange(2, cols.get(KEY_COLUMN), sheet.getLastRow() - 1, 1).getValues();
    const a1 = `${letters(cols.get('created-at')!)}${2 + keys.findIndex((r) => Number(r[0]) === 20001)}`;
    h.userEdit(tab, a1, [['2026-01-02']]);
    const preview = h.runAs('rpc', 'previewPush', sheetId) as PushPreview;
    expect(preview.changes).toEqual([]);
    expect(preview.notSent).toEqual([expect.objectContaining({ entryId: 20001, field: 'Date Added' })]);
    const from = h.fetchLog.length;
    h.run('pushTab', sheetId);
    expect(patches(h.fetchLog.slice(from))).toEqual([]);
  });
});
