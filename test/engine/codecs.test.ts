import type {
  CompanyData,
  DropdownOption,
  FieldKind,
  FieldMetadata,
  FieldValue,
  PersonData,
  ValueType,
} from '../../src/server/affinity/types';
import { VALUE_TYPES } from '../../src/server/affinity/types';
import {
  CELL_TEXT_LIMIT,
  DATE_VALUE_TYPES,
  canonicalOf,
  canonicalOfCell,
  cellOf,
  columnFormat,
  htmlToText,
  isEditable,
  joinMulti,
  parseEdit,
  parseLocationText,
  splitMulti,
  type CodecContext,
  type ParseContext,
  type SheetCell,
} from '../../src/server/engine/codecs';
import { MS_PER_DAY } from '../../src/server/engine/dates';
import { contextIn } from '../support/days';

// ---------------------------------------------------------------------------------------------
// Fixtures

/** The spreadsheet is in America/New_York. */
const ctx: CodecContext = contextIn('America/New_York');

/** What Sheets stores for what setValues wrote: the leading apostrophe is not part of the value. */
function throughSheets(cell: SheetCell, valueType: ValueType): SheetCell {
  if (typeof cell === 'string') return cell.startsWith("'") ? cell.slice(1) : cell;
  if (typeof cell === 'number' && DATE_VALUE_TYPES.has(valueType)) {
    return new Date((cell - 25569) * MS_PER_DAY + 12 * 3600_000); // a date cell reads back as a Date
  }
  return cell;
}

function meta(valueType: ValueType, type: FieldKind = 'list', name = 'Stage'): FieldMetadata {
  return {
    id: 'field-7',
    name,
    type,
    enrichmentSource: null,
    valueType,
    createdAt: null,
    description: null,
    isRequired: false,
  };
}

const person = (
  id: number,
  firstName: string | null,
  lastName: string | null,
  email: string | null = null,
): PersonData => ({
  id,
  firstName,
  lastName,
  primaryEmailAddress: email,
  type: 'external',
});
const company = (id: number, name: string, domain: string | null = null): CompanyData => ({ id, name, domain });

const JANE = person(11, 'Jane', 'Doe', 'jane@acme.co');
const JANE2 = person(12, 'Jane', 'Doe', 'jane.doe@other.io');
const BOB = person(13, 'Bob', null, 'bob@acme.co');
const NONAME = person(14, null, null, 'ghost@acme.co');
const ACME = company(21, 'Acme', 'acme.co');
const GLOBEX = company(22, 'Globex', 'globex.com');
const STUDIO = company(23, 'Studio #1', null);

const OPTIONS: DropdownOption[] = [
  { type: 'dropdown', id: 1, text: 'Seed' },
  { type: 'dropdown', id: 2, text: 'Series A' },
  { type: 'dropdown', id: 3, text: 'Growth; late' },
  { type: 'dropdown', id: 4, text: '=IF(1,2)' },
];
const pctx: ParseContext = {
  dropdownOptions: (fieldId) => (fieldId === 'field-7' ? OPTIONS : []),
  knownPersons: [JANE, JANE2, BOB, NONAME],
  knownCompanies: [ACME, GLOBEX, STUDIO],
};

const text = (value: FieldValue | null | undefined, kind: FieldKind | 'hidden' = 'list'): string =>
  canonicalOf(value, kind, ctx).text;

// ---------------------------------------------------------------------------------------------

