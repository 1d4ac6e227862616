/**
 * In-memory spreadsheet state. Values are dense (one array of cells per row); per-cell attributes
 * (formula, note, number format, background, font, data validation) are sparse objects on the row,
 * so they travel with their cells when rows move, and are spliced with them when columns move.
 * Developer metadata, protections and named ranges keep row/column spans that every structural
 * change transforms.
 */
import { ScriptError } from '../errors';
import {
  AUTO_FORMAT,
  compareForSort,
  type FormulaEvaluator,
  interpret,
  type Interpreted,
  isDateFormat,
  instantFromSerial,
  type Scalar,
} from './values';
import { type Computed, FormulaEngine } from './formulas';

/** Cells per spreadsheet (support.google.com/drive/answer/37603; Google Workspace Updates, 2022-03-14). */
export const CELL_LIMIT = 10_000_000;
/** Apps Script's message when a change would pass it (as quoted by scripts and Sheets API clients that hit it). */
export const CELL_LIMIT_MESSAGE =
  'This action would increase the number of cells in the workbook above the limit of 10000000 cells.';

/** `arr` with `items` inserted at `at` (a spread splice overflows the stack past ~100,000 items). */
function insertAll<T>(arr: T[], at: number, items: T[]): T[] {
  if (items.length < 10_000) {
    arr.splice(at, 0, ...items);
    return arr;
  }
  return arr.slice(0, at).concat(items, arr.slice(at));
}

export interface DataValidationData {
  criteria: string;
  /** Criteria values; for VALUE_IN_RANGE the first is a RangeRef. */
  args: unknown[];
  allowInvalid: boolean;
  helpText: string | null;
}

export interface RangeRef {
  sheet: SheetModel;
  row: number;
  col: number;
  numRows: number;
  numCols: number;
}

export interface CellExtra {
  /** formula text */
  f?: string;
  note?: string;
  /** number format */
  nf?: string;
  bg?: string;
  /** font weight */
  fw?: string;
  fc?: string;
  /** font style */
  fs?: string;
  fsz?: number;
  ff?: string;
  ha?: string;
  va?: string;
  wrap?: boolean;
  dv?: DataValidationData;
}

/** Attributes that are formatting (inherited by inserted rows/columns, cleared by clearFormat). */
export const FORMAT_KEYS = ['nf', 'bg', 'fw', 'fc', 'fs', 'fsz', 'ff', 'ha', 'va', 'wrap'] as const;

export interface Row {
  v: (Scalar | undefined)[];
  x?: (CellExtra | undefined)[];
  hidden?: boolean;
  height?: number;
}

export interface ColInfo {
  hidden?: boolean;
  width?: number;
}

/** 0-based, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

export type DimOp =
  | { kind: 'insert'; at: number; n: number }
  | { kind: 'delete'; at: number; n: number }
  | { kind: 'move'; start: number; n: number; dest: number };

export type Dim = 'ROWS' | 'COLUMNS';

/** New index of old index `i` after `op`, or -1 when deleted. */
export function mapIndex(i: number, op: DimOp): number {
  switch (op.kind) {
    case 'insert':
      return i >= op.at ? i + op.n : i;
    case 'delete':
      if (i < op.at) return i;
      if (i < op.at + op.n) return -1;
      return i - op.n;
    case 'move': {
      const insertAt = op.dest > op.start ? op.dest - op.n : op.dest;
      if (i >= op.start && i < op.start + op.n) return insertAt + (i - op.start);
      const afterRemoval = i >= op.start + op.n ? i - op.n : i;
      return afterRemoval >= insertAt ? afterRemoval + op.n : afterRemoval;
    }
  }
}

/** A span after a structural change; null when all of it was deleted. Inserting inside a span grows it. */
export function transformSpan(span: Span, op: DimOp): Span | null {
  if (op.kind === 'insert') {
    if (op.at <= span.start) return { start: span.start + op.n, end: span.end + op.n };
    if (op.at < span.end) return { start: span.start, end: span.end + op.n };
    return span;
  }
  if (op.kind === 'delete') {
    const delEnd = op.at + op.n;
    const overlap = Math.max(0, Math.min(span.end, delEnd) - Math.max(span.start, op.at));
    const len = span.end - span.start - overlap;
    if (len <= 0) return null;
    const start = span.start < op.at ? span.start : span.start >= delEnd ? span.start - op.n : op.at;
    return { start, end: start + len };
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = span.start; i < span.end; i++) {
    const j = mapIndex(i, op);
    if (j < min) min = j;
    if (j > max) max = j;
  }
  return { start: min, end: max + 1 };
}

