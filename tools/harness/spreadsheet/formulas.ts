/**
 * The harness's formula engine: a documented subset of Google Sheets formulas (docs/harness.md,
 * "Formulas"), evaluated when a cell is read, so references always see current values and volatile
 * functions (TODAY, NOW, RAND) follow the virtual clock and the spreadsheet's time zone.
 *
 * Parsing is @borgar/fx (a maintained Excel/Sheets formula tokenizer and parser); the arithmetic of
 * SUM/AVERAGE/MIN/MAX/ROUND and the text functions is @formulajs/formulajs. Operators, coercions,
 * references, IF and the date functions follow Sheets' rules as documented in Google's function list
 * (https://support.google.com/docs/table/25273). Anything outside the subset answers `#NAME?`.
 */
import { parse, parseA1Ref, tokenize } from '@borgar/fx';
import * as formulajs from '@formulajs/formulajs';
import { displayValue, isDateFormat, serialFromInstant, type Scalar } from './values';

/** An error value (`#VALUE!`, `#DIV/0!`, ...). */
class FErr {
  constructor(readonly code: string) {}
}
/** Cell values inside the engine: null is an empty cell. */
type V = number | string | boolean | null | FErr;
interface RangeV {
  range: V[][];
}
type Val = V | RangeV;

/** What the engine needs from the spreadsheet. */
export interface FormulaSheet {
  readonly name: string;
  readonly id: number;
  readonly maxRows: number;
  readonly maxCols: number;
  /** Raw stored value (undefined = empty) and the cell's formula and number format, if any. */
  raw(r: number, c: number): Scalar | undefined;
  formulaAt(r: number, c: number): string | undefined;
  numberFormat(r: number, c: number): string | undefined;
}
export interface FormulaBook {
  readonly timeZone: string;
  now(): number;
  sheetByName(name: string): FormulaSheet | null;
}

/** A computed cell: its value and, when the formula yields a date or time, the format Sheets shows it in. */
export interface Computed {
  v: Scalar;
  nf: string | undefined;
}

const DATE_NF = 'M/d/yyyy';
const DATETIME_NF = 'M/d/yyyy H:mm:ss';
const SERIAL_EPOCH = Date.UTC(1899, 11, 30);
const DAY = 86_400_000;

/** The functions the harness computes; every other name answers #NAME?. */
export const SUPPORTED_FUNCTIONS = [
  'SUM',
  'AVERAGE',
  'MIN',
  'MAX',
  'ROUND',
  'IF',
  'CONCATENATE',
  'UPPER',
  'LOWER',
  'LEN',
  'TRIM',
  'TODAY',
  'NOW',
  'DATE',
  'RAND',
] as const;
/** Functions whose value changes with time: recomputed on every read. */
export const VOLATILE_FUNCTIONS = ['TODAY', 'NOW', 'RAND'] as const;

type Node = { type: string; [k: string]: unknown };

const astCache = new Map<string, Node | null>();

function ast(formula: string): Node | null {
  let n = astCache.get(formula);
  if (n === undefined) {
    try {
      n = parse(tokenize(formula, { mergeRefs: true, allowTernary: true }), {
        permitArrayRanges: true,
      });
    } catch {
      n = null; // Sheets: "Formula parse error" shows #ERROR!
    }
    if (astCache.size > 5000) astCache.clear();
    astCache.set(formula, n);
  }
  return n;
}

interface A1Ref {
  context?: string[];
  range?: { top: number | null; left: number | null; bottom: number | null; right: number | null };
}
const refCache = new Map<string, A1Ref | undefined>();

/** A reference's sheet and bounds (0-based; null = open-ended), parsed once per text. */
function a1Ref(text: string): A1Ref | undefined {
  if (refCache.has(text)) return refCache.get(text);
  const ref = parseA1Ref(text, { allowTernary: true }) as A1Ref | undefined;
  if (refCache.size > 20_000) refCache.clear();
  refCache.set(text, ref);
  return ref;
}

function isRange(v: Val): v is RangeV {
  return v !== null && typeof v === 'object' && !(v instanceof FErr);
}

export class FormulaEngine {
  private memo: Map<string, Computed> | null = null;
  private readonly inProgress = new Set<string>();

  constructor(private readonly book: FormulaBook) {}