describe('canonicalOf: every value type', () => {
  it('text and filterable-text', () => {
    expect(text({ type: 'text', data: 'Hello' })).toBe('Hello');
    expect(text({ type: 'text', data: '  padded \n' })).toBe('padded');
    expect(text({ type: 'text', data: 'line 1\r\nline 2' })).toBe('line 1\nline 2');
    expect(text({ type: 'text', data: 'Zürich 🚀 東京 مرحبا' })).toBe('Zürich 🚀 東京 مرحبا');
    expect(text({ type: 'text', data: '=SUM(A1:A9)' })).toBe('=SUM(A1:A9)');
    expect(text({ type: 'text', data: null })).toBe('');
    expect(text({ type: 'filterable-text', data: 'Fintech' })).toBe('Fintech');
  });

  it('filterable-text-multi escapes ; and \\', () => {
    expect(text({ type: 'filterable-text-multi', data: ['B2B', 'SaaS; cloud', 'a\\b'] })).toBe(
      'B2B; SaaS\\; cloud; a\\\\b',
    );
    expect(text({ type: 'filterable-text-multi', data: [] })).toBe('');
    expect(text({ type: 'filterable-text-multi', data: null })).toBe('');
    expect(text({ type: 'filterable-text-multi', data: ['  x ', '', '   '] })).toBe('x');
  });

  it('number and number-multi (shortest decimal)', () => {
    expect(text({ type: 'number', data: 1250000 })).toBe('1250000');
    expect(text({ type: 'number', data: 0.1 + 0.2 })).toBe('0.30000000000000004');
    expect(text({ type: 'number', data: -0 })).toBe('0');
    expect(text({ type: 'number', data: 1e21 })).toBe('1e+21');
    expect(text({ type: 'number', data: -2.5e-7 })).toBe('-2.5e-7');
    expect(text({ type: 'number', data: null })).toBe('');
    expect(text({ type: 'number-multi', data: [1, 2.5, -3] })).toBe('1; 2.5; -3');
    expect(text({ type: 'number-multi', data: [] })).toBe('');
  });

  it('formula-number shows the calculated value', () => {
    expect(text({ type: 'formula-number', data: { calculatedValue: 3.75 } })).toBe('3.75');
    expect(text({ type: 'formula-number', data: { calculatedValue: null } })).toBe('');
    expect(text({ type: 'formula-number', data: {} })).toBe('');
    expect(text({ type: 'formula-number', data: null })).toBe('');
  });

  it('datetime is the Pacific calendar day', () => {
    expect(text({ type: 'datetime', data: '2024-04-01T07:00:00.000Z' })).toBe('2024-04-01');
    expect(text({ type: 'datetime', data: '2024-03-10T08:00:00.000Z' })).toBe('2024-03-10'); // spring forward day
    expect(text({ type: 'datetime', data: '2024-03-11T07:00:00.000Z' })).toBe('2024-03-11');
    expect(text({ type: 'datetime', data: '2024-11-03T07:00:00.000Z' })).toBe('2024-11-03'); // fall back day
    expect(text({ type: 'datetime', data: '2024-11-04T08:00:00.000Z' })).toBe('2024-11-04');
    expect(text({ type: 'datetime', data: '2024-04-01T12:00:00Z' })).toBe('2024-04-01'); // what we write
    expect(text({ type: 'datetime', data: '2024-04-01' })).toBe('2024-04-01');
    expect(text({ type: 'datetime', data: 'not a date' })).toBe('not a date');
    expect(text({ type: 'datetime', data: null })).toBe('');
  });

  it('location and location-multi', () => {
    const sf = {
      streetAddress: '1 Market St',
      city: 'San Francisco',
      state: 'California',
      country: 'United States',
      continent: 'North America',
    };
    expect(text({ type: 'location', data: sf })).toBe('1 Market St, San Francisco, California, United States');
    const london = { streetAddress: null, city: 'London', state: null, country: 'United Kingdom', continent: 'Europe' };
    expect(text({ type: 'location', data: london })).toBe('London, United Kingdom');
    const europe = { streetAddress: null, city: null, state: null, country: null, continent: 'Europe' };
    expect(text({ type: 'location', data: europe })).toBe('Europe');
    expect(text({ type: 'location', data: { ...europe, continent: null } })).toBe('');
    expect(text({ type: 'location-multi', data: [sf, london] })).toBe(
      '1 Market St, San Francisco, California, United States; London, United Kingdom',
    );
    expect(text({ type: 'location-multi', data: [] })).toBe('');
  });

  it('dropdown, ranked-dropdown and dropdown-multi show option texts', () => {
    expect(text({ type: 'dropdown', data: { dropdownOptionId: 1, text: 'Seed' } })).toBe('Seed');
    expect(text({ type: 'ranked-dropdown', data: { dropdownOptionId: 5, text: 'High', rank: 1, color: 'red' } })).toBe(
      'High',
    );
    expect(
      text({
        type: 'dropdown-multi',
        data: [
          { dropdownOptionId: 1, text: 'Seed' },
          { dropdownOptionId: 3, text: 'Growth; late' },
        ],
      }),
    ).toBe('Seed; Growth\\; late');
    expect(text({ type: 'dropdown', data: null })).toBe('');
  });

  it('person and person-multi', () => {
    expect(text({ type: 'person', data: JANE })).toBe('Jane Doe');
    expect(text({ type: 'person', data: BOB })).toBe('Bob');
    expect(text({ type: 'person', data: person(1, null, 'Solo') })).toBe('Solo');
    expect(text({ type: 'person', data: NONAME })).toBe('ghost@acme.co');
    expect(text({ type: 'person', data: person(99, ' ', null, null) })).toBe('#99');
    expect(text({ type: 'person-multi', data: [JANE, BOB] })).toBe('Jane Doe; Bob');
    expect(text({ type: 'person-multi', data: null })).toBe('');
  });

  it('company and company-multi', () => {
    expect(text({ type: 'company', data: ACME })).toBe('Acme');
    expect(text({ type: 'company', data: company(5, '', 'nameless.io') })).toBe('nameless.io');
    expect(text({ type: 'company-multi', data: [ACME, GLOBEX] })).toBe('Acme; Globex');
  });

  it('interaction is the day of its date in the spreadsheet zone', () => {
    const attendee = { emailAddress: 'a@b.c', person: null };
    expect(
      text({
        type: 'interaction',
        internalPerson: null,
        data: { type: 'email', id: 1, sentAt: '2024-04-01T03:00:00Z', subject: 'Hi', from: attendee, to: [], cc: [] },
      }),
    ).toBe('2024-03-31'); // 23:00 in New York
    expect(
      text({
        type: 'interaction',
        internalPerson: null,
        data: {
          type: 'meeting',
          id: 2,
          startTime: '2024-04-01T15:00:00Z',
          endTime: null,
          allDay: false,
          title: null,
          attendees: [],
        },
      }),
    ).toBe('2024-04-01');
    expect(
      text({
        type: 'interaction',
        internalPerson: null,
        data: { type: 'call', id: 3, startTime: '2024-12-31T23:30:00-05:00', attendees: [] },
      }),
    ).toBe('2024-12-31');
    expect(
      text({
        type: 'interaction',
        internalPerson: null,
        data: {
          type: 'chat-message',
          id: 4,
          sentAt: '2024-06-01T12:00:00Z',
          direction: 'sent',
          manualCreator: JANE,
          participants: [],
        },
      }),
    ).toBe('2024-06-01');
    expect(text({ type: 'interaction', internalPerson: null, data: null })).toBe('');
  });

  it('list-multi shows list names', () => {
    expect(
      text({
        type: 'list-multi',
        data: [
          { id: 1, name: 'Deals', type: 'opportunity', entityCount: 3 },
          { id: 2, name: 'LPs', type: 'person', entityCount: 9 },
        ],
      }),
    ).toBe('Deals; LPs');
  });

  it('note shows the plain text of its HTML', () => {
    const note = (html: string | null): FieldValue => ({
      type: 'note',
      data: {
        id: 1,
        content: { html },
        createdAt: '2024-01-01T00:00:00Z',
        updatedAt: null,
        creator: JANE,
        mentions: [],
      },
    });
    expect(text(note('<p>Met at <b>SaaStr</b> &amp; agreed&nbsp;terms.</p><p>Next: call</p>'))).toBe(
      'Met at SaaStr & agreed terms.\nNext: call',
    );
    expect(text(note('line 1<br>line 2<br/><br />line 4'))).toBe('line 1\nline 2\n\nline 4');
    expect(text(note('<ul><li>one</li><li>two</li></ul>'))).toBe('- one\n- two');
    expect(text(note('&lt;script&gt; is text; &#x1F600; &#233; &unknown;'))).toBe('<script> is text; 😀 é &unknown;');
    expect(text(note('<style>p{}</style><!-- c --><p>\n   spaced\n   out  </p>'))).toBe('spaced out');
    expect(text(note(null))).toBe('');
  });

  it('reminder shows content and due day', () => {
    const reminder = (content: string | null, dueDate: string): FieldValue => ({
      type: 'reminder',
      data: { id: 1, type: 'one-time', content, dueDate, createdAt: '2024-01-01T00:00:00Z' },
    });
    expect(text(reminder('Follow up', '2024-04-05T16:00:00Z'))).toBe('Follow up (due 2024-04-05)');
    expect(text(reminder(null, '2024-04-05T16:00:00Z'))).toBe('(due 2024-04-05)');
    expect(text(reminder('Follow up', '2024-04-05'))).toBe('Follow up (due 2024-04-05)');
  });

  it('a hidden (restricted) field and missing values are empty', () => {
    expect(text({ type: 'text', data: 'secret' }, 'hidden')).toBe('');
    expect(text(null)).toBe('');
    expect(text(undefined)).toBe('');
  });
});