export type MetaLocation =
  | { type: 'SPREADSHEET' }
  | { type: 'SHEET'; sheet: SheetModel }
  | { type: 'ROW' | 'COLUMN'; sheet: SheetModel; span: Span };

export interface DevMetaModel {
  id: number;
  key: string;
  value: string | null;
  visibility: 'DOCUMENT' | 'PROJECT';
  loc: MetaLocation;
}

export interface ProtectionModel {
  id: number;
  type: 'RANGE' | 'SHEET';
  sheet: SheetModel;
  rows: Span;
  cols: Span;
  description: string;
  warningOnly: boolean;
  editors: Set<string>;
  domainEdit: boolean;
  unprotected: { rows: Span; cols: Span }[];
  rangeName: string | null;
}

export interface NamedRangeModel {
  name: string;
  sheet: SheetModel;
  rows: Span;
  cols: Span;
}

export interface WriteContext {
  tz: string;
  now: number;
  /** Only an override (HarnessOptions.formulaValue) is consulted at write time; the engine computes on read. */
  evaluate?: FormulaEvaluator | null;
  /** HarnessOptions.divergent. */
  plainTextDropsApostrophe?: boolean;
}

const scratch: Interpreted = { v: '', f: undefined, nf: undefined };

function copyFormats(src: CellExtra | undefined): CellExtra | undefined {
  if (!src) return undefined;
  let out: CellExtra | undefined;
  for (const k of FORMAT_KEYS) {
    if (src[k] !== undefined) (out ??= {})[k] = src[k] as never;
  }
  if (src.dv) (out ??= {}).dv = src.dv;
  return out;
}

function isEmptyExtra(x: CellExtra): boolean {
  for (const k in x) if ((x as Record<string, unknown>)[k] !== undefined) return false;
  return true;
}

/**
 * Estimated bytes V8 spends on a stored value (docs/harness.md, "Memory"): the spreadsheet model lives in the heap the
 * harness measures, but its cells are Google's storage, not the script's memory. A string: its header (16) and its
 * characters counted as one byte each, rounded up to 8; a number that is not a small integer: a heap number (16);
 * anything else lives in its slot; a cell's attribute object (format, note, validation) counts 40 bytes, what it
 * points to (a note's text, a validation's options) nothing. The estimate errs low: the script is charged for what it
 * misses, never the other way.
 */
export function storedValueBytes(v: unknown): number {
  if (typeof v === 'string') return 16 + ((v.length * (WIDE.test(v) ? 2 : 1) + 7) & ~7);
  if (typeof v === 'number') return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? 0 : 16;
  return 0;
}

const WIDE = /[\u0100-\uffff]/;

/**
 * A flat copy of a text, sharing nothing with the string the script passed (which may be a concatenation or a slice
 * holding a larger string alive): what the model stores when memory is measured, so that the estimate above is exact
 * for it and the script's own strings are the script's (docs/harness.md, "Memory").
 */
export function ownCopy(v: string): string {
  const enc = WIDE.test(v) ? 'utf16le' : 'latin1';
  return Buffer.from(v, enc).toString(enc);
}

/** What a read hands the script: with `copy` (memory measured), a non-empty text as its own copy (docs/harness.md). */
export function readCopy<T>(v: T, copy: boolean): T {
  return copy && typeof v === 'string' && v !== '' ? (ownCopy(v) as T) : v;
}

/** A row's fixed cost (the row object, its values array and the array's header) and 8 bytes a slot. */
const ROW_BYTES = 72;
const SLOT_BYTES = 8;

/** Slots V8 allocates for an array grown one element at a time to `length` (new capacity = old + old / 2 + 16). */
function capacity(length: number): number {
  let cap = 0;
  while (cap < length) cap = cap + (cap >> 1) + 16;
  return cap;
}

/** A cell's attribute object (number format, note, validation...): an object literal's header and four fields. */
const EXTRA_BYTES = 56;

function rowBytes(row: Row): number {
  let n = ROW_BYTES + SLOT_BYTES * capacity(row.v.length);
  for (const v of row.v) if (v !== undefined) n += storedValueBytes(v);
  if (row.x) {
    n += 48 + SLOT_BYTES * capacity(row.x.length);
    for (const e of row.x) if (e !== undefined) n += EXTRA_BYTES;
  }
  return n;
}

