/**
 * Memory (docs/harness.md, "Memory"): every execution reports its peak heap growth; with a ceiling, an execution
 * whose heap grows past it fails with Apps Script's "Exceeded memory limit." and the figure, even if the script
 * catches the error. The ceiling is opt-in (256 MB when turned on without a figure).
 */
import { EXCEEDED_MEMORY, resolveMemoryLimit } from '../../tools/harness';
import { forceGc, usedHeap } from '../../tools/harness/memory';
import { harnessFor } from './helpers';

// keeps 0.8 MB alive per array of 100,000 doubles, one service call per array so the harness samples as it grows
const code = `
function grow(n) {
  var keep = [];
  for (var i = 0; i < n; i++) { keep.push(new Array(100000).fill(i + 0.5)); Logger.log('block ' + i); }
  return keep.length;
}
// writes n rows × 20 columns of fresh texts (parsed from JSON, as the product's are) in slices of 1,000 rows; keeps nothing
function fill(n) {
  var sheet = SpreadsheetApp.getActiveSpreadsheet().insertSheet('Data');
  sheet.insertRowsAfter(1000, n);
  for (var r = 0; r < n; r += 1000) {
    var rows = [];
    for (var i = r; i < r + 1000 && i < n; i++) {
      var line = [];
      for (var c = 0; c < 20; c++) line.push('"text ' + i + ' of column ' + c + ' with some words"');
      rows.push(JSON.parse('[' + line.join(',') + ']'));
    }
    sheet.getRange(r + 1, 1, rows.length, 20).setValues(rows);
  }
  return n;
}
// allocates n × 1 MB, keeping only the last 4 arrays alive, one service call per array
function churn(n) {
  var keep = [];
  for (var i = 0; i < n; i++) { keep.push(new Array(131072).fill(i + 0.5)); if (keep.length > 4) keep.shift(); Logger.log('block ' + i); }
  return keep.length;
}
// reads the whole Data sheet and keeps what it read until a service call has sampled the heap
function readAndKeep() {
  var values = SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Data').getDataRange().getValues();
  Logger.log('read ' + values.length);
  return values.length;
}
function growAndCatch(n) {
  try { return grow(n); } catch (e) { return 'caught: ' + e.message; }
}
`;

describe('memory', () => {
  it('reports the peak heap growth of an execution, without failing it when no ceiling is set', () => {
    const h = harnessFor(code, { memoryLimitMB: false, gcBeforeExecution: true });
    expect(h.memoryLimitBytes).toBeNull();
    // 80 arrays of 0.8 MB: 64 MB alive at the end; the figure may miss up to 4 MB (docs/harness.md, "Memory"). In a
    // test worker that had just run the browser tests this read 35 MB, until the baseline's collections ran until the
    // heap stopped shrinking (tools/harness/memory.ts settleHeap).
    expect(h.run('grow', 80)).toBe(80);
    expect(h.lastExecution.peakHeapBytes).toBeGreaterThan(48 * 1048576);
    expect(h.lastExecution.error).toBeUndefined();
    h.run('grow', 2);
    expect(h.lastExecution.peakHeapBytes).toBeLessThan(20 * 1048576); // the last execution's arrays are not counted
  });

  it('fails an execution past the ceiling with the figure in the error, even when the script catches it', () => {
    const h = harnessFor(code, { memoryLimitMB: 20 });
    expect(() => h.run('growAndCatch', 50)).toThrow(
      /^Exceeded memory limit\. Peak heap growth \d+(\.\d)? MB passed the 20 MB ceiling\.$/,
    );
    const m = h.lastExecution;
    expect(m.killed).toBe('memory-limit');
    expect(m.error!.startsWith(EXCEEDED_MEMORY)).toBe(true);
    expect(m.peakHeapBytes).toBeGreaterThan(20 * 1048576);
    expect(m.peakHeapBytes).toBeLessThan(30 * 1048576); // stopped at the first sample past it, not at the end
    expect(h.logs.length).toBeLessThan(50); // the loop did not run to the end
    expect(h.run('grow', 5)).toBe(5); // a small execution afterwards runs
  });

  it('charges the script for its own memory, not for the cells it wrote: the spreadsheet model is Google storage, estimated low', () => {
    const h = harnessFor(code, { memoryLimitMB: 30 });
    forceGc();
    const before = usedHeap();
    expect(h.run('fill', 30_000)).toBe(30_000); // 600,000 cells, far more than 30 MB in the heap
    forceGc();
    const retained = usedHeap() - before;
    const m = h.lastExecution;
    expect(m.error).toBeUndefined();
    expect(retained).toBeGreaterThan(30 * 1048576);
    expect(m.peakRawHeapBytes).toBeGreaterThan(30 * 1048576);
    // The estimate of the model's storage errs low (never charges Google's storage to the script's account less than
    // it should), and is not far off: between 60 % and 100 % of what the model retains after the execution.
    expect(m.storageGrowthBytes).toBeLessThanOrEqual(retained);
    expect(m.storageGrowthBytes).toBeGreaterThan(0.6 * retained);
    expect(m.peakHeapBytes).toBeLessThan(30 * 1048576);
    expect(m.peakHeapBytes).toBeLessThan(m.peakRawHeapBytes);
  });

  it("charges the script for what it reads and keeps: a read hands out fresh strings, as Apps Script does, never the model's", () => {
    const h = harnessFor(code, { memoryLimitMB: 1024 });
    h.run('fill', 30_000);
    // 600,000 texts of about 45 characters: about 36 MB as strings, 6 MB as the arrays that hold them. Before reads
    // copied, the script was charged for the arrays alone (the strings were the model's, counted as storage).
    expect(h.run('readAndKeep')).toBe(30_000);
    const m = h.lastExecution;
    expect(m.error).toBeUndefined();
    expect(m.storageGrowthBytes).toBeLessThan(1048576);
    expect(m.peakHeapBytes).toBeGreaterThan(30 * 1048576);
  });

  it('counts live memory, not garbage V8 has not collected yet: 400 MB allocated, 5 MB alive at a time', () => {
    const h = harnessFor(code, { memoryLimitMB: 30 });
    expect(h.run('churn', 400)).toBe(4);
    expect(h.lastExecution.error).toBeUndefined();
    expect(h.lastExecution.peakHeapBytes).toBeLessThan(20 * 1048576);
  });

  it('is opt-in: true means 256 MB; HARNESS_MEMORY_LIMIT_MB sets it when the option does not', () => {
    expect(resolveMemoryLimit(undefined, undefined)).toBeNull();
    expect(resolveMemoryLimit(true, undefined)).toBe(256 * 1048576);
    expect(resolveMemoryLimit(undefined, 'on')).toBe(256 * 1048576);
    expect(resolveMemoryLimit(undefined, '512')).toBe(512 * 1048576);
    expect(resolveMemoryLimit(false, '512')).toBeNull();
    expect(resolveMemoryLimit(undefined, 'off')).toBeNull();
    expect(() => resolveMemoryLimit(undefined, 'lots')).toThrow(/Invalid memory limit/);
  });
});
