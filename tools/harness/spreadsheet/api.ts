/**
 * SpreadsheetApp and the objects it hands out (Spreadsheet, Sheet, Range, DataValidation,
 * DeveloperMetadata, Protection, NamedRange), over the in-memory model.
 */
import { types } from 'node:util';
import { ApiObject, type ClassMeta, enumName } from '../api-base';
import type { Env } from '../env';
import { ScriptError } from '../errors';
import { isValidTimeZone } from '../tz';
import { UserApi } from '../session';
import { UiApi } from '../ui';
import { a1Of, columnToLetters, parseA1, splitSheet } from './a1';
import {
  type CellExtra,
  type DataValidationData,
  type DevMetaModel,
  FORMAT_KEYS,
  type MetaLocation,
  type NamedRangeModel,
  type ProtectionModel,
  type RangeRef,
  type SheetModel,
  type Span,
  type SpreadsheetModel,
  type WriteContext,
} from './model';
import { AUTO_FORMAT, displayValue, isDateFormat, instantFromSerial, type Scalar } from './values';

const PROTECTED_EDIT =
  'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.';
const ARBITRARY_METADATA =
  'Adding developer metadata to arbitrary ranges is not currently supported. Developer metadata may only be added to the top-level spreadsheet, an individual sheet, or an entire row or column.';
const METADATA_CHAR_LIMIT = 30_000;

const NAMED_COLORS: Record<string, string> = {
  white: '#ffffff',
  black: '#000000',
  red: '#ff0000',
  green: '#00ff00',
  blue: '#0000ff',
  yellow: '#ffff00',
  cyan: '#00ffff',
  magenta: '#ff00ff',
  gray: '#808080',
  grey: '#808080',
  orange: '#ffa500',
  purple: '#800080',
  silver: '#c0c0c0',
  lime: '#00ff00',
  navy: '#000080',
  maroon: '#800000',
  teal: '#008080',
  olive: '#808000',
};

function normColor(c: unknown): string | undefined {
  if (c === null || c === undefined || c === '') return undefined;
  const s = String(c).trim().toLowerCase();
  if (NAMED_COLORS[s]) return NAMED_COLORS[s];
  if (/^#[0-9a-f]{3}$/.test(s)) return '#' + [...s.slice(1)].map((ch) => ch + ch).join('');
  return s;
}

function signature(method: string, args: unknown[]): ScriptError {
  const types = args.map((a) =>
    a === null
      ? 'null'
      : Array.isArray(a)
        ? Array.isArray(a[0])
          ? 'Object[][]'
          : 'Object[]'
        : typeof a === 'string'
          ? 'String'
          : typeof a === 'number'
            ? 'number'
            : typeof a === 'boolean'
              ? 'Boolean'
              : 'Object',
  );
  return new ScriptError(`The parameters (${types.join(',')}) don't match the method signature for ${method}.`);
}

function checkGrid(method: string, data: unknown, nr: number, nc: number): asserts data is unknown[][] {
  if (!Array.isArray(data)) throw signature(method, [data]);
  if (data.length !== nr) {
    throw new ScriptError(
      `The number of rows in the data does not match the number of rows in the range. The data has ${data.length} but the range has ${nr}.`,
    );
  }
  for (const row of data) {
    if (!Array.isArray(row)) throw signature(method, [data]);
    if (row.length !== nc) {
      throw new ScriptError(
        `The number of columns in the data does not match the number of columns in the range. The data has ${row.length} but the range has ${nc}.`,
      );
    }
  }
}

function writeContext(env: Env): WriteContext {
  return { tz: env.state.spreadsheet.timeZone, now: env.now(), evaluate: env.state.formulaEvaluator };
}

function spanOf(start1: number, count: number): Span {
  return { start: start1 - 1, end: start1 - 1 + count };
}

// ---------------------------------------------------------------------------------------------

export class SpreadsheetAppApi extends ApiObject {
  static override meta: ClassMeta = {
    service: 'SpreadsheetApp',
    name: '',
    enums: {
      ProtectionType: 'ProtectionType',
      DeveloperMetadataLocationType: 'DeveloperMetadataLocationType',
      DeveloperMetadataVisibility: 'DeveloperMetadataVisibility',
      DataValidationCriteria: 'DataValidationCriteria',
      Dimension: 'Dimension',
      WrapStrategy: 'WrapStrategy',
      BorderStyle: 'BorderStyle',
      CopyPasteType: 'CopyPasteType',
      Direction: 'Direction',
      SheetType: 'SheetType',
      TextDirection: 'TextDirection',
    },
  };
  private get _ss(): SpreadsheetModel {
    return this.env.state.spreadsheet;
  }
  getActiveSpreadsheet(): SpreadsheetApi {
    return new SpreadsheetApi(this.env, this._ss);
  }
  getActive(): SpreadsheetApi {
    return this.getActiveSpreadsheet();
  }
  openById(id: string): SpreadsheetApi {
    if (String(id) !== this._ss.id) {
      throw new ScriptError('Unexpected error while getting the method or property openById on object SpreadsheetApp.');
    }
    return this.getActiveSpreadsheet();
  }
  openByUrl(url: string): SpreadsheetApi {
    if (!String(url).includes(this._ss.id)) {
      throw new ScriptError(
        'Unexpected error while getting the method or property openByUrl on object SpreadsheetApp.',
      );
    }
    return this.getActiveSpreadsheet();
  }
  getActiveSheet(): SheetApi {
    return new SheetApi(this.env, this._ss.activeSheet);
  }
  setActiveSheet(sheet: SheetApi): SheetApi {
    this._ss.activeSheet = sheet._model;
    return sheet;
  }
  getActiveRange(): RangeApi | null {
    const a = this._ss.activeRange;
    return a ? new RangeApi(this.env, a.sheet, a.row, a.col, a.numRows, a.numCols) : null;
  }
  getCurrentCell(): RangeApi | null {
    const a = this._ss.activeRange;
    return a ? new RangeApi(this.env, a.sheet, a.row, a.col, 1, 1) : null;
  }
  setActiveRange(range: RangeApi): RangeApi {
    range.activate();
    return range;
  }
  getUi(): UiApi {
    if (this.env.triggerEventType === 'CLOCK')
      throw new ScriptError('Cannot call SpreadsheetApp.getUi() from this context.');
    return new UiApi(this.env);
  }
  /** Applies pending changes; costs a flush when there are any. */
  flush(): void {
    this.env.read(0);
  }
  newDataValidation(): DataValidationBuilderApi {
    return new DataValidationBuilderApi(this.env);
  }
  create(): never {
    throw new ScriptError(
      'SpreadsheetApp.create is not modelled by the harness (the project is bound to one spreadsheet).',
    );
  }
}

// ---------------------------------------------------------------------------------------------

export class SpreadsheetApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'Spreadsheet' };
  constructor(
    env: Env,
    readonly _model: SpreadsheetModel,
  ) {
    super(env);
  }
  getId(): string {
    return this._model.id;
  }
  getName(): string {
    return this._model.name;
  }
  rename(name: string): void {
    this._model.name = String(name);
  }
  getUrl(): string {
    return `https://docs.google.com/spreadsheets/d/${this._model.id}/edit`;
  }
  getSpreadsheetTimeZone(): string {
    return this._model.timeZone;
  }
  setSpreadsheetTimeZone(tz: string): void {
    if (!isValidTimeZone(String(tz))) throw new ScriptError(`Invalid argument: timeZone`);
    this._model.timeZone = String(tz);
  }
  getSpreadsheetLocale(): string {
    return this._model.locale;
  }
  setSpreadsheetLocale(locale: string): void {
    this._model.locale = String(locale);
  }
  getOwner(): UserApi {
    return new UserApi(this.env, this._model.owner);
  }
  getEditors(): UserApi[] {
    return [this._model.owner, ...this.env.state.spreadsheetEditors].map((e) => new UserApi(this.env, e));
  }
  getViewers(): UserApi[] {
    return this.getEditors();
  }
  addEditor(user: unknown): SpreadsheetApi {
    this.env.state.spreadsheetEditors.add(userEmail(user));
    return this;
  }
  addEditors(users: unknown[]): SpreadsheetApi {
    for (const u of users) this.addEditor(u);
    return this;
  }
  removeEditor(user: unknown): SpreadsheetApi {
    this.env.state.spreadsheetEditors.delete(userEmail(user));
    return this;
  }
  getSheets(): SheetApi[] {
    return this._model.sheets.map((s) => new SheetApi(this.env, s));
  }
  getNumSheets(): number {
    return this._model.sheets.length;
  }
  getSheetByName(name: string): SheetApi | null {
    const s = this._model.sheetByName(String(name));
    return s ? new SheetApi(this.env, s) : null;
  }
  getSheetById(id: number): SheetApi | null {
    const s = this._model.sheetById(Number(id));
    return s ? new SheetApi(this.env, s) : null;
  }
  insertSheet(a?: unknown, b?: unknown): SheetApi {
    let name: string | undefined;
    let index: number | undefined;
    if (typeof a === 'string') {
      name = a;
      if (typeof b === 'number') index = b;
    } else if (typeof a === 'number') index = a;
    this.env.structure();
    const sheet = this._model.addSheet(name ?? this._model.defaultSheetName(), index ?? this._model.sheets.length);
    return new SheetApi(this.env, sheet);
  }
  deleteSheet(sheet: SheetApi): void {
    this.env.structure();
    this._model.removeSheet(sheet._model);
  }
  deleteActiveSheet(): SheetApi {
    this.env.structure();
    const s = this._model.activeSheet;
    this._model.removeSheet(s);
    return new SheetApi(this.env, this._model.activeSheet);
  }
  getActiveSheet(): SheetApi {
    return new SheetApi(this.env, this._model.activeSheet);
  }
  setActiveSheet(sheet: SheetApi): SheetApi {
    this._model.activeSheet = sheet._model;
    return sheet;
  }
  moveActiveSheet(pos: number): void {
    const s = this._model.activeSheet;
    const list = this._model.sheets;
    list.splice(list.indexOf(s), 1);
    list.splice(Math.max(0, Math.min(list.length, pos - 1)), 0, s);
  }
  getActiveRange(): RangeApi | null {
    const a = this._model.activeRange;
    return a ? new RangeApi(this.env, a.sheet, a.row, a.col, a.numRows, a.numCols) : null;
  }
  getActiveCell(): RangeApi | null {
    const a = this._model.activeRange;
    return a ? new RangeApi(this.env, a.sheet, a.row, a.col, 1, 1) : null;
  }
  getCurrentCell(): RangeApi | null {
    return this.getActiveCell();
  }
  setActiveRange(range: RangeApi): RangeApi {
    return range.activate();
  }
  toast(msg: unknown, title?: unknown, timeoutSeconds?: number): void {
    this.env.state.ui.toasts.push({
      message: String(msg ?? ''),
      title: title === undefined || title === null ? '' : String(title),
      timeoutSeconds: timeoutSeconds ?? 5,
      at: this.env.now(),
    });
  }
  getRange(a1: string): RangeApi {
    const { sheetName } = splitSheet(String(a1));
    const sheet = sheetName ? this._model.sheetByName(sheetName) : this._model.activeSheet;
    if (!sheet) throw new ScriptError('Range not found');
    return new SheetApi(this.env, sheet).getRange(a1);
  }
  getRangeByName(name: string): RangeApi | null {
    const n = this._model.namedRanges.find((x) => x.name === String(name));
    return n
      ? new RangeApi(
          this.env,
          n.sheet,
          n.rows.start + 1,
          n.cols.start + 1,
          n.rows.end - n.rows.start,
          n.cols.end - n.cols.start,
        )
      : null;
  }
  setNamedRange(name: string, range: RangeApi): void {
    const n = String(name);
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(n) || /^[A-Za-z]{1,3}\d+$/.test(n))
      throw new ScriptError('Invalid argument: name');
    this._model.namedRanges = this._model.namedRanges.filter((x) => x.name !== n);
    this._model.namedRanges.push({
      name: n,
      sheet: range._sheet,
      rows: spanOf(range._row, range._nr),
      cols: spanOf(range._col, range._nc),
    });
  }
  getNamedRanges(): NamedRangeApi[] {
    return this._model.namedRanges.map((n) => new NamedRangeApi(this.env, n));
  }
  removeNamedRange(name: string): void {
    this._model.namedRanges = this._model.namedRanges.filter((x) => x.name !== String(name));
  }
  getProtections(type: unknown): ProtectionApi[] {
    const t = enumName(type);
    return this._model.protections.filter((p) => p.type === t).map((p) => new ProtectionApi(this.env, p));
  }
  addDeveloperMetadata(key: string, a?: unknown, b?: unknown): SpreadsheetApi {
    addMetadata(this.env, { type: 'SPREADSHEET' }, key, a, b);
    return this;
  }
  getDeveloperMetadata(): DeveloperMetadataApi[] {
    return this._model.metadata
      .filter((m) => m.loc.type === 'SPREADSHEET')
      .map((m) => new DeveloperMetadataApi(this.env, m));
  }
  createDeveloperMetadataFinder(): DeveloperMetadataFinderApi {
    return new DeveloperMetadataFinderApi(this.env, { kind: 'spreadsheet' });
  }
  // conveniences that act on the active sheet
  getLastRow(): number {
    return this._model.activeSheet.lastRow();
  }
  getLastColumn(): number {
    return this._model.activeSheet.lastCol();
  }
  getDataRange(): RangeApi {
    return new SheetApi(this.env, this._model.activeSheet).getDataRange();
  }
  getSheetId(): number {
    return this._model.activeSheet.id;
  }
  getSheetName(): string {
    return this._model.activeSheet.name;
  }
  getFrozenRows(): number {
    return this._model.activeSheet.frozenRows;
  }
  setFrozenRows(n: number): void {
    new SheetApi(this.env, this._model.activeSheet).setFrozenRows(n);
  }
  appendRow(row: unknown[]): SheetApi {
    return new SheetApi(this.env, this._model.activeSheet).appendRow(row);
  }
}