export class SheetModel {
  rows: Row[] = [];
  cols: ColInfo[] = [];
  frozenRows = 0;
  frozenCols = 0;
  hidden = false;
  tabColor: string | null = null;
  private version = 0;
  private lastRowCache = -1;
  private lastRowVersion = -1;
  private lastColCache = -1;
  private lastColVersion = -1;
  /** Estimated bytes of the stored values (storedValueBytes), kept up to date by writes; null: count again. */
  private valueBytes: number | null = null;

  constructor(
    readonly ss: SpreadsheetModel,
    readonly id: number,
    public name: string,
    maxRows = 1000,
    maxCols = 26,
  ) {
    for (let i = 0; i < maxRows; i++) this.rows.push({ v: [] });
    for (let i = 0; i < maxCols; i++) this.cols.push({});
  }

  get maxRows(): number {
    return this.rows.length;
  }
  get maxCols(): number {
    return this.cols.length;
  }

  /** Record that contents changed (invalidates getLastRow/getLastColumn caches, and the storage estimate). */
  touch(): void {
    this.version++;
    this.valueBytes = null;
  }

  /** Estimated bytes the sheet's values take in the heap (docs/harness.md, "Memory"). */
  storageBytes(): number {
    if (this.valueBytes === null) {
      let n = 0;
      for (const row of this.rows) n += rowBytes(row);
      this.valueBytes = n;
    }
    return this.valueBytes;
  }

  /** A cell's value: formulas are computed now (references see current values; TODAY/NOW follow the clock). */
  value(r: number, c: number): Scalar {
    const f = this.rows[r]?.x?.[c]?.f;
    if (f !== undefined) return this.ss.computeFormula(this, r, c, f).v;
    const v = this.rows[r]?.v[c];
    return v === undefined ? '' : v;
  }

  /** The stored value without computing formulas (FormulaSheet). */
  raw(r: number, c: number): Scalar | undefined {
    return this.rows[r]?.v[c];
  }

  formulaAt(r: number, c: number): string | undefined {
    return this.rows[r]?.x?.[c]?.f;
  }

  /** Value and effective number format (a date formula in an Automatic cell shows as a date). */
  valueAndFormat(r: number, c: number): { v: Scalar | undefined; nf: string | undefined } {
    const x = this.rows[r]?.x?.[c];
    if (x?.f !== undefined) {
      const k = this.ss.computeFormula(this, r, c, x.f);
      return { v: k.v, nf: x.nf ?? k.nf };
    }
    return { v: this.rows[r]?.v[c], nf: x?.nf };
  }

  extra(r: number, c: number): CellExtra | undefined {
    return this.rows[r]?.x?.[c];
  }

  ensureExtra(r: number, c: number): CellExtra {
    const row = this.rows[r];
    const x = (row.x ??= []);
    let e = x[c];
    if (e === undefined) {
      x[c] = e = {};
      this.valueBytes = null; // a new attribute object: count again
    }
    return e;
  }

  setAttr<K extends keyof CellExtra>(r: number, c: number, key: K, value: CellExtra[K] | undefined): void {
    if (value === undefined || value === null) {
      const x = this.rows[r]?.x?.[c];
      if (x && x[key] !== undefined) {
        delete x[key];
        if (isEmptyExtra(x)) {
          this.rows[r].x![c] = undefined;
          this.valueBytes = null;
        }
      }
      return;
    }
    this.ensureExtra(r, c)[key] = value;
  }

  numberFormat(r: number, c: number): string | undefined {
    return this.rows[r]?.x?.[c]?.nf;
  }

  /** 1-based last row with content (0 when empty). */
  lastRow(): number {
    if (this.lastRowVersion === this.version) return this.lastRowCache;
    let last = 0;
    for (let r = this.rows.length - 1; r >= 0 && last === 0; r--) {
      const row = this.rows[r];
      for (let c = 0; c < row.v.length; c++) {
        const v = row.v[c];
        if (v !== undefined && v !== '') {
          last = r + 1;
          break;
        }
      }
      if (last === 0 && row.x) {
        for (let c = 0; c < row.x.length; c++) {
          if (row.x[c]?.f) {
            last = r + 1;
            break;
          }
        }
      }
    }
    this.lastRowCache = last;
    this.lastRowVersion = this.version;
    return last;
  }

