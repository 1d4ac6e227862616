import { blocksFromChanges, cellsIn } from '../../src/server/engine/blocks';
import { KEY_COLUMN, keyColumnSpec, type ColumnSpec, type SheetCell } from '../../src/server/engine/layout';
import { planPull, type PullInput } from '../../src/server/engine/pull';
import type { RemoteView } from '../../src/server/engine/remote';
import type { Snapshot, TabCodec, TabState } from '../../src/server/engine/tabState';

const text = (id: string, editable = true): ColumnSpec => ({ id, name: id, valueType: 'text', kind: 'list', editable });
const codec: TabCodec = {
  read: (cell) => (cell instanceof Date ? cell.toISOString() : String(cell)),
  write: (t) => (t === '' ? '' : `'${t}`),
};

function view(columns: ColumnSpec[], rows: [number, Record<string, string>][]): RemoteView {
  return { columns, rows: rows.map(([entryId, texts]) => ({ entryId, texts: new Map(Object.entries(texts)) })) };
}

/** Applies a plan to an in-memory grid the way the Sheets adapter would (values only, as Sheets stores them). */
function apply(tab: TabState, plan: ReturnType<typeof planPull>): SheetCell[][] {
  const width = Math.max(tab.width, ...[...plan.columnOf.values()].map((c) => c + 1));
  const grid = tab.values.map((r) => [...r, ...new Array(width - r.length).fill('')]);
  for (let i = 0; i < plan.appendRows; i++) grid.push(new Array(width).fill(''));
  for (const b of plan.blocks)
    b.values.forEach((line, i) =>
      line.forEach((v, j) => {
        grid[b.row + i][b.col + j] = typeof v === 'string' && v.startsWith("'") ? v.slice(1) : v;
      }),
    );
  for (const r of plan.deleteRows) grid.splice(r, 1);
  return grid;
}

function tabOf(values: SheetCell[][], columnOf: Record<string, number>): TabState {
  const width = Math.max(0, ...values.map((r) => r.length), ...Object.values(columnOf).map((c) => c + 1));
  return {
    values,
    notes: values.map((r) => r.map(() => '')),
    width,
    columnOf: new Map(Object.entries(columnOf)),
  };
}

function input(v: RemoteView, tab: TabState, snapshot: Snapshot | null): PullInput {
  return { view: v, keyColumn: keyColumnSpec(), tab, snapshot, codec, viewName: 'Active', today: '2026-11-21' };
}

