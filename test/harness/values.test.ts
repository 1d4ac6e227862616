import { harnessFor } from './helpers';

const code = `
function write(a1, values) { SpreadsheetApp.getActiveSheet().getRange(a1).setValues(values); }
function read(a1) {
  var r = SpreadsheetApp.getActiveSheet().getRange(a1);
  return { values: r.getValues(), formulas: r.getFormulas(), display: r.getDisplayValues(), formats: r.getNumberFormats() };
}
function types(a1) { return SpreadsheetApp.getActiveSheet().getRange(a1).getValues()[0].map(function (v) { return v instanceof Date ? 'Date' : typeof v; }); }
function writeDate(a1, iso) { SpreadsheetApp.getActiveSheet().getRange(a1).setValue(new Date(iso)); }
function readDate(a1) { var v = SpreadsheetApp.getActiveSheet().getRange(a1).getValue(); return [v instanceof Date, v.getTime()]; }
function asText(a1, values) { var r = SpreadsheetApp.getActiveSheet().getRange(a1); r.setNumberFormat('@'); r.setValues(values); }
function mismatch() { SpreadsheetApp.getActiveSheet().getRange('A1:B2').setValues([[1, 2]]); }
function mismatchCols() { SpreadsheetApp.getActiveSheet().getRange('A1:B2').setValues([[1, 2], [3]]); }
function tooLong() { SpreadsheetApp.getActiveSheet().getRange('A1').setValue(new Array(50002).join('x')); }
function outside() { SpreadsheetApp.getActiveSheet().getRange(1001, 1).getValue(); }
function fillOne() { SpreadsheetApp.getActiveSheet().getRange('A1:B2').setValue('same'); }
`;

describe('value semantics (user-entered)', () => {
  it("turns '=x' into a formula and \"'=x\" into literal text", () => {
    const h = harnessFor(code);
    h.run('write', 'A1:C1', [['=SUM(A2:A3)', "'=SUM(A2:A3)", "'007"]]);
    const r = h.run('read', 'A1:C1') as { values: unknown[][]; formulas: unknown[][]; display: unknown[][] };
    expect(r.formulas[0]).toEqual(['=SUM(A2:A3)', '', '']);
    expect(r.values[0]).toEqual([0, '=SUM(A2:A3)', '007']);
    expect(r.display[0]).toEqual(['0', '=SUM(A2:A3)', '007']);
  });

  it('parses + and - followed by text as a formula that fails', () => {
    const h = harnessFor(code);
    h.run('write', 'A1:D1', [['- bullet', '+abc', '-12.5', '+7']]);
    const r = h.run('read', 'A1:D1') as { values: unknown[][]; formulas: unknown[][] };
    expect(r.values[0]).toEqual(['#ERROR!', '#ERROR!', -12.5, 7]);
    expect(r.formulas[0]).toEqual(['=- bullet', '=+abc', '', '']);
  });

  it('converts numeric, boolean, percent and grouped strings', () => {
    const h = harnessFor(code);
    h.run('write', 'A1:H1', [['123', '-4.5', '1e3', '1,234', '50%', 'true', 'FALSE', '007']]);
    const r = h.run('read', 'A1:H1') as { values: unknown[][]; formats: unknown[][]; display: unknown[][] };
    expect(r.values[0]).toEqual([123, -4.5, 1000, 1234, 0.5, true, false, 7]);
    expect(r.formats[0][3]).toBe('#,##0');
    expect(r.formats[0][4]).toBe('0%');
    expect(r.display[0]).toEqual(['123', '-4.5', '1.00E+03', '1,234', '50%', 'TRUE', 'FALSE', '7']);
    expect(h.run('types', 'A1:H1')).toEqual([
      'number',
      'number',
      'number',
      'number',
      'number',
      'boolean',
      'boolean',
      'number',
    ]);
  });

  it('keeps strings literal in plain-text (@) cells', () => {
    const h = harnessFor(code);
    h.run('asText', 'A1:D1', [['=SUM(1)', '007', '2024-01-15', 'TRUE']]);
    const r = h.run('read', 'A1:D1') as { values: unknown[][]; formulas: unknown[][] };
    expect(r.values[0]).toEqual(['=SUM(1)', '007', '2024-01-15', 'TRUE']);
    expect(r.formulas[0]).toEqual(['', '', '', '']);
  });

  it('reads date strings and Date objects as dates in the spreadsheet time zone', () => {
    const h = harnessFor(code, { spreadsheetTimeZone: 'America/New_York' });
    h.run('write', 'A1:C1', [['2024-01-15', '7/4/2024', '2024-07-04 13:30']]);
    const r = h.run('read', 'A1:C1') as { values: Date[][]; formats: string[][]; display: string[][] };
    expect(r.values[0].map((d) => d.toISOString())).toEqual([
      '2024-01-15T05:00:00.000Z', // midnight New York (EST)
      '2024-07-04T04:00:00.000Z', // midnight New York (EDT)
      '2024-07-04T17:30:00.000Z',
    ]);
    expect(r.formats[0]).toEqual(['yyyy-mm-dd', 'M/d/yyyy', 'yyyy-mm-dd H:mm:ss']);
    expect(r.display[0]).toEqual(['2024-01-15', '7/4/2024', '2024-07-04 13:30:00']);
    expect(h.run('types', 'A1:C1')).toEqual(['Date', 'Date', 'Date']);

    // a Date object is stored as a serial on the spreadsheet's wall clock, and comes back as the same instant
    h.run('writeDate', 'D1', '2024-03-10T06:59:00Z'); // 01:59 EST, just before the DST jump
    expect(h.run('readDate', 'D1')).toEqual([true, Date.parse('2024-03-10T06:59:00Z')]);
    expect(h.sheet('Sheet1').getRange('D1').getDisplayValue()).toBe('3/10/2024 1:59:00');

    // the same serial means another instant once the spreadsheet's zone changes
    h.spreadsheet.setSpreadsheetTimeZone('Europe/Paris');
    expect((h.run('readDate', 'D1') as [boolean, number])[1]).toBe(Date.parse('2024-03-10T00:59:00Z'));
  });

  it('reads empty cells as empty strings and writes null/undefined as empty', () => {
    const h = harnessFor(code);
    h.run('write', 'A1:C1', [[null, undefined, '']]);
    expect((h.run('read', 'A1:D1') as { values: unknown[][] }).values[0]).toEqual(['', '', '', '']);
    expect(h.sheet('Sheet1').getLastRow()).toBe(0);
  });

  it('sets every cell of a range with setValue', () => {
    const h = harnessFor(code);
    h.run('fillOne');
    expect(h.sheet('Sheet1').getRange('A1:B2').getValues()).toEqual([
      ['same', 'same'],
      ['same', 'same'],
    ]);
  });

  it("throws Apps Script's errors for bad shapes, long text and out-of-sheet ranges", () => {
    const h = harnessFor(code);
    expect(() => h.run('mismatch')).toThrow(
      'The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.',
    );
    expect(() => h.run('mismatchCols')).toThrow(
      'The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.',
    );
    expect(() => h.run('tooLong')).toThrow(
      'Your input contains more than the maximum of 50000 characters in a single cell.',
    );
    expect(() => h.run('outside')).toThrow('The coordinates of the range are outside the dimensions of the sheet.');
  });
});