describe('canonicalOf: cell size', () => {
  it('cuts text longer than a cell holds and says so', () => {
    const long = 'x'.repeat(60_000);
    const c = canonicalOf({ type: 'text', data: long }, 'list', ctx);
    expect(c.truncated).toBe(true);
    expect(c.text.length).toBe(CELL_TEXT_LIMIT);
    expect(c.text.endsWith('…')).toBe(true);
    const fits = canonicalOf({ type: 'text', data: 'y'.repeat(CELL_TEXT_LIMIT) }, 'list', ctx);
    expect(fits).toEqual({ text: 'y'.repeat(CELL_TEXT_LIMIT), truncated: false });
  });

  it('never splits a surrogate pair', () => {
    const c = canonicalOf({ type: 'text', data: 'a' + '😀'.repeat(30_000) }, 'list', ctx);
    expect(c.truncated).toBe(true);
    expect(c.text.length).toBeLessThanOrEqual(CELL_TEXT_LIMIT);
    expect(c.text).toBe(c.text.normalize()); // still well-formed
    expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(c.text)).toBe(false);
  });

  it('drops whole items of a long multi value and counts them', () => {
    const items = Array.from({ length: 100 }, (_, i) => `item ${i} `.padEnd(700, 'z'));
    const c = canonicalOf({ type: 'filterable-text-multi', data: items }, 'list', ctx);
    expect(c.truncated).toBe(true);
    expect(c.text.length).toBeLessThanOrEqual(CELL_TEXT_LIMIT);
    expect(c.text).toMatch(/; … \(\d+ more\)$/);
    const shown = splitMulti(c.text);
    expect(shown.length - 1 + Number(/\((\d+) more\)/.exec(c.text)![1])).toBe(100);
  });

  it('cuts a single huge item of a multi value', () => {
    const c = canonicalOf({ type: 'filterable-text-multi', data: [';'.repeat(60_000), 'b'] }, 'list', ctx);
    expect(c.truncated).toBe(true);
    expect(c.text.length).toBeLessThanOrEqual(CELL_TEXT_LIMIT);
    expect(c.text.endsWith('… (1 more)')).toBe(true);
    expect(canonicalOfCell(c.text, 'filterable-text-multi', ctx)).toBe(c.text);
  });

  it('marks a multi value Affinity returned only in part (totalCount)', () => {
    const c = canonicalOf({ type: 'person-multi', data: [JANE, BOB], totalCount: 130 }, 'list', ctx);
    expect(c).toEqual({ text: 'Jane Doe; Bob; … (128 more)', truncated: true });
  });
});

