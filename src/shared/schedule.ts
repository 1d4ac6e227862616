/** Schedule types shared by the server and the settings panel (plain data only: google.script.run carries nothing else). */

/** How often the spreadsheet's bound tabs are refreshed. `hour` is in the spreadsheet's time zone. */
export type ScheduleSpec =
  { kind: 'off' } | { kind: 'minutes'; every: 5 | 10 | 15 | 30 } | { kind: 'hourly' } | { kind: 'daily'; hour: number };

/** Apps Script quotas differ by account: a consumer (gmail.com) account or Google Workspace. */
export type PlanType = 'consumer' | 'workspace';

/** What a schedule would spend, and whether that fits the budgets (docs/schedules.md). */
export interface ScheduleProjection {
  schedule: ScheduleSpec;
  label: string;
  runsPerDay: number;
  /** Affinity requests (= Apps Script URL fetches) of one run. */
  requestsPerRun: number;
  runtimePerRunMs: number;
  /** Executions one run needs (a run continues in a new execution past the time budget). */
  executionsPerRun: number;
  perDay: { urlFetches: number; triggerRuntimeMs: number };
  perMonth: { affinityRequests: number };
  limits: {
    plan: PlanType;
    urlFetchPerDay: number;
    /** URL fetches a day scheduled runs may use: the quota minus the reserve kept for people. */
    urlFetchBudget: number;
    triggerRuntimePerDayMs: number;
    /** Affinity's monthly allowance for the account, when its responses have shown one. */
    affinityPerMonth: number | null;
    affinityMonthlyBudget: number | null;
    reservePercent: number;
  };
  fits: boolean;
  /** Plain-words reasons it does not fit (empty when it fits). */
  problems: string[];
  /** The most frequent schedule that fits, when this one does not (null when none does). */
  suggestion: { schedule: ScheduleSpec; label: string } | null;
}

export interface ScheduleState {
  /** Server clock, epoch ms: times are shown relative to it. */
  now: number;
  schedule: ScheduleSpec;
  label: string;
  /** The user's own "push pending edits first" (user properties): used when the schedule runs as them. */
  pushFirst: boolean;
  /** Once per user after an upgrade: the setting is now theirs, and what the whole spreadsheet had. */
  pushFirstNotice: string | null;
  /** The spreadsheet's time zone, in which a daily hour is read. */
  timeZone: string;
  plan: PlanType;
  /** True when the plan type was chosen in the settings (else consumer, the smaller quotas). */
  planChosen: boolean;
  /** The plan type the user's address suggests (gmail.com: consumer; another domain: probably Workspace). */
  planHint: PlanType;
  /** Who the scheduled runs run as (the trigger's owner) and their Affinity user, when a schedule is on. */
  runsAs: { email: string; affinityUser: string; pushFirst: boolean } | null;
  /** The user looking at the panel. */
  you: string;
  /** Set when a failure that will not pass on its own stopped the schedule. */
  paused: { reason: string; at: number } | null;
  /** Consecutive failed runs, and when the next run may start. */
  backoff: { failures: number; until: number } | null;
  lastRun: { at: number; ok: boolean; message: string } | null;
  lastSkip: { at: number; reason: string } | null;
  /** A sync that continues in a later execution. */
  running: { startedAt: number; kind: 'scheduled' | 'manual'; tabsLeft: number; rowsFetched: number } | null;
  usage: {
    urlFetches24h: number;
    triggerRuntime24hMs: number;
    affinityMonthlyRemaining: number | null;
    affinityMonthlyLimit: number | null;
  };
  projection: ScheduleProjection;
  budgetMs: number;
}

export interface ScheduleSettingsInput {
  schedule: ScheduleSpec;
  /** The saving user's own push-first setting (absent: as it is). */
  pushFirst?: boolean;
  plan?: PlanType | 'auto';
  /** Save a schedule that does not fit (the panel asked the user first). */
  acceptOverBudget?: boolean;
  /** Time budget of one execution of a run, ms (1 to 5.5 minutes; default 5). Not in the panel. */
  budgetMs?: number;
  /** Replace another user's schedule with one running as you ("Take over the schedule"); refused without it. */
  takeOver?: boolean;
}
