/**
 * Rules where Google is less kind than a naive stand-in: Plain-text cells keep apostrophes, Session
 * needs its scope and hides the active user in triggers, property values are measured in UTF-8
 * bytes, insertSheet moves the user, and a spreadsheet holds at most 10 million cells. Sources in
 * docs/harness.md ("Limits and errors enforced", "Value semantics").
 */
import { harnessFor } from './helpers';

const EMAIL_SCOPE = 'https://www.googleapis.com/auth/userinfo.email';
const CELL_LIMIT_ERROR =
  'This action would increase the number of cells in the workbook above the limit of 10000000 cells.';

const code = `
function plainText(a1, values) {
  var r = SpreadsheetApp.getActiveSheet().getRange(a1);
  r.setNumberFormat('@');
  r.setValues(values);
  return {
    values: r.getValues(),
    display: r.getDisplayValues(),
    types: r.getValues()[0].map(function (v) { return v instanceof Date ? 'Date' : typeof v; }),
  };
}
function plainTextOne(a1, value) {
  var r = SpreadsheetApp.getActiveSheet().getRange(a1);
  r.setNumberFormat('@');
  r.setValue(value);
  return [r.getValue(), r.getDisplayValue()];
}
function who() { return [Session.getActiveUser().getEmail(), Session.getEffectiveUser().getEmail()]; }
function effective() { return Session.getEffectiveUser().getEmail(); }
function timeZone() { return Session.getScriptTimeZone(); }
function setProp(key, value) { PropertiesService.getDocumentProperties().setProperty(key, value); }
function insertAndReport(name) {
  var ss = SpreadsheetApp.getActiveSpreadsheet();
  var before = ss.getActiveSheet().getName();
  ss.insertSheet(name);
  return [before, ss.getActiveSheet().getName()];
}
function activeName() { return SpreadsheetApp.getActiveSpreadsheet().getActiveSheet().getName(); }
function grow(rows) { SpreadsheetApp.getActiveSheet().insertRowsAfter(1000, rows); }
function addRows(n) { SpreadsheetApp.getActiveSheet().insertRowsAfter(1, n); }
function addColumn() { SpreadsheetApp.getActiveSheet().insertColumnAfter(1); }
function addSheet(name) { SpreadsheetApp.getActiveSpreadsheet().insertSheet(name); }
function append(n) { SpreadsheetApp.getActiveSheet().getRange(SpreadsheetApp.getActiveSheet().getMaxRows(), 1).setValue('last'); SpreadsheetApp.getActiveSheet().appendRow(['x']); }
function size() { var s = SpreadsheetApp.getActiveSheet(); return [s.getMaxRows(), s.getMaxColumns(), SpreadsheetApp.getActiveSpreadsheet().getSheets().length]; }
`;

describe('Plain-text (@) cells', () => {
  it('keep a leading apostrophe written by a script as part of the value, and show it', () => {
    const h = harnessFor(code);
    expect(h.run('plainTextOne', 'A1', "'Changed in Affinity")).toEqual([
      "'Changed in Affinity",
      "'Changed in Affinity",
    ]);
    const r = h.run('plainText', 'B1:D1', [["'007", "'=1+1", 'Plain']]) as {
      values: unknown[][];
      display: unknown[][];
    };
    expect(r.values[0]).toEqual(["'007", "'=1+1", 'Plain']);
    expect(r.display[0]).toEqual(["'007", "'=1+1", 'Plain']);
    // the same string in a cell with the default format loses the apostrophe
    h.run('plainTextOne', 'E1', 'x');
    h.spreadsheet.getActiveSheet().getRange('F1').setValue("'Changed");
    expect(h.spreadsheet.getActiveSheet().getRange('F1').getValue()).toBe('Changed');
  });

  it('store numbers and booleans written as numbers and booleans, and strings that look like them as text', () => {
    const h = harnessFor(code);
    const r = h.run('plainText', 'A1:D1', [[42, true, '42', '2024-01-15']]) as {
      values: unknown[][];
      display: unknown[][];
      types: string[];
    };
    expect(r.types).toEqual(['number', 'boolean', 'string', 'string']);
    expect(r.values[0]).toEqual([42, true, '42', '2024-01-15']);
    expect(r.display[0]).toEqual(['42', 'TRUE', '42', '2024-01-15']);
  });
});