describe('cellOf', () => {
  it('writes numbers as numbers and days as serial numbers', () => {
    expect(cellOf('1250000', 'number')).toBe(1250000);
    expect(cellOf('0.30000000000000004', 'number')).toBe(0.30000000000000004);
    expect(cellOf('3.75', 'formula-number')).toBe(3.75);
    expect(cellOf('2024-04-01', 'datetime')).toBe(45383);
    expect(cellOf('2024-03-31', 'interaction')).toBe(45382);
  });

  it('writes every text behind an apostrophe so Sheets never evaluates it', () => {
    for (const t of [
      '=1+1',
      '+1',
      '-1',
      '@me',
      '007',
      '2024-04-01',
      'TRUE',
      'false',
      '1e5',
      "'quoted",
      'plain',
      '#REF!',
    ]) {
      expect(cellOf(t, 'text')).toBe("'" + t);
    }
    expect(cellOf('1; 2', 'number-multi')).toBe("'1; 2");
    expect(cellOf('Seed', 'dropdown')).toBe("'Seed");
  });

  it('keeps empty cells empty', () => {
    for (const vt of VALUE_TYPES) expect(cellOf('', vt)).toBe('');
  });

  it('writes a non-number in a number column, or a non-day in a date column, as text', () => {
    expect(cellOf('n/a', 'number')).toBe("'n/a");
    expect(cellOf('not a date', 'datetime')).toBe("'not a date");
  });
});

