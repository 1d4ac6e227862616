/**
 * Memory of a push over a large tab (issue 10; docs/push.md, "Large tabs"): a tab of more than 20,000 rows and its base
 * are read a slice at a time, each slice kept compressed, and the base the push writes shares the stored one's slices
 * (only the rows that changed are new). A small analogue of the bench's push over 50,000 × 30 (21,000 entries × 6
 * fields, the fast network model) under a ceiling of 31 MB, with the tab sorted by the user so that its order is
 * not the base's, an edit that conflicts with Affinity, and a new row typed below the tab: about 27.7 MB. Reading the
 * tab and its base whole (the product before this change) peaked at 33.8 MB here, and at 225 MB over 50,000 × 30
 * in the bench (111 MB after).
 */
import { GENERATED, generateSeed } from '../../tools/emulator/generate';
import { startProduct, type Product } from '../../tools/cli/product';
import { KEY_COLUMN, NAME_COLUMN } from '../../src/server/engine/layout';
import type { PushSummary } from '../../src/shared/push';
import { bindWhileSmall, columnsOf } from './scheduleHelpers';

const L = GENERATED.companyListId;
const V = GENERATED.sheetViewId;
const ENTRIES = 21_000;
const CEILING_MB = 31;
/** A text field of the view (Description). */
const TEXT_FIELD = 'field-1005';
const NEWCO = { id: 9_100_001, name: 'Newco Memory', domain: 'newco-memory.example' };

describe('a push over a tab of 21,000 entries', () => {
  let product: Product;
  beforeAll(async () => {
    const seed = generateSeed({ entries: ENTRIES, fieldsInView: 6 });
    seed.companies!.push(NEWCO);
    product = await startProduct({ seed, harness: { network: 'fast', memoryLimitMB: CEILING_MB } });
  });
  afterAll(() => product.close());

  it('sends the edits of a tab the user sorted, flags a conflict and adds a new row, under a 31 MB ceiling; the same push again sends nothing', async () => {
    const h = product.harness;
    const admin = product.emulator.admin;
    const bound = await bindWhileSmall(product, L, V, GENERATED.apiKey);
    await bound.grow();
    const sheet = h.sheet(bound.tabName);
    const sheetId = sheet.getSheetId();
    h.run('pullTab', sheetId);
    expect(h.lastExecution.error).toBeUndefined();
    expect(sheet.getLastRow()).toBe(ENTRIES + 1);

    const cols = columnsOf(h, bound.tabName);
    const keyCol = cols.get(KEY_COLUMN)!;
    const nameCol = cols.get(NAME_COLUMN)!;
    const textCol = cols.get(TEXT_FIELD)!;
    expect(textCol).toBeDefined();
    // Sorted by name: a slice of the tab as read holds rows of every slice of the base.
    sheet.getRange(2, 1, ENTRIES, sheet.getLastColumn()).sort({ column: nameCol, ascending: true });
    const keys = sheet
      .getRange(2, keyCol, ENTRIES, 1)
      .getValues()
      .map((k) => Number(k[0]));
    expect(keys.slice(0, 100).some((k, i) => i > 0 && Math.abs(k - keys[i - 1]) > 4000)).toBe(true);
    const rowOf = new Map(keys.map((k, i) => [k, i + 2]));

    const all = (await admin.getView(L, V)).entryIds;
    const huge = new Set(GENERATED.hugeTextIndexes(ENTRIES).map((i) => GENERATED.firstEntryId + i));
    const picked = all.filter((id) => !huge.has(id)).filter((_, i) => i % 499 === 11);
    const edited = picked.slice(0, 40);
    const conflicted = picked[40];
    for (const id of [...edited, conflicted]) sheet.getRange(rowOf.get(id)!, textCol).setValue(`pushed ${id}`);
    await admin.editField(L, conflicted, TEXT_FIELD, { type: 'text', data: `changed in Affinity ${conflicted}` });
    // A new row below the tab: the company's domain in the name column.
    if (sheet.getMaxRows() < ENTRIES + 2) sheet.insertRowsAfter(sheet.getMaxRows(), ENTRIES + 2 - sheet.getMaxRows());
    sheet.getRange(ENTRIES + 2, nameCol).setValue(NEWCO.domain);
    sheet.getRange(ENTRIES + 2, textCol).setValue('new row text');

    const pushed = h.run('pushTab', sheetId, undefined, true) as PushSummary;
    const m = h.lastExecution;
    expect(m.error).toBeUndefined();
    expect(m.peakHeapBytes).toBeLessThan(CEILING_MB * 1048576);
    expect(pushed).toMatchObject({ sent: 41, conflicts: 1, failed: 0, added: 1 });
    for (const id of [edited[0], edited[17], edited[39]]) {
      const entry = await admin.getEntry(L, id);
      const text = entry?.entity.fields?.find((f) => f.id === TEXT_FIELD)?.value as { data?: unknown } | undefined;
      expect(text?.data).toBe(`pushed ${id}`);
    }
    // The conflict keeps both: the edit stays in its cell with a note, Affinity's value is not overwritten.
    const conflictRow = rowOf.get(conflicted)!;
    expect(sheet.getRange(conflictRow, textCol).getValue()).toBe(`pushed ${conflicted}`);
    expect(sheet.getRange(conflictRow, textCol).getNote()).toMatch(/Affinity/);
    // The new row is bound to its entry: its Entry ID is written, and the tab keeps the user's order.
    const newId = Number(sheet.getRange(ENTRIES + 2, keyCol).getValue());
    expect(newId).toBeGreaterThan(0);
    expect((await admin.getEntry(L, newId))?.entity.id).toBe(NEWCO.id);
    expect(
      sheet
        .getRange(2, keyCol, ENTRIES, 1)
        .getValues()
        .map((k) => Number(k[0])),
    ).toEqual(keys);

    // The base moved for exactly what went through: pushing again sends nothing and finds only the conflict.
    const again = h.run('pushTab', sheetId, undefined, true) as PushSummary;
    expect(h.lastExecution.error).toBeUndefined();
    expect(h.lastExecution.peakHeapBytes).toBeLessThan(CEILING_MB * 1048576);
    expect(again).toMatchObject({ sent: 0, conflicts: 1, added: 0, failed: 0 });
    expect(again.requests.writes).toBe(0);
  });
});
