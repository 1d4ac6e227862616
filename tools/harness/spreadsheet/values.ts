/**
 * How Sheets stores what is written to a cell ("user-entered" semantics, which Range.setValue(s)
 * and a person typing both get) and how it reads and displays it back.
 *
 * Stored cell values are numbers, strings and booleans; '' is an empty cell. Dates and times are
 * serial numbers (days since 1899-12-30 on the spreadsheet's wall clock) whose cell has a date or
 * time number format; reading such a cell gives a Date.
 */
import { types } from 'node:util';
import { ScriptError } from '../errors';
import { fromWall, toWall, wallFields } from '../tz';

export type Scalar = string | number | boolean;

/** Number format of a cell nobody formatted ("Automatic"), as getNumberFormat reports it. */
export const AUTO_FORMAT = '0.###############';
export const PLAIN_TEXT = '@';
export const MAX_CELL_CHARS = 50_000;
export const CELL_TOO_LONG = 'Your input contains more than the maximum of 50000 characters in a single cell.';

const SERIAL_EPOCH = Date.UTC(1899, 11, 30);
const DAY = 86_400_000;

export function serialFromInstant(utcMs: number, tz: string): number {
  return (toWall(tz, utcMs) - SERIAL_EPOCH) / DAY;
}

export function instantFromSerial(serial: number, tz: string): number {
  // whole milliseconds, as Sheets keeps at most ms precision in what it hands back
  return fromWall(tz, Math.round(serial * DAY) + SERIAL_EPOCH);
}

function serialFromWall(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  return (Date.UTC(y, mo - 1, d, h, mi, s) - SERIAL_EPOCH) / DAY;
}

const dateFormatCache = new Map<string, boolean>();

/** True when a number format shows a date, a time or a duration (so getValues gives a Date). */
export function isDateFormat(nf: string | undefined): boolean {
  if (!nf || nf === AUTO_FORMAT || nf === PLAIN_TEXT) return false;
  let r = dateFormatCache.get(nf);
  if (r === undefined) {
    const stripped = nf
      .replace(/"[^"]*"/g, '')
      .replace(/\\./g, '')
      .replace(/\[(?![hms]+\])[^\]]*\]/gi, '')
      .replace(/E[+-]/g, '');
    r = /[dmyhs]/i.test(stripped) || /am\/pm|a\/p/i.test(stripped);
    dateFormatCache.set(nf, r);
  }
  return r;
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Result slot for `interpret`: reused to keep the setValues loop allocation-free. */
export interface Interpreted {
  v: Scalar;
  /** Formula text when the input became a formula. */
  f: string | undefined;
  /** Number format Sheets applies along with the value (dates, percents, currency...), if any. */
  nf: string | undefined;
}

export type FormulaEvaluator = (formula: string) => Scalar;

/** The old fixed answer (HarnessOptions.formulaValue can still ask for it); the default is the formula engine. */
export const defaultFormulaValue: FormulaEvaluator = () => '#NAME?';

const RE_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const RE_GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;
const RE_PERCENT = /^[+-]?(?:\d+\.?\d*|\.\d+)%$/;
const RE_CURRENCY = /^([+-]?)\$(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$/;
const RE_ISO_DATE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const RE_US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?)?$/;
const RE_MONTH_DAY = /^(\d{1,2})\/(\d{1,2})$/;
const RE_TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?$/;

/**
 * Interpret one input value as Sheets does for user-entered data, into `out`.
 * @param cellFormat the cell's current number format ('@' keeps strings literal)
 * @param nowMs virtual now (for 'M/D' dates without a year)
 */
