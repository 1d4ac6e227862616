/** The formula policy of a push (engine/push/formulas.ts), on the push test model. */
import {
  applyFormulaPolicy,
  confirmedAfter,
  editBlock,
  editsNeedingDisplay,
  formulaKey,
  type ConfirmedFormulas,
  type FormulaMode,
} from '../../src/server/engine/push/formulas';
import { findEdits } from '../../src/server/engine/push/scan';
import { cellAt, codec, columns, sheetOf, snapshotOf, tabState, type Row, type Sheet } from './pushModel';

const base = (): Map<number, Row> =>
  new Map<number, Row>([
    [101, { name: 'Acme', t: 'hello', n: 100, d: 31, ro: 'x' }],
    [102, { name: 'Beta', t: 'bye', n: 5, d: null, ro: null }],
  ]);

function setup(cells: { entryId: number; columnId: string; value: unknown; formula?: string }[]) {
  const b = base();
  const sheet: Sheet = sheetOf(b);
  const formulas = new Map<string, string>();
  for (const c of cells) {
    const at = cellAt(sheet, c.entryId, c.columnId)!;
    sheet.values[at.row][at.col] = c.value as never;
    if (c.formula) formulas.set(`${at.row}:${at.col}`, c.formula);
  }
  const scan = findEdits({ tab: tabState(sheet), snapshot: snapshotOf(b), columns, codec, viewName: 'V' });
  const run = (mode: FormulaMode, confirmed: ConfirmedFormulas = new Map(), display?: Map<string, string>) =>
    applyFormulaPolicy({
      scan,
      columns,
      codec,
      formulaAt: (r, c) => formulas.get(`${r}:${c}`) ?? '',
      displayAt: display ? (r, c) => display.get(`${r}:${c}`) : undefined,
      confirmed,
      mode,
    });
  return { sheet, scan, run };
}

const edited = (scan: ReturnType<typeof findEdits>) =>
  [...scan.entries.values()].flatMap((e) => e.edits.map((x) => `${x.entryId}:${x.columnId}:${x.formula ?? ''}`));

describe('the formula policy of a push', () => {
  it('a person’s push keeps formula edits, marked with their formula; plain edits are untouched', () => {
    const { run } = setup([
      { entryId: 101, columnId: 'field-2', value: 2, formula: '=1+1' },
      { entryId: 102, columnId: 'field-1', value: 'typed' },
    ]);
    const out = run('confirm');
    expect(edited(out.scan)).toEqual(['101:field-2:=1+1', '102:field-1:']);
    expect(out.held).toEqual([]);
  });

  it('an unattended push holds formula edits back and keeps plain ones', () => {
    const { run } = setup([
      { entryId: 101, columnId: 'field-2', value: 2, formula: '=1+1' },
      { entryId: 102, columnId: 'field-1', value: 'typed' },
    ]);
    const out = run('hold');
    expect(edited(out.scan)).toEqual(['102:field-1:']);
    expect(out.held.map((e) => `${e.entryId}:${e.columnId}:${e.formula}`)).toEqual(['101:field-2:=1+1']);
  });

  it('a confirmed formula unchanged since is no edit, whatever its value now; a changed one is', () => {
    const { run } = setup([
      { entryId: 101, columnId: 'field-2', value: 0.42, formula: '=RAND()' },
      { entryId: 102, columnId: 'field-2', value: 6, formula: '=3*2' },
    ]);
    const confirmed = new Map([
      [formulaKey(101, 'field-2'), '=RAND()'],
      [formulaKey(102, 'field-2'), '=5'],
    ]);
    const out = run('confirm', confirmed);
    expect(edited(out.scan)).toEqual(['102:field-2:=3*2']);
    expect(out.forgotten).toEqual([formulaKey(102, 'field-2')]);
  });

  it('a value typed over a confirmed formula is an edit, and the formula is forgotten', () => {
    const { run } = setup([{ entryId: 101, columnId: 'field-2', value: 7 }]);
    const out = run('hold', new Map([[formulaKey(101, 'field-2'), '=RAND()']]));
    expect(edited(out.scan)).toEqual(['101:field-2:']);
    expect(out.forgotten).toEqual([formulaKey(101, 'field-2')]);
  });

  it('a text column is read from what the cell shows when it holds a date (=NOW())', () => {
    const { sheet, scan, run } = setup([
      { entryId: 101, columnId: 'field-1', value: new Date(Date.UTC(2026, 0, 5, 14)), formula: '=NOW()' },
    ]);
    const at = cellAt(sheet, 101, 'field-1')!;
    const formulaAt = (r: number, c: number) => (r === at.row && c === at.col ? '=NOW()' : '');
    expect(editsNeedingDisplay(scan, sheet.values, columns, formulaAt).map((e) => e.entryId)).toEqual([101]);
    expect(editsNeedingDisplay(scan, sheet.values, columns, () => '')).toEqual([]); // a typed date: read as a day
    const out = run('confirm', new Map(), new Map([[`${at.row}:${at.col}`, '1/5/2026 9:00:00']]));
    expect([...out.scan.entries.values()][0].edits[0].local).toBe('1/5/2026 9:00:00');
  });

  it('the edited cells are read as one block, and confirmed formulas follow what was settled', () => {
    expect(
      editBlock([
        { row: 3, col: 2 },
        { row: 1, col: 5 },
      ]),
    ).toEqual({ row: 1, col: 2, rows: 3, cols: 4 });
    expect(editBlock([])).toBeNull();
    const next = confirmedAfter(
      new Map([
        ['1:a', '=A'],
        ['2:b', '=B'],
        ['3:c', '=C'],
      ]),
      [
        { entryId: 4, columnId: 'd', formula: '=D' },
        { entryId: 2, columnId: 'b' },
      ],
      ['3:c'],
    );
    expect([...next]).toEqual([
      ['1:a', '=A'],
      ['4:d', '=D'],
    ]);
  });
});
