/**
 * Schedules (docs/schedules.md): the spreadsheet's refresh settings and status. The triggers that run them are made
 * by gas/triggers.ts:
 *
 * - Settings and status live in document properties (they belong to the spreadsheet). The trigger belongs to the
 *   user who saved the schedule (Apps Script runs it as them, with their Affinity key); the settings record its
 *   owner and id. Whether a run pushes first is the owner's own setting (sync/pushFirst.ts, user properties); the
 *   settings keep only a copy of it for the panel and the projections (`ownerPushFirst`), which no run reads.
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

const SETTINGS_KEY = 'affinity.schedule';
const STATUS_KEY = 'affinity.schedule.status';

export interface ScheduleSettings {
  schedule: ScheduleSpec;
  /**
   * The owner's own "push pending edits first" as they last set it, for the panel and the projections only: a run
   * reads the setting from the user properties of the user it runs as (sync/pushFirst.ts).
   */
  ownerPushFirst?: boolean;
  /** Chosen plan type; absent = guessed from the trigger owner's address. */
  plan?: PlanType;
  /** Execution budget of a run (default 5 minutes of the 6). */
  budgetMs?: number;
  /** Share kept for people (default 0.1). */
  reserve?: number;
  /** Who the trigger runs as, and their Affinity user (for the panel). */
  owner?: string;
  ownerAffinity?: string;
  /** The owner's per-user key when they saved the schedule (their edits are theirs to push: docs/sharing.md). */
  ownerKey?: string;
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
  const { pushFirst: _retired, ...s } =
    readJson<Partial<ScheduleSettings> & { pushFirst?: unknown }>(doc, SETTINGS_KEY) ?? {};
  let schedule: ScheduleSpec = { kind: 'off' };
  try {
    schedule = parseSchedule(s.schedule ?? { kind: 'off' });
  } catch {
    schedule = { kind: 'off' };
  }
  return { ...s, schedule };
}

/**
 * The spreadsheet-wide "push pending edits first" of versions before it was each person's own, removed from the
 * settings: its value, or null when there was none (sync/retiredSettings.ts decides what becomes of it).
 */
export function takeRetiredPushFirst(doc: KeyValueStore): boolean | null {
  const raw = readJson<Record<string, unknown>>(doc, SETTINGS_KEY);
  if (!raw || !('pushFirst' in raw)) return null;
  const { pushFirst, ...rest } = raw;
  doc.set(SETTINGS_KEY, JSON.stringify(rest));
  return pushFirst === true;
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
