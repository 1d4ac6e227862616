/**
 * A small in-memory world for push tests: Affinity entries of a company list with a text, a number, a dropdown and
 * a read-only column; a tab as Sheets stores it (values and notes); the base snapshot; the real codecs.
 */
import type {
  DropdownOption,
  Field,
  FieldMetadata,
  FieldValue,
  FieldValueUpdate,
  ListEntryWithEntity,
} from '../../src/server/affinity/types';
import type { Block } from '../../src/server/engine/blocks';
import { canonicalOfCell, cellOf, type CodecContext, type ParseContext } from '../../src/server/engine/codecs';
import { KEY_COLUMN, NAME_COLUMN, type ColumnSpec, type SheetCell } from '../../src/server/engine/layout';
import { remoteEntryOf, type RemoteState } from '../../src/server/engine/push/read';
import { pushColumns } from '../../src/server/engine/push/scan';
import type { Snapshot, TabCodec, TabState } from '../../src/server/engine/tabState';

export const LIST_ID = 7;

export const FIELDS: FieldMetadata[] = [
  {
    id: 'field-1',
    name: 'Notes',
    type: 'list',
    enrichmentSource: null,
    valueType: 'text',
    createdAt: null,
    description: null,
    isRequired: false,
  },
  {
    id: 'field-2',
    name: 'Amount',
    type: 'list',
    enrichmentSource: null,
    valueType: 'number',
    createdAt: null,
    description: null,
    isRequired: false,
  },
  {
    id: 'field-3',
    name: 'Stage',
    type: 'list',
    enrichmentSource: null,
    valueType: 'dropdown',
    createdAt: null,
    description: null,
    isRequired: false,
  },
  {
    id: 'affinity-data-description',
    name: 'Description',
    type: 'enriched',
    enrichmentSource: 'affinity-data',
    valueType: 'text',
    createdAt: null,
    description: null,
    isRequired: false,
  },
];
export const COLUMN_IDS = [NAME_COLUMN, ...FIELDS.map((f) => f.id)];
export const OPTIONS: DropdownOption[] = [
  { type: 'dropdown', id: 31, text: 'Seed' },
  { type: 'dropdown', id: 32, text: 'Series A' },
  { type: 'dropdown', id: 33, text: 'Series B' },
];

export const ctx: CodecContext = {
  dayInSpreadsheet: (ms) => new Date(ms).toISOString().slice(0, 10),
  dayOfDate: (d) => d.toISOString().slice(0, 10),
};
export const codec: TabCodec = {
  read: (cell, column) => canonicalOfCell(cell, column.valueType, ctx),
  write: (text, column) => cellOf(text, column.valueType),
};
export const parseCtx: ParseContext = {
  dropdownOptions: (id) => (id === 'field-3' ? OPTIONS : []),
  knownPersons: [],
  knownCompanies: [],
};
export const columns: Map<string, ColumnSpec> = pushColumns(COLUMN_IDS, FIELDS, 'company');

/** An entry's values: text, number, dropdown option id, read-only text. */
export interface Row {
  name: string;
  t: string | null;
  n: number | null;
  d: number | null;
  ro: string | null;
}

export function fieldValues(row: Row): FieldValue[] {
  const opt = OPTIONS.find((o) => o.id === row.d);
  return [
    { type: 'text', data: row.t },
    { type: 'number', data: row.n },
    { type: 'dropdown', data: opt ? { dropdownOptionId: opt.id, text: opt.text } : null },
    { type: 'text', data: row.ro },
  ];
}

export function entryOf(id: number, row: Row): ListEntryWithEntity {
  const values = fieldValues(row);
  const fields: Field[] = FIELDS.map((f, i) => ({
    id: f.id,
    name: f.name,
    type: f.type,
    enrichmentSource: f.enrichmentSource,
    value: values[i],
  }));
  return {
    id,
    listId: LIST_ID,
    type: 'company',
    createdAt: '2024-01-01T00:00:00Z',
    creatorId: 1,
    entity: { id: id + 1000, name: row.name, domain: null, domains: [], isGlobal: false, fields },
  };
}

