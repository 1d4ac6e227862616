import { harnessFor } from './helpers';

const code = `
function setup() {
  var sh = SpreadsheetApp.getActiveSpreadsheet().insertSheet('Deals');
  sh.getRange('A1:D4').setValues([
    ['Name', 'Stage', 'Amount', 'Owner'],
    ['Acme', 'Won', 30, 'ann'],
    ['Beta', 'Lead', 10, 'bob'],
    ['Core', 'Lost', 20, 'cat'],
  ]);
  sh.getRange('A1:D1').setFontWeight('bold');
  sh.getRange('C2:C4').setNumberFormat('#,##0.00');
  sh.getRange('B2').setNote('note on Won');
  sh.getRange('B4').setNote('note on Lost');
  sh.getRange('A3').setBackground('yellow');
  sh.getRange('B2:B4').setDataValidation(SpreadsheetApp.newDataValidation().requireValueInList(['Lead', 'Won', 'Lost']).setAllowInvalid(false).build());
  ['name', 'stage', 'amount', 'owner'].forEach(function (k, i) {
    sh.getRange(1, i + 1, sh.getMaxRows(), 1).addDeveloperMetadata('col', k);
  });
  sh.getRange('2:2').addDeveloperMetadata('row', 'acme');
  sh.addDeveloperMetadata('sheet', 'deals', SpreadsheetApp.DeveloperMetadataVisibility.PROJECT);
  sh.getRange('C1:C4').protect().setDescription('amounts').setWarningOnly(true);
}
function columnsByMetadata() {
  var sh = SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Deals');
  return sh.createDeveloperMetadataFinder().withKey('col').find().map(function (m) {
    return [m.getValue(), m.getLocation().getLocationType().toString(), m.getLocation().getColumn().getColumn(), m.getLocation().getColumn().getA1Notation()];
  }).sort(function (a, b) { return a[2] - b[2]; });
}
function moveAmountFirst() {
  var sh = SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Deals');
  sh.moveColumns(sh.getRange('C1'), 1);
}
function moveFirstColumnTo(dest) {
  var sh = SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Deals');
  sh.moveColumns(sh.getRange('A:A'), dest);
}
function sortByAmount() {
  var sh = SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Deals');
  sh.getRange(2, 1, 3, 4).sort({ column: 3, ascending: false });
}
function deleteBeta() { SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Deals').deleteRows(3, 1); }
function deleteStage() { SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Deals').deleteColumn(2); }
function insertColumnAfterA() { SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Deals').insertColumnsAfter(1, 2); }
function insertRowAfterHeader() { SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Deals').insertRowsAfter(1, 1); }
function arbitraryMetadata() { SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Deals').getRange('A1:B2').addDeveloperMetadata('x'); }
function protections() {
  return SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Deals').getProtections(SpreadsheetApp.ProtectionType.RANGE).map(function (p) {
    return [p.getDescription(), p.isWarningOnly(), p.getRange().getA1Notation()];
  });
}
`;

type Grid = unknown[][];

