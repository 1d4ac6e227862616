/**
 * The second half of a pull for a view too large to hold at once (issue 10, memory; docs/schedules.md, "Large views"):
 * the same merge as sync/pull.ts applyPulledView, made a window of staged pages at a time. A first walk over the
 * staged pages keeps only the view's columns and entry ids; a second merges each window of rows into the tab
 * (engine/pull.ts startPull) and writes its blocks before the next window is read; the new base is kept packed (a
 * string per row, each window's rows compressed together, engine/packedRows.ts) and written from the top a slice at
 * a time; its digest is made a group of buckets at a time. Memory holds one window of rows,
 * the packed base and the entry ids, never the whole view as rows, maps or blocks. All in one execution, so the tab
 * shows the whole view or the last one, as with a small view, between executions.
 */
import { PullNotes } from '../gas/ownNotes';
import type { AffinityClient } from '../affinity/client';
import type { FieldMetadata } from '../affinity/types';
import { cellsIn } from '../engine/blocks';
import type { CodecContext } from '../engine/codecs';
import type { Directory } from '../engine/directory';
import { KEY_COLUMN, keyColumnSpec, nameColumnSpec } from '../engine/layout';
import { WINDOW_CELLS, rowsFor } from '../engine/memoryBudget';
import { PackedRows } from '../engine/packedRows';
import { startPull } from '../engine/pull';
import type { RemoteRow } from '../engine/remote';
import { PageJoin, type StagedPage } from '../engine/staged';
import { fitViewToColumns } from '../engine/viewColumns';
import { gzipText } from '../gas/compress';
import { documentStore } from '../gas/platform';
import { readSnapshot, writeSnapshot } from '../gas/snapshotStore';
import { deleteTabRows, prepareTab, readTab, writeBlocks } from '../gas/tab';
import type { PullSummary } from '../../shared/types';
import type { LogPort } from '../ports';
import { commitBase, pullBase, stageBase } from './baseGuard';
import { loadJournal } from './createEntries';
import type { Binding } from './bindings';
import { logKept, summarisePull } from './pull';
import { dropdownColumns, pullPolicy, refreshPushAids } from './pushAids';
import { loadColumnSpecs } from './pushStore';
import { sheetOf, tabCodec } from './tabContext';

/**
 * Rows merged and written at a time: 2,500, one bounded setValues of 80,000 cells at 32 columns; a wider view's window
 * holds fewer rows, so that it stays within WINDOW_CELLS cells (engine/memoryBudget.ts). A narrower view's window
 * keeps 2,500 rows: each row costs memory of its own (its maps and arrays), whatever its width.
 */
export const WINDOW_ROWS = 2_500;
export function windowRows(columns: number): number {
  return Math.min(WINDOW_ROWS, rowsFor(WINDOW_CELLS, columns));
}

/** A view staged page by page (sync/resumablePull.ts), walked in page order as often as needed. */
export interface StagedView {
  viewName: string;
  /** Calls `visit` with every staged page, in page order, reading them a few at a time. */
  walk: (visit: (page: StagedPage) => void) => void;
  /** The view's columns in order (GET …/saved-views/{viewId}/columns), or null when Affinity did not answer them. */
  columns: readonly FieldMetadata[] | null;
  /** People and companies the view mentions, for push's cache (known once the pages have been walked). */
  directory: () => Directory;
  ctx: CodecContext;
  /** Requests the pull made, read once the tab is written. */
  requests: () => number;
}

