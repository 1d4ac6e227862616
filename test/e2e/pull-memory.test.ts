/**
 * Memory of a large pull (issue 10; docs/schedules.md, "Large views"): a view of more than 20,000 rows is merged into
 * its tab a window of 2,500 rows at a time, and its new base is kept packed, so the execution's memory does not grow
 * with the view. A small analogue of the bench's 60,000 × 30 case (21,000 entries × 6 fields, the fast network
 * model) under a ceiling of 32 MB: it peaks at about 17 MB; merging the whole view at once (the product before issue
 * 10's change) peaked at 55 MB (docs/harness.md, "Memory": the cells written are the spreadsheet's storage and are
 * not charged to the script).
 */
import { GENERATED } from '../../tools/emulator/generate';
import { startProduct, type Product } from '../../tools/cli/product';
import { bindWhileSmall, servedView, tabVersusView } from './scheduleHelpers';

const L = GENERATED.companyListId;
const V = GENERATED.sheetViewId;
const ENTRIES = 21_000;
const CEILING_MB = 32;

describe('a pull of 21,000 entries into a tab that held 100', () => {
  let product: Product;
  beforeAll(async () => {
    product = await startProduct({
      generate: { entries: ENTRIES, fieldsInView: 6 },
      harness: { network: 'fast', memoryLimitMB: CEILING_MB },
    });
  });
  afterAll(() => product.close());

  it('stays under a 32 MB ceiling, fills the tab with every entry once, and a pull right after writes nothing', async () => {
    const h = product.harness;
    const { tabName, grow } = await bindWhileSmall(product, L, V, GENERATED.apiKey);
    await grow();
    const sheetId = h.sheet(tabName).getSheetId();

    const summary = h.run('pullTab', sheetId) as { rows: number; added: number };
    const m = h.lastExecution;
    expect(m.error).toBeUndefined();
    expect(m.peakHeapBytes).toBeLessThan(CEILING_MB * 1048576);
    // The tab's and the base's cells are counted apart, as the spreadsheet's storage.
    expect(m.storageGrowthBytes).toBeGreaterThan(0);
    expect(summary).toMatchObject({ rows: ENTRIES, added: ENTRIES - 100 });

    const view = await servedView(product, GENERATED.apiKey, L, V);
    expect(tabVersusView(h, tabName, view)).toEqual([]);
    expect(h.sheet(tabName).getLastRow()).toBe(ENTRIES + 1);

    // Nothing changed: nothing written to the tab or its base (a view this large is staged on the way, in its hidden sheet).
    const again = h.run('pullTab', sheetId) as { cellsWritten: number; updatedCells: number };
    expect(h.lastExecution.error).toBeUndefined();
    expect(again).toMatchObject({ cellsWritten: 0, updatedCells: 0 });
    const pulled = h.logs.filter((l) => l.startsWith('Pulled ')).pop();
    expect(pulled).toMatch(/ 21000 rows, 0 added, .* 0 tab cells and 0 snapshot cells written$/);
  });
});
