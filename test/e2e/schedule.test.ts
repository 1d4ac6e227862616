/**
 * Schedules end to end (docs/schedules.md): dist/Code.js in the Apps Script harness on its virtual clock, against the
 * Affinity emulator. One trigger however often the schedule is saved; overlapping runs; a refresh that changes
 * nothing; failures that back off or pause; the planner's skips; pacing under Affinity's per-minute limit.
 */
import { DEALFLOW, dealflowSeed } from '../../tools/emulator/seeds/dealflow';
import { GENERATED, generateSeed } from '../../tools/emulator/generate';
import type { ScheduleState } from '../../src/shared/schedule';
import { bindWorld, type World } from './pushHelpers';
import { MINUTE, logsSince, servedFromSeed, servedView, tabVersusView, triggersOf } from './scheduleHelpers';

const F = DEALFLOW.fields;
const L = DEALFLOW.listId;
const V = DEALFLOW.views.activePipeline;
const every15 = { kind: 'minutes', every: 15 } as const;

async function dealflowWorld(mutate?: (seed: ReturnType<typeof dealflowSeed>) => void): Promise<World> {
  const seed = dealflowSeed();
  mutate?.(seed);
  return bindWorld({ seed, apiKey: DEALFLOW.apiKey, listId: L, viewId: V });
}

const state = (w: World) => w.run('getScheduleState') as ScheduleState;

describe('schedule: one trigger per spreadsheet', () => {
  let w: World;
  beforeAll(async () => {
    w = await dealflowWorld();
  });
  afterAll(() => w.close());

  it('saving the schedule many times (and reinstalling) leaves exactly one sync trigger; off removes it', () => {
    const h = w.product.harness;
    const choices = [
      { kind: 'minutes', every: 5 },
      { kind: 'minutes', every: 10 },
      every15,
      { kind: 'minutes', every: 30 },
      { kind: 'hourly' },
      { kind: 'daily', hour: 7 },
    ];
    for (let i = 0; i < 30; i++) {
      w.run('saveSchedule', { schedule: choices[i % choices.length], pushFirst: i % 2 === 0 });
      expect(triggersOf(h, 'scheduledSync')).toHaveLength(1);
      if (i === 12) h.run('onInstall');
    }
    expect(h.triggers.length).toBeLessThanOrEqual(2);
    const s = state(w);
    expect(s.schedule).toEqual(choices[29 % choices.length]);
    expect(s.runsAs).toEqual({
      email: 'owner@example.com',
      affinityUser: 'Ada Lovelace · Analytical Ventures',
      pushFirst: false,
    });
    expect(s.timeZone).toBe('America/New_York');

    w.run('saveSchedule', { schedule: { kind: 'daily', hour: 7 } });
    const daily = triggersOf(h, 'scheduledSync')[0];
    expect(daily.schedule).toMatchObject({ kind: 'daily', hour: 7, tz: 'America/New_York' });

    w.run('saveSchedule', { schedule: { kind: 'off' } });
    expect(triggersOf(h, 'scheduledSync')).toHaveLength(0);
    expect(state(w).runsAs).toBeNull();
  });

  it('a trigger superseded by another user’s save removes itself when it fires, without running', () => {
    const h = w.product.harness;
    w.run('saveSchedule', { schedule: { kind: 'minutes', every: 5 } });
    h.user = 'bea@example.com';
    h.run('connect', DEALFLOW.apiKey);
    // Another user's schedule is never replaced silently: a plain save is refused; taking it over is explicit.
    expect(() => w.run('saveSchedule', { schedule: { kind: 'hourly' } })).toThrow(/runs as owner@example.com/);
    w.run('saveSchedule', { schedule: { kind: 'hourly' }, takeOver: true });
    h.user = 'owner@example.com';
    expect(
      triggersOf(h, 'scheduledSync')
        .map((t) => t.owner)
        .sort(),
    ).toEqual(['bea@example.com', 'owner@example.com']);
    const from = h.logs.length;
    const ran = h.advance(6 * MINUTE);
    expect(ran.map((m) => [m.fn, m.user, m.urlFetches, m.error])).toEqual([
      ['scheduledSync', 'owner@example.com', 0, undefined],
    ]);
    expect(logsSince(h, from).join('\n')).toMatch(
      /Removed a sync trigger that is no longer this spreadsheet’s schedule/,
    );
    expect(triggersOf(h, 'scheduledSync').map((t) => t.owner)).toEqual(['bea@example.com']);
    expect(state(w).runsAs?.email).toBe('bea@example.com');
    h.user = 'bea@example.com';
    w.run('saveSchedule', { schedule: { kind: 'off' } });
    h.user = 'owner@example.com';
    expect(triggersOf(h, 'scheduledSync')).toHaveLength(0);
  });
});

