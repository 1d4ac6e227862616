/**
 * Schedules wired to Apps Script (docs/schedules.md): the time-driven trigger handlers (a scheduled run after the
 * planner's check, its continuations, backoff and pause on failure), "Run sync now" from the menu, and the settings
 * panel's schedule calls. main.ts re-exports them.
 */
import { AffinityError, userMessage } from './affinity/errors';
import {
  affinityMonthly,
  affinitySeenFrom,
  backoffMs,
  checkScheduledRun,
  estimateRun,
  parseRuntimeLedger,
  parseSchedule,
  projectSchedule,
  recordRuntime,
  runtimeLast24h,
  scheduleLabel,
  type RunEstimate,
  type ViewStats,
} from './engine/quota';
import { withLocks } from './gas/locks';
import { documentStore, effectiveUserEmail, gasLog, shortTimeIn, userStore } from './gas/platform';
import { clearContinuations, installSyncTrigger, removeSyncTriggers, removeTrigger } from './gas/triggers';
import { showSidebar } from './gas/ui';
import { setTabStatus } from './gas/tabStatus';
import { activeEditor } from './gas/editor';
import { runSyncNow } from './manualRuns';
import type { KeyValueStore } from './ports';
import { findBinding, loadBindings, recordOutcome } from './sync/bindings';
import { executeRun } from './sync/runs';
import { claimRun } from './sync/runOwner';
import {
  discardPull,
  loadRun,
  loadStats,
  newRun,
  rowsGathered,
  saveRun,
  syncTasks,
  type RunState,
} from './sync/runStore';
import {
  budgetOf,
  likelyPlan,
  loadSettings,
  loadStatus,
  planOf,
  reserveOf,
  saveSettings,
  updateStatus,
  type ScheduleSettings,
} from './sync/schedule';
import { connectionStatus, storedConnection } from './sync/settings';
import { loadPushFirst, savePushFirst } from './sync/pushFirst';
import { retireSharedSettings, retiredNotice } from './sync/retiredSettings';
import { runDeps, usageLedger } from './wiring';
import { capitalize } from './engine/wording';
import type { PlanType, ScheduleProjection, ScheduleSettingsInput, ScheduleState } from '../shared/schedule';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const RUNTIME_KEY = 'affinity.runtime';
/** How long a scheduled execution waits for the lock before skipping (a person waits longer: manualRuns.ts). */
const SCHEDULED_LOCK_WAIT_MS = 1_000;
const BACKOFF_SLACK_MS = 60_000;
/** Failures that will not pass on their own: they pause the schedule. */
/** Failures in a row after which every synced tab shows that the schedule is failing. */
const FAILING_AFTER = 3;
const PERMANENT = new Set(['auth', 'plan', 'permission', 'not-found', 'unsupported-view', 'config']);

function affinityUser(): string {
  const s = connectionStatus(userStore());
  return s.connected ? [s.userName, s.tenantName].filter(Boolean).join(' · ') : '';
}

/** Trigger runtime of this user's runs (for the planner), counted for executions started by a trigger. */
function addRuntime(ms: number): void {
  try {
    const user = userStore();
    const next = recordRuntime(parseRuntimeLedger(user.get(RUNTIME_KEY)), Date.now(), ms);
    user.set(RUNTIME_KEY, JSON.stringify(next));
  } catch {
    // the ledger is advisory: never fail a run over it
  }
}

function estimateFor(doc: KeyValueStore, pushFirst: boolean, budgetMs: number): RunEstimate {
  const stats = loadStats(doc);
  const views: ViewStats[] = loadBindings(doc).map((b) => {
    const s = stats[String(b.sheetId)];
    return {
      rows: s?.rows ?? b.rows ?? 0,
      pullRequests: s?.pullRequests,
      fetchMs: s?.fetchMs,
      applyMs: s?.applyMs,
      pushRequests: s?.pushRequests,
      pendingEdits: s?.pendingEdits,
    };
  });
  return estimateRun(views, { pushFirst, budgetMs });
}

