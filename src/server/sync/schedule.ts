/**
 * Schedules (docs/schedules.md): the spreadsheet's refresh settings, the one time-driven trigger that runs them, and
 * the one-off continuation triggers of runs that go on in a later execution.
 *
 * - Settings and status live in document properties (they belong to the spreadsheet). The trigger belongs to the
 *   user who saved the schedule (Apps Script runs it as them, with their Affinity key); the settings record its
 *   owner and id.
 * - Exactly one sync trigger: saving creates the new trigger first, records it, then deletes the user's other
 *   triggers of the same handler (found by name, so a reinstall or a double save cannot leave two). A trigger that is
 *   not the recorded one (another user saved the schedule since, or a save was cut short) removes itself when it
 *   fires. Turning the schedule off or pausing it deletes the trigger.
 * - Continuations: at most one pending per user; each run execution replaces or removes its own.
 */
import type { PlanType, ScheduleSpec } from '../../shared/schedule';
import {
  DEFAULT_BUDGET_MS,
  DEFAULT_RESERVE,
  MAX_BUDGET_MS,
  MIN_BUDGET_MS,
  parseSchedule,
  planForEmail,
} from '../engine/quota';
import type { KeyValueStore } from '../ports';
import { readJson } from './json';

export const SYNC_HANDLER = 'scheduledSync';
export const CONTINUE_HANDLER = 'continueSync';

const SETTINGS_KEY = 'affinity.schedule';
const STATUS_KEY = 'affinity.schedule.status';

export interface ScheduleSettings {
  schedule: ScheduleSpec;
  /** Push pending edits before each scheduled pull. */
  pushFirst: boolean;
  /** Chosen plan type; absent = guessed from the trigger owner's address. */
  plan?: PlanType;
  /** Execution budget of a run (default 5 minutes of the 6). */
  budgetMs?: number;
  /** Share kept for people (default 0.1). */
  reserve?: number;
  /** Who the trigger runs as, and their Affinity user (for the panel). */
  owner?: string;
  ownerAffinity?: string;
  triggerId?: string;
  savedAt?: number;
}

/** What the runs write: kept apart from the settings so that a run and a save never overwrite each other's data. */
export interface ScheduleStatus {
  paused?: { reason: string; at: number };
  failures?: number;
  nextAttemptAt?: number;
  lastRun?: { at: number; ok: boolean; message: string };
  lastSkip?: { at: number; reason: string };
}

export function loadSettings(doc: KeyValueStore): ScheduleSettings {
  const s = readJson<Partial<ScheduleSettings>>(doc, SETTINGS_KEY) ?? {};
  let schedule: ScheduleSpec = { kind: 'off' };
  try {
    schedule = parseSchedule(s.schedule ?? { kind: 'off' });
  } catch {
    schedule = { kind: 'off' };
  }
  return { ...s, schedule, pushFirst: s.pushFirst === true };
}

export function saveSettings(doc: KeyValueStore, settings: ScheduleSettings): void {
  doc.set(SETTINGS_KEY, JSON.stringify(settings));
}

export function loadStatus(doc: KeyValueStore): ScheduleStatus {
  return readJson<ScheduleStatus>(doc, STATUS_KEY) ?? {};
}

export function saveStatus(doc: KeyValueStore, status: ScheduleStatus): void {
  doc.set(STATUS_KEY, JSON.stringify(status));
}

export function updateStatus(doc: KeyValueStore, change: (s: ScheduleStatus) => ScheduleStatus): ScheduleStatus {
  const next = change(loadStatus(doc));
  saveStatus(doc, next);
  return next;
}

export function budgetOf(settings: ScheduleSettings): number {
  const b = Number(settings.budgetMs);
  return Number.isFinite(b) && b > 0 ? Math.min(MAX_BUDGET_MS, Math.max(MIN_BUDGET_MS, b)) : DEFAULT_BUDGET_MS;
}

export function reserveOf(settings: ScheduleSettings): number {
  const r = Number(settings.reserve);
  return Number.isFinite(r) && r >= 0 && r <= 0.5 ? r : DEFAULT_RESERVE;
}

/** The plan type in force: chosen, else consumer (the smaller quotas: what fits them fits Workspace too). */
export function planOf(settings: ScheduleSettings): PlanType {
  return settings.plan ?? 'consumer';
}

/** What the panel suggests choosing when no plan type is chosen (from the address: gmail.com is consumer). */
export function likelyPlan(email: string): PlanType {
  return planForEmail(email);
}

// ---- triggers (ScriptApp) -------------------------------------------------------------------------------------------

type Trigger = GoogleAppsScript.Script.Trigger;

function ownTriggers(handler: string): Trigger[] {
  return ScriptApp.getProjectTriggers().filter((t) => t.getHandlerFunction() === handler);
}

/** Creates the time-driven trigger for a schedule (daily hours in the spreadsheet's time zone). */
function createSyncTrigger(schedule: ScheduleSpec, timeZone: string): Trigger {
  const builder = ScriptApp.newTrigger(SYNC_HANDLER).timeBased();
  switch (schedule.kind) {
    case 'minutes':
      return builder.everyMinutes(schedule.every).create();
    case 'hourly':
      return builder.everyHours(1).create();
    case 'daily':
      return builder.everyDays(1).atHour(schedule.hour).inTimezone(timeZone).create();
    case 'off':
      throw new Error('An off schedule has no trigger.');
  }
}

/**
 * Makes the current user's sync triggers match the schedule: one trigger when on (replacing any other of theirs),
 * none when off. Returns the trigger's id (null when off).
 */
export function installSyncTrigger(
  schedule: ScheduleSpec,
  timeZone: string,
  record: (triggerId: string | null) => void,
): string | null {
  const before = ownTriggers(SYNC_HANDLER);
  let id: string | null = null;
  if (schedule.kind !== 'off') id = createSyncTrigger(schedule, timeZone).getUniqueId();
  record(id);
  for (const t of before) ScriptApp.deleteTrigger(t);
  return id;
}

/** Deletes the current user's sync triggers (pause). */
export function removeSyncTriggers(): number {
  const mine = ownTriggers(SYNC_HANDLER);
  for (const t of mine) ScriptApp.deleteTrigger(t);
  return mine.length;
}

/** Deletes one of the current user's triggers by id (a superseded sync trigger, a fired continuation). */
export function removeTrigger(uid: string | undefined): boolean {
  if (!uid) return false;
  const t = ScriptApp.getProjectTriggers().find((x) => x.getUniqueId() === uid);
  if (!t) return false;
  ScriptApp.deleteTrigger(t);
  return true;
}

/** The current user's sync trigger ids (for the panel: is the recorded trigger still there?). */
export function syncTriggerIds(): string[] {
  return ownTriggers(SYNC_HANDLER).map((t) => t.getUniqueId());
}

/** Replaces the current user's continuation triggers with one firing `delayMs` from now. */
export function scheduleContinuation(delayMs: number): string {
  const before = ownTriggers(CONTINUE_HANDLER);
  const id = ScriptApp.newTrigger(CONTINUE_HANDLER)
    .timeBased()
    .after(Math.max(1000, Math.round(delayMs)))
    .create()
    .getUniqueId();
  for (const t of before) ScriptApp.deleteTrigger(t);
  return id;
}

/** Removes the current user's continuation triggers (the run is over, or another execution took it). */
export function clearContinuations(): number {
  const mine = ownTriggers(CONTINUE_HANDLER);
  for (const t of mine) ScriptApp.deleteTrigger(t);
  return mine.length;
}
