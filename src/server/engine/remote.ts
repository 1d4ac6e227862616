/**
 * The view as Affinity serves it, as the tab should show it: canonical texts per row and column. Affinity does not
 * expose a view's columns, so they are the union of the fields the rows carry, in the order they first appear; types
 * come from the list's field metadata (or the value itself when a field is not in the metadata). Pure.
 */
import type { Field, FieldMetadata, ListEntryWithEntity, ValueType } from '../affinity/types';
import { isEditable } from './codecs';
import type { ColumnSpec } from './layout';

export interface RemoteRow {
  entryId: number;
  /** Canonical text per column id (missing = empty). */
  texts: Map<string, string>;
  /** Column ids never pushed for this row and always refreshed: text cut to fit a cell, or a restricted (hidden) field. */
  locked?: Set<string>;
}

export interface RemoteView {
  /** Columns in view order, the name column first; the key column is implied. */
  columns: ColumnSpec[];
  rows: RemoteRow[];
}

/** The entry's entity name as the name column shows it. */
export function entityName(entry: ListEntryWithEntity): string {
  if (entry.type === 'person') {
    const e = entry.entity;
    return [e.firstName, e.lastName].filter(Boolean).join(' ') || e.primaryEmailAddress || '';
  }
  return entry.entity.name ?? '';
}

/** The column of a field first met in a row: its type from the list's metadata, else from the value itself. */
export function columnSpecOf(field: Field, meta: ReadonlyMap<string, FieldMetadata>): ColumnSpec {
  const m = meta.get(field.id);
  const valueType: ValueType = m?.valueType ?? field.value?.type ?? 'text';
  const kind = field.type === 'hidden' ? (m?.type ?? 'list') : field.type;
  return {
    id: field.id,
    name: m?.name ?? field.name,
    valueType,
    kind,
    editable: isEditable({ id: field.id, type: kind, valueType }),
  };
}
