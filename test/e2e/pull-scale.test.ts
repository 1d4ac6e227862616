/**
 * Pull cost at scale, counted at the emulator and in the harness (figures are in `npm run bench`; this test
 * holds the limits that do not depend on the machine: requests and Sheets calls).
 */
import { GENERATED } from '../../tools/emulator/generate';
import { startProduct } from '../../tools/cli/product';

async function measuredPull(entries: number) {
  const product = await startProduct({ generate: { entries, fieldsInView: 30 } });
  try {
    const { harness, emulator } = product;
    harness.run('connect', GENERATED.apiKey);
    const s = harness.run('bindTab', GENERATED.companyListId, GENERATED.sheetViewId) as { tabName: string };
    const sheetId = harness.spreadsheet.getSheetByName(s.tabName)!.getSheetId();
    // A fresh pull with cold metadata caches: clear the tab's data and snapshot, and every cache.
    const sheet = harness.spreadsheet.getSheetById(sheetId)!;
    sheet.getRange(2, 1, sheet.getLastRow() - 1, sheet.getLastColumn()).clearContent();
    harness.spreadsheet.deleteSheet(harness.spreadsheet.getSheetByName(`_affinity_base_${sheetId}`)!);
    for (const cache of [harness.cache.document, harness.cache.script, harness.cache.user()]) cache.entries.clear();
    await emulator.admin.clearRequests();
    harness.run('pullTab', sheetId);
    const first = { ...harness.lastExecution, requests: await emulator.admin.requests() };
    await emulator.admin.clearRequests();
    harness.run('pullTab', sheetId);
    const second = { ...harness.lastExecution, requests: await emulator.admin.requests() };
    return { first, second, rows: sheet.getLastRow() - 1 };
  } finally {
    await product.close();
  }
}

describe('pull at scale', () => {
  it('10,000 entries × 30 fields: ≤ 100 list-entry requests + ≤ 5 metadata, Sheets calls as for 100 entries, a repeat writes 0 cells', async () => {
    const small = await measuredPull(100);
    const large = await measuredPull(10_000);
    expect(large.rows).toBe(10_000);

    const entryRequests = large.first.requests.filter((r) => r.path.endsWith('/list-entries'));
    const metadata = large.first.requests.filter((r) => !r.path.endsWith('/list-entries'));
    expect(entryRequests).toHaveLength(100);
    expect(entryRequests.every((r) => r.query.limit === '100')).toBe(true);
    expect(metadata.length).toBeLessThanOrEqual(5);
    expect(large.first.fetchAllBatches).toBeLessThanOrEqual(large.first.urlFetches);

    // Identical call for call, except the one insertRowsAfter that grows the sheet past its first 1,000 rows, and
    // the bounded slices large blocks are written in (issue 10: at most 100,000 cells a setValues, for memory): the
    // tab's block and the base's block of 10,000 × 32 cells take 4 slices each instead of 1, each slice one getRange
    // and one setValues. Slices depend on cells, never on a call per row.
    const sliced = new Set(['SpreadsheetApp.Sheet.getRange', 'SpreadsheetApp.Range.setValues']);
    const sheetsCalls = (calls: Record<string, number>) =>
      Object.fromEntries(
        Object.entries(calls).filter(
          ([k]) => k.startsWith('SpreadsheetApp.') && k !== 'SpreadsheetApp.Sheet.insertRowsAfter' && !sliced.has(k),
        ),
      );
    expect(sheetsCalls(large.first.calls)).toEqual(sheetsCalls(small.first.calls));
    const slices = 2 * (Math.ceil((10_000 * 32) / 100_000) - 1);
    for (const k of sliced) expect(large.first.calls[k] - small.first.calls[k]).toBe(slices);
    expect(large.first.calls['SpreadsheetApp.Sheet.insertRowsAfter']).toBe(1);
    expect(small.first.calls['SpreadsheetApp.Sheet.insertRowsAfter']).toBeUndefined();
    expect(large.second.callsByService.SpreadsheetApp).toBe(small.second.callsByService.SpreadsheetApp);

    expect(large.second.cellsWritten).toBe(0);
    expect(large.second.requests.filter((r) => !r.path.endsWith('/list-entries')).length).toBe(2); // view + its columns (they carry the fields' metadata); options from the cache
    expect(large.first.error).toBeUndefined();
  });
});
