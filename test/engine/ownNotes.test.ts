import { NOTE_MARK } from '../../src/server/engine/layout';
import { OwnNotes } from '../../src/server/engine/ownNotes';

const own = `${NOTE_MARK}conflict.`;

describe('OwnNotes', () => {
  it('finds the sync’s notes, not the user’s, and follows note blocks and removed rows', () => {
    const notes = [
      ['', 'Call first', ''],
      ['', '', own],
      ['', '', ''],
    ];
    expect(new OwnNotes(notes).leftAfter([])).toBe(true);
    // Cleared by a block (the user's note around it kept).
    expect(
      new OwnNotes(notes)
        .apply([
          {
            row: 0,
            col: 1,
            values: [
              ['Call first', ''],
              ['', ''],
            ],
          },
        ])
        .leftAfter([]),
    ).toBe(false);
    // Its row removed.
    expect(new OwnNotes(notes).leftAfter([1])).toBe(false);
    // A new one set on a row that stays.
    expect(new OwnNotes(notes).apply([{ row: 2, col: 0, values: [[own]] }]).leftAfter([1])).toBe(true);
    // Only the user's: none of the sync's.
    expect(new OwnNotes([['Mine', '']]).leftAfter([])).toBe(false);
  });
});
