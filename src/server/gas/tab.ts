/**
 * Reads a bound tab and applies a pull plan to it with batched block calls: the number of SpreadsheetApp calls
 * depends on the number of columns and change blocks, never on the number of rows.
 */
import { columnFormat } from '../engine/codecs';
import { KEY_COLUMN, LEFT_VIEW_PREFIX, METADATA_KEY, NOTE_MARK, type ColumnSpec } from '../engine/layout';
import type { PullPlan } from '../engine/pull';
import type { TabState } from '../engine/tabState';
import { ensureCellRoom } from './cellLimit';
import { plainTextWriter, type PlainTextWriter } from './plainText';
import { setValuesSliced, sliceRows } from './slicedWrites';
import { PackedLines, SparseNotes } from '../engine/packedLines';
import { gzipText } from './compress';
import { packedRead } from './packedRead';
import { beforeNotes } from './ownNotes';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type DeveloperMetadata = GoogleAppsScript.Spreadsheet.DeveloperMetadata;

export function columnLetter(col1: number): string {
  let s = '';
  let n = col1;
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export interface TabRead extends TabState {
  metadata: Map<string, DeveloperMetadata>;
  /** Metadata of columns whose field left the view, by field id. */
  leftMetadata: Map<string, DeveloperMetadata>;
}

/**
 * Reads the tab. `packed` (a tab too large to hold as arrays of cells: issue 10, memory; 'large': past
 * the rows or cells held whole, gas/packedRead.ts): read a slice of rows at a time, each slice's rows kept compressed together and notes only where a row has one (engine/packedLines.ts); the
 * tab state reads the same (read its rows in order: each slice opens again when one of its rows is read). A slice is
 * at most MAX_CELLS_PER_WRITE cells, so a 60,000-row tab of 32 columns is 20 reads of values and 20 of notes instead
 * of one each.
 */
export function readTab(sheet: Sheet, opts: { packed?: boolean | 'large'; notes?: boolean } = {}): TabRead {
  const columnOf = new Map<string, number>();
  const metadata = new Map<string, DeveloperMetadata>();
  const left: [string, number, DeveloperMetadata][] = [];
  for (const md of sheet.createDeveloperMetadataFinder().withKey(METADATA_KEY).find()) {
    const value = md.getValue();
    const location = md.getLocation().getColumn();
    if (!value || !location) continue;
    if (value.startsWith(LEFT_VIEW_PREFIX)) {
      left.push([value.slice(LEFT_VIEW_PREFIX.length), location.getColumn() - 1, md]);
      continue;
    }
    if (columnOf.has(value)) continue;
    columnOf.set(value, location.getColumn() - 1);
    metadata.set(value, md);
  }
  // Columns whose field left the view (the same key, a prefixed value: no extra call).
  const leftColumnOf = new Map<string, number>();
  const leftMetadata = new Map<string, DeveloperMetadata>();
  for (const [id, col, md] of left) {
    if (columnOf.has(id) || leftColumnOf.has(id)) continue;
    leftColumnOf.set(id, col);
    leftMetadata.set(id, md);
  }
  const lastRow = sheet.getLastRow();
  const width = Math.max(sheet.getLastColumn(), ...[...columnOf.values()].map((c) => c + 1), 0);
  let values: TabState['values'] = [];
  let notes: string[][] = [];
  let headers: string[] = [];
  if (lastRow >= 1 && width > 0 && packedRead(opts.packed, lastRow - 1, width)) {
    const lines = new PackedLines(gzipText);
    const sparse = new SparseNotes();
    const step = sliceRows(width);
    for (let row1 = 1; row1 <= lastRow; row1 += step) {
      const range = sheet.getRange(row1, 1, Math.min(step, lastRow - row1 + 1), width);
      const slice = range.getValues();
      const sliceNotes = opts.notes === false ? [] : range.getNotes();
      if (row1 === 1) {
        headers = slice.shift()!.map((v) => (v === null || v === undefined ? '' : String(v)));
        sliceNotes.shift();
      }
      for (const line of slice) lines.push(line);
      for (const line of sliceNotes) sparse.push(line);
      lines.seal();
    }
    values = lines.rows();
    notes = sparse.rows();
  } else if (lastRow >= 1 && width > 0) {
    // The header row comes with the data, in the same two calls.
    const range = sheet.getRange(1, 1, lastRow, width);
    values = range.getValues();
    notes = opts.notes === false ? [] : range.getNotes();
    headers = values.shift()!.map((v) => (v === null || v === undefined ? '' : String(v)));
    notes.shift();
  }
  return { values, notes, width, columnOf, metadata, headers, leftColumnOf, leftMetadata };
}

const READ_ONLY_NOTE =
  'Filled from Affinity; this column is read-only and edits here are not sent (the next pull restores them).';
export const KEY_NOTE = 'The Affinity list-entry id of each row. Sync finds rows by it: do not edit it.';

export function applyPlan(sheet: Sheet, tab: TabRead, plan: PullPlan): void {
  const plain = prepareTab(sheet, tab, plan);
  writeBlocks(sheet, plain, plan.columnOf.get(KEY_COLUMN), plan);
  deleteTabRows(sheet, plan.deleteRows);
}

/**
 * What comes before a pull's writes: room for the appended rows and new columns, new columns tied to their fields,
 * missing headers, columns that left the view or came back. Returns the writer that adapts text for Plain-text columns.
 */
export function prepareTab(
  sheet: Sheet,
  tab: TabRead,
  plan: Pick<
    PullPlan,
    'appendRows' | 'columnOf' | 'snapshot' | 'newColumns' | 'missingHeaders' | 'staleColumns' | 'reboundColumns'
  >,
): PlainTextWriter {
  const neededRows = 1 + tab.values.length + plan.appendRows;
  const maxRows = sheet.getMaxRows();
  const neededCols = Math.max(...[...plan.columnOf.values()].map((c) => c + 1), 1);
  const maxCols = sheet.getMaxColumns();
  if (neededRows > maxRows || neededCols > maxCols) {
    // The base snapshot grows with the tab: an entry id and each synced column.
    ensureCellRoom(sheet, { rows: maxRows, cols: maxCols }, neededRows, neededCols, plan.snapshot.columns.length + 1);
  }
  if (neededRows > maxRows) sheet.insertRowsAfter(maxRows, neededRows - maxRows);
  if (neededCols > maxCols) sheet.insertColumnsAfter(maxCols, neededCols - maxCols);
  const plain = plainTextWriter(sheet, Math.max(maxCols, neededCols));

  if (plan.newColumns.length > 0) createColumns(sheet, plan.newColumns, plain);
  // Headers a killed execution did not get to write (columns are tied to fields before their header is written).
  for (const m of plan.missingHeaders ?? [])
    sheet.getRange(1, m.col + 1).setValue(plain.adapt(1, m.col + 1, [[`'${m.name}`]])[0][0]);
  for (const id of plan.staleColumns) markStale(sheet, tab, id);
  for (const r of plan.reboundColumns ?? []) bindAgain(sheet, tab, r.id);
  return plain;
}

/** Value blocks (those holding entry ids first: an execution killed part way must not leave appended rows without their id), then note blocks. */
export function writeBlocks(
  sheet: Sheet,
  plain: PlainTextWriter,
  keyCol: number | undefined,
  writes: Pick<PullPlan, 'blocks' | 'noteBlocks'>,
): void {
  const holdsKey = (b: PullPlan['blocks'][number]) =>
    keyCol !== undefined && b.col <= keyCol && keyCol < b.col + b.values[0].length;
  for (const b of [...writes.blocks.filter(holdsKey), ...writes.blocks.filter((b) => !holdsKey(b))]) {
    setValuesSliced(sheet, 2 + b.row, 1 + b.col, b.values, (r, c, slice) => plain.adapt(r, c, slice));
  }
  beforeNotes(sheet, writes.noteBlocks);
  for (const b of writes.noteBlocks) {
    sheet.getRange(2 + b.row, 1 + b.col, b.values.length, b.values[0].length).setNotes(b.values);
  }
}

/** Deletes data rows (0-based under the header, descending) in runs, so earlier deletions do not shift later ones. */
export function deleteTabRows(sheet: Sheet, deleteRows: number[]): void {
  let i = 0;
  while (i < deleteRows.length) {
    let j = i;
    while (j + 1 < deleteRows.length && deleteRows[j + 1] === deleteRows[j] - 1) j++;
    const first = deleteRows[j];
    sheet.deleteRows(2 + first, j - i + 1);
    i = j + 1;
  }
}

/**
 * Ties each new column to its field (developer metadata) before writing its header: an execution killed in between
 * leaves a tied column without a header, which the next pull fills in (`missingHeaders`), rather than a header
 * without a field, which it would take for the user's and create the column again.
 */
function createColumns(sheet: Sheet, columns: { col: number; spec: ColumnSpec }[], plain: PlainTextWriter): void {
  const sorted = columns.slice().sort((a, b) => a.col - b.col);
  for (const { col, spec } of sorted) {
    const letter = columnLetter(col + 1);
    const whole = sheet.getRange(`${letter}:${letter}`);
    whole.addDeveloperMetadata(METADATA_KEY, spec.id);
    const format = spec.id === KEY_COLUMN ? '0' : columnFormat(spec.valueType);
    if (format) sheet.getRange(`${letter}2:${letter}`).setNumberFormat(format);
    if (!spec.editable) {
      const protection = whole.protect();
      protection.setWarningOnly(true);
      protection.setDescription(
        spec.id === KEY_COLUMN ? `${NOTE_MARK}entry ids` : `${NOTE_MARK}read-only column ${spec.name}`,
      );
      sheet
        .getRange(1, col + 1)
        .setNote(spec.id === KEY_COLUMN ? `${NOTE_MARK}${KEY_NOTE}` : `${NOTE_MARK}${READ_ONLY_NOTE}`);
    }
  }
  // Header cells of contiguous new columns in one write.
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1].col === sorted[j].col + 1) j++;
    const header = sorted.slice(i, j + 1).map((c) => `'${c.spec.name}`);
    const range = sheet.getRange(1, sorted[i].col + 1, 1, header.length);
    range.setValues(plain.adapt(1, sorted[i].col + 1, [header]));
    range.setFontWeight('bold');
    i = j + 1;
  }
  if (sheet.getFrozenRows() < 1) sheet.setFrozenRows(1);
}

