/**
 * The "Affinity change log" tab: one row per change a push made or tried (time, user, tab, entry id, entity name,
 * field, old, new, result). Appended with one block write per push; past MAX_LOG_ROWS the oldest rows rotate out.
 * Texts are written behind an apostrophe so Sheets never evaluates them.
 */
import { NOTE_MARK } from '../engine/layout';
import type { LoggedChange } from '../engine/undo';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export const CHANGE_LOG_TAB = 'Affinity change log';
export const MAX_LOG_ROWS = 5000;
const HEADER = ['Time', 'User', 'Tab', 'Entry ID', 'Name', 'Field', 'Old value', 'New value', 'Result'];

/** A change-log line as written: what engine/undo.ts reads back, and who made it. */
export interface LogRow extends LoggedChange {
  user: string;
}

/** A cell's worth of text, written literally. */
function literal(text: string): string {
  if (text === '') return '';
  const cut = text.length > 5000 ? `${text.slice(0, 4999)}…` : text;
  return `'${cut}`;
}

export function appendChangeLog(ss: Spreadsheet, rows: LogRow[], maxRows = MAX_LOG_ROWS): number {
  if (rows.length === 0) return 0;
  let sheet = ss.getSheetByName(CHANGE_LOG_TAB);
  if (!sheet) {
    // insertSheet activates the new tab: keep the user where they were.
    const active = ss.getActiveSheet();
    sheet = ss.insertSheet(CHANGE_LOG_TAB, ss.getNumSheets());
    if (active) ss.setActiveSheet(active);
    const header = sheet.getRange(1, 1, 1, HEADER.length);
    header.setValues([HEADER]);
    header.setFontWeight('bold');
    sheet.setFrozenRows(1);
    const protection = sheet.protect();
    protection.setWarningOnly(true);
    protection.setDescription(`${NOTE_MARK}change log, written by each push`);
  }
  const kept = rows.slice(-maxRows);
  const existing = Math.max(0, sheet.getLastRow() - 1);
  const excess = existing + kept.length - maxRows;
  let start = existing;
  if (excess > 0) {
    sheet.deleteRows(2, Math.min(excess, existing));
    start = existing - Math.min(excess, existing);
  }
  const needed = 1 + start + kept.length;
  const maxRowsNow = sheet.getMaxRows();
  if (needed > maxRowsNow) sheet.insertRowsAfter(maxRowsNow, needed - maxRowsNow);
  const values = kept.map((r) => [
    literal(r.time),
    literal(r.user),
    literal(r.tab),
    r.entryId,
    literal(r.entity),
    literal(r.field),
    literal(r.old),
    literal(r.new),
    literal(r.result),
  ]);
  sheet.getRange(2 + start, 1, values.length, HEADER.length).setValues(values);
  return values.length;
}

/** The change log's lines, oldest first (empty when there is none): one read of the tab. */
export function readChangeLog(ss: Spreadsheet): LogRow[] {
  const sheet = ss.getSheetByName(CHANGE_LOG_TAB);
  if (!sheet) return [];
  const last = sheet.getLastRow();
  if (last < 2) return [];
  return sheet
    .getRange(2, 1, last - 1, HEADER.length)
    .getDisplayValues()
    .map((r) => ({
      time: r[0],
      user: r[1],
      tab: r[2],
      entryId: Number(r[3]),
      entity: r[4],
      field: r[5],
      old: r[6],
      new: r[7],
      result: r[8],
    }));
}
