/**
 * How a bound tab is laid out: a frozen header row, a protected key column holding the list-entry id, the entity's
 * name, then one column per field of the view. Columns are found by developer metadata (key METADATA_KEY, value
 * the column id), never by position or header text, so users may move, rename and hide them.
 */
import type { Field, ValueType } from '../affinity/types';

/** What Range.getValues returns for one cell ('' = empty), and what Range.setValues accepts. */
export type SheetCell = string | number | boolean | Date;

export const METADATA_KEY = 'affinitySync.column';
/**
 * Prefix of the metadata value (same key) of a column whose field left the view: no longer synced, bound again if the
 * field returns. Same key, so that reading a tab's columns stays one finder call.
 */
export const LEFT_VIEW_PREFIX = 'left:';
/** Column id of the key column (list-entry id). */
export const KEY_COLUMN = '@entry';
/** Column id of the entity's name (company, person or opportunity name). */
export const NAME_COLUMN = '@name';

export interface ColumnSpec {
  /** Field id (`field-123`, `affinity-data-location`...) or KEY_COLUMN / NAME_COLUMN. */
  id: string;
  /** Header text written when the column is created. */
  name: string;
  /** Value type driving rendering; the key and name columns use 'number' and 'text'. */
  valueType: ValueType;
  kind: Field['type'] | 'system';
  /** Whether a user's edit in this column can be pushed. */
  editable: boolean;
}

export function keyColumnSpec(): ColumnSpec {
  return { id: KEY_COLUMN, name: 'Entry ID', valueType: 'number', kind: 'system', editable: false };
}

export function nameColumnSpec(listType: 'company' | 'person' | 'opportunity'): ColumnSpec {
  const name = listType === 'company' ? 'Organization' : listType === 'person' ? 'Person' : 'Opportunity';
  return { id: NAME_COLUMN, name, valueType: 'text', kind: 'system', editable: false };
}

/** A list-entry id from a key cell, or null when the cell holds none (a row the user added). */
export function entryIdOf(cell: SheetCell | undefined): number | null {
  if (typeof cell === 'number') return Number.isInteger(cell) && cell > 0 ? cell : null;
  if (typeof cell === 'string' && /^\s*\d+\s*$/.test(cell)) return Number(cell);
  return null;
}

/** Notes the product writes start with this marker, so it clears only its own notes. */
export const NOTE_MARK = 'Affinity sync: ';
export function isOwnNote(note: string | undefined): boolean {
  return !!note && note.startsWith(NOTE_MARK);
}
