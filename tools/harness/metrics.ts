/** What one execution did, as recorded by the harness. */
export type ExecutionKind = 'direct' | 'menu' | 'simple-trigger' | 'installable-trigger' | 'rpc';

export interface ExecutionMetrics {
  /** The function that ran (as named to the harness, e.g. 'syncNow' or 'menu.item1'). */
  fn: string;
  kind: ExecutionKind;
  /** Email of the user the execution ran as. */
  user: string;
  /** Trigger that fired it, if any. */
  triggerUid?: string;
  /** One key per service.object.method (e.g. 'SpreadsheetApp.Range.setValues'), or service.method for the service root. */
  calls: Record<string, number>;
  /** Calls per service ('SpreadsheetApp', 'UrlFetchApp', ...). */
  callsByService: Record<string, number>;
  /** Virtual ms charged inside calls per service (network, cell costs, flushes, sleeps, lock waits): with cpuMs, where virtualMs went. */
  virtualMsByService: Record<string, number>;
  /** Total service calls. */
  totalCalls: number;
  /** The calls in order, when the run asked for it (`traceCalls`). */
  callTrace?: string[];
  /** With `callTrace`: the script's CPU ms so far when each call was made (what ran between two calls costs the difference). */
  callCpuMs?: number[];
  /** Cells whose values (or display values, formulas) were read: getValues, getValue, getDisplayValues, getFormulas... */
  cellsRead: number;
  /** Cells whose values or formulas were written: setValues, setValue, setFormulas, appendRow, clearContent, sort... */
  cellsWritten: number;
  /** Cells whose notes, number formats, backgrounds, fonts or data validations were read. */
  attributeCellsRead: number;
  /** Cells whose notes, number formats, backgrounds, fonts or data validations were set or cleared. */
  attributeCellsWritten: number;
  /** HTTP requests sent (fetch, plus each request of a fetchAll). */
  urlFetches: number;
  fetchAllBatches: number;
  /** Real time spent in the script's own code (excluding the harness's service internals and network waits). */
  cpuMs: number;
  /** Virtual time the execution took (script CPU × cpuFactor + modelled service costs + sleeps + lock waits). */
  virtualMs: number;
  /** Virtual epoch ms at start and end. */
  startedAt: number;
  endedAt: number;
  /**
   * Largest growth of the V8 heap over its size at the start of the execution, sampled at every service call and at
   * the end, less the growth of the spreadsheet model's estimated storage at that sample (memory.ts): the script's
   * memory, which the ceiling applies to. Without storage tracking (no ceiling, no forced GC) it is the raw growth.
   */
  peakHeapBytes: number;
  /** The service call before which the script's peak was sampled (and its number in the execution), or "end". */
  peakHeapAt?: string;
  /** The raw figure: largest growth of the V8 heap, the spreadsheet model's storage included. */
  peakRawHeapBytes: number;
  /** Growth of the spreadsheet model's estimated storage over the execution (0 when not tracked). */
  storageGrowthBytes: number;
  /** The script's error message when the execution failed. */
  error?: string;
  /** Why the platform ended it, when it did. */
  killed?: 'time-limit' | 'abort-after-calls' | 'memory-limit';
  /** Errors inside the harness's own service code (bugs or unsupported arguments), with stacks. */
  internalErrors: string[];
}

export function emptyMetrics(fn: string, kind: ExecutionKind, user: string, startedAt: number): ExecutionMetrics {
  return {
    fn,
    kind,
    user,
    calls: {},
    callsByService: {},
    virtualMsByService: {},
    totalCalls: 0,
    cellsRead: 0,
    cellsWritten: 0,
    attributeCellsRead: 0,
    attributeCellsWritten: 0,
    urlFetches: 0,
    fetchAllBatches: 0,
    cpuMs: 0,
    virtualMs: 0,
    startedAt,
    endedAt: startedAt,
    peakHeapBytes: 0,
    peakRawHeapBytes: 0,
    storageGrowthBytes: 0,
    internalErrors: [],
  };
}
