/**
 * The cells of a tab holding a note of the sync's own, followed through a pull's note writes: whether any is left once
 * the pull is written (gas/ownNotes.ts records a tab left with none). Pure.
 */
import type { Block } from './blocks';
import { isOwnNote } from './layout';

export class OwnNotes {
  private readonly cells = new Set<string>();

  /** The tab's notes as read (rows under the header; a packed tab's sparse rows read the same). */
  constructor(notes: readonly (readonly string[])[]) {
    for (let r = 0; r < notes.length; r++) {
      const line = notes[r];
      for (let c = 0; c < line.length; c++) if (isOwnNote(line[c])) this.cells.add(`${r}:${c}`);
    }
  }

  /** Note blocks written: an own note set, or a cell cleared. */
  apply(blocks: readonly Block<string>[]): this {
    for (const b of blocks)
      b.values.forEach((line, i) =>
        line.forEach((note, j) => {
          const cell = `${b.row + i}:${b.col + j}`;
          if (isOwnNote(note)) this.cells.add(cell);
          else if (note === '') this.cells.delete(cell);
        }),
      );
    return this;
  }

  /** Whether any is left once the given rows are removed. */
  leftAfter(deleteRows: readonly number[]): boolean {
    if (this.cells.size === 0) return false;
    const removed = new Set(deleteRows);
    for (const cell of this.cells) if (!removed.has(Number(cell.slice(0, cell.indexOf(':'))))) return true;
    return false;
  }
}
