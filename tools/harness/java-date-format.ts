/**
 * The subset of java.text.SimpleDateFormat that Utilities.formatDate / parseDate understand:
 * G y Y M L d D E u a H k K h m s S z Z X w F and 'quoted' literals.
 */
import { ScriptError } from './errors';
import { fromWall, offsetText, shortZoneName, wallFields } from './tz';

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

type Token = { kind: 'lit'; text: string } | { kind: 'field'; ch: string; n: number };

const tokenCache = new Map<string, Token[]>();

function tokenize(pattern: string): Token[] {
  const cached = tokenCache.get(pattern);
  if (cached) return cached;
  const out: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === "'") {
      // '' is a literal quote; 'text' is literal text (with '' inside for a quote)
      if (pattern[i + 1] === "'") {
        out.push({ kind: 'lit', text: "'" });
        i += 2;
        continue;
      }
      let j = i + 1;
      let text = '';
      while (j < pattern.length) {
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += pattern[j];
        j++;
      }
      if (j >= pattern.length) throw new ScriptError(`Invalid argument: ${pattern}`);
      out.push({ kind: 'lit', text });
      i = j + 1;
    } else if (/[A-Za-z]/.test(ch)) {
      if (!/[GyYMLdDEuaHkKhmsSzZXwWF]/.test(ch)) throw new ScriptError(`Illegal pattern character '${ch}'`);
      let j = i;
      while (pattern[j] === ch) j++;
      out.push({ kind: 'field', ch, n: j - i });
      i = j;
    } else {
      out.push({ kind: 'lit', text: ch });
      i++;
    }
  }
  tokenCache.set(pattern, out);
  return out;
}

const pad = (v: number, n: number) => String(v).padStart(n, '0');

function dayOfYear(y: number, m: number, d: number): number {
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000) + 1;
}

/** Format `utcMs` in `tz` with a SimpleDateFormat pattern. */
export function formatJavaDate(utcMs: number, tz: string, pattern: string): string {
  const f = wallFields(tz, utcMs);
  let out = '';
  for (const t of tokenize(pattern)) {
    if (t.kind === 'lit') {
      out += t.text;
      continue;
    }
    const { ch, n } = t;
    switch (ch) {
      case 'G':
        out += f.year > 0 ? 'AD' : 'BC';
        break;
      case 'y':
      case 'Y':
        out += n === 2 ? pad(f.year % 100, 2) : pad(f.year, n);
        break;
      case 'M':
      case 'L':
        out += n >= 4 ? MONTHS[f.month - 1] : n === 3 ? MONTHS[f.month - 1].slice(0, 3) : pad(f.month, n);
        break;
      case 'd':
        out += pad(f.day, n);
        break;
      case 'D':
        out += pad(dayOfYear(f.year, f.month, f.day), n);
        break;
      case 'E':
        out += n >= 4 ? DAYS[f.weekday] : DAYS[f.weekday].slice(0, 3);
        break;
      case 'u':
        out += pad(f.weekday === 0 ? 7 : f.weekday, n);
        break;
      case 'F':
        out += pad(Math.floor((f.day - 1) / 7) + 1, n);
        break;
      case 'w': {
        const doy = dayOfYear(f.year, f.month, f.day);
        const jan1 = new Date(Date.UTC(f.year, 0, 1)).getUTCDay();
        out += pad(Math.floor((doy - 1 + jan1) / 7) + 1, n);
        break;
      }
      case 'W': {
        const first = new Date(Date.UTC(f.year, f.month - 1, 1)).getUTCDay();
        out += pad(Math.floor((f.day - 1 + first) / 7) + 1, n);
        break;
      }
      case 'a':
        out += f.hour < 12 ? 'AM' : 'PM';
        break;
      case 'H':
        out += pad(f.hour, n);
        break;
      case 'k':
        out += pad(f.hour === 0 ? 24 : f.hour, n);
        break;
      case 'K':
        out += pad(f.hour % 12, n);
        break;
      case 'h':
        out += pad(f.hour % 12 === 0 ? 12 : f.hour % 12, n);
        break;
      case 'm':
        out += pad(f.minute, n);
        break;
      case 's':
        out += pad(f.second, n);
        break;
      case 'S':
        out +=
          n <= 3 ? pad(f.millisecond, n).slice(0, Math.max(n, String(f.millisecond).length)) : pad(f.millisecond, n);
        break;
      case 'z':
        out += n >= 4 ? tz : shortZoneName(tz, utcMs);
        break;
      case 'Z':
        out += offsetText(f.offsetMs, false);
        break;
      case 'X':
        if (f.offsetMs === 0) out += 'Z';
        else if (n === 1) out += offsetText(f.offsetMs, false).slice(0, 3);
        else out += offsetText(f.offsetMs, n >= 3);
        break;
    }
  }
  return out;
}

