/**
 * Push, step 1: the synced columns of a bound tab and the cells the user edited. An edit is a cell whose canonical
 * text differs from the base snapshot. Rows are matched by the entry id in the key column and columns by their
 * developer metadata, so sorting, filtering, moving or hiding columns and adding columns of one's own are not edits.
 * Rows without a (known, unique) entry id but with data are reported as not synced. Pure (docs/push.md).
 */
import { AffinityError } from '../../affinity/errors';
import type { FieldMetadata, ListType } from '../../affinity/types';
import { isEditable } from '../codecs';
import {
  KEY_COLUMN,
  NAME_COLUMN,
  NOTE_MARK,
  entryIdOf,
  isOwnNote,
  nameColumnSpec,
  type ColumnSpec,
  type SheetCell,
} from '../layout';
import { COPIED_EDIT_WORDS, quoted } from '../notes';
import { eachLineWithBase } from '../packedRows';
import type { Snapshot, TabCodec, TabState } from '../tabState';

/**
 * Column specs of a bound tab's synced columns from the list's field metadata: the name column and every field
 * column whose type is known. A field Affinity no longer has is left out (its cells can't be read as edits).
 */
export function pushColumns(
  columnIds: readonly string[],
  fields: readonly FieldMetadata[],
  listType: ListType,
): Map<string, ColumnSpec> {
  const meta = new Map(fields.map((f) => [f.id, f]));
  const out = new Map<string, ColumnSpec>();
  for (const id of columnIds) {
    if (id === NAME_COLUMN) {
      out.set(id, nameColumnSpec(listType));
      continue;
    }
    const m = meta.get(id);
    if (!m) continue;
    out.set(id, { id, name: m.name, valueType: m.valueType, kind: m.type, editable: isEditable(m) });
  }
  return out;
}

export interface CellEdit {
  entryId: number;
  /** 0-based data row and column of the tab. */
  row: number;
  col: number;
  columnId: string;
  base: string;
  local: string;
  /** The formula the cell holds, when it holds one (push/formulas.ts). */
  formula?: string;
}

export interface UnsyncedRow {
  /** 0-based data row. */
  row: number;
  reason: string;
}

export interface EditScan {
  /** Edits of editable columns, grouped by entry in row order. */
  entries: Map<number, { row: number; edits: CellEdit[] }>;
  /** Edits of read-only columns (the name, formula, interaction, enriched... columns). */
  readOnly: CellEdit[];
  unsynced: UnsyncedRow[];
  /** Cells with a note of ours that are no longer edited (the note is stale). */
  staleNotes: { row: number; col: number }[];
  /** Entity name of each matched entry, as last synced. */
  names: Map<number, string>;
  /** Rows matched to an entry. */
  matchedRows: number;
  keyCol: number;
}

export interface ScanInput {
  tab: TabState;
  snapshot: Snapshot;
  /** Specs of the synced columns with known types (pushColumns). */
  columns: Map<string, ColumnSpec>;
  codec: TabCodec;
  viewName: string;
}

const NOT_SYNCED = 'this row is not synced: ';

function isBlank(cell: SheetCell | undefined): boolean {
  return cell === '' || cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

export function findEdits(input: ScanInput): EditScan {
  const { tab, snapshot, columns, codec } = input;
  const keyCol = tab.columnOf.get(KEY_COLUMN);
  if (keyCol === undefined) {
    throw new AffinityError(
      'config',
      'The Entry ID column of this tab is gone, so rows cannot be matched to Affinity entries. Undo its deletion, or pull the tab to restore it.',
    );
  }
  const snapIndex = new Map(snapshot.columns.map((id, i) => [id, i]));
  const tracked: { id: string; col: number; spec: ColumnSpec; si: number }[] = [];
  for (const [id, spec] of columns) {
    const col = tab.columnOf.get(id);
    const si = snapIndex.get(id);
    if (col === undefined || si === undefined) continue;
    tracked.push({ id, col, spec, si });
  }
  const nameIndex = snapIndex.get(NAME_COLUMN);
  const nameCol = tab.columnOf.get(NAME_COLUMN);

  const scan: EditScan = {
    entries: new Map(),
    readOnly: [],
    unsynced: [],
    staleNotes: [],
    names: new Map(),
    matchedRows: 0,
    keyCol,
  };
  const firstRowOf = new Map<number, number>();
  const noteAt = (r: number, c: number): string => tab.notes[r]?.[c] ?? '';

  eachLineWithBase(
    tab.values,
    snapshot.rows,
    (line) => entryIdOf(line[keyCol]),
    (line, r) => {
      const keyCell = line[keyCol];
      const id = entryIdOf(keyCell);
      const hasData = !isBlank(keyCell) || tracked.some((t) => !isBlank(line[t.col]));
      let reason: string | null = null;
      if (id === null) {
        if (hasData) {
          const named = nameCol !== undefined && !isBlank(line[nameCol]);
          reason = isBlank(keyCell)
            ? named
              ? 'it is a new row (no Affinity entry id yet). Push adds it to the list once it finds its record in Affinity.'
              : 'it has no Affinity entry id and no name. To add it to the list, type the name, domain, email or Affinity id of the record in the name column, then push.'
            : `its Entry ID cell holds ${quoted(String(keyCell))}, which is not an Affinity entry id. Put the original id back, or delete the row.`;
        }
      } else if (!snapshot.rows.has(id)) {
        reason = `entry ${id} is not one of the rows last pulled from “${input.viewName}”. Entry ids are filled in by the sync: put the original id back, or delete the row.`;
      } else if (firstRowOf.has(id)) {
        reason = `it repeats entry ${id} of row ${firstRowOf.get(id)! + 2}; only that row is synced. Delete this copy.`;
      }
      if (reason !== null) {
        scan.unsynced.push({ row: r, reason: `${NOTE_MARK}${NOT_SYNCED}${reason}` });
        return;
      }
      const keyNote = noteAt(r, keyCol);
      if (isOwnNote(keyNote) && keyNote.includes(NOT_SYNCED)) scan.staleNotes.push({ row: r, col: keyCol });
      if (id === null) return;
      firstRowOf.set(id, r);
      scan.matchedRows++;
      const base = snapshot.rows.get(id)!;
      if (nameIndex !== undefined) scan.names.set(id, base[nameIndex] ?? '');
      for (const t of tracked) {
        const local = codec.read(line[t.col] ?? '', t.spec);
        const b = base[t.si] ?? '';
        if (local === b) {
          const note = noteAt(r, t.col);
          if (isOwnNote(note) && !note.includes(COPIED_EDIT_WORDS)) scan.staleNotes.push({ row: r, col: t.col });
          continue;
        }
        const edit: CellEdit = { entryId: id, row: r, col: t.col, columnId: t.id, base: b, local };
        if (!t.spec.editable) {
          scan.readOnly.push(edit);
          continue;
        }
        let entry = scan.entries.get(id);
        if (!entry) scan.entries.set(id, (entry = { row: r, edits: [] }));
        entry.edits.push(edit);
      }
    },
  );
  return scan;
}
