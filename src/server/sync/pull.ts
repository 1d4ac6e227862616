/**
 * Pull: merges a saved view, as fetched from Affinity by sync/resumablePull.ts (the view's metadata, the list's fields, then
 * one request per page of 100 rows, over one or several executions), into its tab (engine/pull.ts has the rules).
 */
import type { AffinityClient } from '../affinity/client';
import type { FieldMetadata, ListEntryWithEntity } from '../affinity/types';
import type { CodecContext } from '../engine/codecs';
import { cellsIn } from '../engine/blocks';
import { keyColumnSpec } from '../engine/layout';
import { PullNotes } from '../gas/ownNotes';
import type { Directory } from '../engine/directory';
import { planPull, type PullPlan } from '../engine/pull';
import type { RemoteView } from '../engine/remote';
import { fitViewToColumns } from '../engine/viewColumns';
import { documentStore } from '../gas/platform';
import { hasSnapshot, readSnapshot, writeSnapshot } from '../gas/snapshotStore';
import { applyPlan, readTab } from '../gas/tab';
import { baseAsView, commitBase, pullBase, stageBase } from './baseGuard';
import { loadJournal } from './createEntries';
import type { PullSummary } from '../../shared/types';
import type { LogPort } from '../ports';
import type { Binding } from './bindings';
import { pullPolicy, refreshPushAids } from './pushAids';
import { loadColumnSpecs } from './pushStore';
import { codecContext, sheetOf, tabCodec } from './tabContext';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** A view fetched from Affinity, ready to be merged into its tab. */
export interface PulledView {
  viewName: string;
  remote: RemoteView;
  /** The view's columns in order (GET …/saved-views/{viewId}/columns), or null when Affinity did not answer them. */
  columns?: readonly FieldMetadata[] | null;
  /** For push's people-and-companies cache: the entries (a one-go pull) or a directory gathered page by page. */
  entries?: readonly ListEntryWithEntity[];
  directory?: Directory;
  ctx?: CodecContext;
  /** Requests the pull made, read once the tab is written (dropdown options may add some). */
  requests: () => number;
}

/**
 * The second half of a pull: merges a complete view into the tab (engine/pull.ts planPull), refreshes what push
 * needs, and writes the base snapshot. A resumable pull (sync/resumablePull.ts) gathers the view over several executions and
 * calls this once it has all of it, so the tab never shows half a view.
 */
export function applyPulledView(
  ss: Spreadsheet,
  binding: Binding,
  client: AffinityClient,
  log: LogPort,
  today: string,
  pulled: PulledView,
): PullSummary {
  const sheet = sheetOf(ss, binding);
  const ctx = pulled.ctx ?? codecContext(ss);
  // A tab known to hold none of the sync's notes: its notes are not read (gas/ownNotes.ts).
  const notes = new PullNotes(documentStore(), binding.sheetId);
  const tab = readTab(sheet, { notes: notes.read });
  notes.tabRead(tab);
  const knownSpecs = loadColumnSpecs(documentStore(), binding.sheetId);
  const remote = fitViewToColumns(pulled.remote, pulled.columns ?? null, {
    ids: tab.columnOf.keys(),
    specs: knownSpecs,
  });
  logKept(log, pulled.viewName, remote.keep.length);
  // When the view verifies against the base's digest, the base is the view: the base tab is neither read nor
  // written (the merge keeps such a base as it is: engine/pull.ts takes Affinity's text or the base's, the same).
  const sameBase = hasSnapshot(ss, binding.sheetId)
    ? baseAsView(documentStore(), binding.sheetId, remote, [
        ...tab.columnOf.keys(),
        ...(tab.leftColumnOf?.keys() ?? []),
      ])
    : null;
  const stored = sameBase ? null : readSnapshot(ss, binding.sheetId);
  const plan = planPull({
    view: remote,
    keep: remote.keep,
    knownSpecs: knownSpecs ?? undefined,
    keyColumn: keyColumnSpec(),
    tab,
    snapshot: sameBase ?? (stored ? pullBase(binding.sheetId, stored.snapshot, remote, log) : null),
    codec: tabCodec(ctx),
    viewName: pulled.viewName,
    today,
    policy: pullPolicy(),
    addedHere: new Set(loadJournal(documentStore(), binding.sheetId)),
    listName: binding.listName,
  });
  notes.writing(sheet, plan.noteBlocks);
  applyPlan(sheet, tab, plan);
  notes.written(plan.deleteRows);
  refreshPushAids(sheet, binding, client, log, {
    columns: remote.columns,
    held: plan.heldColumns,
    columnOf: plan.columnOf,
    rows: remote.rows,
    entries: pulled.entries,
    directory: pulled.directory,
  });
  let snapshotCells = 0;
  if (!sameBase) {
    const digest = stageBase(documentStore(), binding.sheetId, plan.snapshot);
    snapshotCells = writeSnapshot(ss, binding.sheetId, plan.snapshot, stored);
    commitBase(documentStore(), binding.sheetId, digest);
  }
  return summarisePull(log, sheet, pulled.viewName, plan.counts, {
    requests: pulled.requests(),
    cellsWritten: cellsIn(plan.blocks),
    snapshotCells,
  });
}

