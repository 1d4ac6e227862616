/**
 * Large writes in slices of bounded size (issue 10): one `setValues` holds at most `MAX_CELLS_PER_WRITE` cells, so
 * the copies a write makes (the script's adapted values, the service's own) stay bounded whatever the view's size.
 * A block within the bound is one call, as before.
 */
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Cell = string | number | boolean | Date;

/** Most cells one `setValues` writes (rows × columns): 100,000 cells is about 3,300 rows of 30 columns. */
export const MAX_CELLS_PER_WRITE = 100_000;

/** Rows a slice of `width` columns may hold. */
export function sliceRows(width: number, maxCells = MAX_CELLS_PER_WRITE): number {
  return Math.max(1, Math.floor(maxCells / Math.max(1, width)));
}

/**
 * Writes `values` at (row1, col1), 1-based, in slices of whole rows; `adapt` (optional) turns a slice into what is
 * written (e.g. gas/plainText.ts) given the slice's first row.
 */
export function setValuesSliced(
  sheet: Sheet,
  row1: number,
  col1: number,
  values: Cell[][],
  adapt: (row1: number, col1: number, slice: Cell[][]) => Cell[][] = (_r, _c, s) => s,
  maxCells = MAX_CELLS_PER_WRITE,
): void {
  if (values.length === 0) return;
  const width = values[0].length;
  const step = sliceRows(width, maxCells);
  for (let i = 0; i < values.length; i += step) {
    const slice = i === 0 && values.length <= step ? values : values.slice(i, i + step);
    sheet.getRange(row1 + i, col1, slice.length, width).setValues(adapt(row1 + i, col1, slice));
  }
}