function userEmail(u: unknown): string {
  if (u instanceof UserApi) return u.getEmail();
  return String(u);
}

// ---------------------------------------------------------------------------------------------

export class SheetApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'Sheet' };
  constructor(
    env: Env,
    readonly _model: SheetModel,
  ) {
    super(env);
  }
  private _alive(): SheetModel {
    if (!this._model.ss.sheets.includes(this._model)) throw new ScriptError('The sheet was deleted.');
    return this._model;
  }
  getName(): string {
    return this._model.name;
  }
  getSheetName(): string {
    return this._model.name;
  }
  setName(name: string): SheetApi {
    const n = String(name);
    const other = this._model.ss.sheetByName(n);
    if (other && other !== this._model)
      throw new ScriptError(`A sheet with the name "${n}" already exists. Please enter another name.`);
    if (n.trim() === '') throw new ScriptError('Invalid argument: name');
    this._model.name = n;
    return this;
  }
  getSheetId(): number {
    return this._model.id;
  }
  getIndex(): number {
    return this._model.ss.sheets.indexOf(this._model) + 1;
  }
  getParent(): SpreadsheetApi {
    return new SpreadsheetApi(this.env, this._model.ss);
  }
  getType(): unknown {
    return this.env.enumValue('SheetType', 'GRID');
  }
  getLastRow(): number {
    return this._alive().lastRow();
  }
  getLastColumn(): number {
    return this._alive().lastCol();
  }
  getMaxRows(): number {
    return this._alive().maxRows;
  }
  getMaxColumns(): number {
    return this._alive().maxCols;
  }
  getRange(a: unknown, b?: number, c?: number, d?: number): RangeApi {
    const sheet = this._alive();
    if (typeof a === 'string') {
      const ref = parseA1(a);
      let target = sheet;
      if (ref.sheetName) {
        const s = sheet.ss.sheetByName(ref.sheetName);
        if (!s) throw new ScriptError('Range not found');
        target = s;
      }
      const r1 = ref.r1 ?? 1;
      const c1 = ref.c1 ?? 1;
      const r2 = ref.r2 ?? target.maxRows;
      const c2 = ref.c2 ?? target.maxCols;
      target.checkBounds(r1, c1, r2 - r1 + 1, c2 - c1 + 1);
      return new RangeApi(this.env, target, r1, c1, r2 - r1 + 1, c2 - c1 + 1);
    }
    if (typeof a !== 'number' || typeof b !== 'number')
      throw signature(
        'SpreadsheetApp.Sheet.getRange',
        [a, b, c, d].filter((x) => x !== undefined),
      );
    const nr = c ?? 1;
    const nc = d ?? 1;
    sheet.checkBounds(a, b, nr, nc);
    return new RangeApi(this.env, sheet, a, b, nr, nc);
  }
  getRangeList(a1s: string[]): RangeListApi {
    return new RangeListApi(
      this.env,
      a1s.map((a) => this.getRange(a)),
    );
  }
  getDataRange(): RangeApi {
    const s = this._alive();
    return new RangeApi(this.env, s, 1, 1, Math.max(1, s.lastRow()), Math.max(1, s.lastCol()));
  }
  getSheetValues(startRow: number, startColumn: number, numRows: number, numColumns: number): unknown[][] {
    const s = this._alive();
    const nr = numRows === -1 ? Math.max(0, s.lastRow() - startRow + 1) : numRows;
    const nc = numColumns === -1 ? Math.max(0, s.lastCol() - startColumn + 1) : numColumns;
    return new RangeApi(this.env, s, startRow, startColumn, nr, nc).getValues();
  }
  appendRow(rowContents: unknown[]): SheetApi {
    const s = this._alive();
    if (!Array.isArray(rowContents)) throw signature('SpreadsheetApp.Sheet.appendRow', [rowContents]);
    guardEdit(this.env, s, s.lastRow(), 0, 1, Math.max(1, rowContents.length));
    const r = s.lastRow();
    if (r >= s.maxRows) s.insertRows(s.maxRows, 1, s.maxRows - 1);
    if (rowContents.length > s.maxCols) s.insertCols(s.maxCols, rowContents.length - s.maxCols, null);
    this.env.write(rowContents.length);
    s.writeValues(r, 0, [rowContents], writeContext(this.env));
    return this;
  }
  // --- rows & columns
  insertRowsAfter(afterPosition: number, howMany: number): SheetApi {
    this._insertRows(afterPosition, howMany, afterPosition - 1);
    return this;
  }
  insertRowsBefore(beforePosition: number, howMany: number): SheetApi {
    this._insertRows(beforePosition - 1, howMany, beforePosition - 1);
    return this;
  }
  insertRowAfter(afterPosition: number): SheetApi {
    return this.insertRowsAfter(afterPosition, 1);
  }
  insertRowBefore(beforePosition: number): SheetApi {
    return this.insertRowsBefore(beforePosition, 1);
  }
  insertRows(rowIndex: number, numRows = 1): void {
    this.insertRowsBefore(rowIndex, numRows);
  }
  private _insertRows(at0: number, n: number, inherit: number): void {
    const s = this._alive();
    if (!Number.isInteger(at0) || at0 < 0 || at0 > s.maxRows) throw new ScriptError('Those rows are out of bounds.');
    if (!Number.isInteger(n) || n < 1) throw new ScriptError('The number of rows to insert must be at least 1.');
    this.env.structure();
    s.insertRows(at0, n, inherit >= 0 && inherit < s.maxRows ? inherit : null);
  }
  deleteRow(rowPosition: number): SheetApi {
    this.deleteRows(rowPosition, 1);
    return this;
  }
  deleteRows(rowPosition: number, howMany: number): void {
    const s = this._alive();
    guardEdit(this.env, s, rowPosition - 1, 0, howMany, s.maxCols);
    this.env.structure();
    s.deleteRows(rowPosition - 1, howMany);
  }
  insertColumnsAfter(afterPosition: number, howMany: number): SheetApi {
    this._insertCols(afterPosition, howMany, afterPosition - 1);
    return this;
  }
  insertColumnsBefore(beforePosition: number, howMany: number): SheetApi {
    this._insertCols(beforePosition - 1, howMany, beforePosition - 1);
    return this;
  }
  insertColumnAfter(afterPosition: number): SheetApi {
    return this.insertColumnsAfter(afterPosition, 1);
  }
  insertColumnBefore(beforePosition: number): SheetApi {
    return this.insertColumnsBefore(beforePosition, 1);
  }
  insertColumns(columnIndex: number, numColumns = 1): void {
    this.insertColumnsBefore(columnIndex, numColumns);
  }
  private _insertCols(at0: number, n: number, inherit: number): void {
    const s = this._alive();
    if (!Number.isInteger(at0) || at0 < 0 || at0 > s.maxCols) throw new ScriptError('Those columns are out of bounds.');
    if (!Number.isInteger(n) || n < 1) throw new ScriptError('The number of columns to insert must be at least 1.');
    this.env.structure();
    s.insertCols(at0, n, inherit >= 0 && inherit < s.maxCols ? inherit : null);
  }
  deleteColumn(columnPosition: number): SheetApi {
    this.deleteColumns(columnPosition, 1);
    return this;
  }
  deleteColumns(columnPosition: number, howMany: number): void {
    const s = this._alive();
    guardEdit(this.env, s, 0, columnPosition - 1, s.maxRows, howMany);
    this.env.structure();
    s.deleteCols(columnPosition - 1, howMany);
  }
  moveColumns(columnSpec: RangeApi, destinationIndex: number): void {
    const s = this._alive();
    if (!(columnSpec instanceof RangeApi))
      throw signature('SpreadsheetApp.Sheet.moveColumns', [columnSpec, destinationIndex]);
    if (!Number.isInteger(destinationIndex) || destinationIndex < 1 || destinationIndex > s.maxCols + 1) {
      throw new ScriptError('Invalid argument: destinationIndex');
    }
    this.env.structure();
    s.moveCols(columnSpec._col - 1, columnSpec._nc, destinationIndex - 1);
  }
  moveRows(rowSpec: RangeApi, destinationIndex: number): void {
    const s = this._alive();
    if (!(rowSpec instanceof RangeApi)) throw signature('SpreadsheetApp.Sheet.moveRows', [rowSpec, destinationIndex]);
    if (!Number.isInteger(destinationIndex) || destinationIndex < 1 || destinationIndex > s.maxRows + 1) {
      throw new ScriptError('Invalid argument: destinationIndex');
    }
    this.env.structure();
    s.moveRows(rowSpec._row - 1, rowSpec._nr, destinationIndex - 1);
  }
  sort(columnPosition: number, ascending = true): SheetApi {
    const s = this._alive();
    const last = s.lastRow();
    const start = s.frozenRows;
    if (last > start) {
      this.env.structure();
      s.sortBlock(start, 0, last - start, s.maxCols, [{ col: columnPosition - 1, ascending: ascending !== false }]);
    }
    return this;
  }
  // --- frozen / hidden / sizes
  setFrozenRows(rows: number): void {
    const s = this._alive();
    if (!Number.isInteger(rows) || rows < 0 || rows >= s.maxRows) throw new ScriptError('Invalid argument: rows');
    s.frozenRows = rows;
  }
  getFrozenRows(): number {
    return this._model.frozenRows;
  }
  setFrozenColumns(columns: number): void {
    const s = this._alive();
    if (!Number.isInteger(columns) || columns < 0 || columns >= s.maxCols)
      throw new ScriptError('Invalid argument: columns');
    s.frozenCols = columns;
  }
  getFrozenColumns(): number {
    return this._model.frozenCols;
  }
  hideColumns(columnIndex: number, numColumns = 1): void {
    for (let i = 0; i < numColumns; i++) this._col(columnIndex + i).hidden = true;
  }
  hideColumn(range: RangeApi): void {
    this.hideColumns(range._col, range._nc);
  }
  showColumns(columnIndex: number, numColumns = 1): void {
    for (let i = 0; i < numColumns; i++) delete this._col(columnIndex + i).hidden;
  }
  unhideColumn(range: RangeApi): void {
    this.showColumns(range._col, range._nc);
  }
  isColumnHiddenByUser(columnPosition: number): boolean {
    return this._col(columnPosition).hidden === true;
  }
  hideRows(rowIndex: number, numRows = 1): void {
    for (let i = 0; i < numRows; i++) this._row(rowIndex + i).hidden = true;
  }
  hideRow(range: RangeApi): void {
    this.hideRows(range._row, range._nr);
  }
  showRows(rowIndex: number, numRows = 1): void {
    for (let i = 0; i < numRows; i++) delete this._row(rowIndex + i).hidden;
  }
  unhideRow(range: RangeApi): void {
    this.showRows(range._row, range._nr);
  }
  isRowHiddenByUser(rowPosition: number): boolean {
    return this._row(rowPosition).hidden === true;
  }
  isRowHiddenByFilter(): boolean {
    return false;
  }
  private _col(col1: number) {
    const c = this._alive().cols[col1 - 1];
    if (!c) throw new ScriptError('Those columns are out of bounds.');
    return c;
  }
  private _row(row1: number) {
    const r = this._alive().rows[row1 - 1];
    if (!r) throw new ScriptError('Those rows are out of bounds.');
    return r;
  }
  hideSheet(): SheetApi {
    const visible = this._model.ss.sheets.filter((s) => !s.hidden);
    if (visible.length === 1 && visible[0] === this._model)
      throw new ScriptError("You can't hide all the sheets in a document.");
    this._model.hidden = true;
    return this;
  }
  showSheet(): SheetApi {
    this._model.hidden = false;
    return this;
  }
  isSheetHidden(): boolean {
    return this._model.hidden;
  }
  setColumnWidth(columnPosition: number, width: number): SheetApi {
    this._col(columnPosition).width = width;
    return this;
  }
  setColumnWidths(startColumn: number, numColumns: number, width: number): SheetApi {
    for (let i = 0; i < numColumns; i++) this._col(startColumn + i).width = width;
    return this;
  }
  getColumnWidth(columnPosition: number): number {
    return this._col(columnPosition).width ?? 100;
  }
  setRowHeight(rowPosition: number, height: number): SheetApi {
    this._row(rowPosition).height = height;
    return this;
  }
  setRowHeights(startRow: number, numRows: number, height: number): SheetApi {
    for (let i = 0; i < numRows; i++) this._row(startRow + i).height = height;
    return this;
  }
  setRowHeightsForced(startRow: number, numRows: number, height: number): SheetApi {
    return this.setRowHeights(startRow, numRows, height);
  }
  getRowHeight(rowPosition: number): number {
    return this._row(rowPosition).height ?? 21;
  }
  autoResizeColumn(columnPosition: number): SheetApi {
    this._col(columnPosition);
    return this;
  }
  autoResizeColumns(startColumn: number, numColumns: number): SheetApi {
    for (let i = 0; i < numColumns; i++) this._col(startColumn + i);
    return this;
  }
  autoResizeRows(startRow: number, numRows: number): SheetApi {
    for (let i = 0; i < numRows; i++) this._row(startRow + i);
    return this;
  }
  setTabColor(color: string | null): SheetApi {
    this._model.tabColor = normColor(color) ?? null;
    return this;
  }
  getTabColor(): string | null {
    return this._model.tabColor;
  }
  setHiddenGridlines(): SheetApi {
    return this;
  }
  // --- clearing
  clear(options?: Record<string, unknown>): SheetApi {
    const s = this._alive();
    const all = new RangeApi(this.env, s, 1, 1, s.maxRows, s.maxCols);
    all._clear(options);
    return this;
  }
  clearContents(): SheetApi {
    const s = this._alive();
    guardEdit(this.env, s, 0, 0, s.maxRows, s.maxCols);
    this.env.write(s.lastRow() * s.lastCol());
    s.clearAll(true, false);
    return this;
  }
  clearFormats(): SheetApi {
    const s = this._alive();
    this.env.write(s.lastRow() * s.lastCol(), 'attributes');
    s.clearAll(false, true);
    return this;
  }
  clearNotes(): SheetApi {
    const s = this._alive();
    s.clearAttrs(0, 0, s.maxRows, s.maxCols, ['note']);
    return this;
  }
  clearConditionalFormatRules(): void {}
  getConditionalFormatRules(): unknown[] {
    return [];
  }
  setConditionalFormatRules(): void {}
  getFilter(): null {
    return null;
  }
  getBandings(): unknown[] {
    return [];
  }
  getCharts(): unknown[] {
    return [];
  }
  getNamedRanges(): NamedRangeApi[] {
    return this._model.ss.namedRanges.filter((n) => n.sheet === this._model).map((n) => new NamedRangeApi(this.env, n));
  }
  // --- activation
  activate(): SheetApi {
    this._model.ss.activeSheet = this._alive();
    return this;
  }
  getActiveRange(): RangeApi | null {
    const a = this._model.ss.activeRange;
    return a && a.sheet === this._model ? new RangeApi(this.env, a.sheet, a.row, a.col, a.numRows, a.numCols) : null;
  }
  getActiveCell(): RangeApi | null {
    const a = this._model.ss.activeRange;
    return a && a.sheet === this._model ? new RangeApi(this.env, a.sheet, a.row, a.col, 1, 1) : null;
  }
  getCurrentCell(): RangeApi | null {
    return this.getActiveCell();
  }
  setActiveRange(range: RangeApi): RangeApi {
    return range.activate();
  }
  setActiveSelection(range: unknown): RangeApi {
    const r = typeof range === 'string' ? this.getRange(range) : (range as RangeApi);
    return r.activate();
  }
  setCurrentCell(cell: RangeApi): RangeApi {
    return cell.activate();
  }
  // --- protection & metadata
  protect(): ProtectionApi {
    const s = this._alive();
    const existing = s.ss.protections.find((p) => p.sheet === s && p.type === 'SHEET');
    if (existing) return new ProtectionApi(this.env, existing);
    const p = s.ss.addProtection({
      type: 'SHEET',
      sheet: s,
      rows: { start: 0, end: s.maxRows },
      cols: { start: 0, end: s.maxCols },
      description: '',
      warningOnly: false,
      editors: new Set([this.env.user()]),
      domainEdit: false,
      unprotected: [],
      rangeName: null,
    });
    return new ProtectionApi(this.env, p);
  }
  getProtections(type: unknown): ProtectionApi[] {
    const t = enumName(type);
    return this._model.ss.protections
      .filter((p) => p.sheet === this._model && p.type === t)
      .map((p) => new ProtectionApi(this.env, p));
  }
  addDeveloperMetadata(key: string, a?: unknown, b?: unknown): SheetApi {
    addMetadata(this.env, { type: 'SHEET', sheet: this._alive() }, key, a, b);
    return this;
  }
  getDeveloperMetadata(): DeveloperMetadataApi[] {
    return this._model.ss.metadata
      .filter((m) => m.loc.type === 'SHEET' && m.loc.sheet === this._model)
      .map((m) => new DeveloperMetadataApi(this.env, m));
  }
  createDeveloperMetadataFinder(): DeveloperMetadataFinderApi {
    return new DeveloperMetadataFinderApi(this.env, { kind: 'sheet', sheet: this._alive() });
  }
}