describe('canonicalOfCell', () => {
  it('reads dates, numbers and booleans', () => {
    expect(canonicalOfCell(new Date('2024-04-01T16:00:00Z'), 'datetime', ctx)).toBe('2024-04-01');
    expect(canonicalOfCell(new Date('2024-04-01T02:00:00Z'), 'datetime', ctx)).toBe('2024-03-31'); // NY sheet
    expect(canonicalOfCell(new Date(NaN), 'datetime', ctx)).toBe('');
    expect(canonicalOfCell(45383, 'datetime', ctx)).toBe('2024-04-01');
    expect(canonicalOfCell(45383.75, 'interaction', ctx)).toBe('2024-04-01');
    expect(canonicalOfCell(45383, 'number', ctx)).toBe('45383');
    expect(canonicalOfCell(42, 'text', ctx)).toBe('42');
    expect(canonicalOfCell(-0, 'number', ctx)).toBe('0');
    expect(canonicalOfCell(true, 'text', ctx)).toBe('TRUE');
    expect(canonicalOfCell(false, 'dropdown', ctx)).toBe('FALSE');
  });

  it('trims strings, so typing "  x " where the pull showed "x" is no edit', () => {
    expect(canonicalOfCell('  x ', 'text', ctx)).toBe('x');
    expect(canonicalOfCell('a\r\nb', 'text', ctx)).toBe('a\nb');
    expect(canonicalOfCell('   ', 'text', ctx)).toBe('');
    expect(canonicalOfCell('', 'person', ctx)).toBe('');
  });

  it('normalizes multi values: items trimmed, empty ones dropped, "; " between', () => {
    expect(canonicalOfCell('Seed;Series A ;  ; ', 'dropdown-multi', ctx)).toBe('Seed; Series A');
    expect(canonicalOfCell('a\\;b ;c', 'filterable-text-multi', ctx)).toBe('a\\;b; c');
    expect(canonicalOfCell(' 1,000 ; 2.50', 'number-multi', ctx)).toBe('1000; 2.5');
  });

  it('reads a number or day typed as text in its own form', () => {
    expect(canonicalOfCell('1,250,000', 'number', ctx)).toBe('1250000');
    expect(canonicalOfCell('abc', 'number', ctx)).toBe('abc');
    expect(canonicalOfCell('Apr 1, 2024', 'datetime', ctx)).toBe('2024-04-01');
    expect(canonicalOfCell('03/04/2024', 'datetime', ctx)).toBe('03/04/2024');
  });

  it('inverts cellOf for typical texts', () => {
    const cases: [string, ValueType][] = [
      ['=1+1', 'text'],
      ['TRUE', 'text'],
      ['007', 'text'],
      ['2024-04-01', 'text'],
      ['1250000', 'number'],
      ['2024-04-01', 'datetime'],
      ['1; 2.5', 'number-multi'],
      ['Seed; Growth\\; late', 'dropdown-multi'],
      ["'quoted", 'text'],
    ];
    for (const [t, vt] of cases) expect(canonicalOfCell(throughSheets(cellOf(t, vt), vt), vt, ctx)).toBe(t);
  });
});

describe('columnFormat', () => {
  it('formats date and number columns, leaves the rest General', () => {
    expect(columnFormat('datetime')).toBe('yyyy-mm-dd');
    expect(columnFormat('interaction')).toBe('yyyy-mm-dd');
    expect(columnFormat('number')).toBeNull();
    expect(columnFormat('formula-number')).toBeNull();
    expect(columnFormat('number-multi')).toBeNull();
    expect(columnFormat('text')).toBeNull();
  });
});

describe('isEditable', () => {
  const writable: ValueType[] = [
    'text',
    'number',
    'number-multi',
    'datetime',
    'location',
    'location-multi',
    'dropdown',
    'dropdown-multi',
    'ranked-dropdown',
    'person',
    'person-multi',
    'company',
    'company-multi',
  ];
  it('allows list and global fields of writable types', () => {
    for (const vt of VALUE_TYPES) {
      expect(isEditable({ type: 'list', valueType: vt })).toBe(writable.includes(vt));
      expect(isEditable({ type: 'global', valueType: vt })).toBe(writable.includes(vt));
    }
  });
  it('refuses enriched, relationship-intelligence and hidden fields', () => {
    for (const type of ['enriched', 'relationship-intelligence', 'hidden'] as const) {
      for (const vt of VALUE_TYPES) expect(isEditable({ type, valueType: vt })).toBe(false);
    }
  });
  it('refuses Affinity-populated filterable text and the read-only types', () => {
    for (const vt of [
      'filterable-text',
      'filterable-text-multi',
      'formula-number',
      'interaction',
      'list-multi',
      'note',
      'reminder',
    ] as const) {
      expect(isEditable({ type: 'list', valueType: vt })).toBe(false);
    }
  });
});

