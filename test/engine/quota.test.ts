/**
 * The quota planner (src/server/engine/quota.ts): consumer and Workspace quotas, the reserve kept for people,
 * Affinity's monthly allowance, projections and the most frequent schedule that fits, pacing, backoff.
 */
import {
  DAY,
  HOUR,
  LEDGER_BUCKET_MS,
  MINUTE,
  QUOTAS,
  affinityMonthly,
  affinitySeenFrom,
  applyMsFor,
  backoffMs,
  checkScheduledRun,
  estimateRun,
  monthlyReserveReached,
  mostFrequentFit,
  paceDelayMs,
  parseRuntimeLedger,
  parseSchedule,
  planForEmail,
  projectSchedule,
  pullRequestsFor,
  recordRuntime,
  runsPerDay,
  runtimeLast24h,
  scheduleLabel,
  type ProjectionContext,
  type RunEstimate,
} from '../../src/server/engine/quota';
import type { ScheduleSpec } from '../../src/shared/schedule';

const every = (n: 5 | 10 | 15 | 30): ScheduleSpec => ({ kind: 'minutes', every: n });
const consumer: ProjectionContext = { plan: 'consumer', reserve: 0.1, affinityPerMonth: null };
const workspace: ProjectionContext = { plan: 'workspace', reserve: 0.1, affinityPerMonth: null };
const NOW = Date.UTC(2026, 0, 5, 14, 0, 0);

/** A run measured last time: `requests`, and a runtime. */
const measured = (requests: number, runtimeMs: number): RunEstimate => ({ requests, runtimeMs, executions: 1 });

describe('schedules', () => {
  it('runs a day and labels', () => {
    expect(runsPerDay(every(5))).toBe(288);
    expect(runsPerDay(every(15))).toBe(96);
    expect(runsPerDay({ kind: 'hourly' })).toBe(24);
    expect(runsPerDay({ kind: 'daily', hour: 7 })).toBe(1);
    expect(runsPerDay({ kind: 'off' })).toBe(0);
    expect(scheduleLabel({ kind: 'daily', hour: 7 }, 'Europe/Paris')).toBe('daily at 07:00 (Europe/Paris)');
    expect(scheduleLabel(every(30))).toBe('every 30 minutes');
  });

  it('accepts only what Apps Script triggers can do', () => {
    expect(parseSchedule({ kind: 'minutes', every: '15' })).toEqual(every(15));
    expect(parseSchedule({ kind: 'daily', hour: 0 })).toEqual({ kind: 'daily', hour: 0 });
    expect(() => parseSchedule({ kind: 'minutes', every: 20 })).toThrow(/5, 10, 15 or 30/);
    expect(() => parseSchedule({ kind: 'daily', hour: 24 })).toThrow(/0 to 23/);
    expect(() => parseSchedule({ kind: 'weekly' })).toThrow(/Unknown schedule/);
    expect(() => parseSchedule(null)).toThrow(/Unknown schedule/);
  });

  it('plan types: consumer and Workspace quotas; the hint from an address', () => {
    expect(QUOTAS.consumer).toEqual({ urlFetchPerDay: 20_000, triggerRuntimePerDayMs: 90 * MINUTE });
    expect(QUOTAS.workspace).toEqual({ urlFetchPerDay: 100_000, triggerRuntimePerDayMs: 6 * HOUR });
    expect(planForEmail('ada@gmail.com')).toBe('consumer');
    expect(planForEmail('ada@analytical.vc')).toBe('workspace');
    expect(planForEmail('')).toBe('consumer');
  });
});