/** Whether the schedule is the viewing user's: theirs to change (others take it over). */
function isOwner(settings: ScheduleSettings, you: string): boolean {
  return !!settings.owner && settings.owner.toLowerCase() === you.toLowerCase();
}

/**
 * Whether the schedule's runs push first, as far as this user can tell: their own setting when the schedule is (or
 * would become) theirs, else the owner's as the owner last set it (a run itself reads its owner's user properties).
 */
function schedulePushFirst(settings: ScheduleSettings): boolean {
  const owner = settings.schedule.kind !== 'off' && settings.triggerId ? (settings.owner ?? '') : '';
  return !owner || isOwner(settings, effectiveUserEmail())
    ? loadPushFirst(userStore())
    : settings.ownerPushFirst === true;
}

function projectionFor(
  settings: ScheduleSettings,
  schedule = settings.schedule,
  pushFirst = schedulePushFirst(settings),
  plan?: PlanType,
): ScheduleProjection {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const doc = documentStore();
  const budgetMs = budgetOf(settings);
  const affinity = affinitySeenFrom(usageLedger.status().affinity);
  return projectSchedule(schedule, estimateFor(doc, pushFirst, budgetMs), {
    plan: plan ?? planOf(settings),
    reserve: reserveOf(settings),
    affinityPerMonth: affinity.monthLimit ?? null,
    timeZone: ss.getSpreadsheetTimeZone(),
    budgetMs,
  });
}

// ---- failures ---------------------------------------------------------------------------------------------------

function isPermanent(e: unknown): boolean {
  return e instanceof AffinityError && PERMANENT.has(e.kind);
}

/** What a failed scheduled run does to the schedule: back off, or pause (once) when it will not pass on its own. */
function scheduledRunFailed(
  ss: Spreadsheet,
  settings: ScheduleSettings,
  run: RunState,
  failedSheetId: number | null,
  e: unknown,
  startedAt: number,
): void {
  const doc = documentStore();
  const now = Date.now();
  const tab = failedSheetId !== null ? findBinding(doc, failedSheetId) : undefined;
  const text = `${tab ? `“${ss.getSheetById(tab.sheetId)?.getName() ?? tab.viewName}”: ` : ''}${userMessage(e)}`;
  saveRun(doc, null);
  clearContinuations();
  // A push records its own outcome; a pull's shows on its tab's card.
  if (failedSheetId !== null && run.failed?.step === 'pull')
    recordOutcome(doc, failedSheetId, 'lastPull', { at: now, ok: false, message: userMessage(e) });
  if (isPermanent(e)) {
    if (failedSheetId !== null) discardPull(ss, doc, failedSheetId);
    removeSyncTriggers();
    setTabStatus(
      ss,
      loadBindings(doc).map((b) => b.sheetId),
      `Scheduled sync PAUSED since ${shortTimeIn(ss.getSpreadsheetTimeZone(), now)}: ${text} It runs as ${settings.owner || 'its owner'}: they fix it and resume it in Affinity › Settings…, or another editor takes the schedule over there.`,
    );
    updateStatus(doc, (s) => ({
      ...s,
      paused: { reason: text, at: now },
      failures: 0,
      nextAttemptAt: undefined,
      lastRun: { at: now, ok: false, message: text },
    }));
    gasLog.log(`Scheduled sync paused: ${text} Fix this, then resume the schedule in Affinity › Settings….`);
    return;
  }
  const status = updateStatus(doc, (s) => {
    const failures = (s.failures ?? 0) + 1;
    const wait = backoffMs(failures, settings.schedule);
    // Counted from this execution's start (a firing time), less a minute: trigger times are not exact.
    return {
      ...s,
      failures,
      nextAttemptAt: wait > 0 ? startedAt + wait - BACKOFF_SLACK_MS : undefined,
      lastRun: { at: now, ok: false, message: text },
    };
  });
  if ((status.failures ?? 0) >= FAILING_AFTER)
    setTabStatus(
      ss,
      loadBindings(doc).map((b) => b.sheetId),
      `Scheduled sync FAILING (${status.failures} runs in a row, last at ${shortTimeIn(ss.getSpreadsheetTimeZone(), now)}): ${text} It runs as ${settings.owner || 'its owner'}; see Affinity › Settings… › Schedule.`,
    );
  gasLog.log(
    `Scheduled sync run ${run.id} failed (${status.failures} in a row): ${text}` +
      (status.nextAttemptAt
        ? ` Backing off: next attempt after ${shortTimeIn(ss.getSpreadsheetTimeZone(), status.nextAttemptAt)}.`
        : ''),
  );
}

