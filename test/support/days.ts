/** Calendar days in a time zone, for tests (tests may use Intl; the engine may not). */
import type { CodecContext } from '../../src/server/engine/codecs';

export function dayIn(timeZone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (ms) => {
    const p = Object.fromEntries(format.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day}`;
  };
}

/** The codec context of a spreadsheet in `timeZone`. */
export function contextIn(timeZone: string): CodecContext {
  const day = dayIn(timeZone);
  return { dayInSpreadsheet: day, dayOfDate: (d) => day(d.getTime()) };
}