  /** 1-based last column with content (0 when empty). */
  lastCol(): number {
    if (this.lastColVersion === this.version) return this.lastColCache;
    let last = 0;
    for (const row of this.rows) {
      for (let c = row.v.length - 1; c >= last; c--) {
        const v = row.v[c];
        if (v !== undefined && v !== '') {
          last = c + 1;
          break;
        }
      }
      if (row.x) {
        for (let c = row.x.length - 1; c >= last; c--) {
          if (row.x[c]?.f) {
            last = c + 1;
            break;
          }
        }
      }
    }
    this.lastColCache = last;
    this.lastColVersion = this.version;
    return last;
  }

  checkBounds(row: number, col: number, numRows: number, numCols: number): void {
    if (!Number.isInteger(row) || !Number.isInteger(col) || !Number.isInteger(numRows) || !Number.isInteger(numCols)) {
      throw new ScriptError('The coordinates or dimensions of the range are invalid.');
    }
    if (row < 1) throw new ScriptError('The starting row of the range is too small.');
    if (col < 1) throw new ScriptError('The starting column of the range is too small.');
    if (numRows < 1) throw new ScriptError('The number of rows in the range must be at least 1.');
    if (numCols < 1) throw new ScriptError('The number of columns in the range must be at least 1.');
    if (row + numRows - 1 > this.maxRows || col + numCols - 1 > this.maxCols) {
      throw new ScriptError('The coordinates of the range are outside the dimensions of the sheet.');
    }
  }

  // ---- values ------------------------------------------------------------------------------

  /**
   * Write a block with user-entered semantics. `values` must already match the block's size.
   * Clears formulas that get overwritten; applies number formats Sheets infers (dates, %).
   */
  writeValues(r0: number, c0: number, values: ArrayLike<ArrayLike<unknown>>, w: WriteContext): void {
    const tz = w.tz;
    const evaluate = w.evaluate ?? null;
    let bytes = 0;
    for (let i = 0; i < values.length; i++) {
      const src = values[i];
      const row = this.rows[r0 + i];
      const v = row.v;
      const x = row.x;
      bytes -= SLOT_BYTES * capacity(v.length);
      for (let j = 0; j < src.length; j++) {
        const c = c0 + j;
        const val = src[j];
        const ex = x !== undefined ? x[c] : undefined;
        bytes -= storedValueBytes(v[c]);
        // fast paths: plain text and numbers without formulas or formats to consider
        if (ex === undefined) {
          if (typeof val === 'number' && Number.isFinite(val)) {
            v[c] = val;
            bytes += storedValueBytes(val);
            continue;
          }
          if (typeof val === 'string') {
            const c0c = val.length > 0 ? val.charCodeAt(0) : 0;
            if (
              val.length > 0 &&
              val.length <= 50_000 &&
              ((c0c >= 65 && c0c <= 90) || (c0c >= 97 && c0c <= 122)) &&
              c0c !== 84 &&
              c0c !== 116 &&
              c0c !== 70 &&
              c0c !== 102
            ) {
              v[c] = this.ss.copyStrings ? ownCopy(val) : val;
              bytes += storedValueBytes(val);
              continue;
            }
          }
        }
        const dropped = w.plainTextDropsApostrophe && ex?.nf === '@' && typeof val === 'string' && val.startsWith("'");
        interpret(dropped ? val.slice(1) : val, ex?.nf, tz, w.now, evaluate, scratch);
        const kept = scratch.v === '' ? undefined : scratch.v;
        v[c] = typeof kept === 'string' && this.ss.copyStrings ? ownCopy(kept) : kept;
        bytes += storedValueBytes(v[c]);
        if (scratch.f !== undefined) this.ensureExtra(r0 + i, c).f = scratch.f;
        else if (ex?.f !== undefined) this.setAttr(r0 + i, c, 'f', undefined);
        if (scratch.nf !== undefined) this.ensureExtra(r0 + i, c).nf = scratch.nf;
      }
      bytes += SLOT_BYTES * capacity(v.length);
    }
    this.version++; // touch(), keeping the storage estimate just updated
    if (this.valueBytes !== null) this.valueBytes += bytes;
  }

