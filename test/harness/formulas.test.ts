import { harnessFor } from './helpers';

const code = `
function write(sheet, a1, values) { sheetNamed(sheet).getRange(a1).setValues(values); }
function read(sheet, a1) {
  var r = sheetNamed(sheet).getRange(a1);
  return {
    values: r.getValues().map(function (row) { return row.map(function (v) { return v instanceof Date ? 'Date:' + v.toISOString() : v; }); }),
    formulas: r.getFormulas(),
    display: r.getDisplayValues(),
  };
}
function one(sheet, a1) { var v = sheetNamed(sheet).getRange(a1).getValue(); return v instanceof Date ? 'Date:' + v.toISOString() : v; }
function addSheet(name) { SpreadsheetApp.getActiveSpreadsheet().insertSheet(name); }
function sheetNamed(name) { return SpreadsheetApp.getActiveSpreadsheet().getSheetByName(name); }
`;

/** Writes `formulas` into row 1 of Sheet1 (A1, B1, ...) after `setup`, and reads row 1 back. */
function compute(formulas: string[], setup: [string, string, unknown[][]][] = [], opts = {}) {
  const h = harnessFor(code, opts);
  for (const [sheet, a1, values] of setup) h.run('write', sheet, a1, values);
  const end = String.fromCharCode(64 + formulas.length);
  h.run('write', 'Sheet1', `A1:${end}1`, [formulas]);
  const r = h.run('read', 'Sheet1', `A1:${end}1`) as { values: unknown[][]; formulas: string[][]; display: string[][] };
  return { h, values: r.values[0], formulas: r.formulas[0], display: r.display[0] };
}