// ---------------------------------------------------------------------------------------------

function guardEdit(env: Env, sheet: SheetModel, r0: number, c0: number, nr: number, nc: number): void {
  if (sheet.ss.protections.length === 0) return;
  const p = sheet.ss.blockingProtection(sheet, r0, c0, nr, nc, env.user());
  if (p) throw new ScriptError(PROTECTED_EDIT);
}

export class RangeListApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'RangeList' };
  constructor(
    env: Env,
    readonly _ranges: RangeApi[],
  ) {
    super(env);
  }
  getRanges(): RangeApi[] {
    return this._ranges;
  }
  setValue(v: unknown): RangeListApi {
    for (const r of this._ranges) r.setValue(v);
    return this;
  }
  clearContent(): RangeListApi {
    for (const r of this._ranges) r.clearContent();
    return this;
  }
  setNumberFormat(f: string): RangeListApi {
    for (const r of this._ranges) r.setNumberFormat(f);
    return this;
  }
  setFontWeight(w: string | null): RangeListApi {
    for (const r of this._ranges) r.setFontWeight(w);
    return this;
  }
  setBackground(c: string | null): RangeListApi {
    for (const r of this._ranges) r.setBackground(c);
    return this;
  }
}

export class RangeApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'Range' };
  constructor(
    env: Env,
    readonly _sheet: SheetModel,
    readonly _row: number,
    readonly _col: number,
    readonly _nr: number,
    readonly _nc: number,
  ) {
    super(env);
  }
  private get _cells(): number {
    return this._nr * this._nc;
  }
  private _alive(): SheetModel {
    if (!this._sheet.ss.sheets.includes(this._sheet)) throw new ScriptError('The sheet was deleted.');
    if (this._row + this._nr - 1 > this._sheet.maxRows || this._col + this._nc - 1 > this._sheet.maxCols) {
      throw new ScriptError('The coordinates of the range are outside the dimensions of the sheet.');
    }
    return this._sheet;
  }
  private _guard(): SheetModel {
    const s = this._alive();
    guardEdit(this.env, s, this._row - 1, this._col - 1, this._nr, this._nc);
    return s;
  }
  /** A 2-D array of one attribute, in the script's realm. */
  private _attrGrid<T>(
    get: (x: CellExtra | undefined, r0: number, c0: number) => T,
    what: 'values' | 'attributes' = 'attributes',
  ): T[][] {
    const s = this._alive();
    this.env.read(this._cells, what);
    const out = this.env.newArray(this._nr) as T[][];
    for (let i = 0; i < this._nr; i++) {
      const row = s.rows[this._row - 1 + i];
      const line = this.env.newArray(this._nc) as T[];
      for (let j = 0; j < this._nc; j++)
        line[j] = get(row.x?.[this._col - 1 + j], this._row - 1 + i, this._col - 1 + j);
      out[i] = line;
    }
    return out;
  }
  private _setAttrAll<K extends keyof CellExtra>(key: K, value: CellExtra[K] | undefined): RangeApi {
    const s = this._guard();
    this.env.write(this._cells, 'attributes');
    for (let i = 0; i < this._nr; i++)
      for (let j = 0; j < this._nc; j++) s.setAttr(this._row - 1 + i, this._col - 1 + j, key, value);
    return this;
  }
  private _setAttrGrid<K extends keyof CellExtra>(
    method: string,
    key: K,
    data: unknown,
    conv: (v: unknown) => CellExtra[K] | undefined,
  ): RangeApi {
    checkGrid(method, data, this._nr, this._nc);
    const s = this._guard();
    this.env.write(this._cells, 'attributes');
    for (let i = 0; i < this._nr; i++)
      for (let j = 0; j < this._nc; j++) s.setAttr(this._row - 1 + i, this._col - 1 + j, key, conv(data[i][j]));
    return this;
  }
  // --- geometry
  getRow(): number {
    return this._row;
  }
  getRowIndex(): number {
    return this._row;
  }
  getColumn(): number {
    return this._col;
  }
  getNumRows(): number {
    return this._nr;
  }
  getNumColumns(): number {
    return this._nc;
  }
  getHeight(): number {
    return this._nr;
  }
  getWidth(): number {
    return this._nc;
  }
  getLastRow(): number {
    return this._row + this._nr - 1;
  }
  getLastColumn(): number {
    return this._col + this._nc - 1;
  }
  getA1Notation(): string {
    return a1Of(this._row, this._col, this._nr, this._nc);
  }
  getSheet(): SheetApi {
    return new SheetApi(this.env, this._sheet);
  }
  getGridId(): number {
    return this._sheet.id;
  }
  isStartRowBounded(): boolean {
    return true;
  }
  isStartColumnBounded(): boolean {
    return true;
  }
  isEndRowBounded(): boolean {
    return true;
  }
  isEndColumnBounded(): boolean {
    return true;
  }
  offset(rowOffset: number, columnOffset: number, numRows?: number, numColumns?: number): RangeApi {
    const nr = numRows ?? this._nr;
    const nc = numColumns ?? this._nc;
    this._sheet.checkBounds(this._row + rowOffset, this._col + columnOffset, nr, nc);
    return new RangeApi(this.env, this._sheet, this._row + rowOffset, this._col + columnOffset, nr, nc);
  }
  getCell(row: number, column: number): RangeApi {
    if (row < 1 || column < 1 || row > this._nr || column > this._nc) {
      throw new ScriptError('Cell reference out of range');
    }
    return new RangeApi(this.env, this._sheet, this._row + row - 1, this._col + column - 1, 1, 1);
  }
  activate(): RangeApi {
    const ss = this._sheet.ss;
    ss.activeSheet = this._alive();
    const ref: RangeRef = { sheet: this._sheet, row: this._row, col: this._col, numRows: this._nr, numCols: this._nc };
    ss.activeRange = ref;
    return this;
  }
  activateAsCurrentCell(): RangeApi {
    return this.activate();
  }
  isBlank(): boolean {
    const s = this._alive();
    this.env.read(this._cells);
    for (let i = 0; i < this._nr; i++) {
      const row = s.rows[this._row - 1 + i];
      for (let j = 0; j < this._nc; j++) {
        const v = row.v[this._col - 1 + j];
        if ((v !== undefined && v !== '') || row.x?.[this._col - 1 + j]?.f) return false;
      }
    }
    return true;
  }
  // --- values
  getValues(): unknown[][] {
    const s = this._alive();
    this.env.read(this._cells);
    return s.readValues(
      this._row - 1,
      this._col - 1,
      this._nr,
      this._nc,
      (n) => this.env.newArray(n),
      (ms) => this.env.date(ms),
    );
  }
  getValue(): unknown {
    const s = this._alive();
    this.env.read(1);
    const { v, nf } = s.valueAndFormat(this._row - 1, this._col - 1);
    if (v === undefined) return '';
    if (typeof v === 'number' && isDateFormat(nf)) {
      return this.env.date(instantFromSerial(v, s.ss.timeZone));
    }
    return v;
  }
  setValues(values: unknown): RangeApi {
    checkGrid('SpreadsheetApp.Range.setValues', values, this._nr, this._nc);
    const s = this._guard();
    this.env.write(this._cells);
    s.writeValues(this._row - 1, this._col - 1, values, writeContext(this.env));
    return this;
  }
  setValue(value: unknown): RangeApi {
    if (arguments.length === 0) throw signature('SpreadsheetApp.Range.setValue', []);
    const s = this._guard();
    this.env.write(this._cells);
    const rowVals = new Array(this._nc).fill(value);
    const grid = new Array(this._nr).fill(rowVals);
    s.writeValues(this._row - 1, this._col - 1, grid, writeContext(this.env));
    return this;
  }
  getDisplayValues(): string[][] {
    return this._sheet.ss.batchFormulas(() =>
      this._attrGrid((_x, r, c) => {
        const k = this._sheet.valueAndFormat(r, c);
        return displayValue(k.v, k.nf);
      }, 'values'),
    );
  }
  getDisplayValue(): string {
    const s = this._alive();
    this.env.read(1);
    const k = s.valueAndFormat(this._row - 1, this._col - 1);
    return displayValue(k.v, k.nf);
  }
  getFormulas(): string[][] {
    return this._attrGrid((x) => x?.f ?? '', 'values');
  }
  getFormula(): string {
    this._alive();
    this.env.read(1);
    return this._sheet.extra(this._row - 1, this._col - 1)?.f ?? '';
  }
  setFormulas(formulas: unknown): RangeApi {
    checkGrid('SpreadsheetApp.Range.setFormulas', formulas, this._nr, this._nc);
    const s = this._guard();
    this.env.write(this._cells);
    s.writeFormulas(this._row - 1, this._col - 1, formulas, writeContext(this.env));
    return this;
  }
  setFormula(formula: string): RangeApi {
    const s = this._guard();
    this.env.write(this._cells);
    const grid = new Array(this._nr).fill(new Array(this._nc).fill(String(formula)));
    s.writeFormulas(this._row - 1, this._col - 1, grid, writeContext(this.env));
    return this;
  }
  // --- notes
  getNotes(): string[][] {
    return this._attrGrid((x) => x?.note ?? '');
  }
  getNote(): string {
    this._alive();
    this.env.read(1, 'attributes');
    return this._sheet.extra(this._row - 1, this._col - 1)?.note ?? '';
  }
  setNotes(notes: unknown): RangeApi {
    return this._setAttrGrid('SpreadsheetApp.Range.setNotes', 'note', notes, (v) =>
      v === null || v === undefined || v === '' ? undefined : String(v),
    );
  }
  setNote(note: unknown): RangeApi {
    return this._setAttrAll('note', note === null || note === undefined || note === '' ? undefined : String(note));
  }
  clearNote(): RangeApi {
    return this._setAttrAll('note', undefined);
  }
  // --- formats
  getNumberFormats(): string[][] {
    return this._attrGrid((x) => x?.nf ?? AUTO_FORMAT);
  }
  getNumberFormat(): string {
    this._alive();
    this.env.read(1, 'attributes');
    return this._sheet.numberFormat(this._row - 1, this._col - 1) ?? AUTO_FORMAT;
  }
  setNumberFormat(numberFormat: string): RangeApi {
    const f = String(numberFormat);
    return this._setAttrAll('nf', f === '' || f === AUTO_FORMAT ? undefined : f);
  }
  setNumberFormats(numberFormats: unknown): RangeApi {
    return this._setAttrGrid('SpreadsheetApp.Range.setNumberFormats', 'nf', numberFormats, (v) =>
      v === null || v === undefined || v === '' || v === AUTO_FORMAT ? undefined : String(v),
    );
  }
  getBackgrounds(): string[][] {
    return this._attrGrid((x) => x?.bg ?? '#ffffff');
  }
  getBackground(): string {
    this._alive();
    this.env.read(1, 'attributes');
    return this._sheet.extra(this._row - 1, this._col - 1)?.bg ?? '#ffffff';
  }
  setBackground(color: string | null): RangeApi {
    return this._setAttrAll('bg', normColor(color));
  }
  setBackgrounds(colors: unknown): RangeApi {
    return this._setAttrGrid('SpreadsheetApp.Range.setBackgrounds', 'bg', colors, normColor);
  }
  setBackgroundRGB(red: number, green: number, blue: number): RangeApi {
    const hex =
      '#' +
      [red, green, blue]
        .map((n) =>
          Math.max(0, Math.min(255, n | 0))
            .toString(16)
            .padStart(2, '0'),
        )
        .join('');
    return this.setBackground(hex);
  }
  getFontWeights(): string[][] {
    return this._attrGrid((x) => x?.fw ?? 'normal');
  }
  getFontWeight(): string {
    this._alive();
    this.env.read(1, 'attributes');
    return this._sheet.extra(this._row - 1, this._col - 1)?.fw ?? 'normal';
  }
  setFontWeight(fontWeight: string | null): RangeApi {
    return this._setAttrAll('fw', fontWeight === 'bold' ? 'bold' : undefined);
  }
  setFontWeights(fontWeights: unknown): RangeApi {
    return this._setAttrGrid('SpreadsheetApp.Range.setFontWeights', 'fw', fontWeights, (v) =>
      v === 'bold' ? 'bold' : undefined,
    );
  }
  getFontColors(): string[][] {
    return this._attrGrid((x) => x?.fc ?? '#000000');
  }
  getFontColor(): string {
    this._alive();
    this.env.read(1, 'attributes');
    return this._sheet.extra(this._row - 1, this._col - 1)?.fc ?? '#000000';
  }
  setFontColor(color: string | null): RangeApi {
    return this._setAttrAll('fc', normColor(color));
  }
  setFontColors(colors: unknown): RangeApi {
    return this._setAttrGrid('SpreadsheetApp.Range.setFontColors', 'fc', colors, normColor);
  }
  getFontStyles(): string[][] {
    return this._attrGrid((x) => x?.fs ?? 'normal');
  }
  getFontStyle(): string {
    this._alive();
    this.env.read(1, 'attributes');
    return this._sheet.extra(this._row - 1, this._col - 1)?.fs ?? 'normal';
  }
  setFontStyle(fontStyle: string | null): RangeApi {
    return this._setAttrAll('fs', fontStyle === 'italic' ? 'italic' : undefined);
  }
  setFontStyles(styles: unknown): RangeApi {
    return this._setAttrGrid('SpreadsheetApp.Range.setFontStyles', 'fs', styles, (v) =>
      v === 'italic' ? 'italic' : undefined,
    );
  }
  getFontSizes(): number[][] {
    return this._attrGrid((x) => x?.fsz ?? 10);
  }
  getFontSize(): number {
    this._alive();
    this.env.read(1, 'attributes');
    return this._sheet.extra(this._row - 1, this._col - 1)?.fsz ?? 10;
  }
  setFontSize(size: number): RangeApi {
    return this._setAttrAll('fsz', size === 10 ? undefined : Number(size));
  }
  getFontFamily(): string {
    this._alive();
    this.env.read(1, 'attributes');
    return this._sheet.extra(this._row - 1, this._col - 1)?.ff ?? 'Arial';
  }
  setFontFamily(family: string | null): RangeApi {
    return this._setAttrAll('ff', family ? String(family) : undefined);
  }
  getHorizontalAlignment(): string {
    this._alive();
    this.env.read(1, 'attributes');
    return this._sheet.extra(this._row - 1, this._col - 1)?.ha ?? 'general';
  }
  getHorizontalAlignments(): string[][] {
    return this._attrGrid((x) => x?.ha ?? 'general');
  }
  setHorizontalAlignment(a: string | null): RangeApi {
    return this._setAttrAll('ha', a ? String(a).toLowerCase() : undefined);
  }
  setHorizontalAlignments(a: unknown): RangeApi {
    return this._setAttrGrid('SpreadsheetApp.Range.setHorizontalAlignments', 'ha', a, (v) =>
      v ? String(v).toLowerCase() : undefined,
    );
  }
  getVerticalAlignment(): string {
    this._alive();
    this.env.read(1, 'attributes');
    return this._sheet.extra(this._row - 1, this._col - 1)?.va ?? 'bottom';
  }
  setVerticalAlignment(a: string | null): RangeApi {
    return this._setAttrAll('va', a ? String(a).toLowerCase() : undefined);
  }
  setVerticalAlignments(a: unknown): RangeApi {
    return this._setAttrGrid('SpreadsheetApp.Range.setVerticalAlignments', 'va', a, (v) =>
      v ? String(v).toLowerCase() : undefined,
    );
  }
  getWrap(): boolean {
    this._alive();
    this.env.read(1, 'attributes');
    return this._sheet.extra(this._row - 1, this._col - 1)?.wrap ?? false;
  }
  getWraps(): boolean[][] {
    return this._attrGrid((x) => x?.wrap ?? false);
  }
  setWrap(wrap: boolean): RangeApi {
    return this._setAttrAll('wrap', wrap ? true : undefined);
  }
  setWraps(w: unknown): RangeApi {
    return this._setAttrGrid('SpreadsheetApp.Range.setWraps', 'wrap', w, (v) => (v ? true : undefined));
  }
  setWrapStrategy(): RangeApi {
    this._alive();
    return this;
  }
  setWrapStrategies(): RangeApi {
    this._alive();
    return this;
  }
  setBorder(): RangeApi {
    this._alive();
    return this;
  }
  setTextRotation(): RangeApi {
    this._alive();
    return this;
  }
  setShowHyperlink(): RangeApi {
    this._alive();
    return this;
  }
  merge(): RangeApi {
    this._alive();
    return this;
  }
  breakApart(): RangeApi {
    this._alive();
    return this;
  }
  getMergedRanges(): RangeApi[] {
    return [];
  }
  isPartOfMerge(): boolean {
    return false;
  }
  getFilter(): null {
    return null;
  }
  getBandings(): unknown[] {
    return [];
  }
  // --- data validation
  getDataValidations(): (unknown | null)[][] {
    return this._attrGrid((x) => (x?.dv ? this.env.wrap(new DataValidationApi(this.env, x.dv)) : null));
  }
  getDataValidation(): DataValidationApi | null {
    this._alive();
    this.env.read(1, 'attributes');
    const dv = this._sheet.extra(this._row - 1, this._col - 1)?.dv;
    return dv ? new DataValidationApi(this.env, dv) : null;
  }
  setDataValidation(rule: DataValidationApi | null): RangeApi {
    if (rule !== null && !(rule instanceof DataValidationApi))
      throw signature('SpreadsheetApp.Range.setDataValidation', [rule]);
    return this._setAttrAll('dv', rule ? rule._data : undefined);
  }
  setDataValidations(rules: unknown): RangeApi {
    return this._setAttrGrid('SpreadsheetApp.Range.setDataValidations', 'dv', rules, (v) => {
      const u = this.env.unwrap(v);
      if (u === null || u === undefined) return undefined;
      if (!(u instanceof DataValidationApi)) throw signature('SpreadsheetApp.Range.setDataValidations', [rules]);
      return u._data;
    });
  }
  clearDataValidations(): RangeApi {
    return this._setAttrAll('dv', undefined);
  }
  insertCheckboxes(checked?: unknown, unchecked?: unknown): RangeApi {
    const args = checked === undefined ? [] : unchecked === undefined ? [checked] : [checked, unchecked];
    this._setAttrAll('dv', { criteria: 'CHECKBOX', args, allowInvalid: false, helpText: null });
    this.env.write(this._cells);
    const s = this._sheet;
    for (let i = 0; i < this._nr; i++) {
      for (let j = 0; j < this._nc; j++) {
        const v = s.value(this._row - 1 + i, this._col - 1 + j);
        if (v === '') s.rows[this._row - 1 + i].v[this._col - 1 + j] = (unchecked ?? false) as Scalar;
      }
    }
    s.touch();
    return this;
  }
  removeCheckboxes(): RangeApi {
    return this.clearDataValidations();
  }
  isChecked(): boolean | null {
    const v = this.getValue();
    return v === true ? true : v === false ? false : null;
  }
  check(): RangeApi {
    return this.setValue(true);
  }
  uncheck(): RangeApi {
    return this.setValue(false);
  }
  // --- clearing
  clear(options?: Record<string, unknown>): RangeApi {
    return this._clear(options);
  }
  /** Cells of this range that hold data (what a clear actually has to touch). */
  private _usedCells(): number {
    const s = this._sheet;
    const rows = Math.max(0, Math.min(this._row + this._nr - 1, s.lastRow()) - this._row + 1);
    const cols = Math.max(0, Math.min(this._col + this._nc - 1, s.lastCol()) - this._col + 1);
    return rows * cols;
  }
  _clear(options?: Record<string, unknown>): RangeApi {
    const s = this._guard();
    const o = options ?? {};
    const only = o.contentsOnly || o.formatOnly || o.commentsOnly || o.validationsOnly;
    if (!only || o.contentsOnly) this.env.write(this._usedCells());
    else this.env.write(this._usedCells(), 'attributes');
    const r0 = this._row - 1;
    const c0 = this._col - 1;
    if (!only || o.contentsOnly) s.clearContent(r0, c0, this._nr, this._nc);
    if (!only || o.formatOnly) s.clearAttrs(r0, c0, this._nr, this._nc, FORMAT_KEYS);
    if (o.commentsOnly) s.clearAttrs(r0, c0, this._nr, this._nc, ['note']);
    if (o.validationsOnly) s.clearAttrs(r0, c0, this._nr, this._nc, ['dv']);
    return this;
  }
  clearContent(): RangeApi {
    const s = this._guard();
    this.env.write(this._usedCells());
    s.clearContent(this._row - 1, this._col - 1, this._nr, this._nc);
    return this;
  }
  clearFormat(): RangeApi {
    const s = this._guard();
    this.env.write(this._usedCells(), 'attributes');
    s.clearAttrs(this._row - 1, this._col - 1, this._nr, this._nc, FORMAT_KEYS);
    return this;
  }
  trimWhitespace(): RangeApi {
    const s = this._guard();
    this.env.write(this._cells);
    for (let i = 0; i < this._nr; i++) {
      const row = s.rows[this._row - 1 + i];
      for (let j = 0; j < this._nc; j++) {
        const v = row.v[this._col - 1 + j];
        if (typeof v === 'string') row.v[this._col - 1 + j] = v.replace(/\s+/g, ' ').trim() || undefined;
      }
    }
    s.touch();
    return this;
  }
  /** Copies values and attributes to the top-left of `destination` (same size). */
  copyTo(destination: RangeApi, options?: Record<string, unknown>): void {
    const s = this._alive();
    const d = destination;
    const dsheet = d._sheet;
    guardEdit(this.env, dsheet, d._row - 1, d._col - 1, this._nr, this._nc);
    dsheet.checkBounds(d._row, d._col, this._nr, this._nc);
    this.env.read(this._cells);
    this.env.write(this._cells);
    const contentsOnly = options?.contentsOnly === true;
    const formatOnly = options?.formatOnly === true;
    const src = [];
    for (let i = 0; i < this._nr; i++) {
      const row = s.rows[this._row - 1 + i];
      const line = [];
      for (let j = 0; j < this._nc; j++) line.push({ v: row.v[this._col - 1 + j], x: row.x?.[this._col - 1 + j] });
      src.push(line);
    }
    src.forEach((line, i) => {
      const row = dsheet.rows[d._row - 1 + i];
      line.forEach((cell, j) => {
        const c = d._col - 1 + j;
        if (!formatOnly) row.v[c] = cell.v;
        const x: CellExtra = {};
        const old = row.x?.[c];
        if (cell.x) {
          if (!formatOnly && cell.x.f) x.f = cell.x.f;
          if (!contentsOnly)
            for (const k of [...FORMAT_KEYS, 'dv', 'note'] as const)
              if (cell.x[k] !== undefined) (x as Record<string, unknown>)[k] = cell.x[k];
        }
        if (contentsOnly && old)
          for (const k of [...FORMAT_KEYS, 'dv', 'note'] as const)
            if (old[k] !== undefined) (x as Record<string, unknown>)[k] = old[k];
        if (formatOnly && old?.f) x.f = old.f;
        if (Object.keys(x).length) (row.x ??= [])[c] = x;
        else if (row.x) row.x[c] = undefined;
      });
    });
    dsheet.touch();
  }
  moveTo(target: RangeApi): void {
    this.copyTo(target);
    const s = this._sheet;
    const overlap = (i: number, j: number) =>
      target._sheet === s &&
      this._row + i >= target._row &&
      this._row + i < target._row + this._nr &&
      this._col + j >= target._col &&
      this._col + j < target._col + this._nc;
    for (let i = 0; i < this._nr; i++) {
      for (let j = 0; j < this._nc; j++) {
        if (overlap(i, j)) continue;
        const row = s.rows[this._row - 1 + i];
        row.v[this._col - 1 + j] = undefined;
        if (row.x) row.x[this._col - 1 + j] = undefined;
      }
    }
    s.touch();
  }
  sort(sortSpecObj: unknown): RangeApi {
    const s = this._guard();
    const specs: { col: number; ascending: boolean }[] = [];
    const one = (x: unknown) => {
      if (typeof x === 'number') specs.push({ col: x - 1, ascending: true });
      else if (x && typeof x === 'object' && 'column' in x) {
        const o = x as { column: number; ascending?: boolean };
        specs.push({ col: Number(o.column) - 1, ascending: o.ascending !== false });
      } else throw signature('SpreadsheetApp.Range.sort', [x]);
    };
    if (Array.isArray(sortSpecObj)) sortSpecObj.forEach(one);
    else one(sortSpecObj);
    for (const sp of specs) {
      if (sp.col < this._col - 1 || sp.col >= this._col - 1 + this._nc) {
        throw new ScriptError(
          `The column index must be within the range (${this._col} to ${this._col + this._nc - 1}).`,
        );
      }
    }
    this.env.structure();
    this.env.write(this._cells);
    s.sortBlock(this._row - 1, this._col - 1, this._nr, this._nc, specs);
    return this;
  }
  // --- protection & metadata
  protect(): ProtectionApi {
    const s = this._alive();
    const p = s.ss.addProtection({
      type: 'RANGE',
      sheet: s,
      rows: spanOf(this._row, this._nr),
      cols: spanOf(this._col, this._nc),
      description: '',
      warningOnly: false,
      editors: new Set([this.env.user()]),
      domainEdit: false,
      unprotected: [],
      rangeName: null,
    });
    return new ProtectionApi(this.env, p);
  }
  private _dimension(): MetaLocation {
    const s = this._alive();
    const wholeColumns = this._row === 1 && this._nr === s.maxRows;
    const wholeRows = this._col === 1 && this._nc === s.maxCols;
    if (wholeColumns && !(wholeRows && this._nc > 1 && this._nr === 1))
      return { type: 'COLUMN', sheet: s, span: spanOf(this._col, this._nc) };
    if (wholeRows) return { type: 'ROW', sheet: s, span: spanOf(this._row, this._nr) };
    throw new ScriptError(ARBITRARY_METADATA);
  }
  addDeveloperMetadata(key: string, a?: unknown, b?: unknown): RangeApi {
    addMetadata(this.env, this._dimension(), key, a, b);
    return this;
  }
  getDeveloperMetadata(): DeveloperMetadataApi[] {
    const s = this._alive();
    const wholeColumns = this._row === 1 && this._nr === s.maxRows;
    const wholeRows = this._col === 1 && this._nc === s.maxCols;
    return s.ss.metadata
      .filter((m) => {
        if (m.loc.type === 'COLUMN' && m.loc.sheet === s && wholeColumns)
          return m.loc.span.start === this._col - 1 && m.loc.span.end === this._col - 1 + this._nc;
        if (m.loc.type === 'ROW' && m.loc.sheet === s && wholeRows)
          return m.loc.span.start === this._row - 1 && m.loc.span.end === this._row - 1 + this._nr;
        return false;
      })
      .map((m) => new DeveloperMetadataApi(this.env, m));
  }
  createDeveloperMetadataFinder(): DeveloperMetadataFinderApi {
    return new DeveloperMetadataFinderApi(this.env, {
      kind: 'range',
      sheet: this._alive(),
      rows: spanOf(this._row, this._nr),
      cols: spanOf(this._col, this._nc),
    });
  }
  override toString(): string {
    return 'Range';
  }
}