// ---- trigger handlers ----------------------------------------------------------------------------------------------

/** Time-driven trigger of the schedule: starts a run (after the planner's check) or resumes the one in progress. */
export function scheduledSync(e?: GoogleAppsScript.Events.TimeDriven): void {
  const startedAt = Date.now();
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const doc = documentStore();
  retireSharedSettings(doc);
  const settings = loadSettings(doc);
  const uid = e?.triggerUid;
  if (uid && settings.triggerId !== uid) {
    removeTrigger(uid);
    gasLog.log(
      'Removed a sync trigger that is no longer this spreadsheet’s schedule (the schedule was saved again since).',
    );
    return;
  }
  if (settings.schedule.kind === 'off' || loadStatus(doc).paused) {
    if (uid) removeTrigger(uid);
    return;
  }
  try {
    const got = withLocks(SCHEDULED_LOCK_WAIT_MS, () =>
      usageLedger.deferWhile(() => scheduledRun(ss, settings, startedAt)),
    );
    if (!got.ran) gasLog.log('Scheduled sync skipped: another sync of this spreadsheet is running.');
  } finally {
    if (uid) addRuntime(Date.now() - startedAt);
  }
}

function scheduledRun(ss: Spreadsheet, settings: ScheduleSettings, startedAt: number): void {
  const doc = documentStore();
  const now = Date.now();
  const claim = claimRun(ss, doc, gasLog, effectiveUserEmail(), !!storedConnection(userStore()), now);
  if (claim.kind === 'theirs') {
    gasLog.log(
      `Scheduled sync skipped: a sync started by ${claim.run.by || 'another user'} is in progress; it is theirs to finish.`,
    );
    return;
  }
  let run = claim.kind === 'mine' ? claim.run : null;
  if (!run) {
    const status = loadStatus(doc);
    if (status.nextAttemptAt && now < status.nextAttemptAt) {
      gasLog.log(
        `Scheduled sync skipped: backing off after ${status.failures ?? 0} failed runs in a row; next attempt after ${shortTimeIn(ss.getSpreadsheetTimeZone(), status.nextAttemptAt)}.`,
      );
      return;
    }
    const bindings = loadBindings(doc);
    if (bindings.length === 0) {
      gasLog.log('Scheduled sync: no tab is bound to an Affinity view; nothing to do.');
      return;
    }
    const budgetMs = budgetOf(settings);
    const usage = usageLedger.status();
    // The trigger runs as the schedule's owner: their own setting decides (sync/pushFirst.ts).
    const pushFirst = loadPushFirst(userStore());
    const check = checkScheduledRun({
      estimate: estimateFor(doc, pushFirst, budgetMs),
      fetches: {
        urlFetches: usage.urlFetch.used,
        resetAt: usage.urlFetch.since === null ? null : usage.urlFetch.since + 24 * 3_600_000,
      },
      runtime: parseRuntimeLedger(userStore().get(RUNTIME_KEY)),
      affinity: affinitySeenFrom(usage.affinity),
      now,
      plan: planOf(settings),
      reserve: reserveOf(settings),
    });
    if (!check.ok) {
      const reason = `${check.reason}${check.retryAt ? `; it should fit again after ${shortTimeIn(ss.getSpreadsheetTimeZone(), check.retryAt)}` : ''}`;
      updateStatus(doc, (s) => ({ ...s, lastSkip: { at: now, reason } }));
      gasLog.log(`Scheduled sync skipped: ${reason}.`);
      return;
    }
    run = newRun('scheduled', effectiveUserEmail(), syncTasks(bindings, pushFirst, false), now);
  }
  const before = run.tasks.slice();
  try {
    const result = executeRun(runDeps(ss, settings, startedAt), run);
    if (result.status === 'deferred') {
      const reason = result.reason ?? 'a budget is used up';
      updateStatus(doc, (s) => ({ ...s, lastSkip: { at: Date.now(), reason } }));
    }
    if (result.status === 'done') {
      // The tabs said the schedule was failing: they stop saying so.
      if ((loadStatus(doc).failures ?? 0) >= FAILING_AFTER)
        setTabStatus(
          ss,
          loadBindings(doc).map((b) => b.sheetId),
          null,
        );
      const tabs = new Set(before.map((t) => t.sheetId)).size;
      const text = `${tabs} tab${tabs === 1 ? '' : 's'} refreshed in ${run.executions} execution${run.executions === 1 ? '' : 's'}, ${run.requests.toLocaleString('en-US')} requests.`;
      updateStatus(doc, (s) => ({
        ...s,
        failures: 0,
        nextAttemptAt: undefined,
        lastRun: { at: Date.now(), ok: true, message: text },
      }));
    }
  } catch (err) {
    const failed = run.failed?.sheetId ?? null;
    if (run.failed?.manual) {
      // A person's pull queued into this run: theirs to see (on the tab's card), not the schedule's.
      if (failed !== null && run.failed.step === 'pull')
        recordOutcome(doc, failed, 'lastPull', { at: Date.now(), ok: false, message: userMessage(err) });
      gasLog.log(`Sync run ${run.id}: ${userMessage(err)}`);
      return;
    }
    scheduledRunFailed(ss, settings, run, failed, err, startedAt);
  }
}

