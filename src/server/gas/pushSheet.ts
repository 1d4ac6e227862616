/**
 * Sheet writes of a push: cell and note blocks (one call per block), and the optional "pending" background of
 * edited cells. Call counts depend on the blocks, never on the tab's row count.
 */
import type { Block } from '../engine/blocks';
import type { SheetCell } from '../engine/layout';
import { plainTextWriter } from './plainText';
import { columnLetter } from './tab';
import { beforeNotes } from './ownNotes';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** The subtle background an edited cell gets until it is pushed. */
export const PENDING_BACKGROUND = '#fff4d6';

export function writeBlocks(sheet: Sheet, values: Block<SheetCell>[], notes: Block<string>[]): void {
  const plain = plainTextWriter(sheet, Math.max(0, ...values.map((b) => b.col + b.values[0].length)));
  for (const b of values) {
    sheet
      .getRange(2 + b.row, 1 + b.col, b.values.length, b.values[0].length)
      .setValues(plain.adapt(2 + b.row, 1 + b.col, b.values));
  }
  beforeNotes(sheet, notes);
  for (const b of notes) sheet.getRange(2 + b.row, 1 + b.col, b.values.length, b.values[0].length).setNotes(b.values);
}

const a1 = (row: number, col: number) => `${columnLetter(col + 1)}${row + 2}`;

/** Clears the pending background of the given data cells (0-based), where it is ours: one read, one write. */
export function clearPendingMarks(
  sheet: Sheet,
  cells: { row: number; col: number }[],
  width: number,
  rows: number,
): number {
  if (cells.length === 0 || rows === 0 || width === 0) return 0;
  const backgrounds = sheet.getRange(2, 1, rows, width).getBackgrounds();
  const ours = cells.filter((c) => (backgrounds[c.row]?.[c.col] ?? '').toLowerCase() === PENDING_BACKGROUND);
  if (ours.length === 0) return 0;
  sheet.getRangeList(ours.map((c) => a1(c.row, c.col))).setBackground(null);
  return ours.length;
}

/** Marks an edited range as pending where it has no background of its own (called by the on-edit trigger). */
export function markPending(range: GoogleAppsScript.Spreadsheet.Range): void {
  const backgrounds = range.getBackgrounds();
  const plain = (c: string) => c === '' || c.toLowerCase() === '#ffffff';
  if (backgrounds.every((line) => line.every(plain))) {
    range.setBackground(PENDING_BACKGROUND);
    return;
  }
  range.setBackgrounds(backgrounds.map((line) => line.map((c) => (plain(c) ? PENDING_BACKGROUND : c))));
}