// ---------------------------------------------------------------------------------------------
// Data validation

const REQUIRE: Record<string, string> = {
  requireDateAfter: 'DATE_AFTER',
  requireDateBefore: 'DATE_BEFORE',
  requireDateBetween: 'DATE_BETWEEN',
  requireDateEqualTo: 'DATE_EQUAL_TO',
  requireDateNotBetween: 'DATE_NOT_BETWEEN',
  requireDateOnOrAfter: 'DATE_ON_OR_AFTER',
  requireDateOnOrBefore: 'DATE_ON_OR_BEFORE',
  requireNumberBetween: 'NUMBER_BETWEEN',
  requireNumberEqualTo: 'NUMBER_EQUAL_TO',
  requireNumberGreaterThan: 'NUMBER_GREATER_THAN',
  requireNumberGreaterThanOrEqualTo: 'NUMBER_GREATER_THAN_OR_EQUAL_TO',
  requireNumberLessThan: 'NUMBER_LESS_THAN',
  requireNumberLessThanOrEqualTo: 'NUMBER_LESS_THAN_OR_EQUAL_TO',
  requireNumberNotBetween: 'NUMBER_NOT_BETWEEN',
  requireNumberNotEqualTo: 'NUMBER_NOT_EQUAL_TO',
  requireTextContains: 'TEXT_CONTAINS',
  requireTextDoesNotContain: 'TEXT_DOES_NOT_CONTAIN',
  requireTextEqualTo: 'TEXT_EQUAL_TO',
  requireFormulaSatisfied: 'CUSTOM_FORMULA',
};

