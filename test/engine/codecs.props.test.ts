/** Property tests of the value codecs (fast-check). */

import fc from 'fast-check';
import type {
  CompanyData,
  Dropdown,
  DropdownOption,
  FieldKind,
  FieldMetadata,
  FieldValue,
  Location,
  PersonData,
  ValueType,
} from '../../src/server/affinity/types';
import { VALUE_TYPES } from '../../src/server/affinity/types';
import {
  DATE_VALUE_TYPES,
  canonicalOf,
  canonicalOfCell,
  cellOf,
  joinMulti,
  matchKey,
  normalizeMulti,
  parseEdit,
  splitMulti,
  isCanonicalMulti,
  multiItems,
  type CodecContext,
  type ParseContext,
  type SheetCell,
} from '../../src/server/engine/codecs';
import { dayOfDays, dayToAffinityWrite, daysFromCivil, MS_PER_DAY, pacificDay } from '../../src/server/engine/dates';
import { contextIn } from '../support/days';

// ---------------------------------------------------------------------------------------------
// Fixtures

/** The spreadsheet is in America/New_York. */
const ctx: CodecContext = contextIn('America/New_York');

/** What Sheets stores for what setValues wrote (a date cell may read back as a Date or as its serial). */
function throughSheets(cell: SheetCell, valueType: ValueType, dates: 'Date' | 'number'): SheetCell {
  if (typeof cell === 'string') {
    if (cell !== '' && !cell.startsWith("'")) throw new Error(`text written without an apostrophe: ${cell}`);
    return cell.slice(1);
  }
  if (typeof cell === 'number' && DATE_VALUE_TYPES.has(valueType) && dates === 'Date') {
    return new Date((cell - 25569) * MS_PER_DAY + 12 * 3600_000);
  }
  return cell;
}

function meta(valueType: ValueType, type: FieldKind = 'list'): FieldMetadata {
  return {
    id: 'field-7',
    name: 'Field',
    type,
    enrichmentSource: null,
    valueType,
    createdAt: null,
    description: null,
    isRequired: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** Strings rich in the characters that matter: separators, escapes, spaces, formula starts, unicode. */
const tricky = fc.string({
  unit: fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        ';',
        '\\',
        ' ',
        '\n',
        '\r\n',
        '\t',
        ',',
        '#',
        '=',
        '+',
        '-',
        '@',
        "'",
        '…',
        '1',
        '.',
        '%',
      ),
    },
    { weight: 5, arbitrary: fc.constantFrom('a', 'B', 'é', 'ß', 'İ', '東', '😀', '\u00a0', '\u200b') },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  ),
  maxLength: 30,
});
const anyString = fc.oneof(tricky, fc.string(), fc.string({ unit: 'binary' }));
const nullableString = fc.option(anyString, { nil: null });

const finiteNumber = fc.double({ noNaN: true, noDefaultInfinity: true });
const anyDays = fc.integer({ min: daysFromCivil(1800, 1, 1), max: daysFromCivil(2200, 12, 31) });
const anyInstant = fc.integer({ min: Date.UTC(1800, 0, 1), max: Date.UTC(2200, 0, 1) });

/** Midnight Pacific of a day, as Affinity stores a datetime. */
function pacificMidnight(days: number): string {
  for (const offsetMs of [7 * 3600_000, 8 * 3600_000, (7 * 3600 + 52 * 60 + 58) * 1000]) {
    const ms = days * MS_PER_DAY + offsetMs;
    if (pacificDay(ms) === dayOfDays(days) && pacificDay(ms - 1) !== dayOfDays(days)) return new Date(ms).toISOString();
  }
  throw new Error(`no Pacific midnight on ${dayOfDays(days)}`);
}

const location: fc.Arbitrary<Location> = fc.record({
  streetAddress: nullableString,
  city: nullableString,
  state: nullableString,
  country: nullableString,
  continent: nullableString,
});
const personArb: fc.Arbitrary<PersonData> = fc.record({
  id: fc.integer({ min: 1, max: 1e9 }),
  firstName: nullableString,
  lastName: nullableString,
  primaryEmailAddress: nullableString,
  type: fc.constantFrom('internal', 'external', 'collaborator'),
});
const companyArb: fc.Arbitrary<CompanyData> = fc.record({
  id: fc.integer({ min: 1, max: 1e9 }),
  name: anyString,
  domain: nullableString,
});
const dropdownArb: fc.Arbitrary<Dropdown> = fc.record({
  dropdownOptionId: fc.integer({ min: 1, max: 1e6 }),
  text: anyString,
});
const attendee = fc.record({ emailAddress: nullableString, person: fc.constant(null) });
const isoOf = (ms: number): string => new Date(ms).toISOString();

