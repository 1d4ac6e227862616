/**
 * One budget per execution (issue 10, docs/schedules.md): under a slow Affinity (the realistic network model with a
 * page of 100 entries taking about 4–10 s, so that small views exercise what large ones do at 1 s a page), pull all
 * tabs pages the views together under one deadline and never dies at the platform's limit, and a push's conflict
 * check chooses a read that fits the time left. Virtual time only. Run `npm run build` first.
 */
import { GENERATED } from '../../tools/emulator/generate';
import { multiViewSeed } from '../../tools/cli/bench';
import { startProduct, type Product } from '../../tools/cli/product';
import { resolveNetwork, type NetworkOption } from '../../tools/harness/network';
import type { ExecutionMetrics } from '../../tools/harness';
import type { PushSummary } from '../../src/shared/push';
import { KEY_COLUMN, METADATA_KEY } from '../../src/server/engine/layout';
import { MINUTE, bindAndSettle, servedView, tabVersusView } from './scheduleHelpers';

const L = GENERATED.companyListId;
const BUDGET_MS = 5 * MINUTE;

/** Affinity serving a page of 100 entries × 10 fields in about 4.5 s (a PATCH or one entry: 0.25 s). */
const SLOW: NetworkOption = { name: 'realistic', affinityPerEntryMs: 40 };

function keyColumn(product: Product, tab: string): number {
  const sheet = product.harness.sheet(tab);
  for (const md of sheet.createDeveloperMetadataFinder().withKey(METADATA_KEY).find())
    if (md.getValue() === KEY_COLUMN) return md.getLocation().getColumn()!.getColumn();
  throw new Error('no key column');
}

/** A product whose list has `tabs` views of `perTab` entries each, started before the tests and closed after. */
function viewsWorld(tabs: number, perTab: number, fields: number, network: NetworkOption) {
  const world = {} as { product: Product; viewIds: number[] };
  beforeAll(async () => {
    const made = multiViewSeed(tabs, perTab, fields);
    world.viewIds = made.viewIds;
    world.product = await startProduct({ seed: made.seed, harness: { network } });
  });
  afterAll(() => world.product.close());
  return world;
}

describe('pull all tabs: three views paged together under one budget', () => {
  const TABS = 3;
  const PER_TAB = 3_000; // 30 pages each: 90 pages one after the other ≈ 7 min, over the 6-minute limit
  const world = viewsWorld(TABS, PER_TAB, 10, SLOW);

  it('completes without a platform error, in about max(pages) rounds, and every tab equals its view', async () => {
    const { product, viewIds } = world;
    const h = product.harness;
    // Binding is not what this measures: bind under the fast model.
    h.state.network = resolveNetwork('fast');
    h.run('connect', GENERATED.apiKey);
    const tabs = viewIds.map((v) => (h.run('bindTab', L, v) as { tabName: string }).tabName);
    h.state.network = resolveNetwork(SLOW);
    // Nothing changed: a refresh of each tab reads every page again.
    const from = h.executions.length;
    h.openSpreadsheet();
    h.clickMenu('Affinity', 'Pull all tabs');
    h.advance(20 * MINUTE);
    const runs = h.executions
      .slice(from)
      .filter((m: ExecutionMetrics) => ['menuPullAllTabs', 'continueSync'].includes(m.fn));
    for (const m of runs) {
      expect(m.error).toBeUndefined();
      expect(m.killed).toBeUndefined();
      expect(m.virtualMs).toBeLessThan(BUDGET_MS + 30_000);
    }
    const first = runs[0];
    // One fetchAll per round (30 rounds of 3 pages) and one for each kind of metadata (the views, their columns):
    // not 90 page round trips, nor a metadata read per view one after the other.
    expect(first.fetchAllBatches).toBe(30 + 2);
    // The minimum: each view, its columns and its 30 pages, once; later executions read no metadata again.
    expect(runs.reduce((n, m) => n + m.urlFetches, 0)).toBe(TABS * (30 + 2));
    expect(h.ui.toasts.some((t) => /Pull done|continues in the background/.test(t.message))).toBe(true);
    for (let t = 0; t < TABS; t++) {
      const view = await servedView(product, GENERATED.apiKey, L, viewIds[t]);
      expect(view.entries).toHaveLength(PER_TAB);
      expect(tabVersusView(h, tabs[t], view)).toEqual([]);
    }
  });
});