describe('schedule: refreshes', () => {
  let w: World;
  beforeAll(async () => {
    w = await dealflowWorld();
    w.run('saveSchedule', { schedule: every15 });
  });
  afterAll(() => w.close());

  it('a refresh where nothing changed in Affinity writes no cells; a change is applied by the next one', async () => {
    const h = w.product.harness;
    const [quiet] = h.advance(15 * MINUTE);
    expect(quiet.fn).toBe('scheduledSync');
    expect(quiet.error).toBeUndefined();
    expect(quiet.cellsWritten).toBe(0);
    expect(quiet.urlFetches).toBe(3);

    await w.product.emulator.admin.editField(L, 20003, F.description, { type: 'text', data: 'Changed in Affinity' });
    const [changed] = h.advance(15 * MINUTE);
    expect(changed.cellsWritten).toBe(2); // the cell and its base
    expect(w.shown(20003, F.description)).toBe('Changed in Affinity');
    expect(tabVersusView(h, w.tab, await servedView(w.product, DEALFLOW.apiKey, L, V))).toEqual([]);
    expect(state(w).lastRun).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^1 tab refreshed in 1 execution/),
    });
  });

  it('two overlapping runs: the one holding the lock works, the other skips with a log line and no error', () => {
    const h = w.product.harness;
    h.holdLock('script', h.clock.now() + 20 * MINUTE);
    const from = h.logs.length;
    const [skipped] = h.advance(15 * MINUTE);
    expect(skipped.error).toBeUndefined();
    expect(skipped.urlFetches).toBe(0);
    expect(logsSince(h, from)).toContain('Scheduled sync skipped: another sync of this spreadsheet is running.');
    // A person asking meanwhile is told, after waiting a little.
    expect(() => w.run('pullTab', w.sheetId)).toThrow(/Another sync of this spreadsheet is running/);
    const [next] = h.advance(15 * MINUTE);
    expect(next.error).toBeUndefined();
    expect(next.urlFetches).toBe(3);
  });

  it('pushes pending edits before the pull when asked (off by default)', async () => {
    const h = w.product.harness;
    expect(state(w).pushFirst).toBe(false);
    w.type(20004, F.description, 'Typed in the sheet');
    h.advance(15 * MINUTE);
    expect(
      (await w.product.emulator.admin.getEntry(L, 20004))!.entity.fields!.find((f) => f.id === F.description)!.value
        .data,
    ).not.toBe('Typed in the sheet');
    expect(w.shown(20004, F.description)).toBe('Typed in the sheet'); // pending, never overwritten

    w.run('saveSchedule', { schedule: every15, pushFirst: true });
    h.advance(15 * MINUTE);
    expect(
      (await w.product.emulator.admin.getEntry(L, 20004))!.entity.fields!.find((f) => f.id === F.description)!.value
        .data,
    ).toBe('Typed in the sheet');
    expect(tabVersusView(h, w.tab, await servedView(w.product, DEALFLOW.apiKey, L, V))).toEqual([]);
  });
});

