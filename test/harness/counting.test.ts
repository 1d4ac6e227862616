import { harnessFor } from './helpers';

const code = `
function perCell() {
  var sh = SpreadsheetApp.getActiveSheet();
  for (var r = 1; r <= 10; r++) for (var c = 1; c <= 10; c++) sh.getRange(r, c).setValue(r * c);
}
function batched() {
  var sh = SpreadsheetApp.getActiveSheet();
  var rows = [];
  for (var r = 1; r <= 10; r++) { var row = []; for (var c = 1; c <= 10; c++) row.push(r * c); rows.push(row); }
  sh.getRange(1, 1, 10, 10).setValues(rows);
}
function spin() {
  var sh = SpreadsheetApp.getActiveSheet();
  var x = 0;
  for (var i = 0; i < 20000000; i++) x += i % 7;
  sh = SpreadsheetApp.getActiveSheet();
  sh = SpreadsheetApp.getActiveSheet();
  return x;
}
function installSpin() { ScriptApp.newTrigger('spin').timeBased().everyMinutes(5).create(); }
function readAll() { return SpreadsheetApp.getActiveSheet().getDataRange().getValues().length; }
function big(rows, cols) {
  var sh = SpreadsheetApp.getActiveSheet();
  sh.insertRowsAfter(sh.getMaxRows(), rows - sh.getMaxRows());
  sh.insertColumnsAfter(sh.getMaxColumns(), cols - sh.getMaxColumns());
  var data = new Array(rows);
  for (var r = 0; r < rows; r++) {
    var row = new Array(cols);
    for (var c = 0; c < cols; c++) row[c] = c % 3 === 0 ? 'Company ' + r : c % 3 === 1 ? r * c : 'x' + c;
    data[r] = row;
  }
  var t0 = Date.now();
  sh.getRange(1, 1, rows, cols).setValues(data);
  var back = sh.getRange(1, 1, rows, cols).getValues();
  return [back.length, back[rows - 1].length, back[rows - 1][0], back[rows - 1][1]];
}
`;

describe('call and cell counting', () => {
  it('traces the calls of trigger executions on request, with the script CPU at each call', () => {
    const h = harnessFor(code);
    h.run('installSpin');
    expect(h.advance(5 * 60_000).map((m) => m.callTrace)).toEqual([undefined]);
    h.traceTriggers = true;
    const [m] = h.advance(5 * 60_000);
    expect(m.callTrace).toEqual(Array(3).fill('SpreadsheetApp.getActiveSheet'));
    const cpu = m.callCpuMs!;
    // The loop ran between the first two calls; nothing between the last two.
    expect(cpu[1] - cpu[0]).toBeGreaterThan(10 * (cpu[2] - cpu[1]));
    expect(cpu[0]).toBeLessThanOrEqual(cpu[1]);
  });

  it('counts every service call by service.object.method and every cell', () => {
    const h = harnessFor(code);
    h.run('perCell');
    const m1 = h.lastExecution;
    expect(m1.calls).toEqual({
      'SpreadsheetApp.getActiveSheet': 1,
      'SpreadsheetApp.Sheet.getRange': 100,
      'SpreadsheetApp.Range.setValue': 100,
    });
    expect(m1.callsByService).toEqual({ SpreadsheetApp: 201 });
    expect(m1.totalCalls).toBe(201);
    expect(m1.cellsWritten).toBe(100);
    expect(m1.cellsRead).toBe(0);

    h.run('batched');
    const m2 = h.lastExecution;
    expect(m2.totalCalls).toBe(3);
    expect(m2.cellsWritten).toBe(100);
    // the per-cell version costs far more virtual time
    expect(m1.virtualMs).toBeGreaterThan(m2.virtualMs * 20);

    expect(h.run('readAll')).toBe(10);
    expect(h.lastExecution.cellsRead).toBe(100);
    expect(h.lastExecution.calls['SpreadsheetApp.Sheet.getDataRange']).toBe(1);
    expect(h.executions.map((e) => e.fn)).toEqual(['perCell', 'batched', 'readAll']);
  });

  it('reads and writes 50,000 × 40 cells in one call each, counted and charged by the cost model', () => {
    const h = harnessFor(code);
    const rows = 50_000;
    const cols = 40;
    expect(h.run('big', rows, cols)).toEqual([rows, cols, `Company ${rows - 1}`, rows - 1]);
    const m = h.lastExecution;
    expect(m.cellsWritten).toBe(rows * cols);
    expect(m.cellsRead).toBe(rows * cols);
    // modelled cost: 2M cells written at 0.02 ms + read at 0.004 ms ≈ 48 s of virtual time
    expect(m.virtualMs).toBeGreaterThan(45_000);
    // the same grid round-trips through the host view
    const sheet = h.sheet('Sheet1');
    const data = sheet.getRange(1, 1, rows, cols).getValues();
    sheet.getRange(1, 1, rows, cols).setValues(data);
    expect(sheet.getRange(rows, 1, 1, 1).getValue()).toBe(data[rows - 1][0]);
  });
});
