/**
 * The product's installable triggers (ScriptApp): the one time-driven sync trigger of a schedule, the one-off
 * continuations of a run that goes on in a later execution, and the optional on-edit trigger that marks edited
 * cells. Each user's triggers are found by their handler's name, so a reinstall or a double save cannot leave two.
 */
import type { ScheduleSpec } from '../../shared/schedule';

/** Handler names: global functions of main.ts. */
export const SYNC_HANDLER = 'scheduledSync';
export const CONTINUE_HANDLER = 'continueSync';

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

/** The bound script project's id (a copied spreadsheet's script is a new project: docs/harness.md, makeCopy). */
export function scriptId(): string {
  return ScriptApp.getScriptId();
}

/** Whether the current user has a sync trigger in this script project (a copied spreadsheet has none). */
export function syncTriggerInstalled(): boolean {
  return ownTriggers(SYNC_HANDLER).length > 0;
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

/** Makes the current user's on-edit trigger of `handler` for this spreadsheet exist (`on`) or not. */
export function setEditTrigger(handler: string, on: boolean): void {
  const mine = ownTriggers(handler);
  if (on) {
    if (mine.length === 0)
      ScriptApp.newTrigger(handler).forSpreadsheet(SpreadsheetApp.getActiveSpreadsheet()).onEdit().create();
  } else {
    for (const t of mine) ScriptApp.deleteTrigger(t);
  }
}