describe('schedule: failures', () => {
  let w: World;
  beforeEach(async () => {
    w = await dealflowWorld();
    w.run('saveSchedule', { schedule: every15 });
  });
  afterEach(() => w.close());

  it('consecutive failures back the schedule off, and a success resets it', async () => {
    const h = w.product.harness;
    await w.product.emulator.admin.injectFault({ status: 503, count: -1 });
    const from = h.logs.length;
    const first = h.advance(15 * MINUTE);
    expect(first.map((m) => m.error)).toEqual([undefined]); // a failed run is logged, not thrown
    expect(state(w).backoff).toBeNull(); // one failure: the next run is as scheduled
    h.advance(15 * MINUTE);
    const s2 = state(w);
    expect(s2.backoff?.failures).toBe(2);
    expect(s2.backoff!.until - h.clock.now()).toBeGreaterThan(25 * MINUTE);
    const skipped = h.advance(15 * MINUTE);
    expect(skipped[0].urlFetches).toBe(0);
    h.advance(15 * MINUTE); // third failure: 60 minutes
    expect(state(w).backoff?.failures).toBe(3);
    const lines = logsSince(h, from);
    expect(lines.filter((l) => /^Scheduled sync run \w+ failed \(\d in a row\)/.test(l))).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('Scheduled sync skipped: backing off after 2 failed runs'))).toHaveLength(
      1,
    );
    expect(triggersOf(h, 'scheduledSync')).toHaveLength(1); // backing off is not pausing

    await w.product.emulator.admin.clearFaults();
    h.advance(60 * MINUTE);
    const s = state(w);
    expect(s.backoff).toBeNull();
    expect(s.lastRun).toMatchObject({ ok: true });
    expect(tabVersusView(h, w.tab, await servedView(w.product, DEALFLOW.apiKey, L, V))).toEqual([]);
  });

  it.each([
    [401, /rejected the API key/],
    [403, /permission|refused access/],
    [404, /could not find this saved view/],
  ])('a %i pauses the schedule with the reason, in the panel and the log, once', async (status, reason) => {
    const h = w.product.harness;
    await w.product.emulator.admin.injectFault({ status, count: -1, match: { pathIncludes: '/saved-views/' } });
    const from = h.logs.length;
    h.advance(15 * MINUTE);
    const s = state(w);
    expect(s.paused?.reason).toMatch(reason);
    expect(s.paused?.reason).toMatch(/^“Active Pipeline”: /);
    expect(triggersOf(h, 'scheduledSync')).toHaveLength(0);
    const later = h.advance(3 * 60 * MINUTE);
    expect(later).toEqual([]); // nothing runs, nothing is logged again
    const paused = logsSince(h, from).filter((l) => l.startsWith('Scheduled sync paused'));
    expect(paused).toHaveLength(1);
    expect(paused[0]).toMatch(reason);

    await w.product.emulator.admin.clearFaults();
    const resumed = w.run('resumeSchedule') as ScheduleState;
    expect(resumed.paused).toBeNull();
    expect(triggersOf(h, 'scheduledSync')).toHaveLength(1);
    const [ok] = h.advance(15 * MINUTE);
    expect(ok.urlFetches).toBe(3);
    expect(state(w).lastRun).toMatchObject({ ok: true });
  });
});

