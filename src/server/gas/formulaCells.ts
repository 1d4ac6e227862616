/** The formulas and displayed texts of a block of a tab's data cells: one SpreadsheetApp call each. */
import type { CellBlock } from '../engine/push/formulas';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const rangeOf = (sheet: Sheet, b: CellBlock) => sheet.getRange(2 + b.row, 1 + b.col, b.rows, b.cols);

export function readFormulas(sheet: Sheet, block: CellBlock): string[][] {
  return rangeOf(sheet, block).getFormulas();
}

export function readDisplayed(sheet: Sheet, block: CellBlock): string[][] {
  return rangeOf(sheet, block).getDisplayValues();
}