export class DataValidationBuilderApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'DataValidationBuilder' };
  _criteria: string | null = null;
  _args: unknown[] = [];
  _allowInvalid = true;
  _helpText: string | null = null;
  private _set(criteria: string, args: unknown[]): DataValidationBuilderApi {
    this._criteria = criteria;
    this._args = args.map((a) => (types.isDate(a) ? new Date((a as Date).getTime()) : a));
    return this;
  }
  requireValueInList(values: unknown, showDropdown = true): DataValidationBuilderApi {
    if (!Array.isArray(values)) throw signature('SpreadsheetApp.DataValidationBuilder.requireValueInList', [values]);
    if (values.length > 500)
      throw new ScriptError(
        'The data validation rule has more items than the limit of 500. Use the "List from a range" criteria instead.',
      );
    return this._set('VALUE_IN_LIST', [values.map((v) => String(v)), showDropdown !== false]);
  }
  requireValueInRange(range: RangeApi, showDropdown = true): DataValidationBuilderApi {
    if (!(range instanceof RangeApi))
      throw signature('SpreadsheetApp.DataValidationBuilder.requireValueInRange', [range]);
    return this._set('VALUE_IN_RANGE', [range, showDropdown !== false]);
  }
  requireCheckbox(checked?: unknown, unchecked?: unknown): DataValidationBuilderApi {
    return this._set(
      'CHECKBOX',
      checked === undefined ? [] : unchecked === undefined ? [checked] : [checked, unchecked],
    );
  }
  requireDate(): DataValidationBuilderApi {
    return this._set('DATE_IS_VALID_DATE', []);
  }
  requireTextIsEmail(): DataValidationBuilderApi {
    return this._set('TEXT_IS_VALID_EMAIL', []);
  }
  requireTextIsUrl(): DataValidationBuilderApi {
    return this._set('TEXT_IS_VALID_URL', []);
  }
  requireDateAfter(d: unknown) {
    return this._set(REQUIRE.requireDateAfter, [d]);
  }
  requireDateBefore(d: unknown) {
    return this._set(REQUIRE.requireDateBefore, [d]);
  }
  requireDateBetween(a: unknown, b: unknown) {
    return this._set(REQUIRE.requireDateBetween, [a, b]);
  }
  requireDateEqualTo(d: unknown) {
    return this._set(REQUIRE.requireDateEqualTo, [d]);
  }
  requireDateNotBetween(a: unknown, b: unknown) {
    return this._set(REQUIRE.requireDateNotBetween, [a, b]);
  }
  requireDateOnOrAfter(d: unknown) {
    return this._set(REQUIRE.requireDateOnOrAfter, [d]);
  }
  requireDateOnOrBefore(d: unknown) {
    return this._set(REQUIRE.requireDateOnOrBefore, [d]);
  }
  requireNumberBetween(a: number, b: number) {
    return this._set(REQUIRE.requireNumberBetween, [a, b]);
  }
  requireNumberEqualTo(n: number) {
    return this._set(REQUIRE.requireNumberEqualTo, [n]);
  }
  requireNumberGreaterThan(n: number) {
    return this._set(REQUIRE.requireNumberGreaterThan, [n]);
  }
  requireNumberGreaterThanOrEqualTo(n: number) {
    return this._set(REQUIRE.requireNumberGreaterThanOrEqualTo, [n]);
  }
  requireNumberLessThan(n: number) {
    return this._set(REQUIRE.requireNumberLessThan, [n]);
  }
  requireNumberLessThanOrEqualTo(n: number) {
    return this._set(REQUIRE.requireNumberLessThanOrEqualTo, [n]);
  }
  requireNumberNotBetween(a: number, b: number) {
    return this._set(REQUIRE.requireNumberNotBetween, [a, b]);
  }
  requireNumberNotEqualTo(n: number) {
    return this._set(REQUIRE.requireNumberNotEqualTo, [n]);
  }
  requireTextContains(t: string) {
    return this._set(REQUIRE.requireTextContains, [String(t)]);
  }
  requireTextDoesNotContain(t: string) {
    return this._set(REQUIRE.requireTextDoesNotContain, [String(t)]);
  }
  requireTextEqualTo(t: string) {
    return this._set(REQUIRE.requireTextEqualTo, [String(t)]);
  }
  requireFormulaSatisfied(f: string) {
    return this._set(REQUIRE.requireFormulaSatisfied, [String(f)]);
  }
  withCriteria(criteria: unknown, args: unknown[]): DataValidationBuilderApi {
    return this._set(enumName(criteria), Array.isArray(args) ? [...args] : []);
  }
  setAllowInvalid(allowInvalidData: boolean): DataValidationBuilderApi {
    this._allowInvalid = allowInvalidData !== false;
    return this;
  }
  setHelpText(helpText: string): DataValidationBuilderApi {
    this._helpText = helpText === null || helpText === undefined ? null : String(helpText);
    return this;
  }
  getAllowInvalid(): boolean {
    return this._allowInvalid;
  }
  getHelpText(): string | null {
    return this._helpText;
  }
  getCriteriaType(): unknown {
    return this._criteria ? this.env.enumValue('DataValidationCriteria', this._criteria) : null;
  }
  getCriteriaValues(): unknown[] {
    return criteriaValues(this.env, this._args);
  }
  copy(): DataValidationBuilderApi {
    const b = new DataValidationBuilderApi(this.env);
    b._criteria = this._criteria;
    b._args = [...this._args];
    b._allowInvalid = this._allowInvalid;
    b._helpText = this._helpText;
    return b;
  }
  build(): DataValidationApi {
    if (!this._criteria) throw new ScriptError('You must specify a criteria type for the data validation rule.');
    return new DataValidationApi(this.env, {
      criteria: this._criteria,
      args: this._args.map((a) =>
        a instanceof RangeApi
          ? ({ sheet: a._sheet, row: a._row, col: a._col, numRows: a._nr, numCols: a._nc } satisfies RangeRef)
          : a,
      ),
      allowInvalid: this._allowInvalid,
      helpText: this._helpText,
    });
  }
}

