/**
 * The base snapshot (values as last pulled or pushed) of a bound tab, kept in a hidden, protected sheet of the same
 * spreadsheet: it survives across executions, needs no extra scope, and holds 50,000 rows × 40 columns (properties
 * and cache could not). Row 1 holds the column ids; each row below holds an entry id and its canonical texts.
 * Writes are diffed against what is stored, in blocks, like the tab.
 */
import { setValuesSliced, sliceRows } from './slicedWrites';
import { blocksFromChanges, type Changes } from '../engine/blocks';
import { KEY_COLUMN, NOTE_MARK } from '../engine/layout';
import { WINDOW_CELLS, rowsFor } from '../engine/memoryBudget';
import { PackedRows } from '../engine/packedRows';
import { gzipText } from './compress';
import { packedRead } from './packedRead';
import type { Snapshot } from '../engine/tabState';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export function snapshotSheetName(sheetId: number): string {
  return `_affinity_base_${sheetId}`;
}

/** Stored layout as read, so a write can diff against it. */
export interface StoredSnapshot {
  snapshot: Snapshot;
  /** Stored column order (ids), and the physical row of each entry (0-based under the header). */
  columns: string[];
  rowOf: Map<number, number>;
  rows: number;
}

const asText = (t: string): string => (t === '' ? '' : `'${t}`);

/** Rows of a packed stored base read ahead at a time by a diffed write; fewer for a wide base (engine/memoryBudget.ts). */
const AHEAD_ROWS = 2_500;

/** Whether the tab has a base tab (a hidden sheet a user can delete). */
export function hasSnapshot(ss: Spreadsheet, sheetId: number): boolean {
  return ss.getSheetByName(snapshotSheetName(sheetId)) !== null;
}

/**
 * Reads the stored base. `packed` (a base too large to hold as arrays of texts: issue 10, memory; 'large': past
 * the rows or cells held whole, gas/packedRead.ts): read a slice of
 * rows at a time, each slice's rows kept compressed together (engine/packedRows.ts: read them in the stored order,
 * or `prefetch` a window's rows).
 */
export function readSnapshot(
  ss: Spreadsheet,
  sheetId: number,
  opts: { packed?: boolean | 'large'; compressed?: boolean } = {},
): StoredSnapshot | null {
  const sheet = ss.getSheetByName(snapshotSheetName(sheetId));
  if (!sheet) return null;
  const lastRow = sheet.getLastRow();
  const lastCol = sheet.getLastColumn();
  if (lastRow < 1 || lastCol < 1) return null;
  const packed = packedRead(opts.packed, lastRow - 1, lastCol)
    ? new PackedRows(opts.compressed === false ? undefined : gzipText)
    : null;
  const rows: Map<number, string[]> = packed ?? new Map<number, string[]>();
  const rowOf = new Map<number, number>();
  let columns: string[] = [];
  const step = packed ? sliceRows(lastCol) : lastRow;
  for (let row1 = 1; row1 <= lastRow; row1 += step) {
    const grid = sheet.getRange(row1, 1, Math.min(step, lastRow - row1 + 1), lastCol).getValues();
    if (row1 === 1) columns = grid[0].slice(1).map(String);
    for (let i = row1 === 1 ? 1 : 0; i < grid.length; i++) {
      const line = grid[i];
      const id = Number(line[0]);
      // First occurrence wins: rows below a rewrite cut short by a killed execution are stale (see rewrite).
      if (!Number.isInteger(id) || id <= 0 || rowOf.has(id)) continue;
      const texts = new Array<string>(columns.length);
      for (let c = 0; c < columns.length; c++) {
        const v = line[c + 1];
        texts[c] = v === '' || v === null ? '' : String(v);
      }
      rows.set(id, texts);
      rowOf.set(id, row1 + i - 2);
    }
    packed?.seal();
  }
  return { snapshot: { columns, rows }, columns, rowOf, rows: lastRow - 1 };
}

