/**
 * Staging for resumable pulls (sync/resumablePull.ts): the pages of a view gathered so far, kept between executions in a
 * hidden, protected sheet of the spreadsheet (`_affinity_staging_<sheet id>`). Properties (9 KB a value, 500 KB in
 * all) and the cache (evicted at will) cannot hold a large view; a sheet can, durably. One record per row: the
 * number of pieces, then its JSON split over cells of at most 40,000 characters (a cell holds 50,000). Records are written in blocks, one call per
 * checkpoint; the checkpoint (a document property) says how many rows are valid, so rows a killed execution wrote
 * past it are ignored and overwritten.
 */
import { NOTE_MARK } from '../engine/layout';
import { chunkText } from '../engine/chunks';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const CHUNK = 40_000;

export function stagingSheetName(sheetId: number): string {
  return `_affinity_staging_${sheetId}`;
}

/** Thrown when staged rows a checkpoint counts on are gone: the pull starts over. */
export class StagingLost extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StagingLost';
  }
}

function create(ss: Spreadsheet, sheetId: number): Sheet {
  // insertSheet makes the new sheet active: keep the user on their tab.
  const active = ss.getActiveSheet();
  const sheet = ss.insertSheet(stagingSheetName(sheetId));
  if (active) ss.setActiveSheet(active);
  sheet.hideSheet();
  const protection = sheet.protect();
  protection.setWarningOnly(true);
  protection.setDescription(`${NOTE_MARK}rows of a sync in progress; removed when the sync completes`);
  return sheet;
}

/** Writes records as rows from `firstRow` (0-based) on, in one block. Returns the cells written. */
export function writeStaged(ss: Spreadsheet, sheetId: number, firstRow: number, records: unknown[]): number {
  if (records.length === 0) return 0;
  const lines: (string | number)[][] = records.map((r) => {
    const pieces = chunkText(JSON.stringify(r), CHUNK);
    return [pieces.length, ...pieces.map((c) => `'${c}`)];
  });
  const width = Math.max(...lines.map((l) => l.length));
  for (const l of lines) while (l.length < width) l.push('');
  const sheet = ss.getSheetByName(stagingSheetName(sheetId)) ?? create(ss, sheetId);
  const rows = firstRow + lines.length;
  const maxRows = sheet.getMaxRows();
  if (rows > maxRows) sheet.insertRowsAfter(maxRows, rows - maxRows);
  const maxCols = sheet.getMaxColumns();
  if (width > maxCols) sheet.insertColumnsAfter(maxCols, width - maxCols);
  sheet.getRange(firstRow + 1, 1, lines.length, width).setValues(lines);
  return lines.length * width;
}

/** The first `count` records, in one read. Throws StagingLost when they are not all there. */
export function readStaged<T>(ss: Spreadsheet, sheetId: number, count: number): T[] {
  return readStagedRange<T>(ss, sheetId, 0, count);
}

/** `count` records from record `from` (0-based), in one read (a large pull reads its pages a window at a time). */
export function readStagedRange<T>(ss: Spreadsheet, sheetId: number, from: number, count: number): T[] {
  if (count <= 0) return [];
  const sheet = ss.getSheetByName(stagingSheetName(sheetId));
  if (!sheet) throw new StagingLost('the staged rows of this sync are gone');
  const width = sheet.getLastColumn();
  if (sheet.getLastRow() < from + count || width < 1)
    throw new StagingLost('some staged rows of this sync are missing');
  const grid = sheet.getRange(from + 1, 1, count, width).getValues();
  return grid.map((line, i) => {
    const pieces = Number(line[0]);
    let text = '';
    for (let c = 1; c <= pieces && c < line.length; c++) text += String(line[c]);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new StagingLost(`staged row ${from + i + 1} of this sync cannot be read`);
    }
  });
}

/** Removes the staging sheet (the sync completed, or starts over). */
export function dropStaging(ss: Spreadsheet, sheetId: number): void {
  const sheet = ss.getSheetByName(stagingSheetName(sheetId));
  if (sheet) ss.deleteSheet(sheet);
}
