/**
 * The quota planner (docs/schedules.md): pure arithmetic over what was spent and what a run costs.
 *
 * - What was spent: URL fetches in the current daily quota window and Affinity's rate-limit headers as last seen
 *   (both counted by the HTTP adapter's usage ledger, sync/usage.ts), and the trigger runtime of this user's runs
 *   in 15-minute buckets over the last 24 hours (Apps Script's daily quotas are per user).
 * - Estimates of a run from the last run of each view (pages, requests, time, pushes pending).
 * - The check before a scheduled run: skip it, with the reason, when it would break a budget or eat into the
 *   reserve kept for people (by default 10 % of Affinity's monthly allowance and of the daily URL-fetch quota).
 * - Projections of a schedule's daily and monthly use, and the most frequent schedule that fits.
 * - Pacing within a run: how long to wait before the next request so as to stay under Affinity's per-minute limit
 *   without ever meeting a 429.
 * No Apps Script here.
 */
import type { RateLimitState } from '../affinity/client';
import type { PlanType, ScheduleProjection, ScheduleSpec } from '../../shared/schedule';
import type { AffinityLimits } from '../../shared/settings';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Apps Script's daily quotas per user (guides/services/quotas). */
export const QUOTAS: Readonly<Record<PlanType, { urlFetchPerDay: number; triggerRuntimePerDayMs: number }>> = {
  consumer: { urlFetchPerDay: 20_000, triggerRuntimePerDayMs: 90 * MINUTE },
  workspace: { urlFetchPerDay: 100_000, triggerRuntimePerDayMs: 6 * HOUR },
};

/** Apps Script ends an execution at 6 minutes. */
export const EXECUTION_LIMIT_MS = 6 * MINUTE;
/** A run stops and checkpoints before this much of an execution (configurable). */
export const DEFAULT_BUDGET_MS = 5 * MINUTE;
export const MIN_BUDGET_MS = 1 * MINUTE;
export const MAX_BUDGET_MS = 5.5 * MINUTE;
/** Share of Affinity's monthly allowance and of the daily URL-fetch quota that scheduled runs leave to people. */
export const DEFAULT_RESERVE = 0.1;
/** Share of Affinity's per-minute limit a run leaves to people working at the same time. */
export const MINUTE_RESERVE = 0.1;
export const PAGE_SIZE = 100;
/** A pull's requests besides its pages: the view's metadata and the list's fields. */
export const PULL_METADATA_REQUESTS = 2;
/** Delay before a continuation execution starts. */
export const CONTINUATION_DELAY_MS = MINUTE;

/** Model used until a view has been pulled once: time to fetch a page, and to apply a row to the tab. */
const DEFAULT_PAGE_MS = 400;
const DEFAULT_APPLY_MS_PER_ROW = 1.5;
const MAX_APPLY_MS_PER_ROW = 5;

/** Every schedule the panel offers, most frequent first (the daily one at a given hour). */
export function schedulesByFrequency(dailyHour = 6): ScheduleSpec[] {
  return [
    { kind: 'minutes', every: 5 },
    { kind: 'minutes', every: 10 },
    { kind: 'minutes', every: 15 },
    { kind: 'minutes', every: 30 },
    { kind: 'hourly' },
    { kind: 'daily', hour: dailyHour },
  ];
}

export function runsPerDay(s: ScheduleSpec): number {
  switch (s.kind) {
    case 'off':
      return 0;
    case 'minutes':
      return DAY / (s.every * MINUTE);
    case 'hourly':
      return 24;
    case 'daily':
      return 1;
  }
}