  /** Value of the formula in `sheet` at (r, c), 0-based. */
  compute(sheet: FormulaSheet, r: number, c: number, formula: string): Computed {
    const key = `${sheet.id}:${r}:${c}`;
    const top = this.memo === null;
    if (top) this.memo = new Map();
    try {
      const hit = this.memo!.get(key);
      if (hit) return hit;
      if (this.inProgress.has(key)) return { v: '#REF!', nf: undefined }; // circular dependency
      this.inProgress.add(key);
      let out: Computed;
      try {
        const node = ast(formula);
        if (!node || signedText(formula, node)) out = { v: '#ERROR!', nf: undefined };
        else {
          const ctx: Ctx = { sheet, r, c };
          out = { v: finish(this.evalNode(node, ctx)), nf: this.formatOf(node, ctx) };
        }
      } finally {
        this.inProgress.delete(key);
      }
      this.memo!.set(key, out);
      return out;
    } finally {
      if (top) this.memo = null;
    }
  }

  /** Run `fn` with one memo for every formula it reads (a block read computes each cell once). */
  batch<T>(fn: () => T): T {
    if (this.memo !== null) return fn();
    this.memo = new Map();
    try {
      return fn();
    } finally {
      this.memo = null;
    }
  }

  // ---- evaluation ----------------------------------------------------------------------------

  private evalNode(n: Node, ctx: Ctx): Val {
    switch (n.type) {
      case 'Literal':
        return n.value as V;
      case 'ErrorLiteral':
        return new FErr(String(n.value));
      case 'ReferenceIdentifier':
        return this.reference(n, ctx);
      case 'UnaryExpression': {
        const v = scalar(this.evalNode(args(n)[0], ctx));
        if (v instanceof FErr) return v;
        const x = toNum(v);
        if (x instanceof FErr) return x;
        return n.operator === '-' ? -x : n.operator === '%' ? x / 100 : x;
      }
      case 'BinaryExpression':
        return this.binary(String(n.operator), args(n), ctx);
      case 'CallExpression':
        return this.call(String((n.callee as Node).name).toUpperCase(), args(n), ctx);
      default:
        // names, arrays, LAMBDA/LET...: beyond the subset
        return new FErr('#NAME?');
    }
  }

  private reference(n: Node, ctx: Ctx): Val {
    if (n.kind === 'name') return new FErr('#NAME?'); // named ranges are not modelled
    const ref = a1Ref(String(n.value));
    if (!ref?.range) return new FErr('#REF!');
    const sheet =
      ref.context && ref.context.length > 0 ? this.book.sheetByName(ref.context[ref.context.length - 1]) : ctx.sheet;
    if (!sheet) return new FErr('#REF!');
    const { top, left, bottom, right } = ref.range;
    const r0 = top ?? 0;
    const c0 = left ?? 0;
    const r1 = Math.min(bottom ?? sheet.maxRows - 1, sheet.maxRows - 1);
    const c1 = Math.min(right ?? sheet.maxCols - 1, sheet.maxCols - 1);
    if (r0 >= sheet.maxRows || c0 >= sheet.maxCols) return new FErr('#REF!');
    if (r0 === r1 && c0 === c1 && top !== null && bottom !== null) return this.cell(sheet, r0, c0);
    const range: V[][] = [];
    for (let r = r0; r <= r1; r++) {
      const line: V[] = [];
      for (let c = c0; c <= c1; c++) line.push(this.cell(sheet, r, c));
      range.push(line);
    }
    return { range };
  }

  private cell(sheet: FormulaSheet, r: number, c: number): V {
    const f = sheet.formulaAt(r, c);
    if (f !== undefined) {
      const v = this.compute(sheet, r, c, f).v;
      return typeof v === 'string' && /^#(?:NAME\?|VALUE!|REF!|DIV\/0!|N\/A|NUM!|ERROR!|NULL!)$/.test(v)
        ? new FErr(v)
        : v === ''
          ? null
          : v;
    }
    const v = sheet.raw(r, c);
    return v === undefined || v === '' ? null : v;
  }

  private binary(op: string, a: Node[], ctx: Ctx): Val {
    const x = scalar(this.evalNode(a[0], ctx));
    if (x instanceof FErr) return x;
    const y = scalar(this.evalNode(a[1], ctx));
    if (y instanceof FErr) return y;
    if (op === '&') return toText(x) + toText(y);
    if (op === '=' || op === '<>' || op === '<' || op === '>' || op === '<=' || op === '>=') {
      const k = compare(x, y);
      switch (op) {
        case '=':
          return k === 0;
        case '<>':
          return k !== 0;
        case '<':
          return k < 0;
        case '>':
          return k > 0;
        case '<=':
          return k <= 0;
        default:
          return k >= 0;
      }
    }
    const p = toNum(x);
    if (p instanceof FErr) return p;
    const q = toNum(y);
    if (q instanceof FErr) return q;
    switch (op) {
      case '+':
        return p + q;
      case '-':
        return p - q;
      case '*':
        return p * q;
      case '/':
        return q === 0 ? new FErr('#DIV/0!') : p / q;
      case '^':
        return Math.pow(p, q);
      default:
        return new FErr('#NAME?'); // range operators (union, intersection) are beyond the subset
    }
  }