function createSheet(ss: Spreadsheet, sheetId: number): Sheet {
  // insertSheet makes the new sheet active: keep the user on their tab.
  const active = ss.getActiveSheet();
  const sheet = ss.insertSheet(snapshotSheetName(sheetId));
  if (active) ss.setActiveSheet(active);
  sheet.hideSheet();
  const protection = sheet.protect();
  protection.setWarningOnly(true);
  protection.setDescription(
    `${NOTE_MARK}values as last synced; the sync compares the tab with them to find your edits`,
  );
  return sheet;
}

/**
 * Writes a snapshot, rewriting only the cells that differ from what is stored. Returns the cells written.
 * `rewriteOverNewRows`: past that many entries new to the base, the whole base is written from the top, a slice at a
 * time, instead of diffed cell by cell (a large view's first fill: issue 10, memory).
 */
export function writeSnapshot(
  ss: Spreadsheet,
  sheetId: number,
  next: Snapshot,
  stored: StoredSnapshot | null,
  opts: { rewriteOverNewRows?: number } = {},
): number {
  const removed = stored ? [...stored.rowOf.keys()].filter((id) => !next.rows.has(id)) : [];
  const sheet = ss.getSheetByName(snapshotSheetName(sheetId)) ?? createSheet(ss, sheetId);
  // Rows of entries that left are blanked in place; past a quarter of the sheet the snapshot is compacted.
  const blankRows = stored ? stored.rows - stored.rowOf.size + removed.length : 0;
  const many = opts.rewriteOverNewRows;
  const added = stored && many !== undefined ? [...next.rows.keys()].filter((id) => !stored.rowOf.has(id)).length : 0;
  if (
    !stored ||
    next.columns.length < stored.columns.length ||
    blankRows > Math.max(100, stored.rows / 4) ||
    (many !== undefined && added > many)
  ) {
    return rewrite(sheet, next, stored);
  }
  const changes: Changes<string | number> = new Map();
  const put = (row: number, col: number, v: string | number) => {
    let m = changes.get(col);
    if (!m) changes.set(col, (m = new Map()));
    m.set(row, v);
  };
  // Keep stored columns and rows where they are; blank the rows of entries that left; append new columns and entries.
  const columns = stored.columns.slice();
  for (const id of next.columns) if (!columns.includes(id)) columns.push(id);
  const colOf = new Map(columns.map((id, i) => [id, i]));
  const nextIndex = new Map(next.columns.map((id, i) => [id, i]));
  const rowOf = new Map(stored.rowOf);
  for (const id of removed) {
    const r = rowOf.get(id)! + 1;
    rowOf.delete(id);
    // The whole row, so that every column has the same runs and each blanked row is one block.
    for (let c = 0; c <= stored.columns.length; c++) put(r, c, '');
  }
  let rows = stored.rows;
  for (const id of next.rows.keys()) if (!rowOf.has(id)) rowOf.set(id, rows++);

  columns.forEach((id, c) => {
    if (c >= stored.columns.length) put(0, c + 1, id);
  });
  const storedIndex = new Map(stored.columns.map((id, i) => [id, i]));
  // A packed stored base (a large view) is read ahead a chunk of rows at a time: the rows come in the tab's order,
  // which need not be the stored one (engine/packedRows.ts prefetch).
  const storedRows = stored.snapshot.rows;
  const ahead = storedRows instanceof PackedRows && storedRows.sealed ? storedRows : null;
  let chunk: [number, string[]][] = [];
  const diff = () => {
    ahead?.prefetch(chunk.map(([id]) => id));
    for (const [entryId, texts] of chunk) {
      const r = rowOf.get(entryId)! + 1;
      const old = storedRows.get(entryId);
      if (!old) put(r, 0, entryId);
      for (const [id, c] of colOf) {
        const ni = nextIndex.get(id);
        const text = ni === undefined ? '' : (texts[ni] ?? '');
        const oi = storedIndex.get(id);
        const before = old && oi !== undefined ? (old[oi] ?? '') : undefined;
        if (before !== text) put(r, c + 1, asText(text));
      }
    }
    chunk = [];
  };
  // A push's next base is a copy of the stored one with a few rows replaced (engine/packedRows.ts copy): only those
  // rows can differ, so only they are compared (a large base is not read again whole).
  const changed =
    next.rows instanceof PackedRows &&
    storedRows instanceof PackedRows &&
    next.columns.length === stored.columns.length &&
    next.columns.every((id, i) => id === stored.columns[i])
      ? next.rows.changedFrom(storedRows)
      : null;
  const entries: Iterable<[number, string[]]> = changed ? rowsOf(changed, next.rows) : next.rows;
  const aheadRows = Math.min(AHEAD_ROWS, rowsFor(WINDOW_CELLS, columns.length + 1));
  for (const entry of entries) {
    chunk.push(entry);
    if (chunk.length >= aheadRows) diff();
  }
  diff();
  ahead?.prefetch([]); // the last chunk's stored rows are let go
  const entryAt: number[] = [];
  for (const [entryId, r] of rowOf) entryAt[r] = entryId;
  // Blocks are filled row by row: the stored row last read (a packed base unpacks it on each read).
  let lastEntry = NaN;
  let lastOld: string[] | undefined;
  const fill = (row: number, col: number): string | number => {
    if (row === 0) return col === 0 ? KEY_COLUMN : columns[col - 1];
    const entryId = entryAt[row - 1];
    if (entryId === undefined) return '';
    if (col === 0) return entryId;
    const oi = storedIndex.get(columns[col - 1]);
    if (entryId !== lastEntry) {
      lastEntry = entryId;
      lastOld = stored.snapshot.rows.get(entryId);
    }
    const old = lastOld;
    return asText(old && oi !== undefined ? (old[oi] ?? '') : '');
  };
  const blocks = blocksFromChanges(changes, fill, { gap: 16, maxBlocks: 40 });
  ensureSize(sheet, rows + 1, columns.length + 1);
  let cells = 0;
  for (const b of blocks) {
    setValuesSliced(sheet, 1 + b.row, 1 + b.col, b.values);
    cells += b.values.length * b.values[0].length;
  }
  return cells;
}