/** One-off trigger: the next execution of a run that went past its budget. */
export function continueSync(e?: GoogleAppsScript.Events.TimeDriven): void {
  const startedAt = Date.now();
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const doc = documentStore();
  const settings = loadSettings(doc);
  try {
    const got = withLocks(SCHEDULED_LOCK_WAIT_MS, () =>
      usageLedger.deferWhile(() => {
        const claim = claimRun(ss, doc, gasLog, effectiveUserEmail(), !!storedConnection(userStore()), Date.now());
        if (claim.kind !== 'mine') {
          // Nothing left, or another user's run: this user's continuation never works on it.
          removeTrigger(e?.triggerUid);
          if (claim.kind === 'theirs')
            gasLog.log(`Sync continuation skipped: the run in progress belongs to ${claim.run.by || 'another user'}.`);
          return;
        }
        const run = claim.run;
        if (run.kind === 'scheduled') {
          if (settings.schedule.kind === 'off' || loadStatus(doc).paused) {
            // Turned off or paused since: the run ends here (its pulls keep their checkpoints for a while).
            saveRun(doc, null);
            clearContinuations();
            gasLog.log(
              `Sync run ${run.id} ended: the schedule is ${settings.schedule.kind === 'off' ? 'off' : 'paused'}.`,
            );
            return;
          }
          scheduledRun(ss, settings, startedAt);
          return;
        }
        try {
          executeRun(runDeps(ss, settings, startedAt), run);
        } catch (err) {
          const failed = run.failed?.sheetId ?? null;
          if (failed !== null && run.failed?.step === 'pull')
            recordOutcome(doc, failed, 'lastPull', { at: Date.now(), ok: false, message: userMessage(err) });
          gasLog.log(`Sync run ${run.id}: ${userMessage(err)}`);
        }
      }),
    );
    if (!got.ran) {
      // Whoever holds the lock works on the run and sets the next continuation.
      removeTrigger(e?.triggerUid);
      gasLog.log('Sync continuation skipped: another sync of this spreadsheet is running.');
    }
  } finally {
    if (e?.triggerUid) addRuntime(Date.now() - startedAt);
  }
}

/** Menu "Schedule…": the settings panel, opened at its Schedule section. */
export function menuSchedule(): void {
  showSidebar('schedule');
}

