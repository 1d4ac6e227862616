/**
 * Spreadsheet: sheets, named ranges, protections, metadata and settings of the bound spreadsheet.
 */
import { ApiObject, type ClassMeta, enumName } from '../api-base';
import type { Env } from '../env';
import { ScriptError } from '../errors';
import { isValidTimeZone } from '../tz';
import { UserApi } from '../session';
import { splitSheet } from './a1';
import { type SpreadsheetModel } from './model';
import { spanOf, userEmail } from './shared';
import { addMetadata, DeveloperMetadataApi, DeveloperMetadataFinderApi } from './metadata';
import { ProtectionApi, NamedRangeApi } from './protection';
import { RangeApi } from './range';
import { SheetApi } from './sheet';

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
