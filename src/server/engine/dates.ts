/**
 * Calendar days for the sync engine, in pure arithmetic (no Intl, no Date parsing, no host time zone):
 * the same results in Apps Script's V8 and in jest whatever the machine's zone.
 *
 * A "day" is the text 'YYYY-MM-DD' (proleptic Gregorian calendar).
 *
 * - Affinity stores a `datetime` field as midnight America/Los_Angeles of its day (e.g. 2024-04-01 is
 *   returned as "2024-04-01T07:00:00.000Z"), so reading one means taking the Pacific calendar day of the
 *   instant: `pacificDay`. The Pacific offset follows the tz database's America/Los_Angeles history
 *   (local mean time before 1883-11-18, the 1918-19 and 1942-45 federal rules, California's 1948-66 rules,
 *   the 1967-2006 federal rules with the 1974-75 energy-crisis years, and the 2007+ rules).
 * - Writing one sends the day at 12:00 UTC (`dayToAffinityWrite`), which is 04:00 or 05:00 of the same day in
 *   Pacific time, so Affinity's "keep the day, drop the time" storage keeps the intended day.
 * - Sheets stores a date as a serial number: days since 1899-12-30 (`dayToSerial`, `serialToDay`).
 */

export const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;

// ---------------------------------------------------------------------------------------------
// Civil calendar arithmetic (H. Hinnant's days_from_civil / civil_from_days), exact for any year.

