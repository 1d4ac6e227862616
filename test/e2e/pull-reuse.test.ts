/**
 * Pages a pull does not read again (issue 10, time; src/server/engine/pageDigest.ts): a pull that staged every page
 * keeps them, and the next pull reuses each page whose body Affinity serves unchanged, reading only the others. What
 * the user sees must not change: each tab equals its view after every pull, whatever changed in Affinity (a value,
 * an entry gone, a field renamed), in the spreadsheet (its time zone), or in between (a pull killed half-way).
 * Same requests as reading every page. Run `npm run build` first.
 */
import { GENERATED } from '../../tools/emulator/generate';
import { multiViewSeed } from '../../tools/cli/bench';
import { startProduct, type Product } from '../../tools/cli/product';
import type { ExecutionMetrics } from '../../tools/harness';
import { stagingSheetName } from '../../src/server/gas/stagingStore';
import { MINUTE, servedView, tabVersusView } from './scheduleHelpers';

const L = GENERATED.companyListId;
const TABS = 2;
const PER_TAB = 1_000; // 10 pages each

describe('pages unchanged since the last pull', () => {
  let product: Product;
  let viewIds: number[];
  let tabs: string[];
  let sheetIds: number[];
  let zone = 'America/New_York';
  beforeAll(async () => {
    const made = multiViewSeed(TABS, PER_TAB, 10);
    viewIds = made.viewIds;
    product = await startProduct({ seed: made.seed, harness: { network: 'fast' } });
    const h = product.harness;
    h.run('connect', GENERATED.apiKey);
    tabs = viewIds.map((v) => (h.run('bindTab', L, v) as { tabName: string }).tabName);
    sheetIds = tabs.map((t) => h.sheet(t).getSheetId());
  });
  afterAll(() => product.close());

  /** Pull all tabs and its continuations; the log lines of the pulls that completed. */
  function pullAll(cut?: number): { runs: ExecutionMetrics[]; completed: string[] } {
    const h = product.harness;
    const from = h.executions.length;
    const logFrom = h.logs.length;
    try {
      h.runWith({ kind: 'menu', abortAfterCalls: cut }, 'menuPullAllTabs');
    } catch (e) {
      if (cut === undefined) throw e;
    }
    h.advance(20 * MINUTE);
    const runs = h.executions
      .slice(from)
      .filter((m: ExecutionMetrics) => ['menuPullAllTabs', 'continueSync'].includes(m.fn));
    const completed = h.logs.slice(logFrom).filter((l) => /completed over/.test(l));
    return { runs, completed };
  }

  async function expectTabsEqualViews(): Promise<void> {
    for (let t = 0; t < TABS; t++) {
      const view = await servedView(product, GENERATED.apiKey, L, viewIds[t]);
      expect(tabVersusView(product.harness, tabs[t], view, { timeZone: zone })).toEqual([]);
    }
  }

  /** The views' Description field (a text field, tools/emulator/generate.ts). */
  const textField = () => 'field-1005';

  it('a pull that staged every page keeps them; the next reuses every page and reads none of them again', async () => {
    const h = product.harness;
    const first = pullAll();
    expect(first.completed).toHaveLength(TABS);
    for (const line of first.completed) expect(line).not.toMatch(/as the last pull had them/);
    for (const id of sheetIds) expect(h.spreadsheet.getSheetByName(stagingSheetName(id))?.isSheetHidden()).toBe(true);
    const again = pullAll();
    expect(again.completed).toEqual(
      Array.from({ length: TABS }, () => expect.stringMatching(/: 10 pages \(10 as the last pull had them/)),
    );
    // The same requests as reading every page: the views, their columns, 10 pages each.
    expect(again.runs.reduce((n, m) => n + m.urlFetches, 0)).toBe(first.runs.reduce((n, m) => n + m.urlFetches, 0));
    expect(again.runs.reduce((n, m) => n + m.cellsWritten, 0)).toBe(0);
    await expectTabsEqualViews();
  });

  it('a value changed in Affinity: its page alone is read again, and the tab shows the new value', async () => {
    const h = product.harness;
    const view = await servedView(product, GENERATED.apiKey, L, viewIds[0]);
    const entry = view.entries[450]; // page 5
    await product.emulator.admin.editField(L, entry.id, textField(), { type: 'text', data: 'Changed in Affinity' });
    const { completed } = pullAll();
    expect(completed).toEqual([
      expect.stringMatching(/: 10 pages \(9 as the last pull had them/),
      expect.stringMatching(/: 10 pages \(10 as the last pull had them/),
    ]);
    expect(JSON.stringify(h.sheet(tabs[0]).getDataRange().getValues())).toContain('Changed in Affinity');
    await expectTabsEqualViews();
  });

  it('an entry gone from the start of the view shifts every page: all are read again, none is doubled or lost', async () => {
    const view = await servedView(product, GENERATED.apiKey, L, viewIds[1]);
    await product.emulator.admin.deleteEntry(L, view.entries[3].id);
    const { completed } = pullAll();
    expect(completed[0]).toMatch(/: 10 pages \(10 as the last pull had them/);
    expect(completed[1]).toMatch(/: 10 pages,/);
    await expectTabsEqualViews();
    expect(product.harness.sheet(tabs[1]).getLastRow()).toBe(1 + PER_TAB - 1);
  });

  it("a field renamed, or the spreadsheet's time zone changed: every page is read again", async () => {
    const h = product.harness;
    await product.emulator.admin.renameField(L, textField(), 'Renamed field');
    const renamed = pullAll();
    for (const line of renamed.completed) expect(line).not.toMatch(/as the last pull had them/);
    await expectTabsEqualViews();
    expect(pullAll().completed).toEqual(
      Array.from({ length: TABS }, () => expect.stringMatching(/: 10 pages \(10 as the last pull had them/)),
    );
    zone = 'Asia/Tokyo';
    h.spreadsheet.setSpreadsheetTimeZone(zone);
    const moved = pullAll();
    for (const line of moved.completed) expect(line).not.toMatch(/as the last pull had them/);
    await expectTabsEqualViews();
  });

  it('a pull killed half-way after a value changed continues with the right rows', async () => {
    const h = product.harness;
    const view = await servedView(product, GENERATED.apiKey, L, viewIds[0]);
    await product.emulator.admin.editField(L, view.entries[820].id, textField(), { type: 'text', data: 'Late change' });
    h.runWith({ kind: 'menu', traceCalls: true }, 'menuPullAllTabs');
    const trace = h.lastExecution.callTrace ?? [];
    const rounds = trace.flatMap((k, i) => (k === 'UrlFetchApp.fetchAll' ? [i] : []));
    await product.emulator.admin.editField(L, view.entries[120].id, textField(), {
      type: 'text',
      data: 'Early change',
    });
    // Killed after its 6th round of pages (two metadata rounds first), then asked again.
    const { runs } = pullAll(rounds[2 + 6] + 1);
    expect(runs[0].killed).toBe('abort-after-calls');
    const { completed } = pullAll();
    expect(completed).toEqual([
      expect.stringMatching(/: 10 pages \(9 as the last pull had them/),
      expect.stringMatching(/: 10 pages \(10 as the last pull had them/),
    ]);
    const values = JSON.stringify(h.sheet(tabs[0]).getDataRange().getValues());
    expect(values).toContain('Late change');
    expect(values).toContain('Early change');
    await expectTabsEqualViews();
  });

  it('a kept page changed by hand in the hidden sheet is never shown: the pull starts over and reads every page', async () => {
    const h = product.harness;
    // Page 2's first row: its name, inside the record's JSON (after the digest, rows and pieces columns).
    const staging = h.sheet(stagingSheetName(sheetIds[1]));
    const line = staging.getRange(3, 1, 1, staging.getLastColumn()).getValues()[0].map(String);
    const pieces = Number(line[2]);
    const record = JSON.parse(line.slice(3, 3 + pieces).join('')) as { rows: [number, string[]][] };
    const name = JSON.stringify(record.rows[0][1][0]);
    const col = line.findIndex((c, i) => i >= 3 && c.includes(name));
    expect(col).toBeGreaterThanOrEqual(3);
    staging.getRange(3, col + 1).setValue(`'${line[col].replace(name, '"Tampered Inc"')}`);
    const logFrom = h.logs.length;
    const { completed } = pullAll();
    expect(h.logs.slice(logFrom).join('\n')).toMatch(
      /cannot resume \(staged row 3 of this sync was changed\); starting over/,
    );
    // Tab 2 started over in this execution: its pages were all read (the first tab's all reused).
    expect(completed).toEqual([expect.stringMatching(/: 10 pages \(10 as the last pull had them/)]);
    expect(JSON.stringify(h.sheet(tabs[1]).getDataRange().getValues())).not.toContain('Tampered Inc');
    await expectTabsEqualViews();
  });

  it('a pull of one tab reuses its pages too, and unbinding the tab removes them', async () => {
    const h = product.harness;
    const logFrom = h.logs.length;
    h.run('pullTab', sheetIds[0]);
    expect(h.logs.slice(logFrom).join('\n')).toMatch(/: 10 pages \(10 as the last pull had them/);
    await expectTabsEqualViews();
    h.run('unbindTab', sheetIds[0]);
    expect(h.spreadsheet.getSheetByName(stagingSheetName(sheetIds[0]))).toBeNull();
  });
});