/** Any value Affinity may return, of any value type. */
const fieldValue: fc.Arbitrary<FieldValue> = fc.oneof(
  fc.record({ type: fc.constantFrom('text' as const, 'filterable-text' as const), data: nullableString }),
  fc.record({
    type: fc.constant('filterable-text-multi' as const),
    data: fc.option(fc.array(anyString, { maxLength: 8 }), { nil: null }),
  }),
  fc.record({ type: fc.constant('number' as const), data: fc.option(finiteNumber, { nil: null }) }),
  fc.record({
    type: fc.constant('number-multi' as const),
    data: fc.option(fc.array(finiteNumber, { maxLength: 8 }), { nil: null }),
  }),
  fc.record({
    type: fc.constant('formula-number' as const),
    data: fc.option(fc.record({ calculatedValue: fc.option(finiteNumber, { nil: null }) }), { nil: null }),
  }),
  fc.record({
    type: fc.constant('datetime' as const),
    data: fc.option(fc.oneof(anyDays.map(pacificMidnight), anyInstant.map(isoOf), anyString), { nil: null }),
  }),
  fc.record({ type: fc.constant('location' as const), data: fc.option(location, { nil: null }) }),
  fc.record({
    type: fc.constant('location-multi' as const),
    data: fc.option(fc.array(location, { maxLength: 5 }), { nil: null }),
  }),
  fc.record({ type: fc.constant('dropdown' as const), data: fc.option(dropdownArb, { nil: null }) }),
  fc.record({
    type: fc.constant('dropdown-multi' as const),
    data: fc.option(fc.array(dropdownArb, { maxLength: 6 }), { nil: null }),
  }),
  fc.record({
    type: fc.constant('ranked-dropdown' as const),
    data: fc.option(
      fc.record({ dropdownOptionId: fc.nat(), text: anyString, rank: fc.nat(), color: fc.constant(null) }),
      { nil: null },
    ),
  }),
  fc.record({ type: fc.constant('person' as const), data: fc.option(personArb, { nil: null }) }),
  fc.record({
    type: fc.constant('person-multi' as const),
    data: fc.option(fc.array(personArb, { maxLength: 6 }), { nil: null }),
    totalCount: fc.option(fc.nat({ max: 300 }), { nil: undefined }),
  }),
  fc.record({ type: fc.constant('company' as const), data: fc.option(companyArb, { nil: null }) }),
  fc.record({
    type: fc.constant('company-multi' as const),
    data: fc.option(fc.array(companyArb, { maxLength: 6 }), { nil: null }),
  }),
  fc.record({
    type: fc.constant('interaction' as const),
    internalPerson: fc.constant(null),
    data: fc.option(
      fc.oneof(
        anyInstant.map((ms) => ({
          type: 'email' as const,
          id: 1,
          sentAt: isoOf(ms),
          subject: null,
          from: { emailAddress: null, person: null },
          to: [],
          cc: [],
        })),
        anyInstant.map((ms) => ({
          type: 'meeting' as const,
          id: 2,
          startTime: isoOf(ms),
          endTime: null,
          allDay: false,
          title: null,
          attendees: [],
        })),
        fc
          .tuple(anyInstant, fc.array(attendee, { maxLength: 2 }))
          .map(([ms, attendees]) => ({ type: 'call' as const, id: 3, startTime: isoOf(ms), attendees })),
      ),
      { nil: null },
    ),
  }),
  fc.record({
    type: fc.constant('list-multi' as const),
    data: fc.option(
      fc.array(
        fc.record({ id: fc.nat(), name: anyString, type: fc.constant('company' as const), entityCount: fc.nat() }),
        { maxLength: 4 },
      ),
      { nil: null },
    ),
  }),
  fc.record({
    type: fc.constant('note' as const),
    data: fc.option(
      fc.record({
        id: fc.nat(),
        content: fc.record({
          html: fc.option(
            fc.oneof(
              anyString,
              anyString.map((s) => `<p>${s}</p><br>${s}`),
            ),
            { nil: null },
          ),
        }),
        createdAt: fc.constant('2024-01-01T00:00:00Z'),
        updatedAt: fc.constant(null),
        creator: personArb,
        mentions: fc.constant<unknown[]>([]),
      }),
      { nil: null },
    ),
  }),
  fc.record({
    type: fc.constant('reminder' as const),
    data: fc.option(
      fc.record({
        id: fc.nat(),
        type: fc.constantFrom('one-time' as const, 'recurring' as const),
        content: nullableString,
        dueDate: anyInstant.map(isoOf),
        createdAt: fc.constant('2024-01-01T00:00:00Z'),
      }),
      { nil: null },
    ),
  }),
);

