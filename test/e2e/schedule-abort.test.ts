/**
 * Runs killed at any point (docs/schedules.md, "Resumable runs"): the harness kills an execution after its k-th
 * service call (as Apps Script ends one at 6 minutes, wherever it is); then the schedule runs on. Whatever k, nothing
 * is lost and nothing doubled: the tab ends equal to Affinity's view, and every edit made in the sheet is either in
 * Affinity or still pending in the tab.
 */
import { DEALFLOW } from '../../tools/emulator/seeds/dealflow';
import { GENERATED, generateSeed } from '../../tools/emulator/generate';
import { HarnessExecutionError } from '../../tools/harness';
import type { ScheduleState } from '../../src/shared/schedule';
import { activePipelineWorld, bindWorld, type World } from './pushHelpers';
import { MINUTE, baseText, servedView, tabVersusView, triggersOf } from './scheduleHelpers';

const F = DEALFLOW.fields;

/** Runs `fn` killed after k calls; true when the kill happened (false: it finished first). */
function killedAt(w: World, k: number, fn: string): boolean {
  try {
    w.product.harness.runWith({ kind: 'installable-trigger', abortAfterCalls: k }, fn);
    return false;
  } catch (e) {
    if (!(e instanceof HarnessExecutionError) || w.product.harness.lastExecution.killed !== 'abort-after-calls')
      throw e;
    return true;
  }
}

async function affinityText(w: World, listId: number, entryId: number, fieldId: string): Promise<unknown> {
  const entry = await w.product.emulator.admin.getEntry(listId, entryId);
  return entry?.entity.fields?.find((f) => f.id === fieldId)?.value?.data ?? null;
}

describe('killed at any step of a scheduled push-then-pull', () => {
  let w: World;
  beforeAll(async () => {
    w = await activePipelineWorld();
    w.run('saveSchedule', { schedule: { kind: 'minutes', every: 15 }, pushFirst: true });
  });
  afterAll(() => w.close());

  it('leaves the tab equal to the view and every edit in Affinity or pending, for every abort point', async () => {
    const h = w.product.harness;
    const L = DEALFLOW.listId;
    const V = DEALFLOW.views.activePipeline;
    const view0 = await w.product.emulator.admin.getView(L, V);
    let round = 0;
    /** Work for one run: an edit in the sheet, one in Affinity, and an entry leaving or joining the view. */
    const makeWork = async () => {
      round++;
      w.type(20001, F.description, `Typed in the sheet ${round}`);
      await w.product.emulator.admin.editField(L, 20002, F.description, {
        type: 'text',
        data: `Changed in Affinity ${round}`,
      });
      await w.product.emulator.admin.setView(L, V, {
        entryIds: round % 2 === 0 ? view0.entryIds : view0.entryIds.filter((id) => id !== 20005),
      });
      return `Typed in the sheet ${round}`;
    };

    // A run without a kill, to know how many service calls a run makes.
    await makeWork();
    h.runWith({ kind: 'installable-trigger' }, 'scheduledSync');
    const calls = h.lastExecution.totalCalls;
    expect(calls).toBeGreaterThan(60);

    const points: number[] = [];
    for (let k = 1; k < calls + 5; k += k < 20 ? 1 : 3) points.push(k);
    let kills = 0;
    for (const k of points) {
      const typed = await makeWork();
      if (killedAt(w, k, 'scheduledSync')) kills++;
      // Right after the kill: the edit is in Affinity, or still in the tab and pending (its base is not it).
      const inAffinity = (await affinityText(w, L, 20001, F.description)) === typed;
      const pending = w.shown(20001, F.description) === typed && baseText(h, w.sheetId, 20001, F.description) !== typed;
      expect({ k, kept: inAffinity || pending }).toEqual({ k, kept: true });
      // Then the schedule runs on.
      h.advance(15 * MINUTE);
      const problems = tabVersusView(h, w.tab, await servedView(w.product, DEALFLOW.apiKey, L, V));
      expect({ k, problems }).toEqual({ k, problems: [] });
      expect({ k, inAffinity: await affinityText(w, L, 20001, F.description) }).toEqual({ k, inAffinity: typed });
      // The pull is over (no checkpoint); its staged pages stay hidden, for the next pull to reuse.
      expect(h.properties.document.getProperty(`affinity.pull.${w.sheetId}`)).toBeNull();
      const staging = h.spreadsheet.getSheets().filter((s) => s.getName().startsWith('_affinity_staging_'));
      expect(staging.map((s) => s.isSheetHidden())).toEqual(staging.map(() => true));
      expect(triggersOf(h, 'continueSync').length).toBeLessThanOrEqual(1);
    }
    expect(kills).toBeGreaterThan(points.length * 0.9);
    expect(triggersOf(h, 'scheduledSync')).toHaveLength(1);
    expect((w.run('getScheduleState') as ScheduleState).lastRun).toMatchObject({ ok: true });
  });
});

