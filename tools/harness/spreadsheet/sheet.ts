/**
 * Sheet: one tab: ranges, structure (insert/delete/move rows and columns), frozen/hidden, protection.
 */
import { ApiObject, type ClassMeta, enumName } from '../api-base';
import type { Env } from '../env';
import { ScriptError } from '../errors';
import { parseA1 } from './a1';
import { type SheetModel } from './model';
import { normColor, signature, writeContext, guardEdit } from './shared';
import { addMetadata, DeveloperMetadataApi, DeveloperMetadataFinderApi } from './metadata';
import { ProtectionApi, NamedRangeApi } from './protection';
import { RangeListApi, RangeApi } from './range';
import { SpreadsheetApi } from './spreadsheet';

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
