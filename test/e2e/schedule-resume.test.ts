/**
 * A view too large for one execution (docs/schedules.md, "Resumable runs"): 30,000 entries under a 15-minute
 * schedule, on the harness's virtual clock (`npm run bench` runs 60,000 and 100,000 with 30 fields under the realistic
 * network model). This test models Affinity serving a 100-entry page in 2 s (`urlFetchMs: 2000`, twice the realistic
 * model's 30-field page, so that half the bench's view spans as many executions); the run's budget is the default (5 of
 * the 6 minutes). Over 20,000 rows, the view is merged into the tab a window at a time (sync/streamedPull.ts).
 */
import { GENERATED } from '../../tools/emulator/generate';
import { startProduct, type Product } from '../../tools/cli/product';
import type { ScheduleState } from '../../src/shared/schedule';
import type { ExecutionMetrics } from '../../tools/harness';
import { MINUTE, bindWhileSmall, servedView, tabVersusView, triggersOf } from './scheduleHelpers';

const L = GENERATED.companyListId;
const V = GENERATED.sheetViewId;
const ENTRIES = 30_000;
/** Fewer fields than the bench's 30 keep the test's real time down; the pages' virtual cost is the same. */
const FIELDS = 12;
const BUDGET_MS = 5 * MINUTE;

describe('a 30,000-entry view under a 15-minute schedule', () => {
  let product: Product;
  beforeAll(async () => {
    product = await startProduct({
      generate: { entries: ENTRIES, fieldsInView: FIELDS },
      // the fast network model with a flat 2 s a request (the realistic model prices pages itself; docs/harness.md)
      harness: { network: 'fast', costs: { urlFetchMs: 2000 } },
    });
  });
  afterAll(() => product.close());

  it('is refreshed by runs each under the budget, over at least 3 executions; the tab shows the old view until the new one is complete, then equals it', async () => {
    const h = product.harness;
    // Bound while the view held 100 entries; then the view grows to 60,000 in Affinity.
    const { tabName, grow } = await bindWhileSmall(product, L, V, GENERATED.apiKey);
    h.run('saveSchedule', { schedule: { kind: 'minutes', every: 15 } });
    await grow();
    const sheet = h.sheet(tabName);
    expect(sheet.getLastRow()).toBe(101);

    const runs: ExecutionMetrics[] = [];
    const rowsAfter: number[] = [];
    for (let minute = 0; minute < 60; minute++) {
      for (const m of h.advance(MINUTE)) {
        runs.push(m);
        rowsAfter.push(sheet.getLastRow() - 1);
      }
      const s = h.run('getScheduleState') as ScheduleState;
      if (s.running === null && s.lastRun?.ok) break;
    }

    expect(runs.length).toBeGreaterThanOrEqual(3);
    for (const m of runs) {
      expect(m.error).toBeUndefined();
      expect(m.killed).toBeUndefined();
      expect(m.virtualMs).toBeLessThan(BUDGET_MS);
    }
    expect(runs.map((m) => m.fn)).toEqual(['scheduledSync', ...runs.slice(1).map(() => 'continueSync')]);
    // Never half a view: 100 rows until the last execution writes all 30,000.
    expect(rowsAfter.slice(0, -1).every((n) => n === 100)).toBe(true);
    expect(rowsAfter[rowsAfter.length - 1]).toBe(ENTRIES);
    // Each page fetched once (300), plus the view and the fields, and the fields again in each later execution that fetched.
    const requests = runs.reduce((n, m) => n + m.urlFetches, 0);
    expect(requests).toBeGreaterThanOrEqual(302);
    expect(requests).toBeLessThanOrEqual(302 + runs.length);

    const view = await servedView(product, GENERATED.apiKey, L, V);
    expect(view.entries).toHaveLength(ENTRIES);
    expect(tabVersusView(h, tabName, view)).toEqual([]);
    // The staged pages stay, hidden, one row a page (for the next pull to reuse), the continuation trigger removed,
    // only the schedule's trigger left.
    const staging = h.spreadsheet.getSheets().filter((s) => s.getName().startsWith('_affinity_staging_'));
    expect(staging.map((s) => [s.isSheetHidden(), s.getLastRow()])).toEqual([[true, ENTRIES / 100]]);
    expect(triggersOf(h, 'continueSync')).toEqual([]);
    expect(triggersOf(h, 'scheduledSync')).toHaveLength(1);
    const s = h.run('getScheduleState') as ScheduleState;
    expect(s.lastRun?.message).toMatch(new RegExp(`^1 tab refreshed in ${runs.length} executions`));
    // What the planner learnt: a run costs about 302 requests and some 12 minutes of trigger runtime, so every 15
    // minutes cannot fit a consumer account (URL fetches and runtime), nor can hourly (runtime): daily can.
    expect(s.projection.requestsPerRun).toBeGreaterThanOrEqual(302);
    expect(s.projection.executionsPerRun).toBeGreaterThanOrEqual(3);
    expect(s.projection.fits).toBe(false);
    expect(s.projection.problems.join('\n')).toMatch(/URL fetches a day, over the 18,000 scheduled runs may use/);
    expect(s.projection.problems.join('\n')).toMatch(
      /of trigger runtime a day, over the 90 min a consumer account allows/,
    );
    expect(s.projection.suggestion?.label).toBe('daily at 06:00 (America/New_York)');
  });
});