function criteriaValues(env: Env, args: unknown[]): unknown[] {
  return env.array(
    args.map((a) => {
      if (a instanceof RangeApi) return env.wrap(a);
      if (a && typeof a === 'object' && 'sheet' in a && 'numRows' in a) {
        const r = a as RangeRef;
        return env.wrap(new RangeApi(env, r.sheet, r.row, r.col, r.numRows, r.numCols));
      }
      if (types.isDate(a)) return env.date((a as Date).getTime());
      if (Array.isArray(a)) return env.array(a);
      return a;
    }),
  );
}

export class DataValidationApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'DataValidation' };
  constructor(
    env: Env,
    readonly _data: DataValidationData,
  ) {
    super(env);
  }
  getCriteriaType(): unknown {
    return this.env.enumValue('DataValidationCriteria', this._data.criteria);
  }
  getCriteriaValues(): unknown[] {
    return criteriaValues(this.env, this._data.args);
  }
  getAllowInvalid(): boolean {
    return this._data.allowInvalid;
  }
  getHelpText(): string | null {
    return this._data.helpText;
  }
  copy(): DataValidationBuilderApi {
    const b = new DataValidationBuilderApi(this.env);
    b._criteria = this._data.criteria;
    b._args = [...this._data.args];
    b._allowInvalid = this._data.allowInvalid;
    b._helpText = this._data.helpText;
    return b;
  }
}