describe('parseEdit', () => {
  const ok = (t: string, vt: ValueType, current?: FieldValue | null): unknown => {
    const r = parseEdit(t, meta(vt), pctx, current);
    if (!r.ok) throw new Error(`expected ok, got: ${r.reason}`);
    return r.value;
  };
  const reason = (t: string, vt: ValueType, current?: FieldValue | null): string => {
    const r = parseEdit(t, meta(vt), pctx, current);
    if (r.ok) throw new Error(`expected a reason, got ${JSON.stringify(r.value)}`);
    return r.reason;
  };

  it('clears a field on an empty cell', () => {
    for (const vt of ['text', 'number', 'datetime', 'dropdown', 'person-multi', 'location'] as const) {
      expect(ok('', vt)).toEqual({ type: vt, data: null });
      expect(ok('   ', vt)).toEqual({ type: vt, data: null });
    }
  });

  it('text', () => {
    expect(ok('  Hello; world ', 'text')).toEqual({ type: 'text', data: 'Hello; world' });
    expect(ok('=1+1', 'text')).toEqual({ type: 'text', data: '=1+1' });
  });

  it('number', () => {
    expect(ok('1250000', 'number')).toEqual({ type: 'number', data: 1250000 });
    expect(ok('1,234.5', 'number')).toEqual({ type: 'number', data: 1234.5 });
    expect(ok('-0.25', 'number')).toEqual({ type: 'number', data: -0.25 });
    expect(ok('1e+21', 'number')).toEqual({ type: 'number', data: 1e21 });
    expect(ok('−3', 'number')).toEqual({ type: 'number', data: -3 });
    expect(reason('abc', 'number')).toBe('“abc” is not a number. Type a number such as 1250000.');
    expect(reason('1,2', 'number')).toBe('“1,2” is not a number. Type a number such as 1250000.');
    expect(reason('12%', 'number')).toMatch(/percentage/);
    expect(reason('1e999', 'number')).toMatch(/too large/);
    expect(ok('1; 2.5; -3', 'number-multi')).toEqual({ type: 'number-multi', data: [1, 2.5, -3] });
    expect(reason('1; x', 'number-multi')).toBe('“x” is not a number. Type a number such as 1250000.');
  });

  it('datetime is sent at 12:00 UTC', () => {
    expect(ok('2024-04-01', 'datetime')).toEqual({ type: 'datetime', data: '2024-04-01T12:00:00Z' });
    expect(ok('Apr 1, 2024', 'datetime')).toEqual({ type: 'datetime', data: '2024-04-01T12:00:00Z' });
    expect(ok('1 April 2024', 'datetime')).toEqual({ type: 'datetime', data: '2024-04-01T12:00:00Z' });
    expect(ok('2024-03-10', 'datetime')).toEqual({ type: 'datetime', data: '2024-03-10T12:00:00Z' });
    expect(ok('2024-11-03', 'datetime')).toEqual({ type: 'datetime', data: '2024-11-03T12:00:00Z' });
    expect(reason('03/04/2024', 'datetime')).toBe(
      '“03/04/2024” could be 2024-03-04 or 2024-04-03. Type the date as YYYY-MM-DD, e.g. 2024-03-04.',
    );
    expect(reason('next week', 'datetime')).toBe(
      '“next week” is not a date. Type the date as YYYY-MM-DD, e.g. 2024-04-01.',
    );
  });

  it('dropdown by option text, case-insensitive', () => {
    expect(ok('series a', 'dropdown')).toEqual({ type: 'dropdown', data: { dropdownOptionId: 2 } });
    expect(ok('=IF(1,2)', 'dropdown')).toEqual({ type: 'dropdown', data: { dropdownOptionId: 4 } });
    expect(ok('Seed', 'ranked-dropdown')).toEqual({ type: 'ranked-dropdown', data: { dropdownOptionId: 1 } });
    expect(reason('Series Z', 'dropdown')).toBe(
      '“Series Z” is not an option of Stage. Choose one of: Seed, Series A, Growth; late, =IF(1,2).',
    );
    expect(ok('Seed; Growth\\; late', 'dropdown-multi')).toEqual({
      type: 'dropdown-multi',
      data: [{ dropdownOptionId: 1 }, { dropdownOptionId: 3 }],
    });
    expect(ok('Seed; seed', 'dropdown-multi')).toEqual({ type: 'dropdown-multi', data: [{ dropdownOptionId: 1 }] });
    expect(reason('Seed; Nope', 'dropdown-multi')).toMatch(/^“Nope” is not an option of Stage/);
  });

  it('dropdown: an exact-case match settles options that differ only in case', () => {
    const r = parseEdit('seed', meta('dropdown'), {
      ...pctx,
      dropdownOptions: () => [
        { type: 'dropdown', id: 1, text: 'Seed' },
        { type: 'dropdown', id: 9, text: 'seed' },
      ],
    });
    expect(r).toEqual({ ok: true, value: { type: 'dropdown', data: { dropdownOptionId: 9 } } });
    const r2 = parseEdit('SEED', meta('dropdown'), {
      ...pctx,
      dropdownOptions: () => [
        { type: 'dropdown', id: 1, text: 'Seed' },
        { type: 'dropdown', id: 9, text: 'seed' },
      ],
    });
    expect(r2.ok).toBe(false);
  });

  it('dropdown: a field without options says so', () => {
    const r = parseEdit('Seed', { ...meta('dropdown'), id: 'field-8' }, pctx);
    expect(r).toEqual({
      ok: false,
      reason: '“Seed” is not an option of Stage, which has no options yet. Add it in Affinity first.',
    });
  });

  it('person by unique name or email, or an explicit #id', () => {
    expect(ok('bob', 'person')).toEqual({ type: 'person', data: { id: 13 } });
    expect(ok('ghost@acme.co', 'person')).toEqual({ type: 'person', data: { id: 14 } });
    expect(ok('JANE@acme.co', 'person')).toEqual({ type: 'person', data: { id: 11 } });
    expect(ok('Jane Doe #12', 'person')).toEqual({ type: 'person', data: { id: 12 } });
    expect(ok('#12', 'person')).toEqual({ type: 'person', data: { id: 12 } });
    expect(ok('Someone New #777', 'person')).toEqual({ type: 'person', data: { id: 777 } });
    expect(reason('Jane Doe', 'person')).toBe(
      '“Jane Doe” matches 2 people: Jane Doe #11 (jane@acme.co), Jane Doe #12 (jane.doe@other.io). ' +
        'Add the id of the one you mean, e.g. “Jane Doe #11”.',
    );
    expect(reason('Bob #11', 'person')).toBe('#11 is Jane Doe, not “Bob”. Fix the name or the id.');
    expect(reason('Alice', 'person')).toBe(
      'No person called “Alice” is known to this sheet. Type the name as Affinity shows it, or the Affinity id as “#123”.',
    );
    expect(ok('Bob; Jane Doe #11; bob', 'person-multi')).toEqual({
      type: 'person-multi',
      data: [{ id: 13 }, { id: 11 }],
    });
  });

  it('person: the current value settles a name shared by two people', () => {
    const current: FieldValue = { type: 'person-multi', data: [JANE2, BOB] };
    expect(ok('Jane Doe; Bob', 'person-multi', current)).toEqual({
      type: 'person-multi',
      data: [{ id: 12 }, { id: 13 }],
    });
    expect(ok('Jane Doe', 'person', { type: 'person', data: JANE })).toEqual({ type: 'person', data: { id: 11 } });
  });

  it('company by unique name or domain, or an explicit #id', () => {
    expect(ok('acme', 'company')).toEqual({ type: 'company', data: { id: 21 } });
    expect(ok('globex.com', 'company')).toEqual({ type: 'company', data: { id: 22 } });
    expect(ok('Studio #1', 'company')).toEqual({ type: 'company', data: { id: 23 } }); // a name, not id 1
    expect(ok('#22', 'company')).toEqual({ type: 'company', data: { id: 22 } });
    expect(ok('Acme; Globex', 'company-multi')).toEqual({ type: 'company-multi', data: [{ id: 21 }, { id: 22 }] });
    expect(reason('Initech', 'company')).toMatch(/^No company called “Initech”/);
  });

  it('location from "street, city, state, country"', () => {
    expect(ok('Paris, France', 'location')).toEqual({
      type: 'location',
      data: { streetAddress: null, city: 'Paris', state: null, country: 'France', continent: null },
    });
    expect(parseLocationText('Austin, Texas, United States')).toEqual({
      streetAddress: null,
      city: 'Austin',
      state: 'Texas',
      country: 'United States',
      continent: null,
    });
    expect(parseLocationText('Austin, Texas,')).toEqual({
      streetAddress: null,
      city: 'Austin',
      state: 'Texas',
      country: null,
      continent: null,
    });
    expect(parseLocationText(', , , France')).toEqual({
      streetAddress: null,
      city: null,
      state: null,
      country: 'France',
      continent: null,
    });
    expect(parseLocationText('1 Main St, Suite 5, Springfield, IL, USA')).toEqual({
      streetAddress: '1 Main St, Suite 5',
      city: 'Springfield',
      state: 'IL',
      country: 'USA',
      continent: null,
    });
    expect(parseLocationText('Berlin')).toEqual({
      streetAddress: null,
      city: 'Berlin',
      state: null,
      country: null,
      continent: null,
    });
    expect(reason(', ,', 'location')).toMatch(/is not a location/);
  });

  it('location: unchanged items of the current value are kept exactly', () => {
    const europe = { streetAddress: null, city: null, state: null, country: null, continent: 'Europe' };
    const texas = { streetAddress: null, city: null, state: 'Texas', country: 'United States', continent: null };
    expect(
      ok('Europe; Texas, United States; Paris, France', 'location-multi', {
        type: 'location-multi',
        data: [europe, texas],
      }),
    ).toEqual({
      type: 'location-multi',
      data: [europe, texas, { streetAddress: null, city: 'Paris', state: null, country: 'France', continent: null }],
    });
  });

  it('refuses read-only fields and cut cells', () => {
    expect(parseEdit('5', meta('formula-number'), pctx)).toEqual({
      ok: false,
      reason: "Stage can't be changed from the sheet; change it in Affinity.",
    });
    expect(parseEdit('x', meta('text', 'enriched'), pctx).ok).toBe(false);
    expect(parseEdit('x', meta('filterable-text'), pctx).ok).toBe(false);
    const cut = canonicalOf({ type: 'text', data: 'z'.repeat(70_000) }, 'list', ctx).text;
    expect(reason(cut, 'text')).toMatch(/cut to fit/);
    expect(reason('Jane Doe #11; Bob; … (128 more)', 'person-multi')).toMatch(/only some of the values/);
  });

  it('refuses more than 100 items', () => {
    expect(reason(Array.from({ length: 101 }, (_, i) => String(i)).join('; '), 'number-multi')).toMatch(/at most 100/);
  });

  it('never throws, even when the context does', () => {
    const throwing: ParseContext = {
      dropdownOptions: () => {
        throw new Error('boom');
      },
      knownPersons: [],
      knownCompanies: [],
    };
    expect(parseEdit('Seed', meta('dropdown'), throwing)).toEqual({
      ok: false,
      reason: "This value couldn't be read (boom).",
    });
  });
});

