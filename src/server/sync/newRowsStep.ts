/**
 * The new-rows step of a push, between reading the tab and finding its edits: adds the new rows to the list
 * (sync/createEntries.ts), writes their Entry IDs and names into the tab at once (before any PATCH: exactly once),
 * and afterwards gives the push what it needs: the notes of rows left as they are, the created entries' state for
 * the conflict check (no read needed: every field of a new entry is empty), the preview's additions and the change
 * log's lines.
 */
import type { ColumnSpec } from '../engine/layout';
import { NAME_COLUMN, isOwnNote } from '../engine/layout';
import { blocksFromChanges, type Changes } from '../engine/blocks';
import type { CodecContext } from '../engine/codecs';
import { remoteEntryOf, type RemoteState } from '../engine/push/read';
import type { EditScan } from '../engine/push/scan';
import type { TabCodec } from '../engine/tabState';
import type { SheetCell } from '../engine/layout';
import { writeBlocks } from '../gas/pushSheet';
import type { PreviewAddition } from '../../shared/push';
import { addNewRows, noNewRows, type NewRowsInput, type NewRowsResult } from './createEntries';

export interface NewRowsStep {
  result: NewRowsResult;
  /** The base snapshot with the rows of the entries bound to new rows (what the push settles against). */
  base: NewRowsInput['snapshot'];
  /** Puts the notes of new rows not added on those rows (in place of the edit scan's "not synced" reason). */
  noteRows(scan: EditScan): void;
  additions(columns: Map<string, ColumnSpec>, codec: TabCodec): PreviewAddition[];
  logLines(): { entryId: number; entityName: string; field: string; old: string; new: string; result: string }[];
}

export function applyNewRows(
  input: Omit<NewRowsInput, 'tab'> & { tab: NewRowsInput['tab']; sheet: GoogleAppsScript.Spreadsheet.Sheet },
): NewRowsStep {
  const { tab, binding } = input;
  const result = addNewRows(input);
  if (!input.dryRun && result.cells.length > 0) {
    const changes: Changes<SheetCell> = new Map();
    for (const c of result.cells) {
      let m = changes.get(c.col);
      if (!m) changes.set(c.col, (m = new Map()));
      m.set(c.row, c.value);
    }
    writeBlocks(
      input.sheet,
      blocksFromChanges(changes, (r, c) => tab.values[r]?.[c] ?? ''),
      [],
    );
  }
  return {
    result,
    base: input.snapshot,
    noteRows(scan) {
      // The note a new row got while it could not be added goes once it is.
      for (const a of result.added) {
        if (a.entryId !== 0 && isOwnNote(tab.notes[a.row]?.[scan.keyCol]))
          scan.staleNotes.push({ row: a.row, col: scan.keyCol });
      }
      // In a preview the rows to be added are not bound yet: they are listed as additions, not as rows not synced.
      if (input.dryRun) {
        const pending = new Set(result.added.map((a) => a.row));
        scan.unsynced = scan.unsynced.filter((u) => !pending.has(u.row));
      }
      scan.unsynced = scan.unsynced.map((u) =>
        result.notes.has(u.row) ? { row: u.row, reason: result.notes.get(u.row)! } : u,
      );
    },
    additions(columns, codec) {
      return result.added.map((a) => {
        const values: { field: string; value: string }[] = [];
        for (const [id, spec] of columns) {
          if (id === NAME_COLUMN || !spec.editable) continue;
          const col = tab.columnOf.get(id);
          if (col === undefined) continue;
          const text = codec.read(tab.values[a.row]?.[col] ?? '', spec);
          if (text !== '') values.push({ field: spec.name, value: text });
        }
        return { row: a.row + 2, entity: a.entity, list: binding.listName, entryId: a.entryId, values };
      });
    },
    logLines() {
      return result.added.map((a) => ({
        entryId: a.entryId,
        entityName: a.entity,
        field: '(entry)',
        old: '',
        new: a.entity,
        result: a.created ? `added to ${binding.listName}` : `row matched to the entry already on ${binding.listName}`,
      }));
    },
  };
}

/**
 * Affinity's state of the entries this push created, for the conflict check: what the create answered, and empty
 * for list fields it did not include (a new entry's list fields are empty). An entry whose edited columns include
 * a field of another kind (global, enriched: the entity's own values) is left to be read.
 */
export function knownRemote(
  result: NewRowsResult,
  scan: EditScan,
  columns: Map<string, ColumnSpec>,
  ctx: CodecContext,
): RemoteState['entries'] {
  const out: RemoteState['entries'] = new Map();
  for (const created of result.created) {
    const entry = remoteEntryOf(created, ctx);
    const edited = scan.entries.get(created.id)?.edits ?? [];
    let complete = true;
    for (const e of edited) {
      if (entry.texts.has(e.columnId)) continue;
      if (columns.get(e.columnId)?.kind === 'list') {
        entry.texts.set(e.columnId, '');
        entry.values.set(e.columnId, null);
      } else complete = false;
    }
    if (complete) out.set(created.id, entry);
  }
  return out;
}

/**
 * New rows left alone: an unattended push (a schedule, Run sync now) never creates entries under its owner's key for
 * rows someone typed; they wait, noted, for a push a person starts (docs/sharing.md).
 */
export function newRowsHeld(input: Pick<NewRowsInput, 'snapshot'>): NewRowsStep {
  const result = noNewRows();
  return {
    result,
    base: input.snapshot,
    noteRows(scan) {
      scan.unsynced = scan.unsynced.map((u) =>
        u.reason.startsWith('it is a new row')
          ? { row: u.row, reason: `${u.reason} A scheduled run never adds rows: use Affinity › Push this tab.` }
          : u,
      );
    },
    additions: () => [],
    logLines: () => [],
  };
}
