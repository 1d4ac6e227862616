/**
 * How much of a view an execution holds as plain arrays of cells (issue 10, memory; docs/schedules.md "Large views").
 * A merge's memory grows with the view's cells (rows × columns), not its rows: merged whole, the bench's
 * 15,000 × 32 tab peaks at about 121 MB (about 260 bytes a cell), and a view of 4,000 entries × 130 fields at about
 * 168 MB (320 bytes a cell). A view past either bound is read, merged and written a window at a time, its tab and
 * base read a slice at a time and kept compressed. Pure.
 */

/** Rows past which a view (or a tab and its base, for a push) is never held whole, however narrow. */
export const WHOLE_ROWS = 20_000;
/** Cells (rows × tab columns) past which it is not held whole either: 15,000 rows × 32 columns. */
export const WHOLE_CELLS = 480_000;
/** Cells of fetched pages held before they are staged: 10,000 rows × 32 columns. */
export const BUFFERED_CELLS = 320_000;

/** Whether `rows` rows of `columns` tab columns (the Entry ID column included) may be held whole. */
export function holdsWhole(rows: number, columns: number): boolean {
  return rows <= WHOLE_ROWS && rows * Math.max(1, columns) <= WHOLE_CELLS;
}

/** Tab columns of a view of `fields` fields: its name column, its fields and the Entry ID column. */
export function tabColumnsOf(fields: number): number {
  return fields + 2;
}

/** Cells of a streamed merge's window of rows (merged, written, then let go): 2,500 rows × 32 columns. */
export const WINDOW_CELLS = 80_000;

/** Rows of `columns` columns that make about `cells` cells: a wide view's windows hold fewer rows. */
export function rowsFor(cells: number, columns: number, least = 100): number {
  return Math.max(least, Math.floor(cells / Math.max(1, columns)));
}