describe('multi-value separator', () => {
  it('escapes ; and \\ and splits them back', () => {
    expect(joinMulti(['a;b', 'c\\d', ' e '])).toBe('a\\;b; c\\\\d;  e ');
    expect(splitMulti('a\\;b; c\\\\d;  e ')).toEqual(['a;b', 'c\\d', ' e ']);
    expect(splitMulti('')).toEqual([]);
    expect(splitMulti('trailing\\')).toEqual(['trailing\\']);
    expect(splitMulti('a;b')).toEqual(['a', 'b']);
  });
});

describe('htmlToText', () => {
  it('keeps a blank line between paragraphs only when the note has one', () => {
    expect(htmlToText('<p>a</p><p><br></p><p>b</p>')).toBe('a\n\nb');
    expect(htmlToText('<div>a</div><div>b</div>')).toBe('a\nb');
    expect(htmlToText('<h1>Title</h1>body<br><br><br><br>end')).toBe('Title\nbody\n\nend');
    expect(htmlToText('a < b and c > d')).toBe('a < b and c > d');
  });
});

describe('parseEdit: a cell showing a formula error is never sent', () => {
  it.each(['#NAME?', '#REF!', '#N/A', '#ERROR!', '#VALUE!', '#DIV/0!'])('%s', (shown) => {
    const field = {
      id: 'field-1',
      name: 'Description',
      type: 'list',
      enrichmentSource: null,
      valueType: 'text',
      createdAt: null,
      description: null,
      isRequired: false,
    } as const;
    const r = parseEdit(shown, field, { dropdownOptions: () => [], knownPersons: [], knownCompanies: [] });
    expect(r).toEqual({ ok: false, reason: expect.stringContaining(`formula error (${shown})`) });
  });
});