describe('pull all tabs: as many tabs written in one execution as its time allows', () => {
  const TABS = 3;
  const PER_TAB = 8_000; // 24,000 rows in all: an execution used to stop writing tabs at about 20,000 rows
  const world = viewsWorld(TABS, PER_TAB, 6, 'fast');

  it('writes all three tabs in the one execution, with no continuation a minute later', () => {
    const { product, viewIds } = world;
    const h = product.harness;
    h.run('connect', GENERATED.apiKey);
    const tabs = viewIds.map((v) => (h.run('bindTab', L, v) as { tabName: string }).tabName);
    const from = h.executions.length;
    h.openSpreadsheet();
    h.clickMenu('Affinity', 'Pull all tabs');
    expect(h.lastExecution.virtualMs).toBeLessThan(BUDGET_MS);
    expect(h.ui.toasts[h.ui.toasts.length - 1].message).toMatch(/^Pull done\./);
    h.advance(10 * MINUTE);
    expect(h.executions.slice(from).map((m) => m.fn)).not.toContain('continueSync');
    for (const t of tabs) expect(h.sheet(t).getLastRow()).toBe(PER_TAB + 1);
  });
});

describe("a push's conflict check fits the time left", () => {
  const ENTRIES = 3_000; // 30 pages at about 10.5 s each: re-reading the view takes over 5 minutes
  const SLOWER: NetworkOption = { name: 'realistic', affinityPerEntryMs: 100 };
  let product: Product;
  beforeAll(async () => {
    product = await startProduct({ generate: { entries: ENTRIES, fieldsInView: 10 }, harness: { network: SLOWER } });
  });
  afterAll(() => product.close());

  it('200 edited entries of a slow 30-page view: reads the entries in parallel instead of the pages, and sends every edit in one execution', () => {
    const h = product.harness;
    // The bind's pull spans two executions (its pages take over 5 minutes) and measures the view's page time.
    const { sheet, column } = bindAndSettle(product);
    expect(sheet.getLastRow()).toBe(ENTRIES + 1);
    const col = column('Description');
    expect(col).toBeGreaterThan(0);
    const key = keyColumn(product, sheet.getName());
    const rows: number[] = [];
    for (let r = 2; rows.length < 200; r += 13) if (Number(sheet.getRange(r, key).getValue()) > 0) rows.push(r);
    for (const r of rows) sheet.getRange(r, col).setValue(`Edited ${r}`);
    const from = h.fetchLog.length;
    // Cells written by script have no recorded editor: the person pushing confirms them (docs/sharing.md).
    const s = h.run('pushTab', sheet.getSheetId(), undefined, true) as PushSummary;
    const m = h.lastExecution;
    expect(m.error).toBeUndefined();
    expect(m.virtualMs).toBeLessThan(BUDGET_MS);
    expect(s.sent).toBe(200);
    expect(s.failed).toBe(0);
    const sent = h.fetchLog.slice(from);
    expect(sent.filter((r) => /saved-views/.test(r.url))).toHaveLength(0);
    expect(sent.filter((r) => r.method.toLowerCase() === 'patch')).toHaveLength(200);
  });
});

describe('pull all tabs: progress of views paged together', () => {
  const TABS = 3;
  const PER_TAB = 1_500; // 15 pages each
  const world = viewsWorld(TABS, PER_TAB, 6, 'fast');

  it("shows each tab's rows fetched in the panel, all tabs' progress written together in one cache write a round", () => {
    const { product, viewIds } = world;
    const h = product.harness;
    h.run('connect', GENERATED.apiKey);
    viewIds.map((v) => h.run('bindTab', L, v));
    const sheetIds = h.spreadsheet
      .getSheets()
      .filter((s) => !s.isSheetHidden())
      .map((s) => s.getSheetId());
    // Cut the pull short after its 12th round of pages (the progress is said every 5th round).
    h.runWith({ kind: 'menu', traceCalls: true }, 'menuPullAllTabs');
    const trace = h.lastExecution.callTrace ?? [];
    const rounds = trace.flatMap((k, i) => (k === 'UrlFetchApp.fetchAll' ? [i] : []));
    // Two metadata rounds (the views, their columns), then the pages.
    const cut = rounds[2 + 12];
    try {
      h.runWith({ kind: 'menu', abortAfterCalls: cut }, 'menuPullAllTabs');
    } catch {
      // killed, as intended
    }
    const cutRun = h.lastExecution;
    expect(cutRun.killed).toBe('abort-after-calls');
    const progress = h.run('getProgress') as { sheetId: number; message: string }[];
    const bound = progress.filter((p) => sheetIds.includes(p.sheetId));
    expect(bound.map((p) => p.message)).toEqual(
      Array.from({ length: TABS }, () => expect.stringMatching(/^1,000 rows fetched of about 1,500…$/)),
    );
    // The start and rounds 5 and 10 said the three tabs' progress: one write each, not one per tab (the other
    // writes keep each view's columns for the pull's later executions).
    expect(cutRun.calls['CacheService.Cache.putAll']).toBe(3 + TABS);
  });
});