/** Logged when the view's columns are not known and synced columns no row carries are left as they are. */
export function logKept(log: LogPort, viewName: string, kept: number): void {
  if (kept > 0)
    log.log(
      `Pull of “${viewName}”: the view's columns are not known (Affinity did not answer them); ` +
        `${kept} synced column(s) no row carries are left as they are.`,
    );
}

/** A pull's summary from its plan's counts, logged. */
export function summarisePull(
  log: LogPort,
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  viewName: string,
  counts: PullPlan['counts'],
  written: { requests: number; cellsWritten: number; snapshotCells: number },
): PullSummary {
  const summary: PullSummary = {
    tabName: sheet.getName(),
    rows: counts.rows,
    added: counts.added,
    updatedCells: counts.updatedCells,
    removed: counts.removed,
    keptOutOfView: counts.keptOutOfView,
    pendingEdits: counts.pendingEdits,
    conflicts: counts.conflicts,
    requests: written.requests,
    cellsWritten: written.cellsWritten,
  };
  if (counts.leftViewEdits) summary.leftViewEdits = counts.leftViewEdits;
  log.log(
    `Pulled “${viewName}” into “${summary.tabName}”: ${summary.rows} rows, ${summary.added} added, ${summary.updatedCells} cells updated, ` +
      `${summary.removed} removed, ${summary.keptOutOfView} kept out of view, ${summary.pendingEdits} pending edits, ${summary.conflicts} conflicts` +
      `${summary.leftViewEdits ? `, ${summary.leftViewEdits} edits kept in columns whose field left the view` : ''}; ` +
      `${summary.requests} requests, ${summary.cellsWritten} tab cells and ${written.snapshotCells} snapshot cells written`,
  );
  return summary;
}

/** "25 rows, 2 added, 3 cells updated." (how a pull is worded for people). */
export function pullMessage(s: PullSummary): string {
  if (s.status === 'continuing' && s.message) return s.message;
  const parts = [`${s.rows} rows`];
  if (s.added) parts.push(`${s.added} added`);
  if (s.updatedCells) parts.push(`${s.updatedCells} cells updated`);
  if (s.removed) parts.push(`${s.removed} removed`);
  if (s.pendingEdits) parts.push(`${s.pendingEdits} edits not pushed yet`);
  if (s.conflicts) parts.push(`${s.conflicts} conflicts flagged`);
  if (s.leftViewEdits)
    parts.push(`${s.leftViewEdits} edits not sent: their field left the view (kept in their cells, see the notes)`);
  return `${parts.join(', ')}.`;
}
