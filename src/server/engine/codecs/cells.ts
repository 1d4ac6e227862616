/** Canonical text ⇄ sheet cell. */

import type { ValueType } from '../../affinity/types';
import { dayToSerial, isDay, parseDayText, serialToDay } from '../dates';
import { parseNumberText } from './numbers';
import { multiItems, joinMulti, normalizeMulti, normalizeText } from './text';
import { DATE_VALUE_TYPES, MULTI_VALUE_TYPES, NUMBER_VALUE_TYPES, type CodecContext, type SheetCell } from './types';

/** Number format of date columns. */
export const DATE_FORMAT = 'yyyy-mm-dd';
/** Number format of number columns: thousands separators and up to 10 decimals. */
/** Numbers keep Sheets' General format: a custom pattern such as '#,##0.##' shows whole numbers with a trailing dot. */
export const NUMBER_FORMAT = null;

/** The column's number format: dates 'yyyy-mm-dd', everything else null (General, numbers included). */
export function columnFormat(valueType: ValueType): string | null {
  if (DATE_VALUE_TYPES.has(valueType)) return DATE_FORMAT;
  return null;
}

/** Text written so that Sheets stores it literally: a leading apostrophe, which Sheets hides. '' stays ''. */
function literal(text: string): string {
  return text === '' ? '' : "'" + text;
}

/**
 * What to write to a cell for a canonical text, so that Sheets shows it and never evaluates it:
 * numbers (number, formula-number) as JS numbers; days (datetime, interaction) as serial numbers (the column
 * has a date format); everything else as text behind an apostrophe ('=1+1', '+1', '-1', '@x', '007',
 * '2024-01-01', 'TRUE' all stay text). A text that isn't a number/day in a number/date column is text too.
 */
export function cellOf(text: string, valueType: ValueType): SheetCell {
  if (text === '') return '';
  if (NUMBER_VALUE_TYPES.has(valueType)) {
    const n = parseNumberText(text);
    return n.ok ? n.value : literal(text);
  }
  if (DATE_VALUE_TYPES.has(valueType)) {
    return isDay(text) ? dayToSerial(text) : literal(text);
  }
  return literal(text);
}

function numberCanonical(n: number): string {
  return Object.is(n, -0) ? '0' : String(n);
}

/**
 * The canonical text of a cell read from the sheet (Range.getValues):
 * - a Date → ctx.dayOfDate (its day in the spreadsheet's zone), in any column;
 * - a number → its day in a date column (serial number, time of day dropped), else String(n);
 * - a boolean → 'TRUE' / 'FALSE';
 * - a string → line endings as '\n', surrounding whitespace trimmed; in a multi column each item trimmed,
 *   empty items dropped and re-joined with '; '; in a number column a number written as text ('1,234.5')
 *   becomes its canonical number, in a date column a typed day ('Apr 1, 2024') becomes 'YYYY-MM-DD'.
 * For every canonical text t, canonicalOfCell(cellOf(t) as Sheets stores it, vt) === t.
 */
export function canonicalOfCell(cell: SheetCell, valueType: ValueType, ctx: CodecContext): string {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : ctx.dayOfDate(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return String(cell);
    return DATE_VALUE_TYPES.has(valueType) ? serialToDay(cell) : numberCanonical(cell);
  }
  if (typeof cell !== 'string') return '';
  if (MULTI_VALUE_TYPES.has(valueType)) {
    if (valueType === 'number-multi') {
      return joinMulti(
        multiItems(cell).map((item) => {
          const n = parseNumberText(item);
          return n.ok ? numberCanonical(n.value) : item;
        }),
      );
    }
    return normalizeMulti(cell);
  }
  const text = normalizeText(cell);
  if (text === '') return '';
  if (NUMBER_VALUE_TYPES.has(valueType)) {
    const n = parseNumberText(text);
    return n.ok ? numberCanonical(n.value) : text;
  }
  if (DATE_VALUE_TYPES.has(valueType)) {
    const d = parseDayText(text);
    return d.ok ? d.day : text;
  }
  return text;
}