function* rowsOf(ids: number[], rows: Map<number, string[]>): Generator<[number, string[]]> {
  for (const id of ids) yield [id, rows.get(id)!];
}

function ensureSize(sheet: Sheet, rows: number, cols: number): void {
  const maxRows = sheet.getMaxRows();
  if (rows > maxRows) sheet.insertRowsAfter(maxRows, rows - maxRows);
  const maxCols = sheet.getMaxColumns();
  if (cols > maxCols) sheet.insertColumnsAfter(maxCols, cols - maxCols);
}

/**
 * Writes the whole snapshot from the top, then clears what the stored one held beyond it. Never clears first: an
 * execution killed in between must not leave the base empty (every unpushed edit would then look like Affinity's
 * value and be overwritten by the next pull). Stale rows left below by such a kill are ignored by readSnapshot.
 */
function rewrite(sheet: Sheet, next: Snapshot, stored: StoredSnapshot | null): number {
  // Built and written a slice at a time (gas/slicedWrites.ts): never the whole snapshot as one grid.
  const width = next.columns.length + 1;
  const total = next.rows.size + 1;
  ensureSize(sheet, total, width);
  const step = sliceRows(width);
  let slice: (string | number)[][] = [[KEY_COLUMN, ...next.columns]];
  let at = 1;
  const write = () => {
    sheet.getRange(at, 1, slice.length, width).setValues(slice);
    at += slice.length;
    slice = [];
  };
  for (const [entryId, texts] of next.rows) {
    slice.push([entryId, ...texts.map(asText)]);
    if (slice.length >= step) write();
  }
  if (slice.length > 0) write();
  if (stored) {
    const oldRows = stored.rows + 1;
    const oldWidth = stored.columns.length + 1;
    if (oldWidth > width) sheet.getRange(1, width + 1, Math.min(oldRows, total), oldWidth - width).clearContent();
    if (oldRows > total) sheet.getRange(total + 1, 1, oldRows - total, Math.max(oldWidth, width)).clearContent();
  }
  return total * width;
}
