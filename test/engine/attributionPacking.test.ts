import fc from 'fast-check';
import {
  ANY_VALUE,
  addEvent,
  attributeEdits,
  emptyRecords,
  fingerprint,
  shortFingerprint,
  type EditEvent,
} from '../../src/server/engine/attribution';
import { packCells, packRecords, unpackCells, unpackRecords } from '../../src/server/engine/attributionPacking';
import type { EditScan } from '../../src/server/engine/push/scan';

const ANN = { key: 'k-ann', email: 'ann@example.com' };
const sorted = (cells: EditEvent[2]) => [...cells].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
const short = (cells: EditEvent[2]): EditEvent[2] =>
  cells.map(([e, c, fp]) => [e, c, shortFingerprint(fp)] as [number, number, string]);

describe('packed records of who edited', () => {
  it('give back every cell, by entry and column, with its fingerprint in the short form', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 5_000_000 }), fc.integer({ min: 0, max: 40 })), {
          selector: ([e, c]) => `${e}:${c}`,
          maxLength: 200,
        }),
        fc.array(fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(ANY_VALUE)), { minLength: 200 }),
        (keys, values) => {
          const r = emptyRecords();
          const columns = Array.from({ length: 41 }, (_, i) => `field-${i}`);
          r.columns.push(...columns);
          addEvent(
            r,
            ANN,
            1,
            keys.map(([entryId, col], i) => ({ entryId, columnId: columns[col], value: values[i] })),
          );
          if (keys.length === 0) return;
          const cells = r.events[0][2];
          expect(sorted(unpackCells(packCells(cells)))).toEqual(sorted(short(cells)));
        },
      ),
    );
  });

  it('a pasted column of 10,000 cells packs into 6 characters a cell (4 of fingerprint, 2 of entry id), not 20', () => {
    const r = emptyRecords();
    addEvent(
      r,
      ANN,
      1,
      Array.from({ length: 10_000 }, (_, i) => ({ entryId: 1_000_001 + i, columnId: 'field-3', value: `Edited ${i}` })),
    );
    const packed = packCells(r.events[0][2]);
    expect(packed.length).toBeLessThanOrEqual(10_000 * 6 + 20);
    expect(JSON.stringify(r.events[0][2]).length).toBeGreaterThan(10_000 * 20);
  });

  it('credit the editor while the cell holds the value typed, and nobody once it changed', () => {
    const r = emptyRecords();
    addEvent(r, ANN, 1, [
      { entryId: 7, columnId: 'f1', value: 'typed' },
      { entryId: 8, columnId: 'f1', value: 'typed too' },
      { entryId: 9, columnId: 'f2', value: ANY_VALUE },
    ]);
    const stored = unpackRecords(JSON.parse(JSON.stringify(packRecords(r))) as ReturnType<typeof packRecords>);
    expect(stored.events[0][2].every(([, , fp]) => fp === '*' || fp.startsWith('~'))).toBe(true);
    const scan: EditScan = {
      entries: new Map([
        [7, { row: 1, edits: [{ entryId: 7, row: 1, col: 1, columnId: 'f1', base: 'b', local: 'typed' }] }],
        [8, { row: 2, edits: [{ entryId: 8, row: 2, col: 1, columnId: 'f1', base: 'b', local: 'later' }] }],
        [9, { row: 3, edits: [{ entryId: 9, row: 3, col: 2, columnId: 'f2', base: 'b', local: '=NOW()' }] }],
      ]),
      readOnly: [],
      unsynced: [],
      staleNotes: [],
      names: new Map(),
      matchedRows: 3,
      keyCol: 0,
    };
    const cells: Record<string, string> = { '1:1': 'typed', '2:1': 'changed by a script', '3:2': 'anything' };
    const got = attributeEdits(scan, stored, (row, col) => cells[`${row}:${col}`]);
    expect(got.map((a) => a.editor)).toEqual([ANN, null, ANN]);
  });

  it('read records stored whole by earlier versions, and leave out a group that does not read', () => {
    const whole = { users: [ANN], columns: ['f1'], events: [[1, 0, [[7, 0, fingerprint('x')]]]] };
    expect(unpackRecords(whole).events).toEqual([[1, 0, [[7, 0, fingerprint('x')]]]]);
    expect(unpackCells('0:a,1:AAAAAAAA;zz:1:A;1:b:AAAA')).toEqual([
      [10, 0, '~AAAA'],
      [11, 0, '~AAAA'],
      [11, 1, '~AAAA'],
    ]);
  });
});
