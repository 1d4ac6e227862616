/**
 * What a merge or a push holds whole (engine/memoryBudget.ts): memory grows with cells, so the decision and the
 * windows are in cells, with the bench's 32-column tabs kept exactly where they were.
 */
import { WHOLE_CELLS, WINDOW_CELLS, holdsWhole, rowsFor, tabColumnsOf } from '../../src/server/engine/memoryBudget';
import { windowRows } from '../../src/server/sync/streamedPull';

describe('memory budget', () => {
  it('holds the bench’s 15,000 × 30 view whole, but not a wider view of fewer rows nor 20,001 narrow rows', () => {
    expect(tabColumnsOf(30)).toBe(32);
    expect(holdsWhole(15_000, tabColumnsOf(30))).toBe(true);
    expect(holdsWhole(15_001, tabColumnsOf(30))).toBe(false);
    expect(holdsWhole(4_000, tabColumnsOf(130))).toBe(false); // 528,000 cells
    expect(holdsWhole(3_636, tabColumnsOf(130))).toBe(true);
    expect(holdsWhole(20_000, tabColumnsOf(6))).toBe(true);
    expect(holdsWhole(20_001, tabColumnsOf(6))).toBe(false);
    expect(3_636 * 132).toBeLessThanOrEqual(WHOLE_CELLS);
  });

  it('gives a wide view a window of fewer rows and a narrow one the usual 2,500', () => {
    expect(windowRows(32)).toBe(2_500);
    expect(windowRows(8)).toBe(2_500);
    expect(windowRows(132)).toBe(606);
    expect(windowRows(132) * 132).toBeLessThanOrEqual(WINDOW_CELLS);
    expect(rowsFor(WINDOW_CELLS, 5_000)).toBe(100); // never fewer than a page of rows
  });
});