describe('structural operations keep attributes aligned', () => {
  const snapshot = (h: ReturnType<typeof harnessFor>, a1: string) => {
    const r = h.sheet('Deals').getRange(a1);
    return {
      values: r.getValues(),
      notes: r.getNotes(),
      formats: r.getNumberFormats(),
      bg: r.getBackgrounds(),
      weights: r.getFontWeights(),
    };
  };

  it('moveColumns moves values, notes, formats, validations and column metadata together', () => {
    const h = harnessFor(code);
    h.run('setup');
    expect(h.run('columnsByMetadata')).toEqual([
      ['name', 'COLUMN', 1, 'A1:A1000'],
      ['stage', 'COLUMN', 2, 'B1:B1000'],
      ['amount', 'COLUMN', 3, 'C1:C1000'],
      ['owner', 'COLUMN', 4, 'D1:D1000'],
    ]);
    h.run('moveAmountFirst');
    const s = snapshot(h, 'A1:D4');
    expect(s.values).toEqual([
      ['Amount', 'Name', 'Stage', 'Owner'],
      [30, 'Acme', 'Won', 'ann'],
      [10, 'Beta', 'Lead', 'bob'],
      [20, 'Core', 'Lost', 'cat'],
    ]);
    expect(s.notes.map((r) => r[2])).toEqual(['', 'note on Won', '', 'note on Lost']);
    expect(s.formats.map((r) => r[0])).toEqual(['0.###############', '#,##0.00', '#,##0.00', '#,##0.00']);
    expect(s.weights[0]).toEqual(['bold', 'bold', 'bold', 'bold']);
    expect(h.sheet('Deals').getRange('C2').getDataValidation()?.getCriteriaValues()).toEqual([
      ['Lead', 'Won', 'Lost'],
      true,
    ]);
    expect(h.run('columnsByMetadata')).toEqual([
      ['amount', 'COLUMN', 1, 'A1:A1000'],
      ['name', 'COLUMN', 2, 'B1:B1000'],
      ['stage', 'COLUMN', 3, 'C1:C1000'],
      ['owner', 'COLUMN', 4, 'D1:D1000'],
    ]);
    // the protected range followed its column too
    expect(h.run('protections')).toEqual([['amounts', true, 'A1:A4']]);

    // destinationIndex is in coordinates before the move: 4 = in front of the current column D
    h.run('moveFirstColumnTo', 4);
    expect(h.sheet('Deals').getRange('A1:D1').getValues()).toEqual([['Name', 'Stage', 'Amount', 'Owner']]);
    expect((h.run('columnsByMetadata') as Grid).map((r) => r[0])).toEqual(['name', 'stage', 'amount', 'owner']);
    h.run('moveFirstColumnTo', 5);
    expect(h.sheet('Deals').getRange('A1:D1').getValues()).toEqual([['Stage', 'Amount', 'Owner', 'Name']]);
    expect((h.run('columnsByMetadata') as Grid).map((r) => r[0])).toEqual(['stage', 'amount', 'owner', 'name']);
  });

  it('sort moves cell attributes with their rows', () => {
    const h = harnessFor(code);
    h.run('setup');
    h.run('sortByAmount');
    const s = snapshot(h, 'A1:D4');
    expect(s.values.map((r) => r[0])).toEqual(['Name', 'Acme', 'Core', 'Beta']);
    expect(s.notes.map((r) => r[1])).toEqual(['', 'note on Won', 'note on Lost', '']);
    expect(s.bg.map((r) => r[0])).toEqual(['#ffffff', '#ffffff', '#ffffff', '#ffff00']);
    expect(h.lastExecution.calls['SpreadsheetApp.Range.sort']).toBe(1);
  });

  it('deleteRows shifts attributes and drops metadata of deleted rows', () => {
    const h = harnessFor(code);
    h.run('setup');
    h.run('deleteBeta');
    const s = snapshot(h, 'A1:D3');
    expect(s.values.map((r) => r[0])).toEqual(['Name', 'Acme', 'Core']);
    expect(s.notes.map((r) => r[1])).toEqual(['', 'note on Won', 'note on Lost']);
    expect(s.bg.map((r) => r[0])).toEqual(['#ffffff', '#ffffff', '#ffffff']);
    expect(h.sheet('Deals').getMaxRows()).toBe(999);
    const rowMeta = h.spreadsheet.createDeveloperMetadataFinder().withKey('row').find();
    expect(rowMeta.map((m) => m.getLocation().getRow()!.getRow())).toEqual([2]);
  });

  it('deleting a column removes its column metadata; inserting shifts the rest', () => {
    const h = harnessFor(code);
    h.run('setup');
    h.run('deleteStage');
    expect((h.run('columnsByMetadata') as Grid).map((r) => [r[0], r[2]])).toEqual([
      ['name', 1],
      ['amount', 2],
      ['owner', 3],
    ]);
    h.run('insertColumnAfterA');
    expect((h.run('columnsByMetadata') as Grid).map((r) => [r[0], r[2]])).toEqual([
      ['name', 1],
      ['amount', 4],
      ['owner', 5],
    ]);
    expect(h.sheet('Deals').getMaxColumns()).toBe(27);
    // inserted columns inherit formatting of the column before them (bold header), not values or notes
    expect(h.sheet('Deals').getRange('B1:C1').getFontWeights()).toEqual([['bold', 'bold']]);
    expect(h.sheet('Deals').getRange('B1:C2').getValues()).toEqual([
      ['', ''],
      ['', ''],
    ]);
  });

  it('insertRowsAfter inherits formats from the row above', () => {
    const h = harnessFor(code);
    h.run('setup');
    h.run('insertRowAfterHeader');
    const s = snapshot(h, 'A1:D3');
    expect(s.values[1]).toEqual(['', '', '', '']);
    expect(s.weights[1]).toEqual(['bold', 'bold', 'bold', 'bold']);
    expect(s.values[2][0]).toBe('Acme');
    expect(s.notes[2][1]).toBe('note on Won');
  });

  it('refuses developer metadata on arbitrary ranges', () => {
    const h = harnessFor(code);
    h.run('setup');
    expect(() => h.run('arbitraryMetadata')).toThrow(
      'Adding developer metadata to arbitrary ranges is not currently supported. Developer metadata may only be added to the top-level spreadsheet, an individual sheet, or an entire row or column.',
    );
  });

  it('warning-only protections do not block edits but are recorded; real ones block other users', () => {
    const h = harnessFor(code);
    h.run('setup');
    h.userEdit('Deals', 'C2', [['99']]);
    expect(h.sheet('Deals').getRange('C2').getValue()).toBe(99);
    expect(h.protectionWarnings).toHaveLength(1);
    h.sheet('Deals').getRange('A2:A4').protect().setDescription('names');
    expect(() => h.userEdit('Deals', 'A2', [['Zed']], { user: 'intruder@example.com' })).toThrow(
      'You are trying to edit a protected cell or object',
    );
    h.userEdit('Deals', 'A2', [['Zed']]); // the owner may
    expect(h.sheet('Deals').getRange('A2').getValue()).toBe('Zed');
  });

  it('data validation that rejects input refuses a user edit', () => {
    const h = harnessFor(code);
    h.run('setup');
    expect(() => h.userEdit('Deals', 'B3', [['Maybe']])).toThrow('violates the data validation rules');
    h.userEdit('Deals', 'B3', [['Won']]);
    expect(h.sheet('Deals').getRange('B3').getValue()).toBe('Won');
  });
});

describe('moveRows and row metadata', () => {
  const rowsCode = `
function setup() {
  var sh = SpreadsheetApp.getActiveSheet();
  sh.getRange('A1:B3').setValues([['a', 1], ['b', 2], ['c', 3]]);
  sh.getRange('A1').setNote('first');
  sh.getRange('1:1').addDeveloperMetadata('row', 'first');
}
function moveFirstToEnd() { var sh = SpreadsheetApp.getActiveSheet(); sh.moveRows(sh.getRange('A1'), 4); }
function rowOfMeta() { return SpreadsheetApp.getActive().createDeveloperMetadataFinder().withKey('row').find()[0].getLocation().getRow().getRow(); }
`;
  it('moveRows moves values, notes and row metadata (destination in pre-move coordinates)', () => {
    const h = harnessFor(rowsCode);
    h.run('setup');
    h.run('moveFirstToEnd');
    const r = h.sheet('Sheet1').getRange('A1:B3');
    expect(r.getValues()).toEqual([
      ['b', 2],
      ['c', 3],
      ['a', 1],
    ]);
    expect(r.getNotes().map((x) => x[0])).toEqual(['', '', 'first']);
    expect(h.run('rowOfMeta')).toBe(3);
  });
});