export function interpret(
  value: unknown,
  cellFormat: string | undefined,
  tz: string,
  nowMs: number,
  evaluate: FormulaEvaluator | null | undefined,
  out: Interpreted,
): void {
  out.f = undefined;
  out.nf = undefined;
  if (value === null || value === undefined) {
    out.v = '';
    return;
  }
  switch (typeof value) {
    case 'number':
      out.v = Number.isFinite(value) ? value : String(value);
      return;
    case 'boolean':
      out.v = value;
      return;
    case 'string':
      interpretString(value, cellFormat, tz, nowMs, evaluate, out);
      return;
    case 'bigint':
      out.v = Number(value);
      return;
    default:
      if (types.isDate(value)) {
        const t = value.getTime();
        if (Number.isNaN(t)) {
          out.v = '';
          return;
        }
        out.v = serialFromInstant(t, tz);
        if (!isDateFormat(cellFormat)) {
          const w = wallFields(tz, t);
          out.nf = w.hour === 0 && w.minute === 0 && w.second === 0 ? 'M/d/yyyy' : 'M/d/yyyy H:mm:ss';
        }
        return;
      }
      out.v = literal(String(value));
  }
}

function literal(s: string): string {
  if (s.length > MAX_CELL_CHARS) throw new ScriptError(CELL_TOO_LONG);
  return s;
}

function interpretString(
  s: string,
  cellFormat: string | undefined,
  tz: string,
  nowMs: number,
  evaluate: FormulaEvaluator | null | undefined,
  out: Interpreted,
): void {
  if (s.length > MAX_CELL_CHARS) throw new ScriptError(CELL_TOO_LONG);
  if (s.length === 0) {
    out.v = '';
    return;
  }
  if (cellFormat === PLAIN_TEXT) {
    out.v = s;
    return;
  }
  const c0 = s.charCodeAt(0);
  // Fast path: most CRM text starts with a letter that cannot begin a number, date, boolean or formula.
  const isLetter = (c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 > 127;
  if (isLetter && c0 !== 84 && c0 !== 116 && c0 !== 70 && c0 !== 102) {
    out.v = s;
    return;
  }
  if (c0 === 39 /* ' */) {
    out.v = s.slice(1);
    return;
  }
  if (c0 === 61 /* = */) {
    out.f = s;
    // the formula engine computes on read (formulas.ts); only an override answers here
    out.v = s.length === 1 ? '#ERROR!' : evaluate ? evaluate(s) : '';
    return;
  }
  const t = s.trim();
  if (t.length === 0) {
    out.v = s;
    return;
  }
  const tc = t.charCodeAt(0);
  if (tc === 84 || tc === 116 || tc === 70 || tc === 102) {
    const up = t.length <= 5 ? t.toUpperCase() : '';
    if (up === 'TRUE') out.v = true;
    else if (up === 'FALSE') out.v = false;
    else out.v = s;
    return;
  }
  if (RE_NUMBER.test(t)) {
    out.v = Number(t);
    if (/[eE]/.test(t)) out.nf = '0.00E+00';
    return;
  }
  if (RE_GROUPED.test(t)) {
    out.v = Number(t.replace(/,/g, ''));
    out.nf = t.includes('.') ? '#,##0.00' : '#,##0';
    return;
  }
  if (RE_PERCENT.test(t)) {
    const n = t.slice(0, -1);
    out.v = Number(n) / 100;
    out.nf = n.includes('.') ? '0.00%' : '0%';
    return;
  }
  let m = RE_CURRENCY.exec(t);
  if (m) {
    out.v = Number(m[1] + m[2].replace(/,/g, '') + (m[3] ?? ''));
    out.nf = '"$"#,##0.00';
    return;
  }
  m = RE_ISO_DATE.exec(t);
  if (m && validDate(+m[1], +m[2], +m[3]) && (m[4] === undefined || (+m[4] < 24 && +m[5] < 60 && +(m[6] ?? 0) < 60))) {
    const sep = t.includes('/') ? '/' : '-';
    out.v = serialFromWall(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
    out.nf = `yyyy${sep}mm${sep}dd` + (m[4] !== undefined ? ' H:mm:ss' : '');
    return;
  }
  m = RE_US_DATE.exec(t);
  if (m) {
    let y = +m[3];
    if (m[3].length === 2) y += y < 30 ? 2000 : 1900;
    let h = +(m[4] ?? 0);
    if (m[7]) {
      const pm = m[7].toLowerCase() === 'pm';
      if (h > 12 || h === 0) h = 99;
      else h = (h % 12) + (pm ? 12 : 0);
    }
    if (validDate(y, +m[1], +m[2]) && h < 24 && +(m[5] ?? 0) < 60 && +(m[6] ?? 0) < 60) {
      out.v = serialFromWall(y, +m[1], +m[2], h, +(m[5] ?? 0), +(m[6] ?? 0));
      out.nf = m[4] !== undefined ? 'M/d/yyyy H:mm:ss' : 'M/d/yyyy';
      return;
    }
  }
  m = RE_MONTH_DAY.exec(t);
  if (m) {
    const y = wallFields(tz, nowMs).year;
    if (validDate(y, +m[1], +m[2])) {
      out.v = serialFromWall(y, +m[1], +m[2]);
      out.nf = 'M/d';
      return;
    }
  }
  m = RE_TIME.exec(t);
  if (m) {
    let h = +m[1];
    if (m[4]) {
      const pm = m[4].toLowerCase() === 'pm';
      h = h > 12 || h === 0 ? 99 : (h % 12) + (pm ? 12 : 0);
    }
    if (h < 24 && +m[2] < 60 && +(m[3] ?? 0) < 60) {
      out.v = (h * 3600 + +m[2] * 60 + +(m[3] ?? 0)) / 86400;
      out.nf = m[4] ? 'h:mm am/pm' : m[3] !== undefined ? 'H:mm:ss' : 'H:mm';
      return;
    }
  }
  if ((c0 === 43 /* + */ || c0 === 45) /* - */ && s.length > 1) {
    // Sheets reads a leading + or - as the start of a formula; text after it does not parse.
    out.f = '=' + s;
    out.v = '#ERROR!';
    return;
  }
  out.v = s;
}

// ---------------------------------------------------------------------------------------------
// Display values (getDisplayValues): a practical subset of Sheets number formats.

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function displayValue(v: Scalar | undefined, nf: string | undefined): string {
  if (v === undefined || v === '') return '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') return v;
  if (!nf || nf === AUTO_FORMAT || nf.toLowerCase() === 'general') return generalNumber(v);
  if (nf === PLAIN_TEXT) return String(v);
  if (isDateFormat(nf)) return formatSheetsDate(v, nf);
  return formatNumberPattern(v, nf);
}

function generalNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs >= 1e15 || abs < 1e-9)) return n.toExponential(2).replace(/e\+?/, 'E+').replace('E+-', 'E-');
  return String(parseFloat(n.toPrecision(15)));
}