describe('schedule: the planner before each run', () => {
  it('skips a scheduled run that would eat into the URL fetches kept for people, and says when it fits again', async () => {
    const w = await dealflowWorld();
    try {
      const h = w.product.harness;
      w.run('saveSchedule', { schedule: every15 });
      // 17,999 of the consumer account's 20,000 used: 3 more would pass the 18,000 scheduled runs may use.
      h.properties
        .user()
        .setProperty('affinity.usage', JSON.stringify({ since: h.clock.now() - 60 * MINUTE, count: 17_999 }));
      const from = h.logs.length;
      const [skipped] = h.advance(15 * MINUTE);
      expect(skipped.urlFetches).toBe(0);
      const line = logsSince(h, from).find((l) => l.startsWith('Scheduled sync skipped'))!;
      // The estimate is the last run's cost (the bind's pull also fetched two dropdown fields' options).
      expect(line).toMatch(
        /needs about 5 URL fetches and 17,999 of today's 20,000 \(consumer account\) are used; 10 % is kept for people; it should fit again after/,
      );
      expect(state(w).lastSkip?.reason).toMatch(/URL fetches/);
      // A person may still pull: the reserve is theirs.
      expect((w.run('pullTab', w.sheetId) as { rows: number }).rows).toBe(20);
      // On a Workspace account the same run fits.
      w.run('saveSchedule', { schedule: every15, plan: 'workspace' });
      const [ran] = h.advance(15 * MINUTE);
      expect(ran.urlFetches).toBe(3);
    } finally {
      await w.close();
    }
  });

  it("skips a scheduled run that would leave less than 10 % of Affinity's monthly allowance", async () => {
    const w = await dealflowWorld((seed) => {
      seed.rateLimit = { perMonth: 60 };
    });
    try {
      const h = w.product.harness;
      // The panel's check refuses it first: 96 runs a day cannot fit 60 requests a month.
      expect(() => w.run('saveSchedule', { schedule: every15 })).toThrow(
        /^Every 15 minutes does not fit: .* Affinity requests a month, over the 54 scheduled runs may use \(60 a month for your Affinity account, 10 % kept for people\)\. Not even a daily run fits\.$/,
      );
      w.run('saveSchedule', { schedule: every15, acceptOverBudget: true });
      const from = h.logs.length;
      const ran = h.advance(6 * 60 * MINUTE);
      const worked = ran.filter((m) => m.urlFetches > 0).length;
      const skips = logsSince(h, from).filter((l) => l.startsWith('Scheduled sync skipped'));
      expect(worked).toBeGreaterThan(5);
      expect(skips.length).toBe(ran.length - worked);
      expect(skips[0]).toMatch(
        /needs about 3 Affinity requests and \d of the account's 60 a month are left; 6 \(10 %\) are kept for people/,
      );
      expect(skips.length).toBeGreaterThan(5);
      const s = state(w);
      expect(s.usage.affinityMonthlyLimit).toBe(60);
      expect(s.usage.affinityMonthlyRemaining).toBeGreaterThanOrEqual(6);
      expect(s.projection.limits.affinityPerMonth).toBe(60);
      expect(s.projection.fits).toBe(false);
    } finally {
      await w.close();
    }
  });
});

describe("schedule: pacing under Affinity's per-minute limit", () => {
  it('a run of 31 requests under a 20-a-minute limit waits for the window instead of meeting a 429', async () => {
    const seed = generateSeed({ entries: 2_900, fieldsInView: 8 });
    seed.rateLimit = { perMinute: 20 };
    const w = await bindWorld({
      seed,
      apiKey: GENERATED.apiKey,
      listId: GENERATED.companyListId,
      viewId: GENERATED.sheetViewId,
    });
    try {
      const h = w.product.harness;
      expect(h.lastExecution.error).toBeUndefined();
      w.run('saveSchedule', { schedule: { kind: 'hourly' } });
      await w.product.emulator.admin.clearRequests();
      const [run] = h.advance(60 * MINUTE);
      expect(run.error).toBeUndefined();
      expect(run.urlFetches).toBe(31);
      expect(run.virtualMs).toBeGreaterThan(60_000); // it waited for at least one window
      const log = await w.product.emulator.admin.requests();
      expect(log.filter((r) => r.status === 429)).toEqual([]);
      expect(h.logs.some((l) => /pacing, \d+ s until Affinity's per-minute window resets/.test(l))).toBe(true);
      expect(
        tabVersusView(
          h,
          w.tab,
          servedFromSeed({ ...seed, rateLimit: undefined }, GENERATED.companyListId, GENERATED.sheetViewId),
        ),
      ).toEqual([]);
    } finally {
      await w.close();
    }
  });
});
