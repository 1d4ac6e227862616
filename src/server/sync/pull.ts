/**
 * Pull: reads the bound saved view from Affinity and merges it into the tab (see engine/pull.ts for the rules).
 * Requests: the view's metadata, the list's fields, then one per page of 100 rows.
 */
import type { AffinityClient } from '../affinity/client';
import type { SavedView } from '../affinity/types';
import { AffinityError } from '../affinity/errors';
import { canonicalOfCell, cellOf, type CodecContext } from '../engine/codecs';
import { cellsIn } from '../engine/blocks';
import { keyColumnSpec, type ColumnSpec } from '../engine/layout';
import { planPull, type PullCodec } from '../engine/pull';
import { buildRemoteView } from '../engine/remote';
import { TimeZoneDays } from '../engine/timezone';
import { wallClockIn } from '../gas/platform';
import { readSnapshot, writeSnapshot } from '../gas/snapshotStore';
import { applyPlan, readTab } from '../gas/tab';
import type { PullSummary } from '../../shared/types';
import type { LogPort } from '../ports';
import type { Binding } from './bindings';
import { pullPolicy, refreshPushAids } from './pushAids';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export function codecContext(ss: Spreadsheet): CodecContext {
  const days = new TimeZoneDays(wallClockIn(ss.getSpreadsheetTimeZone()));
  return {
    dayOfDate: (d: Date) => days.dayOf(d.getTime()),
    dayInSpreadsheet: (ms: number) => days.dayOf(ms),
  };
}

export function pullCodec(ctx: CodecContext): PullCodec {
  return {
    read: (cell, column: ColumnSpec) => canonicalOfCell(cell, column.valueType, ctx),
    write: (text, column: ColumnSpec) => cellOf(text, column.valueType),
  };
}

export function sheetOf(ss: Spreadsheet, binding: Binding): GoogleAppsScript.Spreadsheet.Sheet {
  const sheet = ss.getSheetById(binding.sheetId);
  if (!sheet) {
    throw new AffinityError('config', `The tab bound to “${binding.viewName}” was deleted. Bind the view to a tab again.`);
  }
  return sheet;
}

export function pullBinding(
  ss: Spreadsheet,
  binding: Binding,
  client: AffinityClient,
  log: LogPort,
  today: string,
  opts: { view?: SavedView; onProgress?: (message: string) => void } = {},
): PullSummary {
  const sheet = sheetOf(ss, binding);
  const startRequests = client.requestsSent;
  const view = opts.view ?? client.savedView(binding.listId, binding.viewId);
  const fields = client.listFields(binding.listId);
  const entries = client.savedViewEntries(binding.listId, view, (rows, pages) => {
    if (pages % 20 === 0) opts.onProgress?.(`${rows} rows fetched (${pages} pages)…`);
  });
  const ctx = codecContext(ss);
  const remote = buildRemoteView(entries, fields, binding.listType, ctx);
  const tab = readTab(sheet);
  const stored = readSnapshot(ss, binding.sheetId);
  const plan = planPull({
    view: remote,
    keyColumn: keyColumnSpec(),
    tab,
    snapshot: stored?.snapshot ?? null,
    codec: pullCodec(ctx),
    viewName: view.name,
    today,
    policy: pullPolicy(),
  });
  applyPlan(sheet, tab, plan);
  refreshPushAids(sheet, binding, client, log, { columns: remote.columns, columnOf: plan.columnOf, entries });
  const snapshotCells = writeSnapshot(ss, binding.sheetId, plan.snapshot, stored);
  const summary: PullSummary = {
    tabName: sheet.getName(),
    rows: plan.counts.rows,
    added: plan.counts.added,
    updatedCells: plan.counts.updatedCells,
    removed: plan.counts.removed,
    keptOutOfView: plan.counts.keptOutOfView,
    pendingEdits: plan.counts.pendingEdits,
    conflicts: plan.counts.conflicts,
    requests: client.requestsSent - startRequests,
    cellsWritten: cellsIn(plan.blocks),
  };
  log.log(
    `Pulled “${view.name}” into “${summary.tabName}”: ${summary.rows} rows, ${summary.added} added, ${summary.updatedCells} cells updated, ` +
      `${summary.removed} removed, ${summary.keptOutOfView} kept out of view, ${summary.pendingEdits} pending edits, ${summary.conflicts} conflicts; ` +
      `${summary.requests} requests, ${summary.cellsWritten} tab cells and ${snapshotCells} snapshot cells written`,
  );
  return summary;
}
