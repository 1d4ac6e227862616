/**
 * A view's columns (engine/viewColumns.ts), system fields (engine/systemFields.ts) and columns whose field left the
 * view (engine/leftFields.ts, engine/pull.ts).
 */
import type { FieldMetadata } from '../../src/server/affinity/types';
import { isEditable } from '../../src/server/engine/codecs';
import { KEY_COLUMN, NAME_COLUMN, keyColumnSpec, type ColumnSpec } from '../../src/server/engine/layout';
import { planPull } from '../../src/server/engine/pull';
import type { RemoteView } from '../../src/server/engine/remote';
import { isSystemField } from '../../src/server/engine/systemFields';
import type { TabCodec, TabState } from '../../src/server/engine/tabState';
import { columnsFromAnswer, fitViewToColumns } from '../../src/server/engine/viewColumns';

const meta = (id: string, name = id, valueType: FieldMetadata['valueType'] = 'text'): FieldMetadata => ({
  id,
  name,
  type: 'list',
  valueType,
  enrichmentSource: null,
  createdAt: null,
  description: null,
  isRequired: false,
});
const spec = (id: string, editable = true): ColumnSpec => ({ id, name: id, valueType: 'text', kind: 'list', editable });
const nameSpec: ColumnSpec = {
  id: NAME_COLUMN,
  name: 'Organization',
  valueType: 'text',
  kind: 'system',
  editable: false,
};
const codec: TabCodec = { read: (c) => String(c), write: (t) => t };

function view(columns: ColumnSpec[], rows: [number, Record<string, string>][]): RemoteView {
  return {
    columns: [nameSpec, ...columns],
    rows: rows.map(([entryId, t]) => ({ entryId, texts: new Map(Object.entries(t)) })),
  };
}

describe('system fields', () => {
  it.each([
    'created-at',
    'time-in-current-status',
    'lists',
    'notes',
    'reminders',
    'last-email',
    'affinity-data-location',
  ])('%s is never editable, whatever its types say', (id) => {
    expect(isSystemField(id)).toBe(true);
    expect(isEditable({ id, type: 'list', valueType: 'datetime' })).toBe(false);
    expect(isEditable({ id, type: 'global', valueType: 'text' })).toBe(false);
    expect(isEditable({ id, type: 'list', valueType: 'number' })).toBe(false);
  });

  it('a field people create (field-<number>) keeps the rule of its types', () => {
    expect(isSystemField('field-1234')).toBe(false);
    expect(isEditable({ id: 'field-1234', type: 'list', valueType: 'datetime' })).toBe(true);
    expect(isEditable({ id: 'field-1234', type: 'list', valueType: 'interaction' })).toBe(false);
  });

  it('the columns endpoint cannot make a system field editable', () => {
    const fitted = fitViewToColumns(view([], []), [meta('created-at', 'Date Added', 'datetime')], {
      ids: [],
      specs: null,
    });
    expect(fitted.columns.find((c) => c.id === 'created-at')!.editable).toBe(false);
  });
});

describe('columnsFromAnswer', () => {
  it('reads the assumed shape', () => {
    expect(columnsFromAnswer({ data: [meta('field-1')], pagination: { nextUrl: null } })).toEqual([meta('field-1')]);
    expect(columnsFromAnswer({ data: [] })).toEqual([]);
  });
  it.each([null, 'text', {}, { data: {} }, { data: [{ id: 'field-1' }] }, { data: [{ ...meta('f'), type: 'x' }] }])(
    'any other shape is unknown: %j',
    (answer) => expect(columnsFromAnswer(answer)).toBeNull(),
  );
});

describe('fitViewToColumns', () => {
  it('known columns: exactly those, in their order, even with no rows', () => {
    const fitted = fitViewToColumns(view([], []), [meta('field-2'), meta('field-1')], { ids: [], specs: null });
    expect(fitted.columns.map((c) => c.id)).toEqual([NAME_COLUMN, 'field-2', 'field-1']);
    expect(fitted.keep).toEqual([]);
  });

  it('known columns: a field a row carries outside them is dropped', () => {
    const rows = view(
      [spec('field-1'), spec('field-9')],
      [[1, { [NAME_COLUMN]: 'A', 'field-1': 'x', 'field-9': 'y' }]],
    );
    const fitted = fitViewToColumns(rows, [meta('field-1')], { ids: [], specs: null });
    expect([...fitted.rows[0].texts.keys()]).toEqual([NAME_COLUMN, 'field-1']);
  });

  it('unknown columns: the rows add columns, and a bound column no row carries is kept, never dropped', () => {
    const specs = new Map([['field-3', spec('field-3')]]);
    const fitted = fitViewToColumns(view([spec('field-1')], [[1, { 'field-1': 'x' }]]), null, {
      ids: [KEY_COLUMN, NAME_COLUMN, 'field-1', 'field-3'],
      specs,
    });
    expect(fitted.columns.map((c) => c.id)).toEqual([NAME_COLUMN, 'field-1']);
    expect(fitted.keep.map((c) => c.id)).toEqual(['field-3']);
  });
});

