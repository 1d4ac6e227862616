/**
 * A schedule never dies silently (docs/sharing.md): when it pauses or keeps failing, every synced tab says so in the
 * note of its Entry ID header cell, which every editor sees, with who owns the schedule and what to do. The note goes
 * back to its usual text once a run succeeds. Written only when the status changes (no Sheets call on a quiet run).
 */
import { KEY_COLUMN, METADATA_KEY, NOTE_MARK } from '../engine/layout';
import { KEY_NOTE } from './tab';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Sets (or, with null, clears) the one-line status on each tab. */
export function setTabStatus(ss: Spreadsheet, sheetIds: number[], status: string | null): void {
  const note = `${NOTE_MARK}${status ? `${status}\n\n` : ''}${KEY_NOTE}`;
  for (const id of sheetIds) {
    const sheet = ss.getSheetById(id);
    if (!sheet) continue;
    for (const md of sheet.createDeveloperMetadataFinder().withKey(METADATA_KEY).withValue(KEY_COLUMN).find()) {
      const col = md.getLocation().getColumn()?.getColumn();
      if (col) sheet.getRange(1, col).setNote(note);
    }
  }
}