/** Time between two runs of a schedule (null when off). */
export function intervalMs(s: ScheduleSpec): number | null {
  switch (s.kind) {
    case 'off':
      return null;
    case 'minutes':
      return s.every * MINUTE;
    case 'hourly':
      return HOUR;
    case 'daily':
      return DAY;
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function scheduleLabel(s: ScheduleSpec, timeZone?: string): string {
  switch (s.kind) {
    case 'off':
      return 'off';
    case 'minutes':
      return `every ${s.every} minutes`;
    case 'hourly':
      return 'every hour';
    case 'daily':
      return `daily at ${pad2(s.hour)}:00${timeZone ? ` (${timeZone})` : ''}`;
  }
}

/** Validates a schedule coming from the panel (or stored). Throws with a plain-words message. */
export function parseSchedule(value: unknown): ScheduleSpec {
  const v = value as Record<string, unknown> | null;
  const kind = v && typeof v === 'object' ? v.kind : undefined;
  if (kind === 'off') return { kind: 'off' };
  if (kind === 'hourly') return { kind: 'hourly' };
  if (kind === 'minutes') {
    const every = Number(v!.every);
    if (every === 5 || every === 10 || every === 15 || every === 30) return { kind: 'minutes', every };
    throw new Error('A schedule in minutes runs every 5, 10, 15 or 30 minutes.');
  }
  if (kind === 'daily') {
    const hour = Number(v!.hour);
    if (Number.isInteger(hour) && hour >= 0 && hour <= 23) return { kind: 'daily', hour };
    throw new Error('A daily schedule needs an hour from 0 to 23.');
  }
  throw new Error('Unknown schedule: choose off, every 5, 10, 15 or 30 minutes, hourly, or daily at an hour.');
}

/** A sensible default for the plan type: gmail.com addresses are consumer accounts, others most likely Workspace. */
export function planForEmail(email: string): PlanType {
  const domain = (email.split('@')[1] ?? '').toLowerCase();
  if (!domain || domain === 'gmail.com' || domain === 'googlemail.com') return 'consumer';
  return 'workspace';
}

// ---- what was spent ----------------------------------------------------------------------------------------------

/**
 * What Affinity's headers said last, with absolute reset times (from the usage ledger the HTTP adapter keeps,
 * sync/usage.ts).
 */
export interface AffinitySeen {
  at?: number;
  minuteLimit?: number;
  minuteRemaining?: number;
  minuteResetAt?: number;
  /** The account's monthly allowance (a property of the plan: kept after the month resets). */
  monthLimit?: number;
  monthRemaining?: number;
  monthResetAt?: number;
}

/** URL fetches counted by the usage ledger in the current quota window (Apps Script resets it 24 h after its first call). */
export interface FetchesSpent {
  urlFetches: number;
  /** When the window ends (null: no window open). */
  resetAt: number | null;
}

/** Trigger runtime of this user's scheduled and continuation runs: [bucket start, ms], oldest first. */
export interface RuntimeLedger {
  buckets: [number, number][];
}

export const LEDGER_BUCKET_MS = 15 * MINUTE;

/** Reads a stored runtime ledger, tolerating anything (a broken one starts empty). */
export function parseRuntimeLedger(raw: string | null): RuntimeLedger {
  if (!raw) return { buckets: [] };
  try {
    const v = JSON.parse(raw) as RuntimeLedger;
    const buckets = Array.isArray(v?.buckets)
      ? v.buckets.filter(
          (b) => Array.isArray(b) && b.length === 2 && b.every((n) => typeof n === 'number' && Number.isFinite(n)),
        )
      : [];
    return { buckets };
  } catch {
    return { buckets: [] };
  }
}

function live(buckets: RuntimeLedger['buckets'], now: number): RuntimeLedger['buckets'] {
  return buckets.filter(([start]) => start + LEDGER_BUCKET_MS > now - DAY && start <= now);
}

/** Adds an execution's runtime (at `now`) and forgets what is older than 24 h. */
export function recordRuntime(ledger: RuntimeLedger, now: number, ms: number): RuntimeLedger {
  const buckets = live(ledger.buckets, now).map((b) => [b[0], b[1]] as [number, number]);
  const add = Math.max(0, Math.round(ms));
  if (add > 0) {
    const start = Math.floor(now / LEDGER_BUCKET_MS) * LEDGER_BUCKET_MS;
    const last = buckets[buckets.length - 1];
    if (last && last[0] === start) last[1] += add;
    else {
      buckets.push([start, add]);
      buckets.sort((a, b) => a[0] - b[0]);
    }
  }
  return { buckets };
}

/** Trigger runtime spent in the 24 hours before `now`. */
export function runtimeLast24h(ledger: RuntimeLedger, now: number): number {
  return live(ledger.buckets, now).reduce((n, b) => n + b[1], 0);
}

/** When enough runtime will have rolled out of the 24-hour window for `need` more to fit (null: never). */
function whenRuntimeFits(ledger: RuntimeLedger, now: number, need: number, quota: number): number | null {
  if (need > quota) return null;
  let over = runtimeLast24h(ledger, now) + need - quota;
  for (const b of live(ledger.buckets, now)) {
    over -= b[1];
    if (over <= 0) return b[0] + LEDGER_BUCKET_MS + DAY;
  }
  return null;
}

/** Affinity's monthly allowance and what is left of it (the allowance whole once the month has reset). */
export function affinityMonthly(seen: AffinitySeen, now: number): { limit: number | null; remaining: number | null } {
  const limit = seen.monthLimit ?? null;
  if (limit === null) return { limit: null, remaining: null };
  if (seen.monthRemaining === undefined || (seen.monthResetAt !== undefined && seen.monthResetAt <= now))
    return { limit, remaining: limit };
  return { limit, remaining: seen.monthRemaining };
}

// ---- estimates ---------------------------------------------------------------------------------------------------

/** What is known of a bound view from its last pull (and push). */
export interface ViewStats {
  rows: number;
  /** Requests the last pull made (pages + metadata). */
  pullRequests?: number;
  /** Time the last pull took: fetching, and applying to the tab. */
  fetchMs?: number;
  applyMs?: number;
  /** Requests the last push made, and edits pending at the last pull. */
  pushRequests?: number;
  pendingEdits?: number;
}

export interface RunEstimate {
  requests: number;
  runtimeMs: number;
  executions: number;
}

export function pagesFor(rows: number): number {
  return Math.max(1, Math.ceil(rows / PAGE_SIZE));
}

export function pullRequestsFor(rows: number): number {
  return pagesFor(rows) + PULL_METADATA_REQUESTS;
}

/**
 * Time to apply `rows` rows: at the rate of the view's last apply when it was large enough to tell (a small apply is
 * mostly fixed costs), else the default model.
 */
export function applyMsFor(rows: number, last?: { rows: number; applyMs: number }): number {
  if (last && last.rows >= 1000 && last.applyMs > 0)
    return Math.ceil(Math.min(last.applyMs / last.rows, MAX_APPLY_MS_PER_ROW) * rows);
  return Math.ceil(rows * DEFAULT_APPLY_MS_PER_ROW);
}

/** Cost of one run over the views, from their last runs (the default model where a view has none). */
export function estimateRun(views: ViewStats[], opts: { pushFirst: boolean; budgetMs?: number }): RunEstimate {
  let requests = 0;
  let runtimeMs = 0;
  for (const v of views) {
    const pages = pagesFor(v.rows);
    requests += v.pullRequests ?? pullRequestsFor(v.rows);
    runtimeMs += (v.fetchMs ?? pages * DEFAULT_PAGE_MS) + (v.applyMs ?? applyMsFor(v.rows));
    if (opts.pushFirst) {
      // A push reads the edited entries (or the view's pages when cheaper) and writes one request per entry.
      const pending = v.pendingEdits ?? 0;
      const pushEstimate = pending > 0 ? pending + Math.min(pending, pages) : 0;
      const push = Math.max(v.pushRequests ?? 0, pushEstimate);
      requests += push;
      runtimeMs += push * DEFAULT_PAGE_MS;
    }
  }
  const budget = opts.budgetMs ?? DEFAULT_BUDGET_MS;
  return { requests, runtimeMs, executions: Math.max(1, Math.ceil(runtimeMs / budget)) };
}

// ---- the check before a scheduled run ----------------------------------------------------------------------------

export interface Budgets {
  plan: PlanType;
  /** Share kept for people (0..0.5). */
  reserve: number;
}

export type RunCheck =
  | { ok: true }
  | { ok: false; budget: 'url-fetch' | 'trigger-runtime' | 'affinity-monthly'; reason: string; retryAt: number | null };

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const minutes = (ms: number) => `${Math.max(1, Math.round(ms / MINUTE))} min`;

export interface RunCheckInput extends Budgets {
  estimate: RunEstimate;
  fetches: FetchesSpent;
  runtime: RuntimeLedger;
  affinity: AffinitySeen;
  now: number;
}

/**
 * Whether a scheduled run may start now. It is skipped when its estimate would take the day's URL fetches past the
 * quota minus the reserve, the day's trigger runtime past its quota, or Affinity's monthly remaining below the
 * reserve. Manual runs are people: they are never skipped.
 */
export function checkScheduledRun(input: RunCheckInput): RunCheck {
  const { estimate, fetches, runtime, affinity, now, plan, reserve } = input;
  const quota = QUOTAS[plan];
  const pct = `${Math.round(reserve * 100)} %`;
  const windowOpen = fetches.resetAt !== null && fetches.resetAt > now;
  const used = windowOpen ? fetches.urlFetches : 0;
  const fetchBudget = Math.floor(quota.urlFetchPerDay * (1 - reserve));
  if (used + estimate.requests > fetchBudget) {
    return {
      ok: false,
      budget: 'url-fetch',
      reason:
        `this run needs about ${fmt(estimate.requests)} URL fetches and ${fmt(used)} of today's ${fmt(quota.urlFetchPerDay)} ` +
        `(${plan} account) are used; ${pct} is kept for people`,
      retryAt: estimate.requests <= fetchBudget && windowOpen ? fetches.resetAt : null,
    };
  }
  const runtimeUsed = runtimeLast24h(runtime, now);
  if (runtimeUsed + estimate.runtimeMs > quota.triggerRuntimePerDayMs) {
    return {
      ok: false,
      budget: 'trigger-runtime',
      reason:
        `this run needs about ${minutes(estimate.runtimeMs)} of trigger runtime and ${minutes(runtimeUsed)} of the ` +
        `${minutes(quota.triggerRuntimePerDayMs)} a day (${plan} account) were used in the last 24 hours`,
      retryAt: whenRuntimeFits(runtime, now, estimate.runtimeMs, quota.triggerRuntimePerDayMs),
    };
  }
  const month = affinityMonthly(affinity, now);
  if (month.limit !== null && month.remaining !== null) {
    const keep = Math.ceil(month.limit * reserve);
    if (month.remaining - estimate.requests < keep) {
      return {
        ok: false,
        budget: 'affinity-monthly',
        reason:
          `this run needs about ${fmt(estimate.requests)} Affinity requests and ${fmt(month.remaining)} of the account's ` +
          `${fmt(month.limit)} a month are left; ${fmt(keep)} (${pct}) are kept for people`,
        retryAt: affinity.monthResetAt ?? null,
      };
    }
  }
  return { ok: true };
}

// ---- projections -------------------------------------------------------------------------------------------------

export interface ProjectionContext extends Budgets {
  /** Affinity's monthly allowance when known (null: none seen, or none on the plan). */
  affinityPerMonth: number | null;
  timeZone?: string;
  budgetMs?: number;
}

const DAYS_PER_MONTH = 30;

function projectOne(
  schedule: ScheduleSpec,
  estimate: RunEstimate,
  ctx: ProjectionContext,
): Omit<ScheduleProjection, 'suggestion'> {
  const quota = QUOTAS[ctx.plan];
  const interval = intervalMs(schedule);
  // A run that outlasts the interval is resumed by the next firings rather than started again.
  const wallMs = estimate.runtimeMs + (estimate.executions - 1) * CONTINUATION_DELAY_MS;
  const perDayRuns =
    interval === null ? 0 : Math.min(runsPerDay(schedule), Math.max(1, Math.floor(DAY / Math.max(wallMs, interval))));
  const urlFetches = perDayRuns * estimate.requests;
  const triggerRuntimeMs = perDayRuns * estimate.runtimeMs;
  const affinityRequests = urlFetches * DAYS_PER_MONTH;
  const urlFetchBudget = Math.floor(quota.urlFetchPerDay * (1 - ctx.reserve));
  const monthlyBudget = ctx.affinityPerMonth === null ? null : Math.floor(ctx.affinityPerMonth * (1 - ctx.reserve));
  const problems: string[] = [];
  const pct = `${Math.round(ctx.reserve * 100)} %`;
  if (urlFetches > urlFetchBudget) {
    problems.push(
      `${fmt(estimate.requests)} requests × ${fmt(perDayRuns)} runs = ${fmt(urlFetches)} URL fetches a day, over the ` +
        `${fmt(urlFetchBudget)} scheduled runs may use (${fmt(quota.urlFetchPerDay)} a day on a ${ctx.plan} account, ${pct} kept for you)`,
    );
  }
  if (triggerRuntimeMs > quota.triggerRuntimePerDayMs) {
    problems.push(
      `about ${minutes(estimate.runtimeMs)} a run × ${fmt(perDayRuns)} runs = ${minutes(triggerRuntimeMs)} of trigger runtime a day, over the ` +
        `${minutes(quota.triggerRuntimePerDayMs)} a ${ctx.plan} account allows`,
    );
  }
  if (monthlyBudget !== null && affinityRequests > monthlyBudget) {
    problems.push(
      `${fmt(affinityRequests)} Affinity requests a month, over the ${fmt(monthlyBudget)} scheduled runs may use ` +
        `(${fmt(ctx.affinityPerMonth!)} a month for your Affinity account, ${pct} kept for people)`,
    );
  }
  return {
    schedule,
    label: scheduleLabel(schedule, ctx.timeZone),
    runsPerDay: perDayRuns,
    requestsPerRun: estimate.requests,
    runtimePerRunMs: estimate.runtimeMs,
    executionsPerRun: estimate.executions,
    perDay: { urlFetches, triggerRuntimeMs },
    perMonth: { affinityRequests },
    limits: {
      plan: ctx.plan,
      urlFetchPerDay: quota.urlFetchPerDay,
      urlFetchBudget,
      triggerRuntimePerDayMs: quota.triggerRuntimePerDayMs,
      affinityPerMonth: ctx.affinityPerMonth,
      affinityMonthlyBudget: monthlyBudget,
      reservePercent: Math.round(ctx.reserve * 100),
    },
    fits: problems.length === 0,
    problems,
  };
}

/** The most frequent schedule whose projection fits (null when not even a daily run does). */
export function mostFrequentFit(estimate: RunEstimate, ctx: ProjectionContext, dailyHour = 6): ScheduleSpec | null {
  for (const s of schedulesByFrequency(dailyHour)) if (projectOne(s, estimate, ctx).fits) return s;
  return null;
}

/** Daily and monthly use of a schedule, whether it fits, and if not the most frequent schedule that does. */
export function projectSchedule(
  schedule: ScheduleSpec,
  estimate: RunEstimate,
  ctx: ProjectionContext,
): ScheduleProjection {
  const p = projectOne(schedule, estimate, ctx);
  let suggestion: ScheduleProjection['suggestion'] = null;
  if (!p.fits) {
    const s = mostFrequentFit(estimate, ctx, schedule.kind === 'daily' ? schedule.hour : 6);
    if (s) suggestion = { schedule: s, label: scheduleLabel(s, ctx.timeZone) };
  }
  return { ...p, suggestion };
}

// ---- within a run ------------------------------------------------------------------------------------------------

/**
 * How long to wait before the next `need` requests so that Affinity's per-minute window keeps a share for people and
 * never answers 429: nothing while more than that share remains after them, else until the window resets (from the
 * last headers).
 */
export function paceDelayMs(rate: RateLimitState, now: number, keepShare = MINUTE_RESERVE, need = 1): number {
  if (rate.userRemaining === undefined || rate.observedAt === undefined) return 0;
  const limit = rate.userLimit ?? 900;
  const keep = Math.max(1, Math.ceil(limit * keepShare)) + Math.max(0, need - 1);
  if (rate.userRemaining > keep) return 0;
  const resetAt = rate.observedAt + (rate.userResetSec ?? 60) * 1000;
  if (resetAt <= now) return 0;
  return resetAt - now + 250;
}

/** True when Affinity's monthly remaining (from the last headers) is down to the reserve kept for people. */
export function monthlyReserveReached(rate: RateLimitState, reserve: number): boolean {
  if (rate.orgLimit === undefined || rate.orgRemaining === undefined) return false;
  return rate.orgRemaining <= Math.ceil(rate.orgLimit * reserve);
}

// ---- failures ----------------------------------------------------------------------------------------------------

/** After `failures` consecutive failed runs, wait this long before the next: doubling from the interval, at most a day. */
export function backoffMs(failures: number, schedule: ScheduleSpec): number {
  if (failures <= 1) return 0;
  const base = intervalMs(schedule) ?? HOUR;
  return Math.min(base * 2 ** (failures - 1), DAY);
}

/** Affinity's limits as the usage ledger keeps them (seconds until reset) → absolute reset times. */
export function affinitySeenFrom(limits: AffinityLimits | null | undefined): AffinitySeen {
  if (!limits) return {};
  const at = limits.observedAt;
  const seen: AffinitySeen = { at };
  if (limits.perMinuteLimit !== undefined) seen.minuteLimit = limits.perMinuteLimit;
  if (limits.perMinuteRemaining !== undefined) seen.minuteRemaining = limits.perMinuteRemaining;
  if (limits.perMinuteResetSec !== undefined) seen.minuteResetAt = at + limits.perMinuteResetSec * 1000;
  if (limits.monthlyLimit !== undefined) seen.monthLimit = limits.monthlyLimit;
  if (limits.monthlyRemaining !== undefined) seen.monthRemaining = limits.monthlyRemaining;
  if (limits.monthlyResetSec !== undefined) seen.monthResetAt = at + limits.monthlyResetSec * 1000;
  return seen;
}