describe('killed at any step of a pull that spans executions', () => {
  let w: World;
  const L = GENERATED.companyListId;
  const V = GENERATED.sheetViewId;
  beforeAll(async () => {
    const seed = generateSeed({ entries: 600, fieldsInView: 8 });
    // Requests served in 50 s each: the 6 pages (and the metadata) take two executions of the 5-minute budget. Some 25
    // runs of 6 minutes need a Workspace account's 6 hours of trigger runtime a day.
    w = await bindWorld({
      seed,
      apiKey: GENERATED.apiKey,
      listId: L,
      viewId: V,
      harness: {
        network: 'fast', // a flat 50 s a request, whatever HARNESS_NETWORK says
        costs: { urlFetchMs: 50_000 },
        quotas: { triggerRuntimePerDayMs: 6 * 60 * MINUTE, urlFetchPerDay: 100_000 },
      },
    });
    // The bind's pull itself continues in a second execution.
    expect(w.product.harness.sheet(w.tab).getLastRow()).toBeLessThanOrEqual(1);
    w.product.harness.advance(2 * MINUTE);
    expect(w.product.harness.sheet(w.tab).getLastRow()).toBe(601);
    w.run('saveSchedule', { schedule: { kind: 'hourly' }, plan: 'workspace' });
  });
  afterAll(() => w.close());

  it('resumes or starts over cleanly, never applying part of a view, and never touching a pending edit', async () => {
    const h = w.product.harness;
    const first = GENERATED.firstEntryId;
    // An edit never pushed (push-first is off): every pull must leave it as typed.
    w.type(first + 3, 'field-1005', 'Pending all along');
    let round = 0;
    const changeInAffinity = async () => {
      round++;
      await w.product.emulator.admin.editField(L, first + 10 + round, 'field-1005', {
        type: 'text',
        data: `Affinity round ${round}`,
      });
    };
    /** Lets the schedule run on: its next hourly run (which resumes or starts over), to the end of whatever run is going. */
    const settle = () => {
      h.advance(61 * MINUTE);
      for (let i = 0; i < 30; i++) {
        if ((w.run('getScheduleState') as ScheduleState).running === null) return;
        h.advance(2 * MINUTE);
      }
      throw new Error(
        `the run did not complete: ${JSON.stringify(w.run('getScheduleState'))}\n${h.logs.slice(-15).join('\n')}\n${JSON.stringify(h.triggers)}`,
      );
    };
    const check = async (label: string) => {
      const problems = tabVersusView(h, w.tab, await servedView(w.product, GENERATED.apiKey, L, V), {
        ignore: (entryId, fieldId) => entryId === first + 3 && fieldId === 'field-1005',
      });
      expect({ label, problems }).toEqual({ label, problems: [] });
      expect(w.shown(first + 3, 'field-1005')).toBe('Pending all along');
      // The pull is over (no checkpoint); its staged pages stay, hidden, one row a page, for the next pull to reuse.
      expect(h.properties.document.getProperty(`affinity.pull.${w.sheetId}`)).toBeNull();
      const staging = h.spreadsheet.getSheets().filter((s) => s.getName().startsWith('_affinity_staging_'));
      expect(staging.map((s) => [s.isSheetHidden(), s.getLastRow() >= 6])).toEqual(staging.map(() => [true, true]));
    };

    // A clean run, to count the calls of its two executions.
    await changeInAffinity();
    h.runWith({ kind: 'installable-trigger' }, 'runSyncNow');
    const firstCalls = h.lastExecution.totalCalls;
    expect((w.run('getScheduleState') as ScheduleState).running).not.toBeNull(); // continuing
    h.advance(2 * MINUTE);
    const secondCalls = h.lastExecution.totalCalls;
    expect(h.lastExecution.fn).toBe('continueSync');
    expect((w.run('getScheduleState') as ScheduleState).running).toBeNull();
    await check('clean');

    const sample = (n: number) =>
      Array.from(
        new Set([1, 2, 3, 5, 8, ...Array.from({ length: 8 }, (_, i) => Math.round(((i + 1) * n) / 9)), n - 2, n - 1]),
      ).filter((k) => k > 0);
    // Killed in the first execution.
    for (const k of sample(firstCalls)) {
      await changeInAffinity();
      const rowsBefore = w.product.harness.sheet(w.tab).getLastRow();
      killedAt(w, k, 'runSyncNow');
      expect(w.product.harness.sheet(w.tab).getLastRow()).toBe(rowsBefore);
      settle();
      await check(`first execution, k=${k}`);
    }
    // Killed in the continuation (the first execution checkpointed cleanly).
    for (const k of sample(secondCalls)) {
      await changeInAffinity();
      h.runWith({ kind: 'installable-trigger' }, 'runSyncNow');
      killedAt(w, k, 'continueSync');
      settle();
      await check(`continuation, k=${k}`);
    }
    expect(triggersOf(h, 'continueSync').length).toBeLessThanOrEqual(1);

    // The staged pages lost between two executions (the hidden sheet deleted): the pull starts over, whole.
    await changeInAffinity();
    h.runWith({ kind: 'installable-trigger' }, 'runSyncNow');
    const staging = h.spreadsheet.getSheets().find((x) => x.getName().startsWith('_affinity_staging_'))!;
    expect(staging.getLastRow()).toBeGreaterThan(0);
    h.spreadsheet.deleteSheet(staging);
    const from = h.logs.length;
    settle();
    expect(h.logs.slice(from).join('\n')).toMatch(
      /cannot resume \(the staged rows of this sync are gone\); starting over/,
    );
    await check('staging lost');
  });
});