/** Would Sheets accept `value` typed by a person into a cell with `dv`? (Only rejecting rules matter.) */
export function passesValidation(dv: DataValidationData, value: Scalar, display: string): boolean {
  if (value === '' || value === undefined) return true;
  const a = dv.args;
  const num = typeof value === 'number' ? value : Number.NaN;
  switch (dv.criteria) {
    case 'VALUE_IN_LIST':
      return (a[0] as string[]).includes(display);
    case 'CHECKBOX':
      if (a.length === 0) return typeof value === 'boolean';
      return String(value) === String(a[0]) || (a.length > 1 && String(value) === String(a[1]));
    case 'NUMBER_BETWEEN':
      return num >= Number(a[0]) && num <= Number(a[1]);
    case 'NUMBER_NOT_BETWEEN':
      return !Number.isNaN(num) && (num < Number(a[0]) || num > Number(a[1]));
    case 'NUMBER_EQUAL_TO':
      return num === Number(a[0]);
    case 'NUMBER_NOT_EQUAL_TO':
      return !Number.isNaN(num) && num !== Number(a[0]);
    case 'NUMBER_GREATER_THAN':
      return num > Number(a[0]);
    case 'NUMBER_GREATER_THAN_OR_EQUAL_TO':
      return num >= Number(a[0]);
    case 'NUMBER_LESS_THAN':
      return num < Number(a[0]);
    case 'NUMBER_LESS_THAN_OR_EQUAL_TO':
      return num <= Number(a[0]);
    case 'TEXT_CONTAINS':
      return display.includes(String(a[0]));
    case 'TEXT_DOES_NOT_CONTAIN':
      return !display.includes(String(a[0]));
    case 'TEXT_EQUAL_TO':
      return display === String(a[0]);
    case 'TEXT_IS_VALID_EMAIL':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(display);
    case 'TEXT_IS_VALID_URL':
      return /^(https?:\/\/)?[^\s.]+\.[^\s]+$/.test(display);
    case 'VALUE_IN_RANGE': {
      const r = a[0] as RangeRef;
      for (let i = 0; i < r.numRows; i++) {
        for (let j = 0; j < r.numCols; j++) {
          if (String(r.sheet.value(r.row - 1 + i, r.col - 1 + j)) === display) return true;
        }
      }
      return false;
    }
    default:
      return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Developer metadata

function metadataChars(ss: SpreadsheetModel, owner: SheetModel | null): number {
  let n = 0;
  for (const m of ss.metadata) {
    const o = m.loc.type === 'SPREADSHEET' ? null : m.loc.sheet;
    if (o === owner) n += m.key.length + (m.value?.length ?? 0);
  }
  return n;
}

function addMetadata(env: Env, loc: MetaLocation, key: unknown, a: unknown, b: unknown): DevMetaModel {
  if (typeof key !== 'string' || key === '') throw new ScriptError('Invalid argument: key');
  let value: string | null = null;
  let visibility: 'DOCUMENT' | 'PROJECT' = 'DOCUMENT';
  const isVis = (x: unknown) =>
    x !== null && typeof x === 'object' && (String(x) === 'DOCUMENT' || String(x) === 'PROJECT');
  if (isVis(a)) visibility = String(a) as 'DOCUMENT' | 'PROJECT';
  else if (a !== undefined && a !== null) value = String(a);
  if (b !== undefined && b !== null) visibility = enumName(b) === 'PROJECT' ? 'PROJECT' : 'DOCUMENT';
  const ss = env.state.spreadsheet;
  const owner = loc.type === 'SPREADSHEET' ? null : loc.sheet;
  if (metadataChars(ss, owner) + key.length + (value?.length ?? 0) > METADATA_CHAR_LIMIT) {
    throw new ScriptError(
      `Developer metadata storage exceeded: the ${owner ? 'sheet' : 'spreadsheet'} can hold at most ${METADATA_CHAR_LIMIT} characters of metadata keys and values.`,
    );
  }
  return ss.addMetadata(key, value, visibility, loc);
}

export class DeveloperMetadataApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'DeveloperMetadata' };
  constructor(
    env: Env,
    readonly _m: DevMetaModel,
  ) {
    super(env);
  }
  private _live(): DevMetaModel {
    if (!this.env.state.spreadsheet.metadata.includes(this._m))
      throw new ScriptError('The developer metadata was removed.');
    return this._m;
  }
  getId(): number {
    return this._m.id;
  }
  getKey(): string {
    return this._live().key;
  }
  getValue(): string | null {
    return this._live().value;
  }
  getVisibility(): unknown {
    return this.env.enumValue('DeveloperMetadataVisibility', this._live().visibility);
  }
  getLocation(): DeveloperMetadataLocationApi {
    return new DeveloperMetadataLocationApi(this.env, this._live());
  }
  setKey(key: string): DeveloperMetadataApi {
    if (typeof key !== 'string' || key === '') throw new ScriptError('Invalid argument: key');
    this._live().key = key;
    return this;
  }
  setValue(value: string | null): DeveloperMetadataApi {
    this._live().value = value === null || value === undefined ? null : String(value);
    return this;
  }
  setVisibility(v: unknown): DeveloperMetadataApi {
    this._live().visibility = enumName(v) === 'PROJECT' ? 'PROJECT' : 'DOCUMENT';
    return this;
  }
  remove(): void {
    this.env.state.spreadsheet.removeMetadata(this._live());
  }
  moveToColumn(range: RangeApi): DeveloperMetadataApi {
    this._live().loc = { type: 'COLUMN', sheet: range._sheet, span: spanOf(range._col, range._nc) };
    return this;
  }
  moveToRow(range: RangeApi): DeveloperMetadataApi {
    this._live().loc = { type: 'ROW', sheet: range._sheet, span: spanOf(range._row, range._nr) };
    return this;
  }
  moveToSheet(sheet: SheetApi): DeveloperMetadataApi {
    this._live().loc = { type: 'SHEET', sheet: sheet._model };
    return this;
  }
  moveToSpreadsheet(): DeveloperMetadataApi {
    this._live().loc = { type: 'SPREADSHEET' };
    return this;
  }
}

export class DeveloperMetadataLocationApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'DeveloperMetadataLocation' };
  constructor(
    env: Env,
    readonly _m: DevMetaModel,
  ) {
    super(env);
  }
  getLocationType(): unknown {
    return this.env.enumValue('DeveloperMetadataLocationType', this._m.loc.type);
  }
  getColumn(): RangeApi | null {
    const l = this._m.loc;
    if (l.type !== 'COLUMN') return null;
    return new RangeApi(this.env, l.sheet, 1, l.span.start + 1, l.sheet.maxRows, l.span.end - l.span.start);
  }
  getRow(): RangeApi | null {
    const l = this._m.loc;
    if (l.type !== 'ROW') return null;
    return new RangeApi(this.env, l.sheet, l.span.start + 1, 1, l.span.end - l.span.start, l.sheet.maxCols);
  }
  getSheet(): SheetApi | null {
    const l = this._m.loc;
    return l.type === 'SPREADSHEET' ? null : new SheetApi(this.env, l.sheet);
  }
  getSpreadsheet(): SpreadsheetApi | null {
    return this._m.loc.type === 'SPREADSHEET' ? new SpreadsheetApi(this.env, this.env.state.spreadsheet) : null;
  }
}

type FinderScope =
  | { kind: 'spreadsheet' }
  | { kind: 'sheet'; sheet: SheetModel }
  | { kind: 'range'; sheet: SheetModel; rows: Span; cols: Span };

export class DeveloperMetadataFinderApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'DeveloperMetadataFinder' };
  private _id: number | null = null;
  private _key: string | null = null;
  private _value: string | null | undefined = undefined;
  private _type: string | null = null;
  private _visibility: string | null = null;
  private _intersecting = false;
  constructor(
    env: Env,
    private readonly _scope: FinderScope,
  ) {
    super(env);
  }
  withId(id: number): DeveloperMetadataFinderApi {
    this._id = Number(id);
    return this;
  }
  withKey(key: string): DeveloperMetadataFinderApi {
    this._key = String(key);
    return this;
  }
  withValue(value: string): DeveloperMetadataFinderApi {
    this._value = value === null ? null : String(value);
    return this;
  }
  withLocationType(t: unknown): DeveloperMetadataFinderApi {
    this._type = enumName(t);
    return this;
  }
  withVisibility(v: unknown): DeveloperMetadataFinderApi {
    this._visibility = enumName(v);
    return this;
  }
  onIntersectingLocations(): DeveloperMetadataFinderApi {
    this._intersecting = true;
    return this;
  }
  find(): DeveloperMetadataApi[] {
    const sc = this._scope;
    const inScope = (m: DevMetaModel): boolean => {
      if (sc.kind === 'spreadsheet') return true;
      if (m.loc.type === 'SPREADSHEET') return false;
      if (m.loc.sheet !== sc.sheet) return false;
      if (sc.kind === 'sheet') return true;
      if (m.loc.type === 'SHEET') return false;
      const s = sc.sheet;
      // the location as a block of cells
      const rows = m.loc.type === 'ROW' ? m.loc.span : { start: 0, end: s.maxRows };
      const cols = m.loc.type === 'COLUMN' ? m.loc.span : { start: 0, end: s.maxCols };
      if (this._intersecting) {
        return (
          rows.start < sc.rows.end && sc.rows.start < rows.end && cols.start < sc.cols.end && sc.cols.start < cols.end
        );
      }
      return (
        rows.start >= sc.rows.start && rows.end <= sc.rows.end && cols.start >= sc.cols.start && cols.end <= sc.cols.end
      );
    };
    return this.env.state.spreadsheet.metadata
      .filter(
        (m) =>
          inScope(m) &&
          (this._id === null || m.id === this._id) &&
          (this._key === null || m.key === this._key) &&
          (this._value === undefined || m.value === this._value) &&
          (this._type === null || m.loc.type === this._type) &&
          (this._visibility === null || m.visibility === this._visibility),
      )
      .map((m) => new DeveloperMetadataApi(this.env, m));
  }
}

// ---------------------------------------------------------------------------------------------
// Protection & named ranges

export class ProtectionApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'Protection' };
  constructor(
    env: Env,
    readonly _p: ProtectionModel,
  ) {
    super(env);
  }
  getProtectionType(): unknown {
    return this.env.enumValue('ProtectionType', this._p.type);
  }
  getRange(): RangeApi {
    const p = this._p;
    if (p.type === 'SHEET') return new RangeApi(this.env, p.sheet, 1, 1, p.sheet.maxRows, p.sheet.maxCols);
    return new RangeApi(
      this.env,
      p.sheet,
      p.rows.start + 1,
      p.cols.start + 1,
      p.rows.end - p.rows.start,
      p.cols.end - p.cols.start,
    );
  }
  setRange(range: RangeApi): ProtectionApi {
    this._p.rows = spanOf(range._row, range._nr);
    this._p.cols = spanOf(range._col, range._nc);
    return this;
  }
  getRangeName(): string | null {
    return this._p.rangeName;
  }
  setRangeName(name: string): ProtectionApi {
    this._p.rangeName = String(name);
    return this;
  }
  getDescription(): string {
    return this._p.description;
  }
  setDescription(description: string): ProtectionApi {
    this._p.description = String(description ?? '');
    return this;
  }
  isWarningOnly(): boolean {
    return this._p.warningOnly;
  }
  setWarningOnly(warningOnly: boolean): ProtectionApi {
    this._p.warningOnly = warningOnly === true;
    return this;
  }
  getEditors(): UserApi[] {
    const ss = this.env.state.spreadsheet;
    return [ss.owner, ...[...this._p.editors].filter((e) => e !== ss.owner)].map((e) => new UserApi(this.env, e));
  }
  addEditor(user: unknown): ProtectionApi {
    this._p.editors.add(userEmail(user));
    return this;
  }
  addEditors(users: unknown[]): ProtectionApi {
    for (const u of users) this.addEditor(u);
    return this;
  }
  removeEditor(user: unknown): ProtectionApi {
    this._p.editors.delete(userEmail(user));
    return this;
  }
  removeEditors(users: unknown[]): ProtectionApi {
    for (const u of users) this.removeEditor(u);
    return this;
  }
  canEdit(): boolean {
    const u = this.env.user();
    return u === this.env.state.spreadsheet.owner || this._p.editors.has(u);
  }
  canDomainEdit(): boolean {
    return this._p.domainEdit;
  }
  setDomainEdit(editable: boolean): ProtectionApi {
    this._p.domainEdit = editable === true;
    return this;
  }
  getUnprotectedRanges(): RangeApi[] {
    return this._p.unprotected.map(
      (u) =>
        new RangeApi(
          this.env,
          this._p.sheet,
          u.rows.start + 1,
          u.cols.start + 1,
          u.rows.end - u.rows.start,
          u.cols.end - u.cols.start,
        ),
    );
  }
  setUnprotectedRanges(ranges: RangeApi[]): ProtectionApi {
    if (this._p.type !== 'SHEET') throw new ScriptError('Unprotected ranges can only be set on a sheet protection.');
    this._p.unprotected = ranges.map((r) => {
      const u = this.env.unwrap(r) as RangeApi;
      return { rows: spanOf(u._row, u._nr), cols: spanOf(u._col, u._nc) };
    });
    return this;
  }
  remove(): void {
    const ss = this.env.state.spreadsheet;
    if (this.env.user() !== ss.owner && !this._p.editors.has(this.env.user())) {
      throw new ScriptError("You don't have permission to remove this protection.");
    }
    ss.protections = ss.protections.filter((p) => p !== this._p);
  }
}

export class NamedRangeApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'NamedRange' };
  constructor(
    env: Env,
    readonly _n: NamedRangeModel,
  ) {
    super(env);
  }
  getName(): string {
    return this._n.name;
  }
  getRange(): RangeApi {
    const n = this._n;
    return new RangeApi(
      this.env,
      n.sheet,
      n.rows.start + 1,
      n.cols.start + 1,
      n.rows.end - n.rows.start,
      n.cols.end - n.cols.start,
    );
  }
  remove(): void {
    const ss = this.env.state.spreadsheet;
    ss.namedRanges = ss.namedRanges.filter((x) => x !== this._n);
  }
}

export { columnToLetters };