/** Canonical texts of a row in column order (@name, field-1..3, description). */
export function textsOf(id: number, row: Row): string[] {
  const r = remoteEntryOf(entryOf(id, row), ctx);
  return COLUMN_IDS.map((c) => r.texts.get(c) ?? '');
}

export function remoteStateOf(rows: Map<number, Row>, ids?: Iterable<number>): RemoteState {
  const state: RemoteState = { entries: new Map(), unreadable: new Map() };
  for (const id of ids ?? rows.keys()) {
    const row = rows.get(id);
    if (row) state.entries.set(id, remoteEntryOf(entryOf(id, row), ctx));
    else state.unreadable.set(id, 'Affinity could not find this list entry (404): it may have been deleted.');
  }
  return state;
}

/** Applies a write the way Affinity (and the emulator) would. Returns an error message or null. */
export function applyUpdate(row: Row, fieldId: string, value: FieldValueUpdate): string | null {
  switch (fieldId) {
    case 'field-1':
      row.t = value.data as string | null;
      return null;
    case 'field-2':
      row.n = value.data as number | null;
      return null;
    case 'field-3': {
      const id = (value.data as { dropdownOptionId: number } | null)?.dropdownOptionId ?? null;
      if (id !== null && !OPTIONS.some((o) => o.id === id)) return 'unknown option';
      row.d = id;
      return null;
    }
    default:
      return 'read-only field';
  }
}

/** A tab as Sheets stores it: [key, name, f1, f2, f3, description, user column]. */
export interface Sheet {
  values: SheetCell[][];
  notes: string[][];
}
export const TAB_COLUMNS: Record<string, number> = {
  [KEY_COLUMN]: 0,
  [NAME_COLUMN]: 1,
  'field-1': 2,
  'field-2': 3,
  'field-3': 4,
  'affinity-data-description': 5,
};
export const WIDTH = 7;

/** What Sheets keeps of a written value: the leading apostrophe marks text and is not stored. */
export function stored(v: SheetCell): SheetCell {
  return typeof v === 'string' && v.startsWith("'") ? v.slice(1) : v;
}

export function sheetOf(base: Map<number, Row>): Sheet {
  const values: SheetCell[][] = [];
  for (const [id, row] of base) {
    const texts = textsOf(id, row);
    const line: SheetCell[] = [id];
    COLUMN_IDS.forEach((c, i) => line.push(stored(cellOf(texts[i], columns.get(c)!.valueType))));
    line.push(`mine-${id}`);
    values.push(line);
  }
  return { values, notes: values.map(() => new Array(WIDTH).fill('')) };
}

export function snapshotOf(base: Map<number, Row>): Snapshot {
  return { columns: COLUMN_IDS.slice(), rows: new Map([...base].map(([id, row]) => [id, textsOf(id, row)])) };
}

export function tabState(sheet: Sheet): TabState {
  return { values: sheet.values, notes: sheet.notes, width: WIDTH, columnOf: new Map(Object.entries(TAB_COLUMNS)) };
}

export function applyBlocks<T>(grid: T[][], blocks: Block<T>[], map: (v: T) => T = (v) => v): void {
  for (const b of blocks) {
    b.values.forEach((line, i) =>
      line.forEach((v, j) => {
        while (grid.length <= b.row + i) grid.push([]);
        grid[b.row + i][b.col + j] = map(v);
      }),
    );
  }
}

/** The cell of an entry's column in the sheet. */
export function cellAt(sheet: Sheet, entryId: number, columnId: string): { row: number; col: number } | null {
  const row = sheet.values.findIndex((line) => line[0] === entryId);
  return row < 0 ? null : { row, col: TAB_COLUMNS[columnId] };
}
