/**
 * Plain-text columns. The engine writes text behind a leading apostrophe so that Sheets stores it literally and hides
 * the apostrophe; but in a cell formatted as Plain text (`@`) Sheets keeps that apostrophe as part of the value
 * (docs/harness.md, "Value semantics"). There the escape is dropped: such a cell stores any text literally anyway.
 *
 * A column counts as Plain text when its first data row is formatted `@` (the header row for the header): people
 * format whole columns, and one read of two rows, made only when an escaped text is about to be written, keeps the
 * call count independent of the number of rows.
 */
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const PLAIN_TEXT = '@';

const isEscaped = (v: unknown): v is string => typeof v === 'string' && v.charCodeAt(0) === 39; /* ' */

export interface PlainTextWriter {
  /** `values` to write at 1-based `row`/`col`, with the escape dropped in Plain-text columns. */
  adapt<T>(row: number, col: number, values: T[][]): T[][];
}

/** A writer for one sheet whose grid is `width` columns wide; it reads the formats at most once. */
export function plainTextWriter(sheet: Sheet, width: number): PlainTextWriter {
  let formats: string[][] | null = null;
  return {
    adapt<T>(row: number, col: number, values: T[][]): T[][] {
      if (width < 1 || !values.some((line) => line.some(isEscaped))) return values;
      if (!formats) formats = sheet.getRange(1, 1, 2, width).getNumberFormats();
      const f = formats;
      return values.map((line, i) => {
        const rowFormats = row + i === 1 ? f[0] : f[1];
        return line.map((v, j) => (isEscaped(v) && rowFormats[col - 1 + j] === PLAIN_TEXT ? (v.slice(1) as T) : v));
      });
    },
  };
}