describe('planPull with columns out of the view', () => {
  const tab = (columnOf: Record<string, number>, leftColumnOf: Record<string, number> = {}): TabState => ({
    values: [
      [1, 'A', 'edited', 'a2'],
      [2, 'B', 'b1', 'b2'],
    ],
    notes: [
      ['', '', '', ''],
      ['', '', '', ''],
    ],
    width: 4,
    columnOf: new Map(Object.entries(columnOf)),
    leftColumnOf: new Map(Object.entries(leftColumnOf)),
  });
  const snapshot = {
    columns: [NAME_COLUMN, 'field-1', 'field-2'],
    rows: new Map([
      [1, ['A', 'a1', 'a2']],
      [2, ['B', 'b1', 'b2']],
    ]),
  };
  const base = { keyColumn: keyColumnSpec(), codec, viewName: 'V', today: '2026-01-05' };
  const knownSpecs = new Map([
    ['field-1', spec('field-1')],
    ['field-2', spec('field-2')],
  ]);

  it('a field dropped with a pending edit: the edit is counted, noted and its base kept', () => {
    const plan = planPull({
      ...base,
      view: view(
        [spec('field-2')],
        [
          [1, { [NAME_COLUMN]: 'A', 'field-2': 'a2' }],
          [2, { [NAME_COLUMN]: 'B', 'field-2': 'b2' }],
        ],
      ),
      tab: tab({ [KEY_COLUMN]: 0, [NAME_COLUMN]: 1, 'field-1': 2, 'field-2': 3 }),
      snapshot,
      knownSpecs,
    });
    expect(plan.staleColumns).toEqual(['field-1']);
    expect(plan.counts.leftViewEdits).toBe(1);
    expect(plan.heldColumns!.map((c) => c.id)).toEqual(['field-1']);
    expect(plan.snapshot.columns).toEqual([NAME_COLUMN, 'field-2', 'field-1']);
    expect(plan.snapshot.rows.get(1)).toEqual(['A', 'a2', 'a1']);
    const note = plan.noteBlocks.find((b) => b.col === 2 && b.row === 0)!;
    expect(note.values[0][0]).toMatch(/not sent.*field-1.*no longer in the view “V”/);
  });

  it('the field back: its old column is bound again and the edit is pending again', () => {
    const plan = planPull({
      ...base,
      view: view(
        [spec('field-1'), spec('field-2')],
        [
          [1, { [NAME_COLUMN]: 'A', 'field-1': 'a1', 'field-2': 'a2' }],
          [2, { [NAME_COLUMN]: 'B', 'field-1': 'b1', 'field-2': 'b2' }],
        ],
      ),
      tab: tab({ [KEY_COLUMN]: 0, [NAME_COLUMN]: 1, 'field-2': 3 }, { 'field-1': 2 }),
      snapshot: {
        columns: [NAME_COLUMN, 'field-2', 'field-1'],
        rows: new Map([
          [1, ['A', 'a2', 'a1']],
          [2, ['B', 'b2', '']],
        ]),
      },
      knownSpecs,
    });
    expect(plan.newColumns).toEqual([]);
    expect(plan.reboundColumns).toEqual([{ col: 2, id: 'field-1' }]);
    expect(plan.counts.pendingEdits).toBe(1);
    expect(plan.counts.leftViewEdits).toBe(0);
  });

  it('columns kept (place unknown): not stale, cells untouched, base carried', () => {
    const plan = planPull({
      ...base,
      view: view([spec('field-2')], []),
      keep: [spec('field-1')],
      tab: tab({ [KEY_COLUMN]: 0, [NAME_COLUMN]: 1, 'field-1': 2, 'field-2': 3 }),
      snapshot,
      knownSpecs,
    });
    expect(plan.staleColumns).toEqual([]);
    expect(plan.blocks.filter((b) => b.col === 2)).toEqual([]);
    expect(plan.snapshot.columns).toContain('field-1');
  });
});
