/**
 * The simple on-edit trigger: records who edited which cells of a synced tab (docs/sharing.md). A simple trigger runs
 * as the person editing (an installable one would run as its creator), without their authorization: it can read the
 * spreadsheet and write document properties, and Google tells the editor's per-user key, and their email when it may.
 * Cells are recorded by entry id and column id, with a fingerprint of the value, in one record per edit event.
 */
import { ANY_VALUE, addEvent } from './engine/attribution';
import { KEY_COLUMN, METADATA_KEY, entryIdOf, isOwnNote, type SheetCell } from './engine/layout';
import { forgetWithoutOwnNotes, knownWithoutOwnNotes } from './gas/ownNotes';
import { activeEditor } from './gas/editor';
import { documentStore, gasLog } from './gas/platform';
import { loadRecords, saveRecords } from './sync/attributionStore';
import { findBinding } from './sync/bindings';

export function onEdit(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  try {
    const range = e?.range;
    if (!range) return;
    const sheet = range.getSheet();
    const doc = documentStore();
    const sheetId = sheet.getSheetId();
    if (!findBinding(doc, sheetId)) return;
    const firstRow = Math.max(2, range.getRow());
    const lastRow = range.getRow() + range.getNumRows() - 1;
    if (lastRow < firstRow) return;
    const firstCol = range.getColumn();
    const lastCol = firstCol + range.getNumColumns() - 1;
    // A note of the sync's own that came with the edit (a paste from another tab): the next pull reads the notes.
    if (knownWithoutOwnNotes(doc, sheetId)) {
      const notes = sheet.getRange(firstRow, firstCol, lastRow - firstRow + 1, lastCol - firstCol + 1).getNotes();
      if (notes.some((line) => line.some(isOwnNote))) forgetWithoutOwnNotes(doc, sheetId);
    }
    let keyCol = 0;
    const idAt = new Map<number, string>();
    for (const md of sheet.createDeveloperMetadataFinder().withKey(METADATA_KEY).find()) {
      const col = md.getLocation().getColumn()?.getColumn();
      const id = md.getValue();
      if (!col || !id) continue;
      if (id === KEY_COLUMN) keyCol = col;
      else if (col >= firstCol && col <= lastCol) idAt.set(col, id);
    }
    if (!keyCol || idAt.size === 0) return;
    const rows = lastRow - firstRow + 1;
    const keys = sheet.getRange(firstRow, keyCol, rows, 1).getValues();
    const block = sheet.getRange(firstRow, firstCol, rows, lastCol - firstCol + 1);
    const values: SheetCell[][] = block.getValues();
    // A formula's value may change on its own (=RAND(), =TODAY()): the cell is then recorded whatever its value.
    const formulas = block.getFormulas();
    const cells: { entryId: number; columnId: string; value: SheetCell | typeof ANY_VALUE }[] = [];
    for (let r = 0; r < rows; r++) {
      const entryId = entryIdOf(keys[r][0] as SheetCell);
      if (entryId === null) continue;
      for (const [col, columnId] of idAt)
        cells.push({ entryId, columnId, value: formulas[r][col - firstCol] ? ANY_VALUE : values[r][col - firstCol] });
    }
    if (cells.length === 0) return;
    saveRecords(doc, sheetId, addEvent(loadRecords(doc, sheetId), activeEditor(), Date.now(), cells));
  } catch (err) {
    gasLog.log(`Recording who edited failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
