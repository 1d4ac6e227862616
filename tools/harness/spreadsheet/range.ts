/**
 * Range and RangeList: values, formulas, attributes and structure of a block of cells.
 */
import { ApiObject, type ClassMeta } from '../api-base';
import type { Env } from '../env';
import { ScriptError } from '../errors';
import { a1Of } from './a1';
import { type CellExtra, FORMAT_KEYS, type MetaLocation, readCopy, type RangeRef, type SheetModel } from './model';
import { AUTO_FORMAT, displayValue, isDateFormat, instantFromSerial, type Scalar } from './values';
import { ARBITRARY_METADATA, normColor, signature, checkGrid, writeContext, spanOf, guardEdit } from './shared';
import { addMetadata, DeveloperMetadataApi, DeveloperMetadataFinderApi } from './metadata';
import { ProtectionApi } from './protection';
import { SheetApi } from './sheet';
import { DataValidationApi } from './validation';

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
    // What a read returns is the script's own (docs/harness.md, "Memory"): never the model's strings.
    const copy = s.ss.copyStrings;
    for (let i = 0; i < this._nr; i++) {
      const row = s.rows[this._row - 1 + i];
      const line = this.env.newArray(this._nc) as T[];
      for (let j = 0; j < this._nc; j++) {
        line[j] = readCopy(get(row.x?.[this._col - 1 + j], this._row - 1 + i, this._col - 1 + j), copy);
      }
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
