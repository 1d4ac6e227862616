/**
 * Push at scale: 500 edited cells over 200 entries of a 10,000-entry tab. Run `npm run build` first.
 */
import { GENERATED } from '../../tools/emulator/generate';
import type { PushSummary } from '../../src/shared/push';
import { KEY_COLUMN } from '../../src/server/engine/layout';
import { bindWorld, expectValidRequests, patches, reads, type World } from './pushHelpers';

const ENTRIES = 10_000;
const AMOUNT = 'field-1003';
const DESCRIPTION = 'field-1005';
const SOURCE_NOTES = 'field-1014';

describe('push at scale', () => {
  let w: World;
  beforeAll(async () => {
    w = await bindWorld({
      generate: { entries: ENTRIES },
      apiKey: GENERATED.apiKey,
      listId: GENERATED.companyListId,
      viewId: GENERATED.sheetViewId,
    });
  });
  afterAll(() => w?.close());

  it('sorting a 10,000-row tab, then pushing: zero requests', () => {
    const h = w.product.harness;
    const sheet = h.sheet(w.tab);
    sheet
      .getRange(2, 1, sheet.getLastRow() - 1, sheet.getLastColumn())
      .sort({ column: w.col(AMOUNT), ascending: false });
    const from = h.fetchLog.length;
    const s = w.run('pushTab', w.sheetId) as PushSummary;
    expect(w.requestsSince(from)).toEqual([]);
    expect(s.message).toMatch(/nothing to push/);
  });

  it('500 edited cells over 200 entries: exactly 200 PATCH requests, at most 100 reads, in fetchAll batches, all valid', () => {
    const h = w.product.harness;
    const sheet = h.sheet(w.tab);
    const keys = sheet
      .getRange(2, w.col(KEY_COLUMN), sheet.getLastRow() - 1, 1)
      .getValues()
      .map((r) => Number(r[0]));
    const huge = new Set(GENERATED.hugeTextIndexes(ENTRIES).map((i) => GENERATED.firstEntryId + i));
    const rows = keys
      .map((id, i) => ({ id, row: i + 2 }))
      .filter((r) => !huge.has(r.id))
      .filter((_, i) => i % 49 === 7)
      .slice(0, 200);
    expect(rows).toHaveLength(200);
    // Edits made while the script was not running (typing, paste, fill-down...): found by comparing with the base.
    let cells = 0;
    rows.forEach(({ id, row }, i) => {
      sheet.getRange(row, w.col(DESCRIPTION)).setValue(`Edited description ${id}`);
      sheet.getRange(row, w.col(AMOUNT)).setValue(1000 + i);
      cells += 2;
      if (i % 2 === 0) {
        sheet.getRange(row, w.col(SOURCE_NOTES)).setValue(`Note ${i}`);
        cells++;
      }
    });
    expect(cells).toBe(500);

    const from = h.fetchLog.length;
    // Written by a script, so no editor is recorded: confirmed as the menu's question would be (docs/sharing.md).
    const s = w.run('pushTab', w.sheetId, undefined, true) as PushSummary;
    const m = h.lastExecution;
    const sent = w.requestsSince(from);
    expect(s).toMatchObject({ sent: 500, failed: 0, conflicts: 0, invalid: 0 });
    expect(patches(sent)).toHaveLength(200);
    expect(new Set(patches(sent).map((r) => r.url)).size).toBe(200);
    expect(reads(sent).length).toBeLessThanOrEqual(100);
    expect(sent).toHaveLength(patches(sent).length + reads(sent).length);
    expectValidRequests(sent);
    // Writes go out in parallel: the 200 PATCHes take a couple of fetchAll batches, not 200 round trips.
    const readBatches = reads(sent).length;
    expect(m.fetchAllBatches - readBatches).toBeLessThanOrEqual(3);
    expect(m.urlFetches).toBe(sent.length);
    expect(m.killed).toBeUndefined();
    const spreadsheetCalls = m.callsByService.SpreadsheetApp ?? 0;
    // Reading the tab costs 4 calls per column (its developer metadata) plus a few block reads and writes: the
    // count depends on the columns and change blocks, not on the 10,000 rows.
    expect(spreadsheetCalls).toBeLessThan(250);
    expect(m.calls['SpreadsheetApp.Range.getValues']).toBe(2); // the tab and the snapshot, once each
    expect(m.calls['SpreadsheetApp.Range.setValues']).toBeLessThanOrEqual(10);

    console.log(
      `push 500 cells / 200 entries / ${ENTRIES} rows: ${sent.length} requests (${patches(sent).length} PATCH, ${readBatches} reads; ` +
        `minimum ${200} writes + ${Math.ceil(ENTRIES / 100) < 200 ? Math.ceil(ENTRIES / 100) : 200} reads), ${m.fetchAllBatches} fetchAll batches, ` +
        `${spreadsheetCalls} SpreadsheetApp calls, ${Math.round(m.cpuMs)} ms CPU, ${Math.round(m.virtualMs / 1000)} s virtual`,
    );

    // Same push again: nothing.
    const again = h.fetchLog.length;
    w.run('pushTab', w.sheetId, undefined, true);
    expect(w.requestsSince(again)).toEqual([]);
  });
});