// ---------------------------------------------------------------------------------------------

describe('multi-value separator', () => {
  it('splitMulti(joinMulti(items)) === items for any items (except the lone empty item)', () => {
    fc.assert(
      fc.property(fc.array(anyString, { maxLength: 10 }), (items) => {
        fc.pre(!(items.length === 1 && items[0] === ''));
        expect(splitMulti(joinMulti(items))).toEqual(items);
      }),
      { numRuns: 2000 },
    );
  });

  it('joinMulti(splitMulti(text)) reads any text the same way again', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        const items = splitMulti(text);
        expect(splitMulti(joinMulti(items))).toEqual(items.length === 1 && items[0] === '' ? [] : items);
      }),
    );
  });

  it('a text with nothing escaped splits as the escape-aware reading splits it', () => {
    // A trailing lone '\\' sends a text down the escape-aware loop and is kept on the last item.
    const unescaped = fc.array(fc.constantFrom('a', 'é', ' ', ';', '; ', ';;', '\n', '\r\n', '𝔸', 'x y'), {
      maxLength: 12,
    });
    fc.assert(
      fc.property(unescaped, (parts) => {
        const text = parts.join('');
        fc.pre(text !== '');
        const quick = splitMulti(text);
        const loop = splitMulti(text + '\\');
        expect(quick).toEqual([...loop.slice(0, -1), loop[loop.length - 1].slice(0, -1)]);
      }),
      { numRuns: 2000 },
    );
  });

  it('a text found already canonical is what normalizing it gives, and every normalized text without escapes is found so', () => {
    const tricky = fc.array(
      fc.constantFrom('a', 'é', ' ', ';', '; ', ' ;', '\n', '\u00a0', '\u2028', '𝔸', '\\', '\r'),
      { maxLength: 8 },
    );
    for (const text of ['a ; a', 'a;a', 'a;  a', 'a; ; a', ' a', 'a ', 'a; ', '; a', 'a;\u00a0a', 'a\r\nb'])
      expect(isCanonicalMulti(text)).toBe(false);
    for (const text of ['', 'a', 'a; b', 'a b; c\nd; 𝔸']) expect(isCanonicalMulti(text)).toBe(true);
    fc.assert(
      fc.property(
        fc.oneof(
          tricky.map((p) => p.join('')),
          anyString,
        ),
        (text) => {
          if (isCanonicalMulti(text)) expect(joinMulti(multiItems(text))).toBe(text);
          const normal = joinMulti(multiItems(text));
          if (!normal.includes('\\')) expect(isCanonicalMulti(normal)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('normalizeMulti is idempotent', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        const once = normalizeMulti(text);
        expect(normalizeMulti(once)).toBe(once);
      }),
    );
  });
});