describe('estimates from the last run', () => {
  it('a view never pulled: a page per 100 rows plus the view and its fields, by the default time model', () => {
    expect(pullRequestsFor(30_000)).toBe(302);
    expect(pullRequestsFor(0)).toBe(3);
    const e = estimateRun([{ rows: 30_000 }], { pushFirst: false });
    expect(e.requests).toBe(302);
    expect(e.runtimeMs).toBe(300 * 400 + 30_000 * 1.5);
    expect(e.executions).toBe(1);
  });

  it('measured figures win; pushes pending count when pushing first', () => {
    const views = [
      { rows: 10_000, pullRequests: 104, fetchMs: 40_000, applyMs: 20_000, pendingEdits: 30 },
      { rows: 60_000, pullRequests: 604, fetchMs: 650_000, applyMs: 90_000 },
    ];
    expect(estimateRun(views, { pushFirst: false })).toEqual({ requests: 708, runtimeMs: 800_000, executions: 3 });
    // 30 edits: up to 30 PATCHes, and 30 reads (fewer than the view's 100 pages).
    expect(estimateRun(views, { pushFirst: true }).requests).toBe(708 + 60);
    expect(estimateRun([{ rows: 100, pushRequests: 7 }], { pushFirst: true }).requests).toBe(3 + 7);
  });

  it('apply time scales from a large enough last apply, capped; small ones use the model', () => {
    expect(applyMsFor(60_000, { rows: 50_000, applyMs: 80_000 })).toBe(96_000);
    expect(applyMsFor(60_000, { rows: 10_000, applyMs: 100_000 })).toBe(300_000); // 10 ms a row is capped at 5
    expect(applyMsFor(60_000, { rows: 100, applyMs: 1_500 })).toBe(90_000);
  });
});

describe('projections and the most frequent schedule that fits', () => {
  it('a 15-minute refresh of a 30,000-entry view: 302 requests × 96 runs, over the consumer quota', () => {
    const run = measured(302, 80_000);
    const p = projectSchedule(every(15), run, consumer);
    expect(p.perDay.urlFetches).toBe(28_992);
    expect(p.limits.urlFetchBudget).toBe(18_000);
    expect(p.fits).toBe(false);
    expect(p.problems).toEqual([
      '302 requests × 96 runs = 28,992 URL fetches a day, over the 18,000 scheduled runs may use (20,000 a day on a consumer account, 10 % kept for you)',
      'about 1 min a run × 96 runs = 128 min of trigger runtime a day, over the 90 min a consumer account allows',
    ]);
    // Every 30 minutes: 14,496 fetches and 64 minutes of runtime.
    expect(p.suggestion).toEqual({ schedule: every(30), label: 'every 30 minutes' });
  });

  it('the same on Workspace fits', () => {
    const p = projectSchedule(every(15), measured(302, 80_000), workspace);
    expect(p.fits).toBe(true);
    expect(p.problems).toEqual([]);
    expect(p.suggestion).toBeNull();
    // Every 5 minutes would take 288 × 80 s = 384 min of runtime, over Workspace's 6 hours.
    expect(mostFrequentFit(measured(302, 80_000), workspace)).toEqual(every(10));
  });

  it('runtime can be the limit: a run of 3 minutes fits hourly on consumer, every 15 minutes on Workspace', () => {
    const run = measured(50, 3 * MINUTE);
    expect(mostFrequentFit(run, consumer)).toEqual({ kind: 'hourly' });
    expect(mostFrequentFit(run, workspace)).toEqual(every(15));
  });

  it("Affinity's monthly allowance, less 10 % for people: a 10,000-entry view fits hourly, not every 30 minutes", () => {
    const ctx: ProjectionContext = { ...workspace, affinityPerMonth: 100_000 };
    const run = measured(102, 20_000);
    const half = projectSchedule(every(30), run, ctx);
    expect(half.perMonth.affinityRequests).toBe(102 * 48 * 30);
    expect(half.fits).toBe(false);
    expect(half.problems).toEqual([
      '146,880 Affinity requests a month, over the 90,000 scheduled runs may use (100,000 a month for your Affinity account, 10 % kept for people)',
    ]);
    expect(half.suggestion?.schedule).toEqual({ kind: 'hourly' });
    expect(projectSchedule({ kind: 'hourly' }, run, ctx).fits).toBe(true);
    // Without a monthly allowance (none seen, or an Enterprise plan), only Apps Script's quotas count.
    expect(projectSchedule(every(30), run, workspace).fits).toBe(true);
  });

  it('a run that outlasts its interval is resumed, not restarted: the runs a day follow its length', () => {
    const long = { requests: 604, runtimeMs: 16 * MINUTE, executions: 4 };
    const p = projectSchedule(every(15), long, workspace);
    expect(p.runsPerDay).toBe(Math.floor(DAY / (16 * MINUTE + 3 * MINUTE)));
  });

  it('when nothing fits, says so (no suggestion)', () => {
    const p = projectSchedule(every(5), measured(25_000, MINUTE), consumer);
    expect(p.fits).toBe(false);
    expect(p.suggestion).toBeNull();
    expect(mostFrequentFit(measured(25_000, MINUTE), consumer)).toBeNull();
  });

  it('a daily schedule keeps its hour in the suggestion', () => {
    const p = projectSchedule({ kind: 'daily', hour: 22 }, measured(25_000, MINUTE), workspace);
    expect(p.fits).toBe(true);
    const q = projectSchedule(every(5), measured(5_000, MINUTE), { ...workspace, timeZone: 'Asia/Tokyo' });
    expect(q.suggestion).toBeTruthy();
    expect(projectSchedule({ kind: 'daily', hour: 22 }, measured(200_000, MINUTE), consumer).suggestion).toBeNull();
  });
});

