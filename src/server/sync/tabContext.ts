/**
 * What pull and push both need to read and write a bound tab: the spreadsheet's time zone as the codecs' context,
 * the codec between cells and canonical texts, and the bound sheet itself.
 */
import { AffinityError } from '../affinity/errors';
import { canonicalOfCell, cellOf, type CodecContext } from '../engine/codecs';
import type { ColumnSpec } from '../engine/layout';
import type { TabCodec } from '../engine/tabState';
import { TimeZoneDays } from '../engine/timezone';
import { wallClockIn } from '../gas/platform';
import type { Binding } from './bindings';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** The codecs' time-zone knowledge, from the spreadsheet's time zone. */
export function codecContext(ss: Spreadsheet): CodecContext {
  const zone = ss.getSpreadsheetTimeZone();
  const days = new TimeZoneDays(wallClockIn(zone));
  return {
    zone,
    dayOfDate: (d: Date) => days.dayOf(d.getTime()),
    dayInSpreadsheet: (ms: number) => days.dayOf(ms),
  };
}

/** Canonical texts of cells, and cells for canonical texts, by column type. */
export function tabCodec(ctx: CodecContext): TabCodec {
  return {
    read: (cell, column: ColumnSpec) => canonicalOfCell(cell, column.valueType, ctx),
    write: (text, column: ColumnSpec) => cellOf(text, column.valueType),
  };
}

/** The bound tab; a config error when it was deleted. */
export function sheetOf(ss: Spreadsheet, binding: Binding): GoogleAppsScript.Spreadsheet.Sheet {
  const sheet = ss.getSheetById(binding.sheetId);
  if (!sheet) {
    throw new AffinityError(
      'config',
      `The tab bound to “${binding.viewName}” was deleted. Bind the view to a tab again.`,
    );
  }
  return sheet;
}