  /** Write formulas (strings starting with '='; anything else is written as a value). */
  writeFormulas(r0: number, c0: number, formulas: ArrayLike<ArrayLike<unknown>>, w: WriteContext): void {
    for (let i = 0; i < formulas.length; i++) {
      for (let j = 0; j < formulas[i].length; j++) {
        const f = formulas[i][j];
        if (typeof f === 'string' && f.startsWith('=')) {
          if (f.length > 50_000)
            throw new ScriptError('Your input contains more than the maximum of 50000 characters in a single cell.');
          this.rows[r0 + i].v[c0 + j] = f.length === 1 ? '#ERROR!' : w.evaluate ? w.evaluate(f) : undefined;
          this.ensureExtra(r0 + i, c0 + j).f = f;
        } else {
          this.writeValues(r0 + i, c0 + j, [[f]], w);
        }
      }
    }
    this.touch();
  }

  /** Read a block of values into arrays made by `mk`; date-formatted numbers become dates by `mkDate`. */
  readValues(
    r0: number,
    c0: number,
    nr: number,
    nc: number,
    mk: (n: number) => unknown[],
    mkDate: (ms: number) => unknown,
  ): unknown[][] {
    return this.ss.batchFormulas(() => this.readValuesNow(r0, c0, nr, nc, mk, mkDate));
  }

  private readValuesNow(
    r0: number,
    c0: number,
    nr: number,
    nc: number,
    mk: (n: number) => unknown[],
    mkDate: (ms: number) => unknown,
  ): unknown[][] {
    const out = mk(nr) as unknown[][];
    const tz = this.ss.timeZone;
    // Apps Script hands the script fresh strings (they come over the wire): when memory is measured, a read never
    // shares the model's strings, so the script is charged for what it reads and keeps (docs/harness.md, "Memory").
    const copy = this.ss.copyStrings;
    for (let i = 0; i < nr; i++) {
      const row = this.rows[r0 + i];
      const v = row.v;
      const x = row.x;
      const line = mk(nc);
      if (x === undefined) {
        for (let j = 0; j < nc; j++) {
          const val = v[c0 + j];
          line[j] = val === undefined ? '' : readCopy(val, copy);
        }
      } else {
        for (let j = 0; j < nc; j++) {
          const f = x[c0 + j]?.f;
          let val = v[c0 + j];
          let nf = x[c0 + j]?.nf;
          if (f !== undefined) {
            const k = this.ss.computeFormula(this, r0 + i, c0 + j, f);
            val = k.v;
            nf ??= k.nf;
          }
          if (val === undefined) line[j] = '';
          else if (typeof val === 'number') {
            line[j] = nf !== undefined && isDateFormat(nf) ? mkDate(instantFromSerial(val, tz)) : val;
          } else line[j] = readCopy(val, copy);
        }
      }
      out[i] = line;
    }
    return out;
  }

  /** Clear values and formulas in a block. */
  clearContent(r0: number, c0: number, nr: number, nc: number): void {
    for (let i = 0; i < nr; i++) {
      const row = this.rows[r0 + i];
      for (let j = 0; j < nc; j++) {
        if (c0 + j < row.v.length) {
          if (this.valueBytes !== null) this.valueBytes -= storedValueBytes(row.v[c0 + j]);
          row.v[c0 + j] = undefined;
        }
        const x = row.x?.[c0 + j];
        if (x?.f !== undefined) this.setAttr(r0 + i, c0 + j, 'f', undefined);
      }
    }
    this.version++; // touch(), keeping the storage estimate just updated
  }

  clearAttrs(r0: number, c0: number, nr: number, nc: number, keys: readonly (keyof CellExtra)[]): void {
    for (let i = 0; i < nr; i++) {
      const row = this.rows[r0 + i];
      if (!row.x) continue;
      for (let j = 0; j < nc; j++) for (const k of keys) this.setAttr(r0 + i, c0 + j, k, undefined);
    }
  }

  // ---- structure ---------------------------------------------------------------------------

  insertRows(at: number, n: number, inheritFrom: number | null): void {
    this.ss.checkCellLimit(n * this.maxCols);
    const src = inheritFrom !== null ? this.rows[inheritFrom] : undefined;
    const fresh: Row[] = [];
    for (let i = 0; i < n; i++) {
      const row: Row = { v: [] };
      if (src?.x) {
        const x: (CellExtra | undefined)[] = [];
        src.x.forEach((e, c) => {
          const cp = copyFormats(e);
          if (cp) x[c] = cp;
        });
        if (x.length) row.x = x;
      }
      fresh.push(row);
    }
    this.rows = insertAll(this.rows, at, fresh);
    this.touch();
    this.ss.transform(this, 'ROWS', { kind: 'insert', at, n });
  }