function formatNumberPattern(n: number, nf: string): string {
  const sections = splitSections(nf);
  let pattern = sections[0];
  let value = n;
  let sign = n < 0 ? '-' : '';
  if (n < 0 && sections.length > 1) {
    pattern = sections[1];
    value = -n;
    sign = '';
  } else value = Math.abs(n);
  // literal prefix/suffix ("$", quoted text, escaped chars)
  let prefix = '';
  let suffix = '';
  let core = '';
  let seenDigit = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '"') {
      const j = pattern.indexOf('"', i + 1);
      const text = pattern.slice(i + 1, j < 0 ? undefined : j);
      if (seenDigit) suffix += text;
      else prefix += text;
      i = j < 0 ? pattern.length : j;
    } else if (ch === '\\') {
      if (seenDigit) suffix += pattern[i + 1] ?? '';
      else prefix += pattern[i + 1] ?? '';
      i++;
    } else if (/[0#?.,%E+-]/.test(ch) && !(ch === '-' && !seenDigit) && !(ch === '+' && !/E/.test(core))) {
      if (/[0#?]/.test(ch)) seenDigit = true;
      core += ch;
    } else if (ch === '[') {
      const j = pattern.indexOf(']', i);
      i = j < 0 ? pattern.length : j;
    } else if (seenDigit) suffix += ch;
    else prefix += ch;
  }
  if (core.includes('%')) value *= 100;
  let body: string;
  const expIdx = core.indexOf('E');
  if (expIdx >= 0) {
    const mant = core.slice(0, expIdx);
    const decimals = (mant.split('.')[1] ?? '').replace(/[^0#]/g, '').length;
    const [m, e] = value.toExponential(decimals).split('e');
    const expDigits = core.slice(expIdx + 2).length || 2;
    const ev = Number(e);
    body = m + 'E' + (ev < 0 ? '-' : '+') + String(Math.abs(ev)).padStart(expDigits, '0');
  } else {
    const [intPart, decPart = ''] = core.replace(/%/g, '').split('.');
    const fixedZeros = (decPart.match(/0/g) ?? []).length;
    const optional = (decPart.match(/[#?]/g) ?? []).length;
    let text = value.toFixed(fixedZeros + optional);
    if (optional > 0) {
      const [i2, d2 = ''] = text.split('.');
      let d = d2;
      while (d.length > fixedZeros && d.endsWith('0')) d = d.slice(0, -1);
      text = d ? `${i2}.${d}` : i2;
    }
    let [ip, dp] = text.split('.');
    const minInt = (intPart.match(/0/g) ?? []).length;
    if (ip === '0' && minInt === 0) ip = '';
    ip = ip.padStart(minInt, '0');
    if (intPart.includes(',')) ip = ip.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    body = dp !== undefined ? `${ip}.${dp}` : ip;
    if (body === '') body = '0';
  }
  return sign + prefix + body + (core.includes('%') ? '%' : '') + suffix;
}

function splitSections(nf: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < nf.length; i++) {
    const ch = nf[i];
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

type DateToken = { lit: string } | { k: string; n: number };
const dateTokenCache = new Map<string, DateToken[]>();

/** Tokens of a date pattern, with 'm' resolved to month ('m') or minute ('M'). */
function dateTokens(nf: string): DateToken[] {
  const cached = dateTokenCache.get(nf);
  if (cached) return cached;
  const pattern = splitSections(nf)[0];
  const toks: DateToken[] = [];
  for (let i = 0; i < pattern.length;) {
    const rest = pattern.slice(i);
    const ch = pattern[i];
    if (ch === '"') {
      const j = pattern.indexOf('"', i + 1);
      toks.push({ lit: pattern.slice(i + 1, j < 0 ? undefined : j) });
      i = j < 0 ? pattern.length : j + 1;
    } else if (ch === '\\') {
      toks.push({ lit: pattern[i + 1] ?? '' });
      i += 2;
    } else if (/^am\/pm/i.test(rest)) {
      toks.push({ k: 'ampm', n: rest.startsWith('AM') ? 2 : 1 });
      i += 5;
    } else if (/^a\/p/i.test(rest)) {
      toks.push({ k: 'ap', n: 1 });
      i += 3;
    } else if (/^\[[hms]+\]/i.test(rest)) {
      const j = pattern.indexOf(']', i);
      toks.push({ k: 'dur' + pattern[i + 1].toLowerCase(), n: j - i - 1 });
      i = j + 1;
    } else if (/[ymdhs]/i.test(ch)) {
      let j = i;
      while (j < pattern.length && pattern[j].toLowerCase() === ch.toLowerCase()) j++;
      toks.push({ k: ch.toLowerCase(), n: j - i });
      i = j;
    } else if (ch === '.' && /^\.0+/.test(rest)) {
      const m = /^\.0+/.exec(rest)![0];
      toks.push({ k: 'frac', n: m.length - 1 });
      i += m.length;
    } else {
      toks.push({ lit: ch });
      i++;
    }
  }
  // 'm' means minutes right after an hour token or right before a seconds token
  const kinds = toks.map((t) => ('k' in t ? t.k : null));
  const prevField = (i: number) => {
    for (let j = i - 1; j >= 0; j--) if (kinds[j]) return kinds[j];
    return null;
  };
  const nextField = (i: number) => {
    for (let j = i + 1; j < kinds.length; j++) if (kinds[j]) return kinds[j];
    return null;
  };
  const resolved = toks.map((t, i) => {
    if (!('k' in t) || t.k !== 'm' || t.n > 2) return t;
    const pf = prevField(i);
    const nf2 = nextField(i);
    return pf === 'h' || pf === 'durh' || nf2 === 's' || nf2 === 'durs' ? { k: 'M', n: t.n } : t;
  });
  if (dateTokenCache.size > 1000) dateTokenCache.clear();
  dateTokenCache.set(nf, resolved);
  return resolved;
}

const p2 = (v: number, n: number) => (n <= 1 ? String(v) : String(v).padStart(n, '0'));

/** Render a serial with a Sheets date/time pattern (yyyy, yy, m/mm/mmm/mmmm, d/dd/ddd/dddd, h, hh, m/mm as minutes, s, ss, am/pm, .000). */
export function formatSheetsDate(serial: number, nf: string): string {
  const toks = dateTokens(nf);
  const msTotal = Math.round(serial * DAY);
  const d = new Date(SERIAL_EPOCH + msTotal);
  const h = d.getUTCHours();
  let ampm = false;
  for (const t of toks) if ('k' in t && (t.k === 'ampm' || t.k === 'ap')) ampm = true;
  let out = '';
  for (const t of toks) {
    if ('lit' in t) {
      out += t.lit;
      continue;
    }
    const n = t.n;
    switch (t.k) {
      case 'y':
        out += n <= 2 ? p2(d.getUTCFullYear() % 100, 2) : String(d.getUTCFullYear());
        break;
      case 'm': {
        const mo = d.getUTCMonth();
        out += n >= 5 ? MONTHS[mo][0] : n === 4 ? MONTHS[mo] : n === 3 ? MONTHS[mo].slice(0, 3) : p2(mo + 1, n);
        break;
      }
      case 'M':
        out += p2(d.getUTCMinutes(), n);
        break;
      case 'd': {
        const wd = d.getUTCDay();
        out += n >= 4 ? DAYS[wd] : n === 3 ? DAYS[wd].slice(0, 3) : p2(d.getUTCDate(), n);
        break;
      }
      case 'h':
        out += p2(ampm ? (h % 12 === 0 ? 12 : h % 12) : h, n);
        break;
      case 's':
        out += p2(d.getUTCSeconds(), n);
        break;
      case 'frac':
        out += '.' + String(d.getUTCMilliseconds()).padStart(3, '0').slice(0, n);
        break;
      case 'ampm':
        out += n === 2 ? (h < 12 ? 'AM' : 'PM') : h < 12 ? 'am' : 'pm';
        break;
      case 'ap':
        out += h < 12 ? 'a' : 'p';
        break;
      case 'durh':
        out += p2(Math.floor(msTotal / 3_600_000), n);
        break;
      case 'durm':
        out += p2(Math.floor(msTotal / 60_000), n);
        break;
      case 'durs':
        out += p2(Math.floor(msTotal / 1000), n);
        break;
    }
  }
  return out;
}

/** Comparison for Range.sort / Sheet.sort: numbers < text < booleans; empty cells always last. */
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: false });
export function compareForSort(a: Scalar | undefined, b: Scalar | undefined, ascending: boolean): number {
  const ea = a === undefined || a === '';
  const eb = b === undefined || b === '';
  if (ea || eb) return ea === eb ? 0 : ea ? 1 : -1;
  const ra = typeof a === 'number' ? 0 : typeof a === 'string' ? 1 : 2;
  const rb = typeof b === 'number' ? 0 : typeof b === 'string' ? 1 : 2;
  let c: number;
  if (ra !== rb) c = ra - rb;
  else if (ra === 0) c = (a as number) - (b as number);
  else if (ra === 1) c = collator.compare(a as string, b as string);
  else c = Number(a) - Number(b);
  return ascending ? c : -c;
}
