/**
 * A view's columns: which field columns a pull syncs, and in what order. Rows do not prove a view's columns: a view
 * with no entries serves no fields, and rows may leave out fields without a value or order them differently
 * (docs/emulator.md, Assumptions). So the column set comes from `GET …/saved-views/{viewId}/columns` when Affinity
 * answers it in the expected shape; when it does not (404, 501, another shape), the rows may add columns but never
 * take one away: a column the tab already syncs that no row carries is left as it is (bound, its cells and base
 * untouched) rather than unbound, since an empty page set proves nothing. Pure.
 */
import type { FieldMetadata } from '../affinity/types';
import { isEditable } from './codecs';
import { KEY_COLUMN, NAME_COLUMN, type ColumnSpec } from './layout';
import type { RemoteRow, RemoteView } from './remote';

/** A view as pulled, fitted to its columns. */
export interface FittedView extends RemoteView {
  /** Columns the tab syncs whose place in the view is unknown (no columns endpoint, no row carries them): left alone. */
  keep: ColumnSpec[];
  /** Where the column set came from. */
  columnsFrom: 'view' | 'rows';
}

const FIELD_TYPES = new Set(['enriched', 'global', 'list', 'relationship-intelligence']);

/**
 * The columns endpoint's answer as field metadata, or null when its shape is not the one assumed
 * (`{data: FieldMetadata[]}`; docs/emulator.md): the caller then falls back to the rows.
 */
export function columnsFromAnswer(answer: unknown): FieldMetadata[] | null {
  if (!answer || typeof answer !== 'object') return null;
  const data = (answer as { data?: unknown }).data;
  if (!Array.isArray(data)) return null;
  const out: FieldMetadata[] = [];
  for (const item of data) {
    if (!item || typeof item !== 'object') return null;
    const f = item as Partial<FieldMetadata>;
    if (typeof f.id !== 'string' || f.id === '' || typeof f.name !== 'string') return null;
    if (typeof f.type !== 'string' || !FIELD_TYPES.has(f.type) || typeof f.valueType !== 'string') return null;
    out.push(f as FieldMetadata);
  }
  return out;
}

function specOf(m: FieldMetadata, fromRows: ColumnSpec | undefined): ColumnSpec {
  return {
    id: m.id,
    name: m.name,
    valueType: m.valueType,
    kind: m.type,
    editable: isEditable(m) && (fromRows?.editable ?? true),
  };
}

/**
 * Fits the view built from rows (engine/remote.ts, engine/staged.ts) to the view's columns.
 * - `columns` known: exactly those columns, in their order, after the name column; a row's field not among them is
 *   dropped, a column no row carries is empty for every row.
 * - `columns` null: the rows' columns, plus (in `keep`) each column the tab syncs that no row carries.
 */
function allIn(keys: Iterable<string>, ids: ReadonlySet<string>): boolean {
  for (const id of keys) if (!ids.has(id)) return false;
  return true;
}

export function fitViewToColumns(
  view: RemoteView,
  columns: readonly FieldMetadata[] | null,
  bound: { ids: Iterable<string>; specs: ReadonlyMap<string, ColumnSpec> | null },
): FittedView {
  const [nameSpec, ...fromRows] = view.columns;
  if (columns) {
    const rowSpec = new Map(fromRows.map((c) => [c.id, c]));
    const specs = columns.filter((m) => m.id !== NAME_COLUMN).map((m) => specOf(m, rowSpec.get(m.id)));
    const ids = new Set(specs.map((c) => c.id));
    ids.add(NAME_COLUMN);
    const rows: RemoteRow[] = view.rows.map((r) => {
      // A row that carries only the view's columns (the usual case) is kept as it is, without a copy.
      const texts = allIn(r.texts.keys(), ids) ? r.texts : new Map([...r.texts].filter(([id]) => ids.has(id)));
      const locked = r.locked && (allIn(r.locked, ids) ? r.locked : new Set([...r.locked].filter((id) => ids.has(id))));
      return locked && locked.size > 0 ? { entryId: r.entryId, texts, locked } : { entryId: r.entryId, texts };
    });
    return { columns: [nameSpec, ...specs], rows, keep: [], columnsFrom: 'view' };
  }
  const carried = new Set(view.columns.map((c) => c.id));
  const keep: ColumnSpec[] = [];
  for (const id of bound.ids) {
    if (id === KEY_COLUMN || carried.has(id)) continue;
    const spec = bound.specs?.get(id);
    keep.push(spec ?? { id, name: id, valueType: 'text', kind: 'list', editable: false });
  }
  return { columns: view.columns, rows: view.rows, keep, columnsFrom: 'rows' };
}
