/**
 * Edits not pushed yet in a column whose field left the view. Such a column is no longer synced (its developer
 * metadata value gets LEFT_VIEW_PREFIX), but an edit in it is not dropped silently: its cell gets a note, the
 * pull's summary counts it, the push preview lists it under "not sent: field left the view", and the column's base
 * values are kept, so that if the field returns to the view the column is bound again and the edit is pending again.
 * Pure.
 */
import { NOT_SENT_PREFIX } from './notes';
import { NAME_COLUMN, entryIdOf, KEY_COLUMN, type ColumnSpec, type SheetCell } from './layout';
import { eachLineWithBase } from './packedRows';
import type { TabCodec, TabState } from './tabState';

/** The words that tell a note about a field that left the view (pull keeps such a note only while it holds). */
export const LEFT_VIEW_WORDS = 'is no longer in the view';

export interface LeftEdit {
  entryId: number;
  /** 0-based data row and column of the tab. */
  row: number;
  col: number;
  columnId: string;
  fieldName: string;
  entityName: string;
  base: string;
  local: string;
}

export function leftViewNote(fieldName: string, viewName: string, since: string): string {
  return (
    `${NOT_SENT_PREFIX}the field “${fieldName}” ${LEFT_VIEW_WORDS} “${viewName}” (since ${since}), so this edit ` +
    `was not sent. It is kept here: if the field returns to the view, the next pull picks it up and a push sends it.`
  );
}

export function isLeftViewNote(note: string | undefined): boolean {
  return !!note && note.startsWith(NOT_SENT_PREFIX) && note.includes(LEFT_VIEW_WORDS);
}

/**
 * Cells of the given columns (not synced any more) whose text differs from their base: edits that were pending when
 * the field left the view. `columns`: field id → its column and spec (for reading the cell).
 */
export function leftFieldEdits(input: {
  tab: TabState;
  columns: ReadonlyMap<string, { col: number; spec: ColumnSpec }>;
  baseOf: (entryId: number, columnId: string) => string | undefined;
  codec: TabCodec;
  /** Bound key and name columns (to find the entry and name it). */
  keyCol: number | undefined;
  nameCol?: number;
  /** The base rows `baseOf` reads, when they are to be read ahead a window of tab rows at a time (packed rows). */
  baseRows?: Map<number, string[]>;
}): LeftEdit[] {
  const { tab, columns, baseOf, codec, keyCol, nameCol } = input;
  const out: LeftEdit[] = [];
  if (keyCol === undefined || columns.size === 0) return out;
  const idOf = (line: SheetCell[]) => entryIdOf(line[keyCol]);
  eachLineWithBase(tab.values, input.baseRows ?? new Map<number, string[]>(), idOf, (line, row) => {
    const entryId = idOf(line);
    if (entryId === null) return;
    for (const [columnId, { col, spec }] of columns) {
      if (columnId === KEY_COLUMN || columnId === NAME_COLUMN) continue;
      const base = baseOf(entryId, columnId);
      if (base === undefined) continue;
      const local = codec.read(line[col] ?? '', spec);
      if (local === base) continue;
      const name = nameCol === undefined ? '' : String(line[nameCol] ?? '');
      out.push({ entryId, row, col, columnId, fieldName: spec.name, entityName: name, base, local });
    }
  });
  return out;
}

/** The reason the push preview gives, under "not sent", for an edit whose field left the view. */
export const LEFT_VIEW_REASON =
  'not sent: field left the view. The edit is kept in its cell and sent if the field returns.';

/** Edits in the tab's columns whose field left the view, as the push preview lists them under "not sent". */
export function leftEditsForPreview(
  tab: TabState,
  snapshot: { columns: string[]; rows: Map<number, string[]> },
  specs: ReadonlyMap<string, ColumnSpec> | null,
  codec: TabCodec,
): { entryId: number; entity: string; field: string; value: string; reason: string }[] {
  const columns = new Map<string, { col: number; spec: ColumnSpec }>();
  for (const [id, col] of tab.leftColumnOf ?? []) {
    const spec = specs?.get(id);
    if (spec?.editable) columns.set(id, { col, spec });
  }
  const at = new Map(snapshot.columns.map((id, i) => [id, i]));
  return leftFieldEdits({
    tab,
    columns,
    baseOf: (entryId, id) => {
      const i = at.get(id);
      const row = snapshot.rows.get(entryId);
      return i === undefined || !row ? undefined : (row[i] ?? '');
    },
    codec,
    keyCol: tab.columnOf.get(KEY_COLUMN),
    nameCol: tab.columnOf.get(NAME_COLUMN),
    baseRows: snapshot.rows,
  }).map((e) => ({
    entryId: e.entryId,
    entity: e.entityName,
    field: e.fieldName,
    value: e.local,
    reason: LEFT_VIEW_REASON,
  }));
}
