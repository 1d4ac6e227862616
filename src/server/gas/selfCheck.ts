/**
 * The probes behind Affinity › Check this spreadsheet (engine/selfCheck.ts judges them): each runs in the real
 * spreadsheet without touching the user's data. A temporary hidden sheet (deleted; the active tab restored),
 * a temporary document property (removed) and temporary triggers for a handler that does nothing (removed).
 */
import {
  activeUserRow,
  failedRow,
  plainTextRow,
  propertySizeRow,
  triggerLimitRow,
  PROPERTY_VALUE_BYTES,
  TRIGGER_LIMIT,
  type SelfCheckRow,
} from '../engine/selfCheck';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** The do-nothing handler of the temporary triggers (main.ts exports it). */
export const CHECK_TRIGGER_HANDLER = 'selfCheckTrigger';
const CHECK_PROPERTY = 'affinity.check.size';
const DAY_MS = 24 * 60 * 60 * 1000;

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

function checkPlainText(ss: Spreadsheet): SelfCheckRow {
  const active = ss.getActiveSheet();
  const sheet = ss.insertSheet(`_affinity_check_${Date.now()}`);
  try {
    sheet.hideSheet();
    sheet.getRange(1, 1).setNumberFormat('@');
    sheet.getRange(1, 1, 1, 2).setValues([["'x", "'x"]]);
    const [[plain, other]] = sheet.getRange(1, 1, 1, 2).getValues();
    return plainTextRow(plain, other);
  } finally {
    ss.deleteSheet(sheet);
    if (active) ss.setActiveSheet(active);
  }
}

function checkActiveUser(): SelfCheckRow {
  return activeUserRow(Session.getActiveUser().getEmail() ?? '');
}

function checkTriggerLimit(): SelfCheckRow {
  const before = ScriptApp.getProjectTriggers().length;
  if (before >= TRIGGER_LIMIT) return triggerLimitRow(before, 0, false);
  const made: GoogleAppsScript.Script.Trigger[] = [];
  let refused = false;
  try {
    // One past the limit: the last one must be refused.
    for (let i = before; i <= TRIGGER_LIMIT; i++) {
      try {
        made.push(ScriptApp.newTrigger(CHECK_TRIGGER_HANDLER).timeBased().after(DAY_MS).create());
      } catch {
        refused = true;
        break;
      }
    }
  } finally {
    for (const t of made) ScriptApp.deleteTrigger(t);
  }
  return triggerLimitRow(before, made.length, refused);
}

function checkPropertySize(): SelfCheckRow {
  const doc = PropertiesService.getDocumentProperties();
  const fits = '€'.repeat(PROPERTY_VALUE_BYTES / 3);
  let fitAccepted = false;
  let overRefused = false;
  try {
    try {
      doc.setProperty(CHECK_PROPERTY, fits);
      fitAccepted = doc.getProperty(CHECK_PROPERTY) === fits;
    } catch {
      fitAccepted = false;
    }
    try {
      doc.setProperty(CHECK_PROPERTY, `${fits}€`);
    } catch {
      overRefused = true;
    }
  } finally {
    doc.deleteProperty(CHECK_PROPERTY);
  }
  return propertySizeRow(fitAccepted, overRefused);
}

/** Every check; one that fails to run is "could not check" with the platform's message. */
export function runSelfChecks(ss: Spreadsheet): SelfCheckRow[] {
  const guarded = (id: string, assumption: string, run: () => SelfCheckRow): SelfCheckRow => {
    try {
      return run();
    } catch (e) {
      return failedRow(id, assumption, messageOf(e));
    }
  };
  return [
    guarded('plain-text-apostrophe', 'Plain-text cells keep a leading apostrophe', () => checkPlainText(ss)),
    guarded('active-user-email', 'the active user’s email is known', checkActiveUser),
    guarded('trigger-limit', `at most ${TRIGGER_LIMIT} triggers per user per script`, checkTriggerLimit),
    guarded('property-size', `${PROPERTY_VALUE_BYTES} UTF-8 bytes per property value`, checkPropertySize),
  ];
}