describe('the check before a scheduled run', () => {
  const base = {
    estimate: measured(302, 80_000),
    runtime: { buckets: [] as [number, number][] },
    affinity: {},
    now: NOW,
    plan: 'consumer' as const,
    reserve: 0.1,
  };

  it('runs when the day’s URL fetches leave the reserve', () => {
    expect(checkScheduledRun({ ...base, fetches: { urlFetches: 17_698, resetAt: NOW + HOUR } })).toEqual({ ok: true });
  });

  it('skips a run that would eat into the 10 % kept for people, until the quota window resets', () => {
    const r = checkScheduledRun({ ...base, fetches: { urlFetches: 17_699, resetAt: NOW + HOUR } });
    expect(r).toEqual({
      ok: false,
      budget: 'url-fetch',
      reason:
        "this run needs about 302 URL fetches and 17,699 of today's 20,000 (consumer account) are used; 10 % is kept for people",
      retryAt: NOW + HOUR,
    });
    // Workspace: the same day is far from its quota.
    expect(
      checkScheduledRun({ ...base, plan: 'workspace', fetches: { urlFetches: 17_699, resetAt: NOW + HOUR } }),
    ).toEqual({ ok: true });
    // A window that has ended counts nothing.
    expect(checkScheduledRun({ ...base, fetches: { urlFetches: 19_999, resetAt: NOW - 1 } })).toEqual({ ok: true });
  });

  it('skips a run that would pass the day’s trigger runtime, and says when enough has rolled off', () => {
    let runtime = { buckets: [] as [number, number][] };
    runtime = recordRuntime(runtime, NOW - 20 * HOUR, 40 * MINUTE);
    runtime = recordRuntime(runtime, NOW - 2 * HOUR, 49 * MINUTE);
    expect(runtimeLast24h(runtime, NOW)).toBe(89 * MINUTE);
    const r = checkScheduledRun({ ...base, runtime, fetches: { urlFetches: 0, resetAt: null } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.budget).toBe('trigger-runtime');
    expect(r.reason).toBe(
      'this run needs about 1 min of trigger runtime and 89 min of the 90 min a day (consumer account) were used in the last 24 hours',
    );
    const bucket = Math.floor((NOW - 20 * HOUR) / LEDGER_BUCKET_MS) * LEDGER_BUCKET_MS;
    expect(r.retryAt).toBe(bucket + LEDGER_BUCKET_MS + DAY);
    expect(
      checkScheduledRun({ ...base, plan: 'workspace', runtime, fetches: { urlFetches: 0, resetAt: null } }),
    ).toEqual({ ok: true });
  });

  it("keeps 10 % of Affinity's monthly allowance for people", () => {
    const affinity = { at: NOW, monthLimit: 100_000, monthRemaining: 10_302, monthResetAt: NOW + 9 * DAY };
    expect(checkScheduledRun({ ...base, affinity, fetches: { urlFetches: 0, resetAt: null } })).toEqual({ ok: true });
    const r = checkScheduledRun({
      ...base,
      affinity: { ...affinity, monthRemaining: 10_301 },
      fetches: { urlFetches: 0, resetAt: null },
    });
    expect(r).toEqual({
      ok: false,
      budget: 'affinity-monthly',
      reason:
        "this run needs about 302 Affinity requests and 10,301 of the account's 100,000 a month are left; 10,000 (10 %) are kept for people",
      retryAt: NOW + 9 * DAY,
    });
    // Once the month has reset, the allowance is whole again.
    expect(affinityMonthly({ ...affinity, monthRemaining: 5, monthResetAt: NOW - 1 }, NOW)).toEqual({
      limit: 100_000,
      remaining: 100_000,
    });
    // No monthly allowance seen (Enterprise, or never asked): nothing to keep.
    expect(affinityMonthly({}, NOW)).toEqual({ limit: null, remaining: null });
  });

  it("reads Affinity's limits as the usage ledger keeps them", () => {
    expect(
      affinitySeenFrom({
        perMinuteLimit: 900,
        perMinuteRemaining: 10,
        perMinuteResetSec: 30,
        monthlyLimit: 100_000,
        monthlyRemaining: 500,
        monthlyResetSec: 3600,
        observedAt: NOW,
      }),
    ).toEqual({
      at: NOW,
      minuteLimit: 900,
      minuteRemaining: 10,
      minuteResetAt: NOW + 30_000,
      monthLimit: 100_000,
      monthRemaining: 500,
      monthResetAt: NOW + HOUR,
    });
    expect(affinitySeenFrom(null)).toEqual({});
  });
});

describe('runtime ledger', () => {
  it('adds in 15-minute buckets and forgets what is older than a day', () => {
    let l = parseRuntimeLedger(null);
    l = recordRuntime(l, NOW, 1000);
    l = recordRuntime(l, NOW + 60_000, 500);
    expect(l.buckets).toHaveLength(1);
    l = recordRuntime(l, NOW + 20 * MINUTE, 2000);
    expect(runtimeLast24h(l, NOW + 20 * MINUTE)).toBe(3500);
    // A bucket counts until its end is a day old.
    expect(runtimeLast24h(l, NOW + DAY + 10 * MINUTE)).toBe(3500);
    expect(runtimeLast24h(l, NOW + DAY + 16 * MINUTE)).toBe(2000);
    expect(parseRuntimeLedger(JSON.stringify(l))).toEqual(l);
    expect(parseRuntimeLedger('{broken')).toEqual({ buckets: [] });
    expect(parseRuntimeLedger('{"buckets":[[1,"x"],[2,3]]}')).toEqual({ buckets: [[2, 3]] });
  });
});

describe('pacing within a run', () => {
  const rate = { userLimit: 900, userRemaining: 200, userResetSec: 20, observedAt: NOW };

  it('sends at once while more than 10 % of the minute remains', () => {
    expect(paceDelayMs(rate, NOW)).toBe(0);
    expect(paceDelayMs({ ...rate, userRemaining: 91 }, NOW)).toBe(0);
    expect(paceDelayMs({}, NOW)).toBe(0);
  });

  it('waits for the window to reset before meeting a 429', () => {
    expect(paceDelayMs({ ...rate, userRemaining: 90 }, NOW + 5_000)).toBe(15_250);
    expect(paceDelayMs({ ...rate, userRemaining: 0 }, NOW + 21_000)).toBe(0); // already reset
    // Ten requests at once need ten more in hand.
    expect(paceDelayMs({ ...rate, userRemaining: 99 }, NOW, 0.1, 10)).toBe(20_250);
    expect(paceDelayMs({ ...rate, userRemaining: 100 }, NOW, 0.1, 10)).toBe(0);
    // A small per-minute limit keeps at least one request.
    expect(paceDelayMs({ userLimit: 5, userRemaining: 1, userResetSec: 10, observedAt: NOW }, NOW)).toBe(10_250);
  });

  it("stops a scheduled run when Affinity's monthly remaining is down to the reserve", () => {
    expect(monthlyReserveReached({ orgLimit: 100_000, orgRemaining: 10_001 }, 0.1)).toBe(false);
    expect(monthlyReserveReached({ orgLimit: 100_000, orgRemaining: 10_000 }, 0.1)).toBe(true);
    expect(monthlyReserveReached({}, 0.1)).toBe(false);
  });
});

describe('backoff after consecutive failures', () => {
  it('doubles from the interval, at most a day', () => {
    expect(backoffMs(1, every(15))).toBe(0);
    expect(backoffMs(2, every(15))).toBe(30 * MINUTE);
    expect(backoffMs(3, every(15))).toBe(60 * MINUTE);
    expect(backoffMs(12, every(15))).toBe(DAY);
    expect(backoffMs(2, { kind: 'daily', hour: 3 })).toBe(DAY);
  });
});
