import fc from 'fast-check';
import { affinityDatetime, pacificDate, pacificMidnight } from '../../tools/emulator/pacific';
import { parseInstant } from '../../tools/emulator/values';

// Node ships full ICU: Intl is the reference the hand-written DST rules are checked against.
const laDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Los_Angeles',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const laTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'America/Los_Angeles',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const MIN = Date.UTC(1990, 0, 1);
const MAX = Date.UTC(2060, 0, 1);

test('the Los Angeles calendar day of any instant matches Intl', () => {
  fc.assert(
    fc.property(fc.integer({ min: MIN, max: MAX }), (t) => {
      expect(pacificDate(t)).toBe(laDate.format(t));
    }),
    { numRuns: 5_000 },
  );
});

test('the stored value is 00:00:00 in Los Angeles on that day', () => {
  fc.assert(
    fc.property(fc.integer({ min: MIN, max: MAX }), (t) => {
      const stored = affinityDatetime(t);
      expect(stored).toMatch(/^\d{4}-\d{2}-\d{2}T0[78]:00:00\.000Z$/);
      expect(laTime.format(Date.parse(stored))).toBe('00:00:00');
      expect(laDate.format(Date.parse(stored))).toBe(laDate.format(t));
    }),
    { numRuns: 5_000 },
  );
});

test('transition days', () => {
  expect(pacificMidnight('2024-03-10')).toBe('2024-03-10T08:00:00.000Z');
  expect(pacificMidnight('2024-03-11')).toBe('2024-03-11T07:00:00.000Z');
  expect(pacificMidnight('2024-11-03')).toBe('2024-11-03T07:00:00.000Z');
  expect(pacificMidnight('2024-11-04')).toBe('2024-11-04T08:00:00.000Z');
  // 09:59Z on spring-forward day is 01:59 PST; 10:00Z is 03:00 PDT: same day either way.
  expect(pacificDate(Date.UTC(2024, 2, 10, 9, 59))).toBe('2024-03-10');
  expect(pacificDate(Date.UTC(2024, 2, 10, 7, 59))).toBe('2024-03-09');
  // Fall back: 08:59Z is 01:59 PDT, 09:00Z is 01:00 PST.
  expect(pacificDate(Date.UTC(2024, 10, 3, 7, 59))).toBe('2024-11-03');
  expect(pacificDate(Date.UTC(2024, 10, 4, 7, 59))).toBe('2024-11-03');
  expect(pacificDate(Date.UTC(2024, 10, 4, 8, 0))).toBe('2024-11-04');
});

test('instants parse without the host timezone', () => {
  expect(parseInstant('2024-04-01')).toBe(Date.UTC(2024, 3, 1));
  expect(parseInstant('2024-04-01T10:00')).toBe(Date.UTC(2024, 3, 1, 10));
  expect(parseInstant('2024-04-01 10:00:00')).toBe(Date.UTC(2024, 3, 1, 10));
  expect(parseInstant('2024-04-01T10:00:00.123456+0200')).toBe(Date.UTC(2024, 3, 1, 8, 0, 0, 123));
  expect(parseInstant('2024-04-01T10:00:00-07:00')).toBe(Date.UTC(2024, 3, 1, 17));
  for (const bad of ['', 'tomorrow', '2024-4-1', '2024-04-01T25:00:00Z', '1711965600000'])
    expect(parseInstant(bad)).toBeUndefined();
});