  deleteRows(at: number, n: number): void {
    if (at < 0 || n < 1 || at + n > this.maxRows) throw new ScriptError('Those rows are out of bounds.');
    if (this.maxRows - n <= this.frozenRows) {
      throw new ScriptError('Sorry, it is not possible to delete all non-frozen rows.');
    }
    this.rows.splice(at, n);
    this.touch();
    this.ss.transform(this, 'ROWS', { kind: 'delete', at, n });
  }

  insertCols(at: number, n: number, inheritFrom: number | null): void {
    this.ss.checkCellLimit(n * this.maxRows);
    const blanks = new Array(n);
    for (const row of this.rows) {
      if (row.v.length > at) row.v.splice(at, 0, ...blanks);
      if (row.x) {
        const inherited = inheritFrom !== null ? copyFormats(row.x[inheritFrom]) : undefined;
        if (row.x.length > at) row.x.splice(at, 0, ...blanks);
        if (inherited) for (let k = 0; k < n; k++) row.x[at + k] = { ...inherited };
      }
    }
    const srcCol = inheritFrom !== null ? this.cols[inheritFrom] : undefined;
    const fresh: ColInfo[] = [];
    for (let k = 0; k < n; k++) fresh.push(srcCol?.width !== undefined ? { width: srcCol.width } : {});
    this.cols = insertAll(this.cols, at, fresh);
    this.touch();
    this.ss.transform(this, 'COLUMNS', { kind: 'insert', at, n });
  }

  deleteCols(at: number, n: number): void {
    if (at < 0 || n < 1 || at + n > this.maxCols) throw new ScriptError('Those columns are out of bounds.');
    if (this.maxCols - n <= this.frozenCols) {
      throw new ScriptError('Sorry, it is not possible to delete all non-frozen columns.');
    }
    for (const row of this.rows) {
      if (row.v.length > at) row.v.splice(at, n);
      if (row.x && row.x.length > at) row.x.splice(at, n);
    }
    this.cols.splice(at, n);
    this.touch();
    this.ss.transform(this, 'COLUMNS', { kind: 'delete', at, n });
  }

  moveRows(start: number, n: number, dest: number): void {
    if (dest >= start && dest <= start + n) return; // moving a block into itself changes nothing
    const moved = this.rows.splice(start, n);
    const insertAt = dest > start ? dest - n : dest;
    this.rows.splice(insertAt, 0, ...moved);
    this.touch();
    this.ss.transform(this, 'ROWS', { kind: 'move', start, n, dest });
  }

  moveCols(start: number, n: number, dest: number): void {
    if (dest >= start && dest <= start + n) return;
    const insertAt = dest > start ? dest - n : dest;
    const move = <T>(arr: T[], len: number) => {
      while (arr.length < len) arr.length = len;
      const moved = arr.splice(start, n);
      arr.splice(insertAt, 0, ...moved);
    };
    const need = Math.max(start + n, dest);
    for (const row of this.rows) {
      if (row.v.length > Math.min(start, insertAt)) move(row.v, need);
      if (row.x && row.x.length > Math.min(start, insertAt)) move(row.x, need);
    }
    move(this.cols, this.cols.length);
    this.touch();
    this.ss.transform(this, 'COLUMNS', { kind: 'move', start, n, dest });
  }

  /** Sort rows r0..r0+nr-1 of columns c0..c0+nc-1 (cells and their attributes move; rows outside the columns don't). */
  sortBlock(r0: number, c0: number, nr: number, nc: number, specs: { col: number; ascending: boolean }[]): void {
    const items: { v: (Scalar | undefined)[]; x: (CellExtra | undefined)[] | undefined; i: number }[] = [];
    for (let i = 0; i < nr; i++) {
      const row = this.rows[r0 + i];
      const v: (Scalar | undefined)[] = new Array(nc);
      let x: (CellExtra | undefined)[] | undefined;
      for (let j = 0; j < nc; j++) {
        v[j] = row.v[c0 + j];
        const e = row.x?.[c0 + j];
        if (e) (x ??= new Array(nc))[j] = e;
      }
      items.push({ v, x, i });
    }
    items.sort((a, b) => {
      for (const s of specs) {
        const k = s.col - c0;
        const c = compareForSort(a.v[k], b.v[k], s.ascending);
        if (c !== 0) return c;
      }
      return a.i - b.i;
    });
    items.forEach((it, i) => {
      const row = this.rows[r0 + i];
      for (let j = 0; j < nc; j++) {
        if (it.v[j] !== undefined || row.v.length > c0 + j) row.v[c0 + j] = it.v[j];
        const e = it.x?.[j];
        if (e) (row.x ??= [])[c0 + j] = e;
        else if (row.x) row.x[c0 + j] = undefined;
      }
    });
    this.touch();
  }