export function menuRunSyncNow(): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  try {
    ss.toast(runSyncNow(), 'Affinity', 10);
  } catch (e) {
    const ui = SpreadsheetApp.getUi();
    ui.alert('Sync not run', userMessage(e), ui.ButtonSet.OK);
  }
}

// ---- settings panel ---------------------------------------------------------------------------------------------------

export function getScheduleState(): ScheduleState {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const doc = documentStore();
  retireSharedSettings(doc);
  const settings = loadSettings(doc);
  const status = loadStatus(doc);
  const run = loadRun(doc);
  const you = effectiveUserEmail();
  const now = Date.now();
  const usage = usageLedger.status();
  const affinity = affinitySeenFrom(usage.affinity);
  const month = affinityMonthly(affinity, now);
  const tz = ss.getSpreadsheetTimeZone();
  return {
    now,
    schedule: settings.schedule,
    label: scheduleLabel(settings.schedule, tz),
    pushFirst: loadPushFirst(userStore()),
    pushFirstNotice: retiredNotice(doc, userStore(), 'pushFirst'),
    timeZone: tz,
    plan: planOf(settings),
    planChosen: settings.plan !== undefined,
    planHint: likelyPlan(you),
    runsAs:
      settings.schedule.kind !== 'off' && settings.owner
        ? {
            email: settings.owner,
            affinityUser: settings.ownerAffinity ?? '',
            pushFirst: isOwner(settings, you) ? loadPushFirst(userStore()) : settings.ownerPushFirst === true,
          }
        : null,
    you,
    paused: status.paused ?? null,
    backoff:
      status.failures && status.nextAttemptAt && status.nextAttemptAt > now
        ? { failures: status.failures, until: status.nextAttemptAt }
        : null,
    lastRun: status.lastRun ?? null,
    lastSkip: status.lastSkip ?? null,
    running: run
      ? {
          startedAt: run.startedAt,
          kind: run.kind,
          tabsLeft: new Set(run.tasks.map((t) => t.sheetId)).size,
          rowsFetched: rowsGathered(doc, run),
        }
      : null,
    usage: {
      urlFetches24h:
        usage.urlFetch.since !== null && now - usage.urlFetch.since < 24 * 3_600_000 ? usage.urlFetch.used : 0,
      triggerRuntime24hMs: runtimeLast24h(parseRuntimeLedger(userStore().get(RUNTIME_KEY)), now),
      affinityMonthlyRemaining: month.remaining,
      affinityMonthlyLimit: month.limit,
    },
    projection: projectionFor(settings),
    budgetMs: budgetOf(settings),
  };
}

function inputOf(
  input: ScheduleSettingsInput | null | undefined,
  settings: ScheduleSettings,
): { schedule: ScheduleSettings['schedule']; pushFirst: boolean; plan: PlanType | undefined } {
  let schedule;
  try {
    schedule = parseSchedule(input?.schedule);
  } catch (e) {
    throw new AffinityError('config', e instanceof Error ? e.message : String(e));
  }
  const p = input?.plan;
  const plan = p === 'consumer' || p === 'workspace' ? p : p === 'auto' ? undefined : settings.plan;
  // Absent: the user's own setting as it is (take over, resume).
  const pushFirst = typeof input?.pushFirst === 'boolean' ? input.pushFirst : loadPushFirst(userStore());
  return { schedule, pushFirst, plan };
}

/** What a schedule would use and whether it fits, before saving it. */
export function previewSchedule(input: ScheduleSettingsInput): ScheduleProjection {
  const settings = loadSettings(documentStore());
  const x = inputOf(input, settings);
  return projectionFor(settings, x.schedule, x.pushFirst, x.plan ?? planOf({ ...settings, plan: undefined }));
}

/**
 * Saves the schedule: one trigger, running as the user saving it (replacing theirs, and superseding anyone else's).
 * A schedule that does not fit is refused unless `acceptOverBudget` (the panel asks first). Saving clears a pause.
 */
