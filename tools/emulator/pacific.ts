/**
 * America/Los_Angeles calendar arithmetic without the host's timezone database. Affinity stores a datetime field as
 * midnight Pacific time of the calendar day (in Los Angeles) of the instant written, e.g. 2024-04-01T07:00:00.000Z.
 *
 * US rules: since 2007 DST runs from the second Sunday of March 02:00 PST to the first Sunday of November 02:00 PDT;
 * 1987-2006 from the first Sunday of April to the last Sunday of October. Earlier years are treated as 1987's rules.
 */

const HOUR_MS = 3_600_000;

/** Day of month of the n-th (1-based) Sunday of a month; n = -1 for the last one. */
function nthSunday(year: number, month: number, n: number): number {
  if (n > 0) {
    const firstDow = new Date(Date.UTC(year, month, 1)).getUTCDay();
    return 1 + ((7 - firstDow) % 7) + (n - 1) * 7;
  }
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const lastDow = new Date(Date.UTC(year, month, lastDay)).getUTCDay();
  return lastDay - lastDow;
}

/** Local calendar days (month 0-based) on which DST starts and ends in a year. */
function dstDays(year: number): { start: [number, number]; end: [number, number] } {
  if (year >= 2007) return { start: [2, nthSunday(year, 2, 2)], end: [10, nthSunday(year, 10, 1)] };
  return { start: [3, nthSunday(year, 3, 1)], end: [9, nthSunday(year, 9, -1)] };
}

/** Whether Pacific daylight time is in effect at a UTC instant. */
export function isPacificDst(epochMs: number): boolean {
  const year = new Date(epochMs).getUTCFullYear();
  const { start, end } = dstDays(year);
  // 02:00 PST = 10:00 UTC; 02:00 PDT = 09:00 UTC.
  const startUtc = Date.UTC(year, start[0], start[1], 10);
  const endUtc = Date.UTC(year, end[0], end[1], 9);
  return epochMs >= startUtc && epochMs < endUtc;
}

/** UTC offset of Pacific time at an instant, in hours (-7 or -8). */
export function pacificOffsetHours(epochMs: number): number {
  return isPacificDst(epochMs) ? -7 : -8;
}

/** The Los Angeles calendar date (YYYY-MM-DD) of an instant. */
export function pacificDate(epochMs: number): string {
  const local = new Date(epochMs + pacificOffsetHours(epochMs) * HOUR_MS);
  return local.toISOString().slice(0, 10);
}

/** The instant of 00:00 Pacific time on a calendar date (YYYY-MM-DD), as Affinity returns it. */
export function pacificMidnight(date: string): string {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  // Transitions happen at 02:00 local, so local midnight is PDT exactly when 07:00Z of that day is in DST
  // (on the spring-forward day it is still PST, on the fall-back day still PDT).
  const offset = isPacificDst(utcMidnight + 7 * HOUR_MS) ? 7 : 8;
  return new Date(utcMidnight + offset * HOUR_MS).toISOString();
}

/** What Affinity stores for a datetime written at `epochMs`: midnight Pacific of its Los Angeles calendar day. */
export function affinityDatetime(epochMs: number): string {
  return pacificMidnight(pacificDate(epochMs));
}