function markStale(sheet: Sheet, tab: TabRead, id: string): void {
  const col = tab.columnOf.get(id);
  const md = tab.metadata.get(id);
  if (col === undefined || !md) return;
  // Kept under another key, so that the column is bound again (not duplicated) if the field returns.
  md.setValue(`${LEFT_VIEW_PREFIX}${id}`);
  sheet
    .getRange(1, col + 1)
    .setNote(
      `${NOTE_MARK}this field is no longer in the view, so the column is no longer synced. Its cells are yours now; ` +
        `if the field returns to the view, the column is synced again.`,
    );
}

/** A column whose field is back in the view: synced again where it is. */
function bindAgain(sheet: Sheet, tab: TabRead, id: string): void {
  const md = tab.leftMetadata.get(id);
  const col = tab.leftColumnOf?.get(id);
  if (!md || col === undefined) return;
  md.setValue(id);
  const header = sheet.getRange(1, col + 1);
  if (header.getNote().includes('no longer in the view')) header.setNote('');
}

function sameOptions(current: unknown, options: string[]): boolean {
  return Array.isArray(current) && current.length === options.length && current.every((v, i) => v === options[i]);
}

/** Most options a column's list validation carries; a longer list gets none (a partial one would warn on valid values). */
export const MAX_VALIDATION_OPTIONS = 500;

/**
 * In-sheet validation of dropdown and ranked-dropdown columns from the field's options: a warning, not a
 * rejection (a renamed option never blocks typing; push checks values itself). A few calls per column, whatever
 * the number of rows.
 */
export function setDropdownValidation(sheet: Sheet, rules: { col: number; name: string; options: string[] }[]): void {
  if (rules.length === 0) return;
  const rows = Math.max(1, sheet.getMaxRows() - 1);
  for (const r of rules) {
    const range = sheet.getRange(2, r.col + 1, rows, 1);
    if (r.options.length === 0 || r.options.length > MAX_VALIDATION_OPTIONS) {
      range.clearDataValidations();
      continue;
    }
    // Unchanged options: leave the column alone (a pull that finds nothing changed writes nothing).
    const current = range.getCell(1, 1).getDataValidation();
    if (current && sameOptions(current.getCriteriaValues()[0], r.options) && current.getAllowInvalid()) continue;
    const rule = SpreadsheetApp.newDataValidation()
      .requireValueInList(r.options, true)
      .setAllowInvalid(true)
      .setHelpText(`An option of ${r.name} in Affinity. Other text is not sent.`)
      .build();
    range.setDataValidation(rule);
  }
}