export function saveSchedule(input: ScheduleSettingsInput): ScheduleState {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const doc = documentStore();
  const settings = loadSettings(doc);
  const x = inputOf(input, settings);
  const you = effectiveUserEmail();
  const owner = settings.schedule.kind !== 'off' && settings.triggerId ? (settings.owner ?? '') : '';
  if (owner && owner.toLowerCase() !== you.toLowerCase() && input?.takeOver !== true) {
    // Never silently replace someone else's schedule: the panel offers "Take over the schedule" instead.
    throw new AffinityError(
      'config',
      `The schedule runs as ${owner}. Take it over to run it as you (with your key, pushing only your edits), or ask ${owner} to change it.`,
    );
  }
  if (x.schedule.kind !== 'off') {
    if (!storedConnection(userStore())) {
      throw new AffinityError(
        'config',
        'Connect to Affinity first: scheduled runs use your connection (and run as you).',
      );
    }
    const projection = projectionFor(
      { ...settings, owner: you },
      x.schedule,
      x.pushFirst,
      x.plan ?? planOf({ ...settings, plan: undefined }),
    );
    if (!projection.fits && input?.acceptOverBudget !== true) {
      const hint = projection.suggestion
        ? ` ${capitalize(projection.suggestion.label)} fits.`
        : ' Not even a daily run fits.';
      throw new AffinityError(
        'config',
        `${capitalize(projection.label)} does not fit: ${projection.problems[0]}.${hint}`,
      );
    }
  }
  const tz = ss.getSpreadsheetTimeZone();
  // Push first is the saving user's own setting: the trigger now runs as them.
  savePushFirst(userStore(), x.pushFirst);
  const base: ScheduleSettings = {
    ...settings,
    schedule: x.schedule,
    ownerPushFirst: x.pushFirst,
    plan: x.plan,
    savedAt: Date.now(),
  };
  if (typeof input?.budgetMs === 'number' && Number.isFinite(input.budgetMs))
    base.budgetMs = budgetOf({ ...base, budgetMs: input.budgetMs });
  installSyncTrigger(x.schedule, tz, (triggerId) => {
    saveSettings(
      doc,
      triggerId
        ? { ...base, owner: you, ownerAffinity: affinityUser(), ownerKey: activeEditor().key, triggerId }
        : {
            ...base,
            owner: undefined,
            ownerAffinity: undefined,
            ownerKey: undefined,
            ownerPushFirst: undefined,
            triggerId: undefined,
          },
    );
  });
  const was = loadStatus(doc);
  if (was.paused || (was.failures ?? 0) >= FAILING_AFTER)
    setTabStatus(
      ss,
      loadBindings(doc).map((b) => b.sheetId),
      null,
    );
  updateStatus(doc, (s) => ({ ...s, paused: undefined, failures: 0, nextAttemptAt: undefined }));
  gasLog.log(
    x.schedule.kind === 'off'
      ? 'Schedule turned off.'
      : `Schedule saved: ${scheduleLabel(x.schedule, tz)}${x.pushFirst ? ', pushing edits first' : ''}; runs as ${you}.`,
  );
  return getScheduleState();
}

/**
 * "Take over the schedule": the same schedule, re-created to run as the clicking user (their key, their edits, their
 * own push-first setting: never the previous owner's).
 */
export function takeOverSchedule(): ScheduleState {
  const settings = loadSettings(documentStore());
  return saveSchedule({
    schedule: settings.schedule,
    plan: settings.plan ?? 'auto',
    acceptOverBudget: true,
    takeOver: true,
  });
}

/** Resumes a paused schedule as it was: re-created, as Take over does, to run as the user resuming it. */
export function resumeSchedule(): ScheduleState {
  return takeOverSchedule();
}

/**
 * The panel's "Push pending edits before each scheduled pull": the user's own setting, saved at once. It changes what
 * the schedule sends only when the schedule runs as them (then the panel's copy of the owner's choice follows).
 */
export function setPushFirst(on: boolean): ScheduleState {
  const doc = documentStore();
  savePushFirst(userStore(), on === true);
  const settings = loadSettings(doc);
  if (settings.triggerId && isOwner(settings, effectiveUserEmail()))
    saveSettings(doc, { ...settings, ownerPushFirst: on === true });
  return getScheduleState();
}