/** Parse text with a SimpleDateFormat pattern (numeric fields, month names, AM/PM, literals, Z/X offsets). */
export function parseJavaDate(text: string, tz: string, pattern: string): number {
  let pos = 0;
  let year = 1970;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let pm: boolean | null = null;
  let hour12 = false;
  let offset: number | null = null;
  const fail = (): never => {
    throw new ScriptError(`Unparseable date: "${text}"`);
  };
  const tokens = tokenize(pattern);
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'lit') {
      if (text.startsWith(t.text, pos)) pos += t.text.length;
      else fail();
      continue;
    }
    const next = tokens[k + 1];
    const adjacentNumeric = next && next.kind === 'field';
    const readNum = (): number => {
      const max = adjacentNumeric ? t.n : 10;
      const m = new RegExp(`^[+-]?\\d{1,${Math.max(max, 1)}}`).exec(text.slice(pos));
      if (!m) return fail();
      pos += m[0].length;
      return Number(m[0]);
    };
    switch (t.ch) {
      case 'y':
      case 'Y': {
        const start = pos;
        year = readNum();
        if (t.n <= 2 && pos - start <= 2) year += year < 50 ? 2000 : 1900;
        break;
      }
      case 'M':
      case 'L':
        if (t.n >= 3) {
          const rest = text.slice(pos).toLowerCase();
          const idx = MONTHS.findIndex((name) => rest.startsWith(name.toLowerCase()));
          const idx3 = idx >= 0 ? idx : MONTHS.findIndex((name) => rest.startsWith(name.slice(0, 3).toLowerCase()));
          if (idx3 < 0) fail();
          pos += idx >= 0 ? MONTHS[idx].length : 3;
          month = idx3 + 1;
        } else month = readNum();
        break;
      case 'd':
        day = readNum();
        break;
      case 'E': {
        const rest = text.slice(pos).toLowerCase();
        const full = DAYS.find((name) => rest.startsWith(name.toLowerCase()));
        if (full) pos += full.length;
        else if (DAYS.some((name) => rest.startsWith(name.slice(0, 3).toLowerCase()))) pos += 3;
        else fail();
        break;
      }
      case 'H':
      case 'k':
        hour = readNum() % 24;
        break;
      case 'h':
      case 'K':
        hour = readNum() % 12;
        hour12 = true;
        break;
      case 'm':
        minute = readNum();
        break;
      case 's':
        second = readNum();
        break;
      case 'S':
        ms = readNum();
        break;
      case 'a': {
        const rest = text.slice(pos, pos + 2).toUpperCase();
        if (rest === 'AM' || rest === 'PM') {
          pm = rest === 'PM';
          pos += 2;
        } else fail();
        break;
      }
      case 'Z':
      case 'X': {
        if (text[pos] === 'Z') {
          offset = 0;
          pos++;
          break;
        }
        const m = /^([+-])(\d{2}):?(\d{2})?/.exec(text.slice(pos));
        if (!m) fail();
        else {
          offset = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000;
          pos += m[0].length;
        }
        break;
      }
      case 'z': {
        const m = /^[A-Za-z]+([+-]\d{1,2}(:\d{2})?)?/.exec(text.slice(pos));
        if (!m) fail();
        else pos += m[0].length;
        break;
      }
      default:
        readNum();
    }
  }
  if (hour12 && pm) hour += 12;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return offset !== null ? wall - offset : fromWall(tz, wall);
}
