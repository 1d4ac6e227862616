/**
 * Google Sheets holds at most 10,000,000 cells per spreadsheet, counting every sheet's rows × columns, hidden ones
 * included; past it, inserting rows, columns or sheets fails with "This action would increase the number of cells in
 * the workbook above the limit of 10000000 cells." (docs/harness.md). A pull checks before it grows a tab and its
 * base snapshot, so that neither grows without the other, and says which tab to unbind.
 */
import { snapshotSheetName } from './snapshotStore';
import { stagingSheetName } from './stagingStore';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export const SPREADSHEET_CELL_LIMIT = 10_000_000;
/** Size of a sheet insertSheet creates. */
const NEW_SHEET = { rows: 1000, cols: 26 };

const grown = (rows: number, cols: number, needRows: number, needCols: number) =>
  Math.max(rows, needRows) * Math.max(cols, needCols) - rows * cols;

const format = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * Throws a plain-words error when growing `tab` (now `size`) to `rows` × `cols`, and its base snapshot to `rows` ×
 * `baseCols`, would pass the limit. Called only when the tab must grow, so a pull that grows nothing reads nothing.
 */
export function ensureCellRoom(
  tab: Sheet,
  size: { rows: number; cols: number },
  rows: number,
  cols: number,
  baseCols: number,
): void {
  const ss = tab.getParent();
  const base = ss.getSheetByName(snapshotSheetName(tab.getSheetId()));
  const sizes = ss.getSheets().map((s) => ({ sheet: s, cells: s.getMaxRows() * s.getMaxColumns() }));
  const total = sizes.reduce((n, s) => n + s.cells, 0);
  let added = grown(size.rows, size.cols, rows, cols);
  added += base
    ? grown(base.getMaxRows(), base.getMaxColumns(), rows, baseCols)
    : NEW_SHEET.rows * NEW_SHEET.cols + grown(NEW_SHEET.rows, NEW_SHEET.cols, rows, baseCols);
  if (total + added <= SPREADSHEET_CELL_LIMIT) return;
  // The largest tab the user sees, with its hidden sync sheets (named after its id).
  const hidden = new Map(sizes.filter((s) => s.sheet.isSheetHidden()).map((s) => [s.sheet.getName(), s.cells]));
  let largest = { name: '', cells: 0 };
  for (const s of sizes) {
    if (s.sheet.isSheetHidden()) continue;
    const id = s.sheet.getSheetId();
    const cells = s.cells + (hidden.get(snapshotSheetName(id)) ?? 0) + (hidden.get(stagingSheetName(id)) ?? 0);
    if (cells > largest.cells) largest = { name: s.sheet.getName(), cells };
  }
  throw new Error(
    `“${tab.getName()}” needs ${format(added)} more cells, and Google Sheets allows ${format(SPREADSHEET_CELL_LIMIT)} ` +
      `per spreadsheet (this one has ${format(total)}). Make room, then pull again: unbind and delete a tab you no ` +
      `longer need — the largest is “${largest.name}” (${format(largest.cells)} cells with its hidden sync copy) — ` +
      `or move a view to another spreadsheet.`,
  );
}
