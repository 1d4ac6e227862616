/**
 * A push too large for one execution (issue 10, docs/push.md "A push larger than one execution"): 9,800 entries of a
 * slow 10,000-entry view, a column pasted by the person who pushes. Checking and sending them cannot fit the 5-minute
 * budget: the view's 100 pages take about 340 s (3.4 s each, as the last pull measured), and reading each entry then
 * PATCHing it is 19,600 requests against Affinity's 900 a minute. So each execution checks and sends the part that
 * fits (the first edited entries in row order) and leaves the rest pending; a continuation goes on a minute later
 * until every edit is in Affinity. Both a person's push from the menu and a scheduled run's push-first. Virtual time
 * only. Run `npm run build` first.
 */
import { startProduct, type Product } from '../../tools/cli/product';
import type { NetworkOption } from '../../tools/harness/network';
import type { ExecutionMetrics } from '../../tools/harness';
import type { PushSummary } from '../../src/shared/push';
import type { ScheduleState } from '../../src/shared/schedule';
import { GENERATED } from '../../tools/emulator/generate';
import { MINUTE, bindAndSettle, servedView, triggersOf } from './scheduleHelpers';
import { letters } from './pushHelpers';

const ENTRIES = 10_000;
/** A pasted column of most of the tab (the record of who edited holds about 14,000 cells a tab). */
const EDITED = 9_800;
/** Affinity serving a page of 100 entries × 10 fields in about 3.4 s. */
const SLOW: NetworkOption = { name: 'realistic', affinityPerEntryMs: 30 };
const LIMIT_MS = 6 * MINUTE;