  /** Clear the whole sheet's contents and/or formats (notes and validations stay). */
  clearAll(contents: boolean, formats: boolean): void {
    for (const row of this.rows) {
      if (contents) row.v = [];
      if (row.x) {
        row.x.forEach((e, c) => {
          if (!e) return;
          if (contents) delete e.f;
          if (formats) for (const k of FORMAT_KEYS) delete e[k];
          if (isEmptyExtra(e)) row.x![c] = undefined;
        });
      }
    }
    this.touch();
  }
}

export class SpreadsheetModel {
  sheets: SheetModel[] = [];
  activeSheet!: SheetModel;
  activeRange: RangeRef | null = null;
  metadata: DevMetaModel[] = [];
  namedRanges: NamedRangeModel[] = [];
  private nextMetaId = 1;
  private nextProtectionId = 1;
  private sheetIdSeed = 1_234_567;

  constructor(
    public id: string,
    public name: string,
    public timeZone: string,
    public locale = 'en_US',
    readonly owner: string,
  ) {
    this.addSheet('Sheet1', 0, 0);
  }

  /** Store a flat copy of each text written (memory is measured: the model's storage must not share the script's strings). */
  copyStrings = false;

  /** Virtual now, for volatile formulas (the harness sets it to its clock). */
  now: () => number = () => Date.now();
  /** HarnessOptions.formulaValue: a fixed answer for every formula instead of the engine. */
  formulaOverride: FormulaEvaluator | null = null;
  private readonly engine = new FormulaEngine(this);

  /** A formula cell's value, computed at the time of the read. */
  computeFormula(sheet: SheetModel, r: number, c: number, formula: string): Computed {
    if (this.formulaOverride)
      return { v: formula.length === 1 ? '#ERROR!' : this.formulaOverride(formula), nf: undefined };
    return this.engine.compute(sheet, r, c, formula);
  }

  /** Read many cells with one computation per formula cell. */
  batchFormulas<T>(fn: () => T): T {
    return this.engine.batch(fn);
  }

  private newSheetId(): number {
    // deterministic pseudo-random ids like Sheets' (9-10 digits)
    this.sheetIdSeed = (this.sheetIdSeed * 1_103_515_245 + 12_345) % 2_147_483_647;
    const id = 100_000_000 + (this.sheetIdSeed % 1_900_000_000);
    return this.sheets.some((s) => s.id === id) ? this.newSheetId() : id;
  }

  sheetByName(name: string): SheetModel | null {
    const lower = String(name).toLowerCase();
    return this.sheets.find((s) => s.name.toLowerCase() === lower) ?? null;
  }

  sheetById(id: number): SheetModel | null {
    return this.sheets.find((s) => s.id === id) ?? null;
  }

  defaultSheetName(): string {
    for (let i = this.sheets.length + 1; ; i++) if (!this.sheetByName(`Sheet${i}`)) return `Sheet${i}`;
  }

  /**
   * Estimated bytes of sheets deleted during the current execution: their cells may stay in the heap while the
   * execution holds a Sheet of them, and are Google's storage, not the script's memory (the runtime resets it).
   */
  removedBytes = 0;

  /** Estimated bytes of every sheet's values in the heap (Google's storage, not the script's memory). */
  storageBytes(): number {
    let n = this.removedBytes;
    for (const s of this.sheets) n += s.storageBytes();
    return n;
  }

  /** Cells in every sheet's grid (rows × columns, used or not): what Sheets' 10 million limit counts. */
  cellCount(): number {
    let n = 0;
    for (const s of this.sheets) n += s.maxRows * s.maxCols;
    return n;
  }

  /** Refuse growing the grids by `added` cells past Sheets' limit (the growth changes nothing). */
  checkCellLimit(added: number): void {
    if (this.cellCount() + added > CELL_LIMIT) throw new ScriptError(CELL_LIMIT_MESSAGE);
  }