export function applyStreamedView(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  binding: Binding,
  client: AffinityClient,
  log: LogPort,
  today: string,
  view: StagedView,
): PullSummary {
  const sheet = sheetOf(ss, binding);
  // A tab known to hold none of the sync's notes: its notes are not read (gas/ownNotes.ts).
  const notes = new PullNotes(documentStore(), binding.sheetId);
  const tab = readTab(sheet, { packed: true, notes: notes.read });
  notes.tabRead(tab);
  const knownSpecs = loadColumnSpecs(documentStore(), binding.sheetId);
  const bound = { ids: [...tab.columnOf.keys()], specs: knownSpecs };
  const nameSpec = nameColumnSpec(binding.listType);

  // First walk: the view's columns and its entries, no row kept.
  const shapeJoin = new PageJoin(nameSpec);
  const ids = new Set<number>();
  view.walk((page) => {
    shapeJoin.addColumns(page);
    for (const id of shapeJoin.entriesOf(page)) ids.add(id);
  });
  const fit = (rows: RemoteRow[]) => fitViewToColumns({ columns: shapeJoin.columns, rows }, view.columns, bound);
  const shape = fit([]);
  // The tab's columns: the view's (its name column first), the Entry ID column, and any kept beside them.
  const windowSize = windowRows(Math.max(shape.columns.length + 1, tab.width));
  logKept(log, view.viewName, shape.keep.length);

  const stored = readSnapshot(ss, binding.sheetId, { packed: true });
  // Rows whose base does not verify take Affinity's values as their base: read back from the staged pages.
  const textsOf = (entries: ReadonlySet<number>) => {
    const out = new Map<number, Map<string, string>>();
    const join = new PageJoin(nameSpec);
    view.walk((page) => {
      join.addColumns(page);
      for (const r of fit(join.rowsOf(page)).rows) if (entries.has(r.entryId)) out.set(r.entryId, r.texts);
    });
    return out;
  };
  const packed = new PackedRows(gzipText);
  // The columns of fields that left the view are read in the tab's order, their base rows read ahead a window of
  // rows at a time (engine/leftFields.ts): a packed base stays packed whatever the tab's order.
  const base = stored ? pullBase(binding.sheetId, stored.snapshot, textsOf, log) : null;
  const planner = startPull({
    view: { columns: shape.columns, rows: [] },
    keep: shape.keep,
    knownSpecs: knownSpecs ?? undefined,
    keyColumn: keyColumnSpec(),
    tab,
    snapshot: base,
    codec: tabCodec(view.ctx),
    viewName: view.viewName,
    today,
    policy: pullPolicy(),
    addedHere: new Set(loadJournal(documentStore(), binding.sheetId)),
    listName: binding.listName,
    snapshotRows: packed,
  });
  const plan = planner.plan;
  let appended = 0;
  for (const id of ids) if (!planner.rowOf.has(id)) appended++;
  const plain = prepareTab(sheet, tab, { ...plan, appendRows: appended });
  const keyCol = plan.columnOf.get(KEY_COLUMN);
  let cellsWritten = 0;
  const write = () => {
    const writes = planner.takeBlocks();
    notes.writing(sheet, writes.noteBlocks);
    writeBlocks(sheet, plain, keyCol, writes);
    cellsWritten += cellsIn(writes.blocks);
  };

  // Second walk: a window of rows at a time, merged and written before the next is read.
  const dropdownTexts = new Map(dropdownColumns(shape.columns).map((c) => [c.id, new Set<string>()]));
  const join = new PageJoin(nameSpec);
  let window: RemoteRow[] = [];
  const baseRows = base?.rows instanceof PackedRows ? base.rows : null;
  const flush = () => {
    // In the tab's order (rows new to the tab last, in the view's order), their base rows read ahead: each packed
    // batch of the tab and of the base opens once for the window, whatever the orders of the view, tab and base.
    const rows = inRowOrder(fit(window).rows, planner.rowOf);
    window = [];
    baseRows?.prefetch(rows.map((r) => r.entryId));
    for (const r of rows)
      for (const [id, seen] of dropdownTexts) {
        const text = r.texts.get(id);
        if (text) seen.add(text);
      }
    planner.merge(rows);
    write();
    packed.seal();
  };
  view.walk((page) => {
    join.addColumns(page);
    for (const r of join.rowsOf(page)) window.push(r);
    if (window.length >= windowSize) flush();
  });
  if (window.length > 0) flush();
  // Rows that left the view: their base rows, read ahead (the merge reads them in the tab's order).
  const left: number[] = [];
  for (const id of planner.rowOf.keys()) if (!ids.has(id)) left.push(id);
  baseRows?.prefetch(left);
  planner.finish();
  write();
  packed.seal();
  deleteTabRows(sheet, plan.deleteRows);
  notes.written(plan.deleteRows);
  // The tab is written: its cells and notes as read are not needed again, and the base's write below (each slice
  // unpacked and compared with the old base) is where the merge's memory peaks. Let them go first.
  tab.values.length = 0;
  tab.notes.length = 0;

  refreshPushAids(sheet, binding, client, log, {
    columns: shape.columns,
    held: plan.heldColumns,
    columnOf: plan.columnOf,
    rows: [],
    texts: dropdownTexts,
    directory: view.directory(),
  });
  const digest = stageBase(documentStore(), binding.sheetId, plan.snapshot);
  const snapshotCells = writeSnapshot(ss, binding.sheetId, plan.snapshot, stored, { rewriteOverNewRows: windowSize });
  commitBase(documentStore(), binding.sheetId, digest);
  return summarisePull(log, sheet, view.viewName, plan.counts, {
    requests: view.requests(),
    cellsWritten,
    snapshotCells,
  });
}

/** The rows in the tab's order; rows not in the tab after, in the order given. */
function inRowOrder(rows: RemoteRow[], rowOf: ReadonlyMap<number, number>): RemoteRow[] {
  const inTab = rows.filter((r) => rowOf.has(r.entryId));
  inTab.sort((a, b) => rowOf.get(a.entryId)! - rowOf.get(b.entryId)!);
  for (const r of rows) if (!rowOf.has(r.entryId)) inTab.push(r);
  return inTab;
}
