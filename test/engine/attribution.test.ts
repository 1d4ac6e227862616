import {
  addEvent,
  attributeEdits,
  emptyRecords,
  holdBack,
  isUser,
  pruneRecords,
} from '../../src/server/engine/attribution';
import type { EditScan } from '../../src/server/engine/push/scan';

const ANN = { key: 'k-ann', email: 'ann@example.com' };
const HIDDEN = { key: 'k-bob', email: '' };

function scanOf(cells: [number, string, number, number][]): EditScan {
  const scan: EditScan = {
    entries: new Map(),
    readOnly: [],
    unsynced: [],
    staleNotes: [],
    names: new Map(),
    matchedRows: 0,
    keyCol: 0,
  };
  for (const [entryId, columnId, row, col] of cells) {
    let e = scan.entries.get(entryId);
    if (!e) scan.entries.set(entryId, (e = { row, edits: [] }));
    e.edits.push({ entryId, row, col, columnId, base: 'b', local: 'l' });
    scan.names.set(entryId, `E${entryId}`);
  }
  return scan;
}

describe('attribution', () => {
  it('credits the latest record of a cell whose value is still the one recorded, by entry and column (not position)', () => {
    const r = emptyRecords();
    addEvent(r, ANN, 1, [{ entryId: 7, columnId: 'f1', value: 'x' }]);
    addEvent(r, HIDDEN, 2, [{ entryId: 8, columnId: 'f1', value: 'y' }]);
    // The rows were sorted since: entry 7 is now on row 5.
    const scan = scanOf([
      [7, 'f1', 5, 1],
      [8, 'f1', 2, 1],
    ]);
    const cells: Record<string, string> = { '5:1': 'x', '2:1': 'changed later' };
    const got = attributeEdits(scan, r, (row, col) => cells[`${row}:${col}`]);
    expect(got.map((a) => a.editor)).toEqual([ANN, null]);
  });

  it('matches a user by email when both are known, else by the per-user key', () => {
    expect(isUser(ANN, { email: 'ANN@example.com', key: 'other' })).toBe(true);
    expect(isUser(HIDDEN, { email: 'bob@example.com', key: 'k-bob' })).toBe(true);
    expect(isUser(HIDDEN, { email: 'bob@example.com', key: '' })).toBe(false);
    expect(isUser(null, { email: 'x', key: 'y' })).toBe(false);
  });

  it('holds back what is not allowed, leaving the scan with the rest; prunes records of cells no longer pending', () => {
    const r = emptyRecords();
    addEvent(r, ANN, 1, [
      { entryId: 7, columnId: 'f1', value: 'x' },
      { entryId: 9, columnId: 'f1', value: 'z' },
    ]);
    const scan = scanOf([
      [7, 'f1', 1, 1],
      [8, 'f1', 2, 1],
    ]);
    const got = attributeEdits(scan, r, (row) => (row === 1 ? 'x' : 'q'));
    const held = holdBack(scan, got, (a) => isUser(a.editor, ANN));
    expect(held.map((a) => a.edit.entryId)).toEqual([8]);
    expect([...scan.entries.keys()]).toEqual([7]);
    const pruned = pruneRecords(r, (e) => e === 7);
    expect(pruned.events[0][2].map((c) => c[0])).toEqual([7]);
  });
});
