/**
 * Memory of a wide view (issue 10; docs/schedules.md, "Large views"; engine/memoryBudget.ts): what a merge holds
 * grows with the view's cells, not its rows. A view of 4,000 entries × 130 fields (4,000 × 132 tab columns, 528,000
 * cells) is past the cells held whole, so it is merged a window of about 600 rows at a time, as a view of more than
 * 20,000 rows is, and a push over its tab reads the tab and its base a slice at a time. Under a ceiling of 100 MB:
 * the first pull peaks at about 49 MB, the refresh at 63 MB, the push at 73 MB. The product that decided by rows
 * alone merged this view whole: its first pull was stopped at 107.5 MB here, its refresh peaked at 168 MB, and a view
 * of 19,000 × 130 would have needed about 800 MB.
 */
import { GENERATED } from '../../tools/emulator/generate';
import { startProduct, type Product } from '../../tools/cli/product';
import { KEY_COLUMN } from '../../src/server/engine/layout';
import type { PushSummary } from '../../src/shared/push';
import { bindWhileSmall, columnsOf, expectMergedEdits, servedView, tabVersusView } from './scheduleHelpers';

const L = GENERATED.companyListId;
const V = GENERATED.sheetViewId;
const ENTRIES = 4_000;
const FIELDS = 130;
const CEILING_MB = 100;
/** A text field of the view (Description). */
const TEXT_FIELD = 'field-1005';

describe('a view of 4,000 entries × 130 fields', () => {
  let product: Product;
  beforeAll(async () => {
    product = await startProduct({
      generate: { entries: ENTRIES, fieldsInView: FIELDS },
      harness: { network: 'fast', memoryLimitMB: CEILING_MB },
    });
  });
  afterAll(() => product.close());

  it('is pulled, refreshed with edits on both sides and pushed within a 100 MB ceiling', async () => {
    const h = product.harness;
    const admin = product.emulator.admin;
    const bound = await bindWhileSmall(product, L, V, GENERATED.apiKey);
    await bound.grow();
    const tabName = bound.tabName;
    const sheet = h.sheet(tabName);
    const sheetId = sheet.getSheetId();
    const underCeiling = () => {
      const m = h.lastExecution;
      expect(m.error).toBeUndefined();
      expect(m.peakHeapBytes).toBeLessThan(CEILING_MB * 1048576);
    };

    const first = h.run('pullTab', sheetId) as Record<string, number>;
    underCeiling();
    expect(first).toMatchObject({ rows: ENTRIES, added: ENTRIES - 100 });
    expect(sheet.getLastColumn()).toBeGreaterThanOrEqual(FIELDS + 2);
    expect(tabVersusView(h, tabName, await servedView(product, GENERATED.apiKey, L, V))).toEqual([]);

    // Edits in the tab, changes in Affinity, and one cell changed on both sides.
    const cols = columnsOf(h, tabName);
    const keyCol = cols.get(KEY_COLUMN)!;
    const textCol = cols.get(TEXT_FIELD)!;
    expect(textCol).toBeDefined();
    const rowOf = () =>
      new Map(
        sheet
          .getRange(2, keyCol, sheet.getLastRow() - 1, 1)
          .getValues()
          .map((k, i) => [Number(k[0]), i + 2]),
      );
    const all = (await admin.getView(L, V)).entryIds;
    const huge = new Set(GENERATED.hugeTextIndexes(ENTRIES).map((i) => GENERATED.firstEntryId + i));
    const picked = all.filter((id) => !huge.has(id)).filter((_, i) => i % 97 === 5);
    const edited = picked.slice(0, 20);
    const changed = picked.slice(20, 40);
    const both = picked[40];
    let row = rowOf();
    for (const id of [...edited, both]) sheet.getRange(row.get(id)!, textCol).setValue(`edited in the tab ${id}`);
    for (const id of [...changed, both])
      await admin.editField(L, id, TEXT_FIELD, { type: 'text', data: `changed in Affinity ${id}` });

    const refresh = h.run('pullTab', sheetId) as Record<string, number>;
    underCeiling();
    expect(refresh).toMatchObject({ rows: ENTRIES, added: 0, removed: 0, pendingEdits: 20, conflicts: 1 });
    row = rowOf();
    expectMergedEdits(sheet, row, textCol, { edited, changed, both });
    const mine = new Set([...edited, both]);
    const view = await servedView(product, GENERATED.apiKey, L, V);
    expect(tabVersusView(h, tabName, view, { ignore: (id, f) => f === TEXT_FIELD && mine.has(id) })).toEqual([]);

    // The push sends the 20 edits and keeps the conflict.
    const pushed = h.run('pushTab', sheetId, undefined, true) as PushSummary;
    underCeiling();
    expect(pushed).toMatchObject({ sent: 20, conflicts: 1, failed: 0 });
    for (const id of [edited[0], edited[19]]) {
      const entry = await admin.getEntry(L, id);
      const text = entry?.entity.fields?.find((f) => f.id === TEXT_FIELD)?.value as { data?: unknown } | undefined;
      expect(text?.data).toBe(`edited in the tab ${id}`);
    }
  });
});