describe('Session and the userinfo.email scope', () => {
  it('refuses getActiveUser/getEffectiveUser without the scope, with Apps Script wording', () => {
    const h = harnessFor(code, {
      manifest: { timeZone: 'Etc/UTC', oauthScopes: ['https://www.googleapis.com/auth/spreadsheets.currentonly'] },
    });
    expect(() => h.run('who')).toThrow(
      `You do not have permission to call Session.getActiveUser. Required permissions: ${EMAIL_SCOPE}`,
    );
    expect(() => h.run('effective')).toThrow(
      `You do not have permission to call Session.getEffectiveUser. Required permissions: ${EMAIL_SCOPE}`,
    );
    expect(h.run('timeZone')).toBe('Etc/UTC'); // other Session methods need no scope
  });

  it('gives the emails with the scope; the active user is empty in installable triggers', () => {
    const h = harnessFor(code, { manifest: { timeZone: 'Etc/UTC', oauthScopes: [EMAIL_SCOPE] } });
    expect(h.run('who')).toEqual(['owner@example.com', 'owner@example.com']);
    expect(h.runAs('installable-trigger', 'who')).toEqual(['', 'owner@example.com']);
    expect(h.runWith({ kind: 'simple-trigger', user: 'editor@example.com' }, 'who')).toEqual([
      '',
      'editor@example.com',
    ]);
  });
});

describe('property values in UTF-8 bytes', () => {
  it('counts bytes, not characters: 3,073 three-byte characters are over 9 KB', () => {
    const h = harnessFor(code);
    h.run('setProp', 'ascii', 'x'.repeat(9 * 1024)); // 9,216 bytes: allowed
    expect(() => h.run('setProp', 'cjk', '名'.repeat(3073))).toThrow('Argument too large: value'); // 9,219 bytes
    h.run('setProp', 'cjk', '名'.repeat(3072)); // 9,216 bytes
    expect(h.properties.document.getProperty('cjk')).toHaveLength(3072);
  });

  it('counts the 500 KB store in bytes too', () => {
    const h = harnessFor(code);
    // 56 values of 4,500 two-byte characters = 504,000 bytes (252,000 characters) + keys: a 57th
    // passes 500 KB (512,000 bytes), although the characters would fit
    for (let i = 0; i < 56; i++) h.properties.document.setProperty(`k${i}`, 'é'.repeat(4500));
    expect(() => h.run('setProp', 'one-more', 'é'.repeat(4500))).toThrow(
      'You have exceeded the property storage quota. Please remove some properties and try again.',
    );
  });
});

describe('insertSheet', () => {
  it('makes the new sheet the active sheet (the user is moved to it)', () => {
    const h = harnessFor(code);
    expect(h.run('insertAndReport', 'Hidden base')).toEqual(['Sheet1', 'Hidden base']);
    expect(h.run('activeName')).toBe('Hidden base'); // it stays active for the next execution
  });
});

describe('10 million cells per spreadsheet', () => {
  it('refuses rows, columns and sheets past the limit with Google wording, changing nothing', () => {
    const h = harnessFor(code);
    h.run('grow', 383_000); // 384,000 rows × 26 columns = 9,984,000 cells
    expect(h.run('size')).toEqual([384_000, 26, 1]);
    expect(() => h.run('addRows', 1000)).toThrow(CELL_LIMIT_ERROR); // +26,000
    expect(() => h.run('addColumn')).toThrow(CELL_LIMIT_ERROR); // +384,000
    expect(() => h.run('addSheet', 'More')).toThrow(CELL_LIMIT_ERROR); // +26,000
    expect(() => h.run('append')).not.toThrow(); // +26: 9,984,026 cells
    expect(h.run('size')).toEqual([384_001, 26, 1]);
    h.run('addRows', 614); // 384,615 × 26 = 9,999,990 cells: allowed
    expect(() => h.run('addRows', 1)).toThrow(CELL_LIMIT_ERROR); // 10,000,016
    expect(h.run('size')).toEqual([384_615, 26, 1]);
  });
});
