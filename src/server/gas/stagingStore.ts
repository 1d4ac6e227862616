/**
 * Staging for resumable pulls (sync/resumablePull.ts): the pages of a view gathered so far, kept between executions in a
 * hidden, protected sheet of the spreadsheet (`_affinity_staging_<sheet id>`). Properties (9 KB a value, 500 KB in
 * all) and the cache (evicted at will) cannot hold a large view; a sheet can, durably. Row r holds page r − 1 of the
 * view: `p:<digest of the page's body, or nothing>:<digest of the record>`, its rows, the number of pieces, then
 * the page's JSON split over cells of at most 40,000 characters (a cell holds 50,000). A record that does not match
 * its digest (the hidden sheet edited by hand) is not read: the pull starts over. Pages are written in blocks,
 * one call per run of pages per checkpoint; the checkpoint (a document property) says how many pages are valid, so
 * rows a killed execution wrote past it are not read as this pull's (their digests still say what they hold).
 * A pull that staged every page keeps them for the next pull, which reuses the pages whose body has not changed
 * (engine/pageDigest.ts).
 */
import { NOTE_MARK } from '../engine/layout';
import { chunkText } from '../engine/chunks';
import { digestText } from '../engine/pageDigest';

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
  protection.setDescription(
    `${NOTE_MARK}pages of this tab's pull, kept for the next pull to read only the pages that changed; removed with the tab's binding`,
  );
  return sheet;
}

/** A staged page: its record, the digest of the body it was made from (null: none) and its rows. */
export interface StagedLine {
  record: unknown;
  digest: string | null;
  rows: number;
}

/** What a row says of the page it holds, read without the page. */
export interface KeptPage {
  digest: string | null;
  rows: number;
}

const DIGEST_MARK = 'p:';
/** Columns before a record's pieces: the digest, the rows, the number of pieces. */
const LEAD = 3;

/** A row's mark `p:<body digest>:<record digest>` read back; null when the row is not in this layout. */
function markOf(cell: unknown): { body: string | null; record: string } | null {
  if (typeof cell !== 'string' || !cell.startsWith(DIGEST_MARK)) return null;
  const [body, record = ''] = cell.slice(DIGEST_MARK.length).split(':');
  return { body: body || null, record };
}

/** Writes pages as rows from `firstRow` (0-based) on, in one block. Returns the cells written. */
export function writeStaged(ss: Spreadsheet, sheetId: number, firstRow: number, records: StagedLine[]): number {
  if (records.length === 0) return 0;
  const lines: (string | number)[][] = records.map((r) => {
    const text = JSON.stringify(r.record);
    const pieces = chunkText(text, CHUNK);
    const mark = `${DIGEST_MARK}${r.digest ?? ''}:${digestText(text, text.length, 0)}`;
    return [mark, r.rows, pieces.length, ...pieces.map((c) => `'${c}`)];
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
    if (line[0] === '') throw new StagingLost('some staged rows of this sync are missing');
    // A row of an earlier version's layout (its first cell a number) is not read: the pull starts over.
    const mark = markOf(line[0]);
    if (!mark) throw new StagingLost(`staged row ${from + i + 1} of this sync was written by an earlier version`);
    const pieces = Number(line[LEAD - 1]);
    let text = '';
    for (let c = LEAD; c < LEAD + pieces && c < line.length; c++) text += String(line[c]);
    if (digestText(text, text.length, 0) !== mark.record)
      throw new StagingLost(`staged row ${from + i + 1} of this sync was changed`);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new StagingLost(`staged row ${from + i + 1} of this sync cannot be read`);
    }
  });
}

/**
 * The digest and rows of every page the staging sheet holds (a pull's own, or those the last pull kept), in one
 * read; null when there is no staging sheet.
 */
export function readKeptPages(ss: Spreadsheet, sheetId: number): KeptPage[] | null {
  const sheet = ss.getSheetByName(stagingSheetName(sheetId));
  if (!sheet) return null;
  const rows = sheet.getLastRow();
  if (rows < 1) return [];
  return sheet
    .getRange(1, 1, rows, 2)
    .getValues()
    .map(([mark, count]) => ({ digest: markOf(mark)?.body ?? null, rows: typeof count === 'number' ? count : 0 }));
}

/** Removes the staging sheet (the tab is unbound, or its pull starts over or failed). */
export function dropStaging(ss: Spreadsheet, sheetId: number): void {
  const sheet = ss.getSheetByName(stagingSheetName(sheetId));
  if (sheet) ss.deleteSheet(sheet);
}