/** Days from 1970-01-01 to the given proleptic Gregorian date (month 1-12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12; // March = 0
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The date of a day count from 1970-01-01. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOfDays(days: number): number {
  return (((days + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

function pad(n: number, width: number): string {
  let s = String(Math.abs(n));
  while (s.length < width) s = '0' + s;
  return s;
}

/** 'YYYY-MM-DD' of a date. Years outside 0000-9999 use the ISO expanded form (+YYYYYY / -YYYYYY). */
export function formatDay(year: number, month: number, day: number): string {
  const y = year >= 0 && year <= 9999 ? pad(year, 4) : (year < 0 ? '-' : '+') + pad(year, 6);
  return `${y}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** 'YYYY-MM-DD' of a day count from 1970-01-01. */
export function dayOfDays(days: number): string {
  const c = civilFromDays(days);
  return formatDay(c.year, c.month, c.day);
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Splits a strict 'YYYY-MM-DD' day (a real calendar date), or null. */
export function parseDay(text: string): { year: number; month: number; day: number } | null {
  const m = DAY_RE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** True for a strict 'YYYY-MM-DD' text naming a real calendar date. */
export function isDay(text: string): boolean {
  return parseDay(text) !== null;
}

/** Day count from 1970-01-01 of a strict 'YYYY-MM-DD' day; throws RangeError otherwise. */
export function daysOfDay(text: string): number {
  const d = parseDay(text);
  if (!d) throw new RangeError(`Not a YYYY-MM-DD day: ${JSON.stringify(text)}`);
  return daysFromCivil(d.year, d.month, d.day);
}

/** 'YYYY-MM-DD' of the UTC calendar day of an instant. */
export function utcDay(ms: number): string {
  return dayOfDays(Math.floor(ms / MS_PER_DAY));
}

// ---------------------------------------------------------------------------------------------
// Sheets serial numbers

/** Day count from 1970-01-01 of Sheets' serial-number epoch, 1899-12-30. */
const SERIAL_EPOCH_DAYS = daysFromCivil(1899, 12, 30); // -25569

/** Sheets serial number (days since 1899-12-30, an integer) of a 'YYYY-MM-DD' day; throws RangeError otherwise. */
export function dayToSerial(day: string): number {
  return daysOfDay(day) - SERIAL_EPOCH_DAYS;
}

/** The day of a Sheets serial number; a fraction (a time of day) is dropped. Throws RangeError if not finite. */
export function serialToDay(serial: number): string {
  if (!Number.isFinite(serial)) throw new RangeError(`Not a serial number: ${serial}`);
  return dayOfDays(Math.floor(serial) + SERIAL_EPOCH_DAYS);
}

// ---------------------------------------------------------------------------------------------
// Instants

const ISO_RE =
  /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses an ISO 8601 date-time ("2024-04-01T07:00:00.000Z", "2024-04-01T00:00:00-07:00") to epoch ms.
 * A text without a zone is read as UTC (never as the host's zone); a date-only text is its UTC midnight.
 * Returns null for anything else.
 */
export function parseInstant(text: string): number | null {
  const fast = parseUtcInstant(text);
  if (fast !== undefined) return fast;
  const m = ISO_RE.exec(text.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute > 0 || second > 0))) return null;
  const fraction = m[7] === undefined ? 0 : Math.floor(Number('0.' + m[7]) * 1000);
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  return (
    daysFromCivil(year, month, day) * MS_PER_DAY +
    hour * MS_PER_HOUR +
    minute * MS_PER_MINUTE +
    second * 1000 +
    fraction -
    offsetMinutes * MS_PER_MINUTE
  );
}

/** The digit at `i` (0-9), or -1. */
function digitAt(text: string, i: number): number {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/**
 * How Affinity writes every instant, 'YYYY-MM-DDTHH:mm:ssZ' or 'YYYY-MM-DDTHH:mm:ss.sssZ', read without a regex
 * (a pull reads one per date and interaction cell): the same result as the general parse, or undefined for any
 * other shape (then the general parse decides).
 */
function parseUtcInstant(text: string): number | null | undefined {
  const n = text.length;
  if ((n !== 20 && n !== 24) || text.charCodeAt(n - 1) !== 90 /* Z */) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':') return undefined;
  if (n === 24 && text[19] !== '.') return undefined;
  const d: number[] = [];
  for (const i of n === 24 ? FAST_DIGITS_MS : FAST_DIGITS) {
    const v = digitAt(text, i);
    if (v < 0) return undefined;
    d.push(v);
  }
  const year = d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3];
  const month = d[4] * 10 + d[5];
  const day = d[6] * 10 + d[7];
  const hour = d[8] * 10 + d[9];
  const minute = d[10] * 10 + d[11];
  const second = d[12] * 10 + d[13];
  const fraction = n === 24 ? d[14] * 100 + d[15] * 10 + d[16] : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute > 0 || second > 0))) return null;
  return (
    daysFromCivil(year, month, day) * MS_PER_DAY +
    hour * MS_PER_HOUR +
    minute * MS_PER_MINUTE +
    second * 1000 +
    fraction
  );
}

const FAST_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
const FAST_DIGITS_MS = [...FAST_DIGITS, 20, 21, 22];

/** True when the text is a bare ISO date ('YYYY-MM-DD', no time): a calendar day rather than an instant. */
function isDateOnly(text: string): boolean {
  return DAY_RE.test(text.trim());
}

// ---------------------------------------------------------------------------------------------
// America/Los_Angeles

/** Local mean time of Los Angeles, -7:52:58, used until 1883-11-18 12:00 LMT (20:00 UTC). */
const LMT_OFFSET_MS = -(7 * 3600 + 52 * 60 + 58) * 1000;
const PST_MS = -8 * MS_PER_HOUR;
const PDT_MS = -7 * MS_PER_HOUR;

/** Epoch ms of a UTC date and time. */
function utcMs(year: number, month: number, day: number, hour: number, minute = 0): number {
  return daysFromCivil(year, month, day) * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE;
}

/** Day of month of the last Sunday of a month. */
function lastSunday(year: number, month: number): number {
  const last = daysInMonth(year, month);
  return last - weekdayOfDays(daysFromCivil(year, month, last));
}

/** Day of month of the first Sunday on or after `from`. */
function sundayOnOrAfter(year: number, month: number, from: number): number {
  return from + ((7 - weekdayOfDays(daysFromCivil(year, month, from))) % 7);
}

/** Standard time began at 1883-11-18 20:00 UTC. */
const STANDARD_TIME_START_MS = utcMs(1883, 11, 18, 20);

/** Daylight periods that don't follow a yearly rule: [start, end) in epoch ms. */
const IRREGULAR_DAYLIGHT: ReadonlyArray<readonly [number, number]> = [
  // US war time: 1942-02-09 02:00 PST → 1945-09-30 02:00 PWT/PPT.
  [utcMs(1942, 2, 9, 10), utcMs(1945, 9, 30, 9)],
  // California: 1948-03-14 02:01 PST → 1949-01-01 02:00 PDT.
  [utcMs(1948, 3, 14, 10, 1), utcMs(1949, 1, 1, 9)],
];

/**
 * The daylight period of a year under the yearly rules, [start, end) in epoch ms, or null when the year had
 * none. Transition instants follow the tz database (02:00 local wall time unless noted).
 */
function yearlyDaylight(year: number): readonly [number, number] | null {
  if (year === 1918 || year === 1919) {
    return [utcMs(year, 3, lastSunday(year, 3), 10), utcMs(year, 10, lastSunday(year, 10), 9)];
  }
  if (year >= 1950 && year <= 1966) {
    // California: last Sunday of April 01:00 PST; back on the last Sunday of September (to 1961) or October.
    const endMonth = year <= 1961 ? 9 : 10;
    return [utcMs(year, 4, lastSunday(year, 4), 9), utcMs(year, endMonth, lastSunday(year, endMonth), 9)];
  }
  if (year >= 1967 && year <= 2006) {
    let start: number;
    if (year === 1974) start = utcMs(1974, 1, 6, 10);
    else if (year === 1975) start = utcMs(1975, 2, lastSunday(1975, 2), 10);
    else if (year <= 1986) start = utcMs(year, 4, lastSunday(year, 4), 10);
    else start = utcMs(year, 4, sundayOnOrAfter(year, 4, 1), 10);
    return [start, utcMs(year, 10, lastSunday(year, 10), 9)];
  }
  if (year >= 2007) {
    // Second Sunday of March 02:00 PST → first Sunday of November 02:00 PDT.
    return [utcMs(year, 3, sundayOnOrAfter(year, 3, 8), 10), utcMs(year, 11, sundayOnOrAfter(year, 11, 1), 9)];
  }
  return null;
}

/** The daylight period of each year met (a pull asks once per date cell; a few hundred years at most). */
const DAYLIGHT_OF_YEAR = new Map<number, readonly [number, number] | null>();

/** UTC offset of America/Los_Angeles at an instant, in ms (e.g. -28,800,000 for PST). */
export function pacificOffsetMs(ms: number): number {
  if (ms < STANDARD_TIME_START_MS) return LMT_OFFSET_MS;
  for (const [start, end] of IRREGULAR_DAYLIGHT) {
    if (ms >= start && ms < end) return PDT_MS;
  }
  const year = civilFromDays(Math.floor(ms / MS_PER_DAY)).year;
  let period = DAYLIGHT_OF_YEAR.get(year);
  if (period === undefined) {
    period = yearlyDaylight(year);
    DAYLIGHT_OF_YEAR.set(year, period);
  }
  return period && ms >= period[0] && ms < period[1] ? PDT_MS : PST_MS;
}

/**
 * The calendar day in America/Los_Angeles of an instant (epoch ms or an ISO 8601 text), as 'YYYY-MM-DD'.
 * A bare 'YYYY-MM-DD' text is already a day and is returned as is. Throws RangeError for anything else.
 */
export function pacificDay(instant: string | number): string {
  if (typeof instant === 'string') {
    if (isDateOnly(instant)) {
      const t = instant.trim();
      if (isDay(t)) return t;
      throw new RangeError(`Not a date: ${JSON.stringify(instant)}`);
    }
    const ms = parseInstant(instant);
    if (ms === null) throw new RangeError(`Not an ISO 8601 date-time: ${JSON.stringify(instant)}`);
    return pacificDay(ms);
  }
  if (!Number.isFinite(instant)) throw new RangeError(`Not an instant: ${instant}`);
  return utcDay(instant + pacificOffsetMs(instant));
}

/** What to send Affinity for a day: 'YYYY-MM-DDT12:00:00Z' (the same day in every US zone, Pacific included). */
export function dayToAffinityWrite(day: string): string {
  if (!isDay(day)) throw new RangeError(`Not a YYYY-MM-DD day: ${JSON.stringify(day)}`);
  return `${day}T12:00:00Z`;
}

// ---------------------------------------------------------------------------------------------
// Reading a day a person typed

export type ParsedDay =
  | { ok: true; day: string }
  /** Day and month could be swapped ('03/04/2024') or the century is missing ('03/04/24'). */
  | { ok: false; problem: 'ambiguous'; candidates: string[] }
  | { ok: false; problem: 'invalid' };

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};
const WEEKDAYS: Record<string, number> = {
  sun: 0,
  sunday: 0,
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
};

function validDay(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || year < 1 || year > 9999) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return formatDay(year, month, day);
}

const INVALID: ParsedDay = { ok: false, problem: 'invalid' };

/**
 * Reads a day typed by a person. Accepted (English month names, any case):
 * - year first: '2024-04-01', '2024-4-1', '2024/04/01', '2024.04.01';
 * - with a month name, in any order, commas optional, an optional matching weekday:
 *   'Apr 1, 2024', 'April 1st 2024', '1 April 2024', '1-Apr-2024', 'Mon, Apr 1, 2024', '1st of April, 2024';
 * - numeric day and month with a 4-digit year ('13/04/2024', '04/13/2024', '04/04/2024') only when they
 *   can't be swapped; '03/04/2024' is ambiguous, and so is any 2-digit year.
 */
export function parseDayText(text: string): ParsedDay {
  const t = text.trim();
  if (t === '') return INVALID;

  let m = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/.exec(t);
  if (m) {
    const day = validDay(Number(m[1]), Number(m[3]), Number(m[4]));
    return day ? { ok: true, day } : INVALID;
  }

  m = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})$/.exec(t);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    const years = m[4].length === 4 ? [Number(m[4])] : [1900 + Number(m[4]), 2000 + Number(m[4])];
    const candidates: string[] = [];
    for (const year of years) {
      for (const [month, day] of a === b
        ? [[a, b]]
        : [
            [a, b],
            [b, a],
          ]) {
        const d = validDay(year, month, day);
        if (d && !candidates.includes(d)) candidates.push(d);
      }
    }
    if (candidates.length === 1) return { ok: true, day: candidates[0] };
    if (candidates.length === 0) return INVALID;
    return { ok: false, problem: 'ambiguous', candidates: candidates.sort() };
  }

  // Month-name forms.
  const tokens = t
    .toLowerCase()
    .split(/[\s,/-]+/)
    .map((tok) => tok.replace(/\.$/, ''))
    .filter((tok) => tok !== '' && tok !== 'of');
  let month: number | undefined;
  let day: number | undefined;
  let year: number | undefined;
  let weekday: number | undefined;
  for (const tok of tokens) {
    if (Object.prototype.hasOwnProperty.call(MONTHS, tok)) {
      if (month !== undefined) return INVALID;
      month = MONTHS[tok];
    } else if (Object.prototype.hasOwnProperty.call(WEEKDAYS, tok)) {
      if (weekday !== undefined) return INVALID;
      weekday = WEEKDAYS[tok];
    } else if (/^\d{4}$/.test(tok)) {
      if (year !== undefined) return INVALID;
      year = Number(tok);
    } else if (/^\d{1,2}(st|nd|rd|th)?$/.test(tok)) {
      if (day !== undefined) return INVALID;
      day = parseInt(tok, 10);
    } else {
      return INVALID;
    }
  }
  if (month === undefined || day === undefined || year === undefined) return INVALID;
  const result = validDay(year, month, day);
  if (!result) return INVALID;
  if (weekday !== undefined && weekdayOfDays(daysFromCivil(year, month, day)) !== weekday) return INVALID;
  return { ok: true, day: result };
}