describe('canonical text ⇄ cell', () => {
  it('canonicalOfCell(cellOf(t) as Sheets stores it) === t for every pulled value', () => {
    fc.assert(
      fc.property(fieldValue, fc.constantFrom<'Date' | 'number'>('Date', 'number'), (value, dates) => {
        const vt = value.type;
        const { text } = canonicalOf(value, 'list', ctx);
        expect(canonicalOfCell(throughSheets(cellOf(text, vt), vt, dates), vt, ctx)).toBe(text);
      }),
      { numRuns: 5000 },
    );
  });

  it('canonical texts are stable under canonicalOfCell for every value type', () => {
    fc.assert(
      fc.property(fieldValue, (value) => {
        const { text } = canonicalOf(value, 'list', ctx);
        expect(canonicalOfCell(text, value.type, ctx)).toBe(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('text cells round-trip for any string the pull produces in any text-like column', () => {
    // Number and date columns read numbers/days in their own form; number-multi normalizes numeric items.
    const textLike = VALUE_TYPES.filter(
      (vt) => !DATE_VALUE_TYPES.has(vt) && vt !== 'number' && vt !== 'formula-number' && vt !== 'number-multi',
    );
    fc.assert(
      fc.property(anyString, fc.constantFrom(...textLike), (s, vt) => {
        const { text } = canonicalOf({ type: 'text', data: s }, 'list', ctx);
        // single-value texts: text columns; multi columns would read ';' as a separator, so use the multi form
        const t = vt.endsWith('-multi') ? normalizeMulti(joinMulti([text])) : text;
        expect(canonicalOfCell(throughSheets(cellOf(t, vt), vt, 'Date'), vt, ctx)).toBe(t);
      }),
      { numRuns: 3000 },
    );
  });

  it('canonicalOf never throws and respects the cell limit', () => {
    fc.assert(
      fc.property(
        fieldValue,
        fc.constantFrom<FieldKind | 'hidden'>('list', 'global', 'enriched', 'hidden'),
        (value, kind) => {
          const c = canonicalOf(value, kind, ctx);
          expect(c.text.length).toBeLessThanOrEqual(50_000);
          if (kind === 'hidden') expect(c.text).toBe('');
        },
      ),
    );
  });
});

describe('canonicalOf → parseEdit gives the value back', () => {
  const noCtx: ParseContext = { dropdownOptions: () => [], knownPersons: [], knownCompanies: [] };

  it('numbers', () => {
    fc.assert(
      fc.property(finiteNumber, (n) => {
        const { text } = canonicalOf({ type: 'number', data: n }, 'list', ctx);
        expect(parseEdit(text, meta('number'), noCtx)).toEqual({
          ok: true,
          value: { type: 'number', data: n === 0 ? 0 : n },
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('numbers through the sheet (cellOf → Sheets → canonicalOfCell → parseEdit)', () => {
    fc.assert(
      fc.property(finiteNumber, (n) => {
        const { text } = canonicalOf({ type: 'number', data: n }, 'list', ctx);
        const back = canonicalOfCell(throughSheets(cellOf(text, 'number'), 'number', 'Date'), 'number', ctx);
        const r = parseEdit(back, meta('number'), noCtx);
        expect(r.ok && r.value.data).toBe(n === 0 ? 0 : n);
      }),
    );
  });

  it('number-multi', () => {
    fc.assert(
      fc.property(fc.array(finiteNumber, { minLength: 1, maxLength: 10 }), (ns) => {
        const { text } = canonicalOf({ type: 'number-multi', data: ns }, 'list', ctx);
        expect(parseEdit(text, meta('number-multi'), noCtx)).toEqual({
          ok: true,
          value: { type: 'number-multi', data: ns.map((n) => (n === 0 ? 0 : n)) },
        });
      }),
    );
  });

  it('days: an Affinity datetime comes back as the same day at 12:00 UTC', () => {
    fc.assert(
      fc.property(anyDays, (days) => {
        const stored = pacificMidnight(days);
        const { text } = canonicalOf({ type: 'datetime', data: stored }, 'list', ctx);
        expect(text).toBe(dayOfDays(days));
        const back = canonicalOfCell(throughSheets(cellOf(text, 'datetime'), 'datetime', 'Date'), 'datetime', ctx);
        const r = parseEdit(back, meta('datetime'), noCtx);
        expect(r).toEqual({ ok: true, value: { type: 'datetime', data: dayToAffinityWrite(dayOfDays(days)) } });
        // and Affinity, storing midnight PT of the written instant's Pacific day, keeps the day
        expect(pacificDay((r as { ok: true; value: { data: string } }).value.data)).toBe(dayOfDays(days));
      }),
      { numRuns: 3000 },
    );
  });

  it('days: any instant comes back as its Pacific day', () => {
    fc.assert(
      fc.property(anyInstant, (ms) => {
        const { text } = canonicalOf({ type: 'datetime', data: isoOf(ms) }, 'list', ctx);
        const r = parseEdit(text, meta('datetime'), noCtx);
        expect(r).toEqual({ ok: true, value: { type: 'datetime', data: `${pacificDay(ms)}T12:00:00Z` } });
      }),
    );
  });

  /** Dropdown options with distinct, non-blank texts. */
  const optionsArb = fc
    .uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 1e6 }), text: anyString }), {
      minLength: 1,
      maxLength: 12,
      selector: (o) => o.id,
    })
    .map((os) => os.filter((o) => o.text.trim() !== ''))
    .filter((os) => os.length > 0 && new Set(os.map((o) => matchKey(o.text))).size === os.length);

  it('dropdown and ranked-dropdown option ids', () => {
    fc.assert(
      fc.property(
        optionsArb,
        fc.nat(),
        fc.constantFrom<'dropdown' | 'ranked-dropdown'>('dropdown', 'ranked-dropdown'),
        (os, pick, vt) => {
          const option = os[pick % os.length];
          const options: DropdownOption[] = os.map((o) => ({ type: 'dropdown', ...o }));
          const value: FieldValue =
            vt === 'dropdown'
              ? { type: 'dropdown', data: { dropdownOptionId: option.id, text: option.text } }
              : {
                  type: 'ranked-dropdown',
                  data: { dropdownOptionId: option.id, text: option.text, rank: 1, color: null },
                };
          const { text } = canonicalOf(value, 'list', ctx);
          const back = canonicalOfCell(throughSheets(cellOf(text, vt), vt, 'Date'), vt, ctx);
          const r = parseEdit(back, meta(vt), { ...noCtx, dropdownOptions: () => options });
          expect(r).toEqual({ ok: true, value: { type: vt, data: { dropdownOptionId: option.id } } });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('dropdown-multi option ids', () => {
    fc.assert(
      fc.property(optionsArb, fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), (os, picks) => {
        const chosen = [...new Set(picks.map((p) => os[p % os.length]))];
        const options: DropdownOption[] = os.map((o) => ({ type: 'dropdown', ...o }));
        const value: FieldValue = {
          type: 'dropdown-multi',
          data: chosen.map((o) => ({ dropdownOptionId: o.id, text: o.text })),
        };
        const { text } = canonicalOf(value, 'list', ctx);
        const back = canonicalOfCell(
          throughSheets(cellOf(text, 'dropdown-multi'), 'dropdown-multi', 'Date'),
          'dropdown-multi',
          ctx,
        );
        const r = parseEdit(back, meta('dropdown-multi'), { ...noCtx, dropdownOptions: () => options });
        expect(r).toEqual({
          ok: true,
          value: { type: 'dropdown-multi', data: chosen.map((o) => ({ dropdownOptionId: o.id })) },
        });
      }),
      { numRuns: 1000 },
    );
  });

  /** The texts that name a person (display text, email) or company (display text, name, domain). */
  const personKeys = (p: PersonData): string[] => {
    const name = [p.firstName, p.lastName]
      .map((s) => (s ?? '').trim())
      .filter((s) => s !== '')
      .join(' ');
    return [name, p.primaryEmailAddress ?? '', `#${p.id}`].filter((s) => s.trim() !== '').map(matchKey);
  };
  const companyKeys = (c: CompanyData): string[] =>
    [c.name, c.domain ?? '', `#${c.id}`].filter((s) => s.trim() !== '').map(matchKey);
  /** Entities no two of which share a naming text. */
  function distinct<T extends { id: number }>(arb: fc.Arbitrary<T>, keys: (t: T) => string[]): fc.Arbitrary<T[]> {
    return fc.uniqueArray(arb, { minLength: 1, maxLength: 10, selector: (t) => t.id }).filter((ts) => {
      const all = ts.flatMap((t) => [...new Set(keys(t))]);
      return new Set(all).size === all.length;
    });
  }

  it('person and person-multi ids', () => {
    fc.assert(
      fc.property(
        distinct(personArb, personKeys),
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        (people, picks) => {
          const chosen = [...new Set(picks.map((p) => people[p % people.length]))];
          const pctx: ParseContext = { ...noCtx, knownPersons: people };
          const single = canonicalOf({ type: 'person', data: chosen[0] }, 'list', ctx).text;
          const back = canonicalOfCell(throughSheets(cellOf(single, 'person'), 'person', 'Date'), 'person', ctx);
          expect(parseEdit(back, meta('person'), pctx)).toEqual({
            ok: true,
            value: { type: 'person', data: { id: chosen[0].id } },
          });
          const multi = canonicalOf({ type: 'person-multi', data: chosen }, 'list', ctx).text;
          expect(parseEdit(multi, meta('person-multi'), pctx)).toEqual({
            ok: true,
            value: { type: 'person-multi', data: chosen.map((p) => ({ id: p.id })) },
          });
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('company and company-multi ids', () => {
    fc.assert(
      fc.property(
        distinct(companyArb, companyKeys),
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        (companies, picks) => {
          const chosen = [...new Set(picks.map((p) => companies[p % companies.length]))];
          const pctx: ParseContext = { ...noCtx, knownCompanies: companies };
          const single = canonicalOf({ type: 'company', data: chosen[0] }, 'list', ctx).text;
          expect(parseEdit(single, meta('company'), pctx)).toEqual({
            ok: true,
            value: { type: 'company', data: { id: chosen[0].id } },
          });
          const multi = canonicalOf({ type: 'company-multi', data: chosen }, 'list', ctx).text;
          expect(parseEdit(multi, meta('company-multi'), pctx)).toEqual({
            ok: true,
            value: { type: 'company-multi', data: chosen.map((c) => ({ id: c.id })) },
          });
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('people sharing a name come back by the current value', () => {
    fc.assert(
      fc.property(fc.uniqueArray(personArb, { minLength: 1, maxLength: 6, selector: (p) => p.id }), (people) => {
        // No knowns at all: only the current value tells who is who.
        const multi = canonicalOf({ type: 'person-multi', data: people }, 'list', ctx).text;
        const r = parseEdit(multi, meta('person-multi'), noCtx, { type: 'person-multi', data: people });
        const ids = [...new Set(people.map((p) => p.id))];
        expect(r).toEqual({ ok: true, value: { type: 'person-multi', data: ids.map((id) => ({ id })) } });
      }),
    );
  });

  it('locations with a street, city, state and country (no commas inside)', () => {
    const part = anyString
      .map((s) =>
        s
          .replace(/[,;\\]/g, ' ')
          .replace(/\r\n?/g, '\n')
          .trim(),
      )
      .filter((s) => s !== '');
    fc.assert(
      fc.property(part, part, part, part, (streetAddress, city, state, country) => {
        const loc = { streetAddress, city, state, country, continent: null };
        const { text } = canonicalOf({ type: 'location', data: loc }, 'list', ctx);
        const r = parseEdit(text, meta('location'), noCtx);
        expect(r).toEqual({ ok: true, value: { type: 'location', data: loc } });
        const three = canonicalOf({ type: 'location', data: { ...loc, streetAddress: null } }, 'list', ctx).text;
        expect(parseEdit(three, meta('location'), noCtx)).toEqual({
          ok: true,
          value: { type: 'location', data: { ...loc, streetAddress: null } },
        });
      }),
    );
  });

  it('any location comes back exactly when the current value is given', () => {
    fc.assert(
      fc.property(fc.array(location, { minLength: 1, maxLength: 5 }), (locs) => {
        const shown = locs.filter((l) => canonicalOf({ type: 'location', data: l }, 'list', ctx).text !== '');
        fc.pre(shown.length > 0);
        const { text } = canonicalOf({ type: 'location-multi', data: shown }, 'list', ctx);
        const r = parseEdit(text, meta('location-multi'), noCtx, { type: 'location-multi', data: shown });
        expect(r).toEqual({ ok: true, value: { type: 'location-multi', data: shown } });
      }),
    );
  });
});

describe('parseEdit never throws', () => {
  const people: PersonData[] = [
    { id: 1, firstName: 'Jane', lastName: 'Doe', primaryEmailAddress: 'j@d.co', type: 'external' },
    { id: 2, firstName: 'Jane', lastName: 'Doe', primaryEmailAddress: null, type: 'internal' },
  ];
  const pctx: ParseContext = {
    dropdownOptions: () => [
      { type: 'dropdown', id: 1, text: 'Seed' },
      { type: 'ranked-dropdown', id: 2, text: 'Hot', rank: 1, color: 'red' },
    ],
    knownPersons: people,
    knownCompanies: [{ id: 3, name: 'Acme', domain: 'acme.co' }],
  };

  it('for any string, value type and field kind', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyString,
          fc.string({ maxLength: 200 }),
          fc.array(anyString).map((xs) => xs.join('; ')),
        ),
        fc.constantFrom(...VALUE_TYPES),
        fc.constantFrom<FieldKind>('list', 'global', 'enriched', 'relationship-intelligence'),
        fc.option(fieldValue, { nil: undefined }),
        (text, vt, kind, current) => {
          const r = parseEdit(text, meta(vt, kind), pctx, current);
          if (r.ok) {
            expect(r.value.type).toBe(vt);
          } else {
            expect(typeof r.reason).toBe('string');
            expect(r.reason.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });
});