describe('formulas: the documented subset', () => {
  it('computes arithmetic with Sheets operators and errors', () => {
    const r = compute(['=1+1', '=2*3-4/2', '=2^10', '=-(3)', '=50%', '=1/0', '="3"+1', '="x"+1', '=TRUE+1']);
    expect(r.values).toEqual([2, 4, 1024, -3, 0.5, '#DIV/0!', 4, '#VALUE!', 2]);
    expect(r.formulas[0]).toBe('=1+1');
    expect(r.display.slice(0, 3)).toEqual(['2', '4', '1024']);
  });

  it('follows references on the same sheet and recomputes when they change', () => {
    const h = harnessFor(code);
    h.run('write', 'Sheet1', 'A2:B4', [
      [3, 'x'],
      [4, ''],
      [5, true],
    ]);
    h.run('write', 'Sheet1', 'A1:F1', [
      ['=A2*2', '=SUM(A2:A4)', '=AVERAGE(A2:B4)', '=MIN(A:A)', '=MAX(A2:A4,10)', '=B3'],
    ]);
    expect((h.run('read', 'Sheet1', 'A1:F1') as { values: unknown[][] }).values[0]).toEqual([6, 12, 4, 3, 10, '']);
    h.run('write', 'Sheet1', 'A2', [[30]]);
    expect((h.run('read', 'Sheet1', 'A1:F1') as { values: unknown[][] }).values[0]).toEqual([60, 39, 13, 4, 30, '']);
    // absolute references, whole rows and open-ended ranges
    h.run('write', 'Sheet1', 'H2:H3', [['=$A$2+1'], ['=SUM(2:2)+SUM(A3:A)']]);
    expect((h.run('read', 'Sheet1', 'H2:H3') as { values: unknown[][] }).values).toEqual([[31], [30 + 31 + 4 + 5]]);
    // a formula that reads a formula
    h.run('write', 'Sheet1', 'G1', [['=A1+1']]);
    expect(h.run('one', 'Sheet1', 'G1')).toBe(61);
  });

  it('follows references to other sheets, quoted names included', () => {
    const h = harnessFor(code);
    h.run('addSheet', 'Other tab');
    h.run('addSheet', 'Deals');
    h.run('write', 'Other tab', 'A1:A2', [[7], [8]]);
    h.run('write', 'Deals', 'B2', [['Acme']]);
    h.run('write', 'Sheet1', 'A1:D1', [
      ["='Other tab'!A1+1", "=SUM('Other tab'!A1:A2)", '=Deals!B2&"!"', '=Nowhere!A1'],
    ]);
    expect((h.run('read', 'Sheet1', 'A1:D1') as { values: unknown[][] }).values[0]).toEqual([8, 15, 'Acme!', '#REF!']);
  });

  it('compares as Sheets does: text ignores case, numbers < text < booleans, blanks are 0 or ""', () => {
    const r = compute(['=2>1', '="a"="A"', '=1<"a"', '="z"<TRUE', '=Z9=0', '=Z9=""', '=3<>3', '=2>=2']);
    expect(r.values).toEqual([true, true, true, true, true, true, false, true]);
    expect(r.display.slice(0, 2)).toEqual(['TRUE', 'TRUE']);
  });

  it('computes the text functions and &', () => {
    const r = compute(
      ['=CONCATENATE(A2," ",B2)', '=A2&1.5&TRUE', '=UPPER(A2)', '=LOWER("AbC")', '=LEN(B2)', '=TRIM("  a   b ")'],
      [['Sheet1', 'A2:B2', [['Acme', 'Corp  ']]]],
    );
    expect(r.values).toEqual(['Acme Corp  ', 'Acme1.5TRUE', 'ACME', 'abc', 6, 'a b']);
  });

  it('computes IF, lazily', () => {
    const r = compute(
      ['=IF(A2>1,"big","small")', '=IF(A2<1,1/0,"safe")', '=IF(A2>1,"only")', '=IF(A2<1,"only")', '=IF("x",1,2)'],
      [['Sheet1', 'A2', [[5]]]],
    );
    expect(r.values).toEqual(['big', 'safe', 'only', false, '#VALUE!']);
  });

  it('computes DATE as a date in the spreadsheet zone, shown and read as a date', () => {
    const r = compute(['=DATE(2026,2,30)', '=DATE(2026,1,5)+1', '=DATE(2026,1,6)-DATE(2026,1,1)'], [], {
      spreadsheetTimeZone: 'Asia/Tokyo',
    });
    // Feb 30 rolls over to Mar 2, as in Sheets; midnight in Tokyo is 15:00 UTC the day before
    expect(r.values).toEqual(['Date:2026-03-01T15:00:00.000Z', 'Date:2026-01-05T15:00:00.000Z', 5]);
    expect(r.display).toEqual(['3/2/2026', '1/6/2026', '5']);
  });

  it('recomputes TODAY and NOW on every read, by the virtual clock in the spreadsheet time zone', () => {
    // start: 2026-01-05T14:00Z = 23:00 on Jan 5 in Tokyo
    const h = harnessFor(code, { spreadsheetTimeZone: 'Asia/Tokyo' });
    h.run('write', 'Sheet1', 'A1:C1', [['=TODAY()', '=NOW()', '=TODAY()+7']]);
    const first = h.run('read', 'Sheet1', 'A1:C1') as { values: unknown[][]; display: string[][] };
    expect(first.display[0][0]).toBe('1/5/2026');
    expect(first.display[0][2]).toBe('1/12/2026');
    expect(first.values[0][0]).toBe('Date:2026-01-04T15:00:00.000Z');
    expect(first.display[0][1]).toMatch(/^1\/5\/2026 23:00:\d\d$/);
    h.advance(60 * 60_000); // midnight passes in Tokyo
    const later = h.run('read', 'Sheet1', 'A1:C1') as { values: unknown[][]; display: string[][] };
    expect(later.display[0][0]).toBe('1/6/2026');
    expect(later.display[0][1]).toMatch(/^1\/6\/2026 0:00:\d\d$/);
    expect(later.values[0][0]).toBe('Date:2026-01-05T15:00:00.000Z');
    // the same instant in New York is still Jan 5
    const ny = harnessFor(code, { spreadsheetTimeZone: 'America/New_York' });
    ny.run('write', 'Sheet1', 'A1', [['=TODAY()']]);
    ny.advance(60 * 60_000);
    expect((ny.run('read', 'Sheet1', 'A1') as { display: string[][] }).display[0][0]).toBe('1/5/2026');
  });

  it('gives RAND a new value in [0, 1) when the clock moves', () => {
    const h = harnessFor(code);
    h.run('write', 'Sheet1', 'A1', [['=RAND()']]);
    const a = h.run('one', 'Sheet1', 'A1') as number;
    h.advance(1000);
    const b = h.run('one', 'Sheet1', 'A1') as number;
    for (const x of [a, b]) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    expect(a).not.toBe(b);
  });

  it('computes formulas typed by a person (userEdit) the same way', () => {
    const h = harnessFor(code);
    h.run('write', 'Sheet1', 'B2', [[21]]);
    h.userEdit('Sheet1', 'C2', [['=B2*2']]);
    expect(h.run('one', 'Sheet1', 'C2')).toBe(42);
    expect((h.run('read', 'Sheet1', 'C2') as { formulas: string[][] }).formulas[0][0]).toBe('=B2*2');
  });
});

describe('formulas: beyond the subset', () => {
  it('answers #NAME? for functions and names outside the subset', () => {
    const r = compute([
      '=VLOOKUP(1,A2:B3,2,FALSE)',
      '=GOOGLEFINANCE("GOOG")',
      '=foo',
      '=ARRAYFORMULA(A2:A3*2)',
      '=SUM(1,FOO())',
    ]);
    expect(r.values).toEqual(['#NAME?', '#NAME?', '#NAME?', '#NAME?', '#NAME?']);
    expect(r.display).toEqual(r.values);
    expect(r.formulas[0]).toBe('=VLOOKUP(1,A2:B3,2,FALSE)');
  });

  it('answers #ERROR! for a formula that does not parse and #REF! for a circular one', () => {
    const h = harnessFor(code);
    h.run('write', 'Sheet1', 'A1:C1', [['=1+', '=B1', '=A1*(']]);
    h.run('write', 'Sheet1', 'B1', [['=B1+1']]);
    expect((h.run('read', 'Sheet1', 'A1:C1') as { values: unknown[][] }).values[0]).toEqual([
      '#ERROR!',
      '#REF!',
      '#ERROR!',
    ]);
  });

  it('keeps the fixed answer when a test asks for one (formulaValue)', () => {
    const r = compute(['=1+1'], [], { formulaValue: () => '#NAME?' });
    expect(r.values).toEqual(['#NAME?']);
  });
});