describe('a push too large for one execution', () => {
  let product: Product;
  let bound: ReturnType<typeof bindAndSettle>;
  beforeAll(async () => {
    product = await startProduct({ generate: { entries: ENTRIES, fieldsInView: 10 }, harness: { network: SLOW } });
    // The bind's pull spans two executions (100 pages of about 3.4 s) and records the view's page time.
    bound = bindAndSettle(product);
  });
  afterAll(() => product.close());

  /** The person pastes a column of `EDITED` values into Description (the on-edit trigger credits them). */
  function paste(prefix: string): unknown[][] {
    const { sheet, column } = bound;
    const col = column('Description');
    expect(col).toBeGreaterThan(0);
    const edits = Array.from({ length: EDITED }, (_, i) => [`${prefix} ${i}`]);
    product.harness.userEdit(sheet.getName(), `${letters(col)}2:${letters(col)}${EDITED + 1}`, edits);
    return edits;
  }

  /** PATCHes sent since `from`, by entry id. */
  function patchesSince(from: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of product.harness.fetchLog.slice(from)) {
      if (r.method.toLowerCase() !== 'patch') continue;
      const id = /list-entries\/(\d+)/.exec(r.url)?.[1] ?? r.url;
      out.set(id, (out.get(id) ?? 0) + 1);
    }
    return out;
  }

  /**
   * Advances a minute at a time until no continuation is left; the executions it ran, after `first`. Each one ended
   * cleanly, under the 6-minute limit.
   */
  function untilDone(handler: string, first: ExecutionMetrics[] = []): ExecutionMetrics[] {
    const h = product.harness;
    const runs = [...first];
    for (let minute = 0; minute < 90; minute++) {
      runs.push(...h.advance(MINUTE).filter((m) => m.fn === handler || m.fn === 'continueSync'));
      if (runs.length > first.length && triggersOf(h, 'continueSync').length === 0) break;
    }
    for (const m of runs) {
      expect(m.error).toBeUndefined();
      expect(m.killed).toBeUndefined();
      expect(m.virtualMs).toBeLessThan(LIMIT_MS);
    }
    return runs;
  }

  /**
   * Checks that every edited entry was PATCHed once and Affinity holds the pasted values, except the entries whose
   * Description is longer than a cell holds (50,000 characters): the tab shows it cut, so it is never sent.
   */
  async function everyEditSentOnce(from: number, edits: unknown[][]): Promise<number> {
    const inAffinity = await descriptionsInAffinity();
    const cut = new Set(inAffinity.flatMap((v, i) => (v.length > 50_000 ? [i] : [])));
    expect(cut.size).toBeLessThan(3);
    const patches = patchesSince(from);
    expect(patches.size).toBe(EDITED - cut.size);
    expect([...patches.values()].every((n) => n === 1)).toBe(true);
    expect(inAffinity.filter((_, i) => !cut.has(i))).toEqual(edits.filter((_, i) => !cut.has(i)).map((r) => r[0]));
    const tab = bound.sheet.getRange(2, bound.column('Description'), EDITED, 1).getValues();
    expect(tab.filter((_, i) => !cut.has(i))).toEqual(edits.filter((_, i) => !cut.has(i)));
    return cut.size;
  }

  async function descriptionsInAffinity(): Promise<string[]> {
    const view = await servedView(product, GENERATED.apiKey, GENERATED.companyListId, GENERATED.sheetViewId);
    const id = product.harness
      .sheet(bound.sheet.getName())
      .getRange(1, 1, 1, bound.sheet.getLastColumn())
      .getValues()[0]
      .map(String)
      .indexOf('Description');
    expect(id).toBeGreaterThanOrEqual(0);
    // The view's rows in the tab's order: the tab was pulled from these pages.
    const keys = bound.sheet
      .getRange(2, 1, ENTRIES, 1)
      .getValues()
      .map((r) => Number(r[0]));
    const byEntry = new Map(view.entries.map((e) => [e.id, e]));
    const field = view.fields.find((f) => f.name === 'Description')!;
    return keys.slice(0, EDITED).map((k) => {
      const v = byEntry.get(k)?.entity.fields?.find((f) => f.id === field.id)?.value;
      return String((v as { data?: unknown } | null)?.data ?? '');
    });
  }

  it('a push from the menu sends the part that fits, says the rest continues in the background, and it does', async () => {
    const h = product.harness;
    const { sheet } = bound;
    const edits = paste('Edited');
    const from = h.fetchLog.length;

    const summary = h.run('pushTab', sheet.getSheetId()) as PushSummary;
    const first = h.lastExecution;
    expect(first.killed).toBeUndefined(); // never the platform's time limit
    expect(first.virtualMs).toBeLessThan(5 * MINUTE);
    expect(summary.sent).toBeGreaterThan(500);
    expect(summary.waiting?.entries).toBe(EDITED - summary.sent - summary.notSent);
    expect(summary.message).toMatch(/not checked yet .*they stay pending for the next part of the push/);
    expect(summary.message).toMatch(/The push continues in the background in a minute/);
    expect(patchesSince(from).size).toBe(summary.sent);
    // The panel shows the push going on.
    expect(h.run('getProgress')).toEqual([
      expect.objectContaining({
        sheetId: sheet.getSheetId(),
        message: expect.stringMatching(/^Push: [\d,]+ edited entries left, continuing in the background/),
      }),
    ]);

    const logFrom = h.logs.length;
    expect(untilDone('continueSync').length).toBeGreaterThanOrEqual(1);
    // The run counts the requests of its pushes.
    expect(h.logs.slice(logFrom).join('\n')).toMatch(/Sync run \w+ done in \d+ execution\(s\), [1-9][\d,]* requests/);
    // Every edited entry PATCHed exactly once, no other entry touched; Affinity holds every value; the tab kept them.
    const cut = await everyEditSentOnce(from, edits);
    expect(h.run('getProgress')).toEqual([]);
    // Nothing is left to send: only the cut cells, which the sheet cannot change, stay noted.
    const again = h.run('pushTab', sheet.getSheetId()) as PushSummary;
    expect(again).toMatchObject({ sent: 0, notSent: cut, requests: { writes: 0 } });
    expect(again.waiting).toBeUndefined();
  });

  it("a scheduled run's push-first sends the part that fits in each execution, then pulls", async () => {
    const h = product.harness;
    const { sheet } = bound;
    // A day later: the push above used most of a consumer account's 20,000 URL fetches a day (each entry read, then
    // PATCHed), so the schedule's planner would rightly skip a run today.
    h.advance(24 * 60 * MINUTE);
    h.run('setPushFirst', true);
    const edits = paste('Scheduled');
    const from = h.fetchLog.length;
    h.run('saveSchedule', { schedule: { kind: 'daily', hour: 6 } });
    // The schedule's trigger fires (as its owner, the person who pasted), then its continuations.
    h.run('scheduledSync');
    const runs = untilDone('scheduledSync', [h.lastExecution]);
    expect(runs.map((m) => m.fn)[0]).toBe('scheduledSync');
    expect(runs.length).toBeGreaterThanOrEqual(3);
    await everyEditSentOnce(from, edits);
    const s = h.run('getScheduleState') as ScheduleState;
    expect(s.lastRun?.ok).toBe(true);
    // Then the tab was pulled: every row still there once.
    expect(s.lastRun?.message).toMatch(new RegExp(`^1 tab refreshed in ${runs.length} executions`));
    expect(sheet.getLastRow()).toBe(ENTRIES + 1);
    expect(s.running).toBeNull();
  });
});