  /**
   * Adds a sheet and makes it the active sheet, as Spreadsheet.insertSheet does ("The new sheet
   * becomes the active sheet").
   */
  addSheet(name: string, index: number, id?: number, rows = 1000, cols = 26): SheetModel {
    if (this.sheetByName(name)) {
      throw new ScriptError(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
    if (name.length > 100) throw new ScriptError('Sheet names must be at most 100 characters.');
    if (this.sheets.length > 0) this.checkCellLimit(rows * cols);
    const sheet = new SheetModel(this, id ?? this.newSheetId(), name, rows, cols);
    const at = Math.max(0, Math.min(index, this.sheets.length));
    this.sheets.splice(at, 0, sheet);
    this.activeSheet = sheet;
    return sheet;
  }

  removeSheet(sheet: SheetModel): void {
    if (this.sheets.length <= 1) throw new ScriptError("You can't remove all the sheets in a document.");
    const idx = this.sheets.indexOf(sheet);
    if (idx < 0) throw new ScriptError('Sheet not found.');
    this.removedBytes += sheet.storageBytes();
    this.sheets.splice(idx, 1);
    this.metadata = this.metadata.filter((m) => m.loc.type === 'SPREADSHEET' || m.loc.sheet !== sheet);
    this.namedRanges = this.namedRanges.filter((n) => n.sheet !== sheet);
    if (this.activeSheet === sheet) this.activeSheet = this.sheets[Math.max(0, idx - 1)];
    if (this.activeRange?.sheet === sheet) this.activeRange = null;
  }

  addMetadata(key: string, value: string | null, visibility: 'DOCUMENT' | 'PROJECT', loc: MetaLocation): DevMetaModel {
    const m: DevMetaModel = { id: this.nextMetaId++ * 7919 + 1000, key, value, visibility, loc };
    this.metadata.push(m);
    return m;
  }

  removeMetadata(m: DevMetaModel): void {
    const i = this.metadata.indexOf(m);
    if (i >= 0) this.metadata.splice(i, 1);
  }

  addProtection(p: Omit<ProtectionModel, 'id'>): ProtectionModel {
    const full = { ...p, id: this.nextProtectionId++ };
    this.protections.push(full);
    return full;
  }

  /** All protections, in creation order. */
  protections: ProtectionModel[] = [];

  /** Apply a structural change of `sheet` to everything anchored to row/column spans. */
  transform(sheet: SheetModel, dim: Dim, op: DimOp): void {
    const locType = dim === 'ROWS' ? 'ROW' : 'COLUMN';
    this.metadata = this.metadata.filter((m) => {
      if (m.loc.type !== locType || m.loc.sheet !== sheet) return true;
      const span = transformSpan(m.loc.span, op);
      if (!span) return false;
      m.loc.span = span;
      return true;
    });
    const key = dim === 'ROWS' ? 'rows' : 'cols';
    this.protections = this.protections.filter((p) => {
      if (p.sheet !== sheet || p.type === 'SHEET') return true;
      const span = transformSpan(p[key], op);
      if (!span) return false;
      p[key] = span;
      return true;
    });
    for (const p of this.protections) {
      if (p.sheet !== sheet) continue;
      p.unprotected = p.unprotected.filter((u) => {
        const span = transformSpan(u[key], op);
        if (!span) return false;
        u[key] = span;
        return true;
      });
    }
    this.namedRanges = this.namedRanges.filter((n) => {
      if (n.sheet !== sheet) return true;
      const span = transformSpan(n[key], op);
      if (!span) return false;
      n[key] = span;
      return true;
    });
  }

  /** Protections (not warning-only) that forbid `user` from editing any cell of the block. */
  blockingProtection(
    sheet: SheetModel,
    r0: number,
    c0: number,
    nr: number,
    nc: number,
    user: string,
  ): ProtectionModel | null {
    return (
      this.protectionsOver(sheet, r0, c0, nr, nc).find(
        (p) => !p.warningOnly && user !== this.owner && !p.editors.has(user),
      ) ?? null
    );
  }

  protectionsOver(sheet: SheetModel, r0: number, c0: number, nr: number, nc: number): ProtectionModel[] {
    const hits = (rows: Span, cols: Span) =>
      rows.start < r0 + nr && r0 < rows.end && cols.start < c0 + nc && c0 < cols.end;
    return this.protections.filter((p) => {
      if (p.sheet !== sheet) return false;
      if (p.type === 'SHEET') {
        // a sheet protection applies unless the block lies wholly inside an unprotected range
        return !p.unprotected.some(
          (u) => u.rows.start <= r0 && r0 + nr <= u.rows.end && u.cols.start <= c0 && c0 + nc <= u.cols.end,
        );
      }
      return hits(p.rows, p.cols);
    });
  }
}

export { AUTO_FORMAT };