  private call(name: string, a: Node[], ctx: Ctx): Val {
    const argc = (min: number, max: number) => a.length >= min && a.length <= max;
    switch (name) {
      case 'SUM':
      case 'AVERAGE':
      case 'MIN':
      case 'MAX': {
        if (!argc(1, 255)) return new FErr('#N/A');
        const nums = this.numbers(a, ctx);
        if (nums instanceof FErr) return nums;
        return fromLib(formulajs[name](nums));
      }
      case 'ROUND': {
        if (!argc(1, 2)) return new FErr('#N/A');
        const x = this.num(a[0], ctx);
        if (x instanceof FErr) return x;
        const d = a.length > 1 ? this.num(a[1], ctx) : 0;
        if (d instanceof FErr) return d;
        return fromLib(formulajs.ROUND(x, Math.trunc(d)));
      }
      case 'IF': {
        if (!argc(2, 3)) return new FErr('#N/A');
        const cond = toBool(scalar(this.evalNode(a[0], ctx)));
        if (cond instanceof FErr) return cond;
        if (cond) return this.evalNode(a[1], ctx);
        return a.length > 2 ? this.evalNode(a[2], ctx) : false;
      }
      case 'CONCATENATE': {
        if (!argc(1, 255)) return new FErr('#N/A');
        const parts: string[] = [];
        for (const n of a) {
          const v = this.evalNode(n, ctx);
          for (const x of isRange(v) ? v.range.flat() : [v]) {
            if (x instanceof FErr) return x;
            parts.push(toText(x));
          }
        }
        return fromLib(formulajs.CONCATENATE(...parts));
      }
      case 'UPPER':
      case 'LOWER':
      case 'LEN':
      case 'TRIM': {
        if (!argc(1, 1)) return new FErr('#N/A');
        const v = scalar(this.evalNode(a[0], ctx));
        if (v instanceof FErr) return v;
        return fromLib(formulajs[name](toText(v)));
      }
      case 'TODAY':
        if (!argc(0, 0)) return new FErr('#N/A');
        return Math.floor(serialFromInstant(this.book.now(), this.book.timeZone));
      case 'NOW':
        if (!argc(0, 0)) return new FErr('#N/A');
        return serialFromInstant(this.book.now(), this.book.timeZone);
      case 'RAND':
        if (!argc(0, 0)) return new FErr('#N/A');
        return pseudoRandom(this.book.now(), ctx.sheet.id, ctx.r, ctx.c);
      case 'DATE': {
        if (!argc(3, 3)) return new FErr('#N/A');
        const p: number[] = [];
        for (const n of a) {
          const x = this.num(n, ctx);
          if (x instanceof FErr) return x;
          p.push(Math.trunc(x));
        }
        let [y] = p;
        if (y >= 0 && y < 1900) y += 1900; // Sheets: years 0-1899 are taken as 1900 + year
        if (y < 0 || y > 9999) return new FErr('#NUM!');
        const serial = (Date.UTC(y, p[1] - 1, p[2]) - SERIAL_EPOCH) / DAY;
        return serial < 0 ? new FErr('#NUM!') : serial;
      }
      default:
        return new FErr('#NAME?');
    }
  }

  private num(n: Node, ctx: Ctx): number | FErr {
    const v = scalar(this.evalNode(n, ctx));
    return v instanceof FErr ? v : toNum(v);
  }

  /** Numeric arguments as Sheets takes them: numbers from ranges (text, booleans, blanks skipped), scalars coerced. */
  private numbers(a: Node[], ctx: Ctx): number[] | FErr {
    const out: number[] = [];
    for (const n of a) {
      const v = this.evalNode(n, ctx);
      if (isRange(v)) {
        for (const line of v.range)
          for (const x of line) {
            if (x instanceof FErr) return x;
            if (typeof x === 'number') out.push(x);
          }
      } else if (v instanceof FErr) return v;
      else if (v !== null) {
        const x = toNum(v);
        if (x instanceof FErr) return x;
        out.push(x);
      }
    }
    return out;
  }

