import fc from 'fast-check';
import {
  civilFromDays,
  dayOfDays,
  dayToAffinityWrite,
  daysFromCivil,
  dayToSerial,
  isDay,
  MS_PER_DAY,
  pacificDay,
  pacificOffsetMs,
  parseDayText,
  parseInstant,
  serialToDay,
} from '../../src/server/engine/dates';

/** Oracle (tests only): the host's ICU time-zone data for America/Los_Angeles. */
const laFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Los_Angeles',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
function laParts(ms: number): { day: string; time: string } {
  const parts = Object.fromEntries(laFormat.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { day: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}` };
}

const YEAR_1800 = Date.UTC(1800, 0, 1);
const YEAR_2200 = Date.UTC(2200, 0, 1);

describe('civil calendar arithmetic', () => {
  it('matches Date.UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (days) => {
        const c = civilFromDays(days);
        const d = new Date(days * MS_PER_DAY);
        expect([c.year, c.month, c.day]).toEqual([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]);
        expect(daysFromCivil(c.year, c.month, c.day)).toBe(days);
      }),
    );
  });

  it('formats years below 1000 with four digits', () => {
    expect(dayOfDays(daysFromCivil(999, 1, 2))).toBe('0999-01-02');
    expect(dayOfDays(daysFromCivil(1, 1, 1))).toBe('0001-01-01');
  });
});

describe('pacificDay', () => {
  it('reads Affinity datetimes (midnight PT) as their day', () => {
    expect(pacificDay('2024-04-01T07:00:00.000Z')).toBe('2024-04-01');
    expect(pacificDay('2024-01-15T08:00:00Z')).toBe('2024-01-15');
    expect(pacificDay('2024-04-01T00:00:00-07:00')).toBe('2024-04-01');
    expect(pacificDay(Date.parse('2024-04-01T07:00:00Z'))).toBe('2024-04-01');
  });

  it('takes a bare date as the day it names', () => {
    expect(pacificDay('2024-04-01')).toBe('2024-04-01');
    expect(() => pacificDay('2024-02-30')).toThrow(RangeError);
  });

  it('reads a text without a zone as UTC, never as the host zone', () => {
    expect(pacificDay('2024-04-01T07:00:00')).toBe('2024-04-01');
    expect(pacificDay('2024-04-01T06:59:59')).toBe('2024-03-31');
  });

  it('rejects what is not an instant', () => {
    expect(() => pacificDay('yesterday')).toThrow(RangeError);
    expect(() => pacificDay(NaN)).toThrow(RangeError);
    expect(parseInstant('2024-13-01T00:00:00Z')).toBeNull();
    expect(parseInstant('2024-04-01T25:00:00Z')).toBeNull();
  });

  it("reads Affinity's own shape ('…T07:00:00Z', '…T07:00:00.000Z') as the general parse does", () => {
    // The quick path (no regex) and the general one must agree on every text of that shape, valid or not; a
    // leading space sends a text down the general path.
    const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n });
    const text = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), fc.option(digits(3)))
      .map(([y, mo, d, h, mi, s, f]) =>
        [y, '-', mo, '-', d, 'T', h, ':', mi, ':', s, f ? ['.', f] : [], 'Z'].flat(2).join(''),
      );
    fc.assert(
      fc.property(text, (t) => {
        const quick = parseInstant(t);
        expect(quick).toBe(parseInstant(` ${t}`));
        if (quick !== null && Number(t.slice(0, 4)) >= 1 && !t.includes('T24') && !/:60/.test(t))
          expect(quick).toBe(Date.parse(t));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString();
          expect(parseInstant(iso)).toBe(d.getTime());
          expect(parseInstant(iso.replace(/\.\d{3}Z$/, 'Z'))).toBe(Math.floor(d.getTime() / 1000) * 1000);
        },
      ),
      { numRuns: 2000 },
    );
    expect(parseInstant('2024-02-30T07:00:00Z')).toBeNull();
    expect(parseInstant('2024-04-01T24:00:01Z')).toBeNull();
    expect(parseInstant('2024-04-01T07:00:00.000z')).toBe(Date.parse('2024-04-01T07:00:00.000Z'));
  });

  it('spring forward 2024-03-10 (02:00 PST → 03:00 PDT at 10:00Z)', () => {
    expect(pacificDay('2024-03-10T08:00:00Z')).toBe('2024-03-10'); // midnight PST
    expect(pacificDay('2024-03-10T07:59:59Z')).toBe('2024-03-09');
    expect(pacificDay('2024-03-11T07:00:00Z')).toBe('2024-03-11'); // midnight PDT
    expect(pacificDay('2024-03-11T06:59:59Z')).toBe('2024-03-10');
    expect(pacificOffsetMs(Date.parse('2024-03-10T09:59:59Z'))).toBe(-8 * 3600_000);
    expect(pacificOffsetMs(Date.parse('2024-03-10T10:00:00Z'))).toBe(-7 * 3600_000);
  });

  it('fall back 2024-11-03 (02:00 PDT → 01:00 PST at 09:00Z)', () => {
    expect(pacificDay('2024-11-03T07:00:00Z')).toBe('2024-11-03'); // midnight PDT
    expect(pacificDay('2024-11-03T06:59:59Z')).toBe('2024-11-02');
    expect(pacificDay('2024-11-04T08:00:00Z')).toBe('2024-11-04'); // midnight PST
    expect(pacificDay('2024-11-04T07:59:59Z')).toBe('2024-11-03');
    expect(pacificOffsetMs(Date.parse('2024-11-03T08:59:59Z'))).toBe(-7 * 3600_000);
    expect(pacificOffsetMs(Date.parse('2024-11-03T09:00:00Z'))).toBe(-8 * 3600_000);
  });

  it('uses the pre-2007 rules (first Sunday of April, last Sunday of October)', () => {
    // 2006: DST from 2006-04-02 to 2006-10-29. Mid-March 2006 was still PST; mid-March 2007 was PDT.
    expect(pacificDay('2006-03-15T07:30:00Z')).toBe('2006-03-14');
    expect(pacificDay('2007-03-15T07:30:00Z')).toBe('2007-03-15');
    expect(pacificDay('2006-11-01T07:30:00Z')).toBe('2006-10-31');
    expect(pacificDay('2007-11-01T07:30:00Z')).toBe('2007-11-01');
    // 1974 energy crisis: DST from January 6.
    expect(pacificDay('1974-02-01T07:00:00Z')).toBe('1974-02-01');
    expect(pacificDay('1973-02-01T07:00:00Z')).toBe('1973-01-31');
  });

  it('handles war time and local mean time', () => {
    expect(pacificDay('1943-01-15T07:00:00Z')).toBe('1943-01-15');
    expect(pacificDay('1850-06-01T07:52:58Z')).toBe('1850-06-01');
    expect(pacificDay('1850-06-01T07:52:57Z')).toBe('1850-05-31');
  });

  it('agrees with the tz database for any instant from 1800 to 2200', () => {
    fc.assert(
      fc.property(fc.integer({ min: YEAR_1800, max: YEAR_2200 }), (ms) => {
        expect(pacificDay(ms)).toBe(laParts(ms).day);
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees with the tz database on the UTC offset around every transition from 1883 to 2100', () => {
    // Transitions happen in the small hours of a Sunday (and on a few irregular days): check the offset every
    // 30 minutes from 08:00 to 11:30 UTC on those days.
    const offsetOracle = (ms: number): number => {
      const { day, time } = laParts(ms);
      const [y, mo, d] = day.split('-').map(Number);
      const [h, mi, se] = time.split(':').map(Number);
      return daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + se) * 1000 - Math.floor(ms / 1000) * 1000;
    };
    const irregular = [daysFromCivil(1942, 2, 9), daysFromCivil(1949, 1, 1)];
    let checked = 0;
    for (let days = daysFromCivil(1883, 11, 18); days < daysFromCivil(2100, 1, 1); days++) {
      if ((days + 4) % 7 !== 0 && !irregular.includes(days)) continue; // Sundays (1970-01-04 was one)
      for (let half = 16; half < 24; half++) {
        const ms = days * MS_PER_DAY + half * 1800_000;
        const want = offsetOracle(ms);
        if (pacificOffsetMs(ms) !== want) {
          throw new Error(`${new Date(ms).toISOString()}: offset ${pacificOffsetMs(ms)} ≠ ${want}`);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(80_000);
  });

  it('reads midnight Pacific of any day (Affinity storage) as that day', () => {
    fc.assert(
      fc.property(fc.integer({ min: daysFromCivil(1850, 1, 1), max: daysFromCivil(2150, 12, 31) }), (days) => {
        const day = dayOfDays(days);
        const candidates = [7 * 3600_000, 8 * 3600_000, (7 * 3600 + 52 * 60 + 58) * 1000].map(
          (o) => days * MS_PER_DAY + o,
        );
        const midnight = candidates.find((ms) => laParts(ms).day === day && laParts(ms).time === '00:00:00');
        expect(midnight).toBeDefined();
        expect(pacificDay(midnight!)).toBe(day);
        expect(pacificDay(new Date(midnight!).toISOString())).toBe(day);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('dayToAffinityWrite', () => {
  it('sends the day at 12:00 UTC', () => {
    expect(dayToAffinityWrite('2024-04-01')).toBe('2024-04-01T12:00:00Z');
    expect(() => dayToAffinityWrite('2024-4-1')).toThrow(RangeError);
  });

  it('keeps the day across the DST transitions', () => {
    for (const day of ['2024-03-09', '2024-03-10', '2024-03-11', '2024-11-02', '2024-11-03', '2024-11-04']) {
      expect(pacificDay(dayToAffinityWrite(day))).toBe(day);
      // What Affinity stores: midnight PT of the Pacific day of the instant written.
      expect(laParts(Date.parse(dayToAffinityWrite(day))).day).toBe(day);
    }
  });

  it('keeps the day for any day of years 1-9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: daysFromCivil(1, 1, 1), max: daysFromCivil(9999, 12, 31) }), (days) => {
        const day = dayOfDays(days);
        expect(pacificDay(dayToAffinityWrite(day))).toBe(day);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('Sheets serial numbers', () => {
  it('counts days from 1899-12-30', () => {
    expect(dayToSerial('1899-12-30')).toBe(0);
    expect(dayToSerial('1899-12-31')).toBe(1);
    expect(dayToSerial('1900-01-01')).toBe(2);
    expect(dayToSerial('1899-12-29')).toBe(-1);
    expect(dayToSerial('2024-04-01')).toBe(45383);
    expect(serialToDay(45383)).toBe('2024-04-01');
    expect(serialToDay(45383.99)).toBe('2024-04-01');
    expect(serialToDay(-0.5)).toBe('1899-12-29');
    expect(() => dayToSerial('2024-02-30')).toThrow(RangeError);
    expect(() => serialToDay(Infinity)).toThrow(RangeError);
  });

  it('round-trips every day', () => {
    fc.assert(
      fc.property(fc.integer({ min: daysFromCivil(1, 1, 1), max: daysFromCivil(9999, 12, 31) }), (days) => {
        const day = dayOfDays(days);
        const serial = dayToSerial(day);
        expect(Number.isInteger(serial)).toBe(true);
        expect(serialToDay(serial)).toBe(day);
      }),
    );
  });
});

describe('parseDayText', () => {
  const day = (text: string): string | undefined => {
    const r = parseDayText(text);
    return r.ok ? r.day : undefined;
  };

  it.each([
    ['2024-04-01', '2024-04-01'],
    [' 2024-04-01 ', '2024-04-01'],
    ['2024-4-1', '2024-04-01'],
    ['2024/04/01', '2024-04-01'],
    ['2024.04.01', '2024-04-01'],
    ['Apr 1, 2024', '2024-04-01'],
    ['Apr. 1, 2024', '2024-04-01'],
    ['april 1 2024', '2024-04-01'],
    ['April 1st, 2024', '2024-04-01'],
    ['1 April 2024', '2024-04-01'],
    ['1st of April 2024', '2024-04-01'],
    ['1-Apr-2024', '2024-04-01'],
    ['Mon, Apr 1, 2024', '2024-04-01'],
    ['Monday 1 April 2024', '2024-04-01'],
    ['2024 Sept 30', '2024-09-30'],
    ['13/04/2024', '2024-04-13'],
    ['04/13/2024', '2024-04-13'],
    ['04/04/2024', '2024-04-04'],
    ['Feb 29, 2024', '2024-02-29'],
  ])('accepts %p', (text, want) => {
    expect(day(text)).toBe(want);
  });

  it.each(['03/04/2024', '3.4.2024', '03/04/24', '13/04/24'])('calls %p ambiguous', (text) => {
    const r = parseDayText(text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toBe('ambiguous');
    if (!r.ok && r.problem === 'ambiguous') expect(r.candidates.length).toBeGreaterThan(1);
  });

  it('lists both readings of an ambiguous day', () => {
    expect(parseDayText('03/04/2024')).toEqual({
      ok: false,
      problem: 'ambiguous',
      candidates: ['2024-03-04', '2024-04-03'],
    });
  });

  it.each([
    '',
    'soon',
    '2024-02-30',
    'Feb 30, 2024',
    'Tue, Apr 1, 2024',
    'Apr 2024',
    'Apr 1',
    '13/13/2024',
    '2024-04-01T10:00',
    'Apr Mar 1 2024',
  ])('rejects %p', (text) => {
    expect(parseDayText(text)).toEqual({ ok: false, problem: 'invalid' });
  });

  it('never throws and only returns real days', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const r = parseDayText(text);
        if (r.ok) expect(isDay(r.day)).toBe(true);
      }),
    );
  });

  it('reads every day written as YYYY-MM-DD', () => {
    fc.assert(
      fc.property(fc.integer({ min: daysFromCivil(1, 1, 1), max: daysFromCivil(9999, 12, 31) }), (days) => {
        const d = dayOfDays(days);
        expect(day(d)).toBe(d);
      }),
    );
  });
});