describe('planPull', () => {
  const cols = [text('@name', false), text('f1'), text('f2')];

  it('fills an empty tab in one block: key, name and fields', () => {
    const v = view(cols, [
      [10, { '@name': 'Acme', f1: 'a', f2: '=1+1' }],
      [11, { '@name': 'Beta', f1: 'b', f2: '' }],
    ]);
    const plan = planPull(input(v, tabOf([], {}), null));
    expect(plan.newColumns.map((c) => [c.col, c.spec.id])).toEqual([
      [0, KEY_COLUMN],
      [1, '@name'],
      [2, 'f1'],
      [3, 'f2'],
    ]);
    expect(plan.blocks).toHaveLength(1);
    expect(plan.blocks[0].values).toEqual([
      [10, "'Acme", "'a", "'=1+1"],
      [11, "'Beta", "'b", ''],
    ]);
    expect(plan.snapshot.rows.get(10)).toEqual(['Acme', 'a', '=1+1']);
  });

  it('writes nothing when nothing changed', () => {
    const v = view(cols, [[10, { '@name': 'Acme', f1: 'a', f2: 'x' }]]);
    const tab = tabOf([[10, 'Acme', 'a', 'x']], { [KEY_COLUMN]: 0, '@name': 1, f1: 2, f2: 3 });
    const snap: Snapshot = { columns: ['@name', 'f1', 'f2'], rows: new Map([[10, ['Acme', 'a', 'x']]]) };
    const plan = planPull(input(v, tab, snap));
    expect(cellsIn(plan.blocks)).toBe(0);
    expect(plan.noteBlocks).toHaveLength(0);
    expect(plan.deleteRows).toEqual([]);
  });

  it('finds columns by metadata wherever the user moved them, and keeps user columns aligned', () => {
    // User moved f2 to the front, added their own column "notes" at index 2, and sorted rows descending.
    const tab = tabOf(
      [
        ['y2', 11, 'mine-11', 'Beta', 'b'],
        ['y1', 10, 'mine-10', 'Acme', 'a'],
      ],
      { f2: 0, [KEY_COLUMN]: 1, '@name': 3, f1: 4 },
    );
    const snap: Snapshot = {
      columns: ['@name', 'f1', 'f2'],
      rows: new Map([
        [10, ['Acme', 'a', 'y1']],
        [11, ['Beta', 'b', 'y2']],
      ]),
    };
    const v = view(cols, [
      [12, { '@name': 'Gamma', f1: 'c', f2: 'y3' }],
      [10, { '@name': 'Acme', f1: 'a!', f2: 'y1' }],
    ]);
    const plan = planPull(input(v, tab, snap));
    const grid = apply(tab, plan);
    // Row of entry 11 left the view but holds the user's own data: kept. Entry 10 updated in place; 12 appended.
    expect(grid).toEqual([
      ['y2', 11, 'mine-11', 'Beta', 'b'],
      ['y1', 10, 'mine-10', 'Acme', 'a!'],
      ['y3', 12, '', 'Gamma', 'c'],
    ]);
    expect(plan.counts).toMatchObject({ added: 1, updatedCells: 1, removed: 0, keptOutOfView: 1 });
    const keyNotes = plan.noteBlocks.find((b) => b.col === 1)!;
    expect(keyNotes.values[0][0]).toMatch(/no longer in the view “Active”/);
  });

  it('removes rows of entries that left the view when they hold nothing of the user', () => {
    const tab = tabOf(
      [
        [10, 'Acme', 'a', ''],
        [11, 'Beta', 'b', ''],
        [12, 'Gamma', 'c', ''],
      ],
      { [KEY_COLUMN]: 0, '@name': 1, f1: 2, f2: 3 },
    );
    const snap: Snapshot = {
      columns: ['@name', 'f1', 'f2'],
      rows: new Map([
        [10, ['Acme', 'a', '']],
        [11, ['Beta', 'b', '']],
        [12, ['Gamma', 'c', '']],
      ]),
    };
    const plan = planPull(input(view(cols, [[11, { '@name': 'Beta', f1: 'b' }]]), tab, snap));
    expect(plan.deleteRows).toEqual([2, 0]);
    expect(apply(tab, plan)).toEqual([[11, 'Beta', 'b', '']]);
    expect([...plan.snapshot.rows.keys()]).toEqual([11]);
  });

  it('three-way merge: keeps unpushed edits, applies untouched remote changes, flags conflicts, restores read-only edits', () => {
    const tab = tabOf([[10, 'Acme EDITED', 'mine', 'local2']], { [KEY_COLUMN]: 0, '@name': 1, f1: 2, f2: 3 });
    const snap: Snapshot = { columns: ['@name', 'f1', 'f2'], rows: new Map([[10, ['Acme', 'base1', 'base2']]]) };
    // f1: local edited, remote unchanged → pending. f2: both changed differently → conflict. name: read-only → restored.
    const plan = planPull(input(view(cols, [[10, { '@name': 'Acme', f1: 'base1', f2: 'remote2' }]]), tab, snap));
    const grid = apply(tab, plan);
    expect(grid[0]).toEqual([10, 'Acme', 'mine', 'local2']);
    expect(plan.counts).toMatchObject({ pendingEdits: 1, conflicts: 1, restoredReadOnly: 1 });
    expect(plan.snapshot.rows.get(10)).toEqual(['Acme', 'base1', 'base2']);
    expect(plan.conflicts).toEqual([
      { entryId: 10, columnId: 'f2', base: 'base2', local: 'local2', remote: 'remote2' },
    ]);
    const note = plan.noteBlocks.find((b) => b.col === 3)!.values[0][0];
    expect(note).toMatch(/conflict\. Affinity now has “remote2”; your edit “local2” was kept/);
  });

  it('an edit that Affinity already has is no longer pending', () => {
    const tab = tabOf([[10, 'Acme', 'same', '']], { [KEY_COLUMN]: 0, '@name': 1, f1: 2, f2: 3 });
    const snap: Snapshot = { columns: ['@name', 'f1', 'f2'], rows: new Map([[10, ['Acme', 'old', '']]]) };
    const plan = planPull(input(view(cols, [[10, { '@name': 'Acme', f1: 'same', f2: '' }]]), tab, snap));
    expect(cellsIn(plan.blocks)).toBe(0);
    expect(plan.snapshot.rows.get(10)).toEqual(['Acme', 'same', '']);
  });

  it('keeps a row that left the view while it holds an unpushed edit', () => {
    const tab = tabOf([[10, 'Acme', 'edited', '']], { [KEY_COLUMN]: 0, '@name': 1, f1: 2, f2: 3 });
    const snap: Snapshot = { columns: ['@name', 'f1', 'f2'], rows: new Map([[10, ['Acme', 'orig', '']]]) };
    const plan = planPull(input(view(cols, []), tab, snap));
    expect(plan.deleteRows).toEqual([]);
    expect(plan.counts.keptOutOfView).toBe(1);
    expect(plan.snapshot.rows.get(10)).toEqual(['Acme', 'orig', '']);
  });

  it('appends a new view field as a new column and reports fields that left', () => {
    const tab = tabOf([[10, 'Acme', 'a', 'old']], { [KEY_COLUMN]: 0, '@name': 1, f1: 2, gone: 3 });
    const snap: Snapshot = { columns: ['@name', 'f1', 'gone'], rows: new Map([[10, ['Acme', 'a', 'old']]]) };
    const plan = planPull(
      input(
        view([text('@name', false), text('f1'), text('f3')], [[10, { '@name': 'Acme', f1: 'a', f3: 'new' }]]),
        tab,
        snap,
      ),
    );
    expect(plan.newColumns.map((c) => [c.col, c.spec.id])).toEqual([[4, 'f3']]);
    expect(plan.staleColumns).toEqual(['gone']);
    expect(apply(tab, plan)[0]).toEqual([10, 'Acme', 'a', 'old', 'new']);
  });

  it('block count depends on how changes spread, not on the number of rows', () => {
    const n = 10_000;
    const values: SheetCell[][] = Array.from({ length: n }, (_, i) => [i + 1, `n${i}`, 'a', 'b']);
    const tab = tabOf(values, { [KEY_COLUMN]: 0, '@name': 1, f1: 2, f2: 3 });
    const snap: Snapshot = {
      columns: ['@name', 'f1', 'f2'],
      rows: new Map(values.map((r) => [r[0] as number, [r[1] as string, 'a', 'b']])),
    };
    const rows: [number, Record<string, string>][] = values.map((r, i) => [
      r[0] as number,
      { '@name': r[1] as string, f1: i % 1000 === 0 ? 'changed' : 'a', f2: 'b' },
    ]);
    const plan = planPull(input(view(cols, rows), tab, snap));
    expect(plan.counts.updatedCells).toBe(10);
    expect(plan.blocks).toHaveLength(10);
    expect(cellsIn(plan.blocks)).toBe(10);
  });
});

describe('blocksFromChanges', () => {
  it('merges close changes into runs and identical adjacent columns into one block', () => {
    const changes = new Map([
      [
        0,
        new Map([
          [0, 'a'],
          [2, 'b'],
        ]),
      ],
      [
        1,
        new Map([
          [0, 'c'],
          [2, 'd'],
        ]),
      ],
      [3, new Map([[100, 'e']])],
    ]);
    const blocks = blocksFromChanges(changes, (r, c) => `fill${r}.${c}`);
    expect(blocks).toEqual([
      {
        row: 0,
        col: 0,
        values: [
          ['a', 'c'],
          ['fill1.0', 'fill1.1'],
          ['b', 'd'],
        ],
      },
      { row: 100, col: 3, values: [['e']] },
    ]);
  });

  it('falls back to one span per column past the block budget', () => {
    const m = new Map<number, string>();
    for (let r = 0; r < 10_000; r += 100) m.set(r, 'x');
    const blocks = blocksFromChanges(new Map([[0, m]]), () => '', { maxBlocks: 10 });
    expect(blocks).toHaveLength(1);
    expect(blocks[0].values).toHaveLength(9901);
  });
});
