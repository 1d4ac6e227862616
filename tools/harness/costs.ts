/**
 * The harness's model of how long things take in Apps Script. Every number is virtual time in
 * milliseconds, added to the execution's clock; override any of them with `HarnessOptions.costs`.
 *
 * The defaults are rough figures for a container-bound script on a consumer account: they are meant
 * to rank designs (one getValues vs. a getValue per cell, fetchAll vs. fetch in a loop) and to make
 * the 6-minute limit bite where it would, not to predict a run to the second.
 */
export interface CostModel {
  /** Multiplier on the script's own CPU time (measured on this machine) before it counts as virtual time. */
  cpuFactor: number;
  /** Any SpreadsheetApp call (getRange, getSheetByName, getLastRow, setNote, ...). */
  spreadsheetCallMs: number;
  /** Added per cell read by getValues/getDisplayValues/getFormulas/getNotes/... */
  spreadsheetReadPerCellMs: number;
  /** Added per cell written by setValues/setNotes/setNumberFormats/... */
  spreadsheetWritePerCellMs: number;
  /** A read that follows unflushed writes, or flush() with pending writes, pays this once (Apps Script flushes). */
  spreadsheetFlushMs: number;
  /** Extra for structural changes: insert/delete/move rows or columns, sort, insertSheet, deleteSheet. */
  spreadsheetStructureMs: number;
  /** PropertiesService calls (getProperty, setProperty, getProperties, ...). */
  propertiesCallMs: number;
  /** CacheService calls. */
  cacheCallMs: number;
  /** LockService calls (waiting for a lock held elsewhere adds the waited time on top). */
  lockCallMs: number;
  /** ScriptApp calls other than creating or deleting a trigger. */
  scriptAppCallMs: number;
  /** TriggerBuilder.create() and ScriptApp.deleteTrigger(). */
  triggerChangeMs: number;
  /** One UrlFetchApp request: fixed latency. */
  urlFetchMs: number;
  /** Per KiB sent plus received. */
  urlFetchPerKbMs: number;
  /** Add the real measured HTTP latency (so an emulator that delays for real costs virtual time too). */
  urlFetchRealLatency: boolean;
  /** fetchAll: fixed overhead on top of its slowest request. */
  fetchAllOverheadMs: number;
  /** fetchAll: per request in the batch, on top of the slowest. */
  fetchAllPerRequestMs: number;
  /** Utilities calls (sleep is its argument instead). */
  utilitiesCallMs: number;
  /** Per KiB of data a Utilities or Blob call converts (ungzip's output, base64, digests, blob bytes and strings). */
  utilitiesPerKbMs: number;
  /** Per KiB gzip compresses (deflate is slower than the conversions). */
  gzipPerKbMs: number;
  /** Session calls. */
  sessionCallMs: number;
  /** HtmlService and HtmlOutput/HtmlTemplate calls. */
  htmlCallMs: number;
  /** Ui calls (createMenu, alert, showSidebar, ...). */
  uiCallMs: number;
  /** Logger.log (console.* is not a service and costs only CPU). */
  loggerCallMs: number;
  /** Any other service call. */
  defaultCallMs: number;
}

export const DEFAULT_COSTS: Readonly<CostModel> = Object.freeze({
  cpuFactor: 1,
  spreadsheetCallMs: 10,
  spreadsheetReadPerCellMs: 0.004,
  spreadsheetWritePerCellMs: 0.02,
  spreadsheetFlushMs: 50,
  spreadsheetStructureMs: 40,
  propertiesCallMs: 5,
  cacheCallMs: 5,
  lockCallMs: 5,
  scriptAppCallMs: 20,
  triggerChangeMs: 150,
  urlFetchMs: 120,
  urlFetchPerKbMs: 0.05,
  urlFetchRealLatency: true,
  fetchAllOverheadMs: 10,
  fetchAllPerRequestMs: 2,
  utilitiesCallMs: 0.1,
  utilitiesPerKbMs: 0.01,
  gzipPerKbMs: 0.05,
  sessionCallMs: 2,
  htmlCallMs: 5,
  uiCallMs: 20,
  loggerCallMs: 0.05,
  defaultCallMs: 1,
});

/** Base cost of one call to a method of a service, before per-cell/byte costs. */
export function baseCallCost(costs: CostModel, service: string): number {
  switch (service) {
    case 'SpreadsheetApp':
      return costs.spreadsheetCallMs;
    case 'PropertiesService':
      return costs.propertiesCallMs;
    case 'CacheService':
      return costs.cacheCallMs;
    case 'LockService':
      return costs.lockCallMs;
    case 'ScriptApp':
      return costs.scriptAppCallMs;
    case 'UrlFetchApp':
      return 0; // charged per request by the fetch itself
    case 'Utilities':
      return costs.utilitiesCallMs;
    case 'Session':
      return costs.sessionCallMs;
    case 'HtmlService':
      return costs.htmlCallMs;
    case 'Ui':
      return costs.uiCallMs;
    case 'Logger':
      return costs.loggerCallMs;
    default:
      return costs.defaultCallMs;
  }
}