  /** The number format Sheets gives a formula's result when the cell's own format is Automatic. */
  private formatOf(n: Node, ctx: Ctx): string | undefined {
    switch (n.type) {
      case 'CallExpression': {
        const name = String((n.callee as Node).name).toUpperCase();
        const a = args(n);
        if (name === 'TODAY' || name === 'DATE') return DATE_NF;
        if (name === 'NOW') return DATETIME_NF;
        if (name === 'IF') return (a[1] && this.formatOf(a[1], ctx)) ?? (a[2] && this.formatOf(a[2], ctx)) ?? undefined;
        if (name === 'MIN' || name === 'MAX') return a[0] ? this.formatOf(a[0], ctx) : undefined;
        return undefined;
      }
      case 'UnaryExpression':
        return n.operator === '%' ? undefined : this.formatOf(args(n)[0], ctx);
      case 'BinaryExpression': {
        if (n.operator !== '+' && n.operator !== '-') return undefined;
        const [x, y] = args(n).map((m) => this.formatOf(m, ctx));
        if (x && y) return n.operator === '-' ? undefined : x;
        return x ?? y;
      }
      case 'ReferenceIdentifier': {
        if (n.kind === 'name') return undefined;
        const ref = a1Ref(String(n.value));
        if (!ref?.range || ref.range.top === null || ref.range.left === null) return undefined;
        const sheet = ref.context?.length ? this.book.sheetByName(ref.context[ref.context.length - 1]) : ctx.sheet;
        if (!sheet || ref.range.top >= sheet.maxRows || ref.range.left >= sheet.maxCols) return undefined;
        const nf = sheet.numberFormat(ref.range.top, ref.range.left);
        if (nf !== undefined) return isDateFormat(nf) ? nf : undefined;
        const f = sheet.formulaAt(ref.range.top, ref.range.left);
        return f !== undefined ? this.compute(sheet, ref.range.top, ref.range.left, f).nf : undefined;
      }
      default:
        return undefined;
    }
  }
}

interface Ctx {
  sheet: FormulaSheet;
  r: number;
  c: number;
}

/** Text typed with a leading + or - (`- bullet`, `+abc`) becomes a formula Sheets cannot parse: #ERROR!. */
function signedText(formula: string, n: Node): boolean {
  if (!/^=[+-]/.test(formula) || n.type !== 'UnaryExpression') return false;
  const operand = args(n)[0];
  return operand?.type === 'Identifier' || (operand?.type === 'ReferenceIdentifier' && operand.kind === 'name');
}

function args(n: Node): Node[] {
  return (n.arguments as Node[]) ?? [];
}

/** A range used where one value is expected: a single cell gives its value; larger ranges are not modelled. */
function scalar(v: Val): V {
  if (!isRange(v)) return v;
  if (v.range.length === 1 && v.range[0].length === 1) return v.range[0][0];
  return new FErr('#VALUE!');
}

function finish(v: Val): Scalar {
  const s = scalar(v);
  if (s instanceof FErr) return s.code;
  if (s === null) return '';
  if (typeof s === 'number' && !Number.isFinite(s)) return '#NUM!';
  return s;
}

function fromLib(v: unknown): V {
  if (v instanceof Error) return new FErr(v.message);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return new FErr('#VALUE!');
}

function toNum(v: V): number | FErr {
  if (v instanceof FErr) return v;
  if (v === null || v === '') return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const t = v.trim();
  if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return Number(t);
  return new FErr('#VALUE!');
}

function toText(v: V): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof FErr) return v.code;
  return displayValue(v, undefined);
}

function toBool(v: V): boolean | FErr {
  if (v instanceof FErr) return v;
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  const u = v.toUpperCase();
  if (u === 'TRUE') return true;
  if (u === 'FALSE') return false;
  return new FErr('#VALUE!');
}

/** Sheets' comparison: blanks equal 0, "" or FALSE; numbers < text < booleans; text ignores case. */
function compare(x: V, y: V): number {
  const blankAs = (other: V): V => (typeof other === 'string' ? '' : typeof other === 'boolean' ? false : 0);
  const a = x === null ? blankAs(y) : x;
  const b = y === null ? blankAs(x) : y;
  const rank = (v: V) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) {
    const p = (a as string).toLowerCase();
    const q = (b as string).toLowerCase();
    return p < q ? -1 : p > q ? 1 : 0;
  }
  return Number(a) - Number(b);
}

/** RAND: a fresh value whenever the virtual clock moves, deterministic for one harness run. */
function pseudoRandom(now: number, sheetId: number, r: number, c: number): number {
  let h = (now ^ (sheetId * 2654435761) ^ (r * 40503) ^ (c * 9973)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 4294967296;
}
