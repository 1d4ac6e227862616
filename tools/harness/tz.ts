/**
 * Time-zone arithmetic on top of Intl (IANA names, plus Java-style fixed offsets such as 'GMT+5' or
 * 'GMT-03:30' that Utilities.formatDate accepts).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();
const BUCKET = 15 * 60 * 1000;

function fixedOffset(tz: string): number | null {
  const m = /^(?:GMT|UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(tz);
  if (!m || (!/^(GMT|UTC)/i.test(tz) && !/^[+-]/.test(tz))) return null;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000;
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True when the harness can work with this time zone id. */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz === '') return false;
  if (/^(GMT|UTC)$/i.test(tz) || fixedOffset(tz) !== null) return true;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `tz` from UTC at the instant `utcMs`, in ms (America/New_York in winter: -18000000). */
export function tzOffset(tz: string, utcMs: number): number {
  if (/^(GMT|UTC|Etc\/UTC|Etc\/GMT|Z)$/i.test(tz)) return 0;
  const fixed = fixedOffset(tz);
  if (fixed !== null) return fixed;
  let cache = offsetCache.get(tz);
  if (!cache) {
    cache = new Map();
    offsetCache.set(tz, cache);
  }
  const bucket = Math.floor(utcMs / BUCKET);
  let off = cache.get(bucket);
  if (off === undefined) {
    const at = bucket * BUCKET;
    const parts = formatter(tz).formatToParts(new Date(at));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
    let year = get('year');
    if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
    const wall = Date.UTC(year, get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
    const d = new Date(wall);
    if (year >= 0 && year < 100) d.setUTCFullYear(year);
    off = d.getTime() - at;
    if (cache.size > 100_000) cache.clear();
    cache.set(bucket, off);
  }
  return off;
}

/** The wall-clock time in `tz` at `utcMs`, as ms since the epoch of a UTC clock showing that time. */
export function toWall(tz: string, utcMs: number): number {
  return utcMs + tzOffset(tz, utcMs);
}

/** The instant at which `tz`'s wall clock shows `wallMs` (the earlier one when ambiguous; skipping forward in gaps). */
export function fromWall(tz: string, wallMs: number): number {
  const off1 = tzOffset(tz, wallMs - tzOffset(tz, wallMs));
  let utc = wallMs - off1;
  const off2 = tzOffset(tz, utc);
  if (off2 !== off1) utc = wallMs - off2;
  return utc;
}

export interface WallFields {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  weekday: number; // 0 = Sunday
  offsetMs: number;
}

export function wallFields(tz: string, utcMs: number): WallFields {
  const offsetMs = tzOffset(tz, utcMs);
  const d = new Date(utcMs + offsetMs);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
    weekday: d.getUTCDay(),
    offsetMs,
  };
}

/** Short zone name ('EST', 'GMT+01:00'...) as Java's 'z' would print it, approximately. */
export function shortZoneName(tz: string, utcMs: number): string {
  if (/^(UTC|Etc\/UTC)$/i.test(tz)) return 'UTC';
  if (/^(GMT|Etc\/GMT)$/i.test(tz)) return 'GMT';
  const fixed = fixedOffset(tz);
  if (fixed !== null) return 'GMT' + offsetText(fixed, true);
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' }).formatToParts(
      new Date(utcMs),
    );
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? tz;
  } catch {
    return tz;
  }
}

/** '+0530' / '-05:00' style offset text. */
export function offsetText(offsetMs: number, colon: boolean): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const abs = Math.abs(Math.round(offsetMs / 60_000));
  const h = String(Math.floor(abs / 60)).padStart(2, '0');
  const m = String(abs % 60).padStart(2, '0');
  return sign + h + (colon ? ':' : '') + m;
}
