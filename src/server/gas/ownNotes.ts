/**
 * Whether a tab's rows hold none of the sync's own notes (a conflict, an edit not sent, a row kept out of the view...):
 * recorded by a pull that read every note of the tab and left none, forgotten before anything writes one (the pull's
 * and the push's note blocks, the note an edit in a read-only column gets) and when an edit brings one in (a paste
 * from another tab: editActions.ts). A pull of such a tab does not read its notes (issue 10, time: the notes of
 * 15,000 × 32 cells cost as much to read as their values); nothing of its own is there to keep or clear, and the
 * user's notes are never cleared anyway. See docs/schedules.md, "Refreshes that change nothing".
 */
import type { Block } from '../engine/blocks';
import { OwnNotes } from '../engine/ownNotes';
import type { KeyValueStore } from '../ports';
import { documentStore } from './platform';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const keyOf = (sheetId: number) => `affinity.noOwnNotes.${sheetId}`;

export function knownWithoutOwnNotes(doc: KeyValueStore, sheetId: number): boolean {
  return doc.get(keyOf(sheetId)) === '1';
}

function recordWithoutOwnNotes(doc: KeyValueStore, sheetId: number): void {
  doc.set(keyOf(sheetId), '1');
}

export function forgetWithoutOwnNotes(doc: KeyValueStore, sheetId: number): void {
  doc.delete(keyOf(sheetId));
}

/** Before notes are written to a tab's rows: any note written makes what was recorded untrue. */
export function beforeNotes(sheet: Sheet, blocks: readonly { values: readonly (readonly string[])[] }[]): void {
  if (blocks.some((b) => b.values.some((line) => line.some((n) => n !== ''))))
    forgetWithoutOwnNotes(documentStore(), sheet.getSheetId());
}

/**
 * Note blocks planned without the tab's notes (a tab known to hold none of the sync's own): every change is a note
 * set, and a block's other cells were filled with '' where the tab may hold a note of the user's. Each such block's
 * notes are read (one call a block, rows the tab has) and put back in those cells, so that writing the block keeps
 * them.
 */
function keepNotesAround(
  sheet: Sheet,
  blocks: readonly { row: number; col: number; values: string[][] }[],
  tabRows: number,
): void {
  for (const b of blocks) {
    const rows = Math.min(b.values.length, tabRows - b.row);
    if (rows <= 0 || !b.values.slice(0, rows).some((line) => line.some((n) => n === ''))) continue;
    const current = sheet.getRange(2 + b.row, 1 + b.col, rows, b.values[0].length).getNotes();
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < b.values[i].length; j++) if (b.values[i][j] === '') b.values[i][j] = current[i][j] ?? '';
  }
}

/**
 * How a pull deals with the tab's notes, whole or a window at a time: whether it reads them, what each note write
 * needs (the notes around a block when they were not read; the sync's notes followed when they were), and the
 * record once the tab is written.
 */
export class PullNotes {
  /** Whether the pull reads the tab's notes (not when the tab is known to hold none of the sync's). */
  readonly read: boolean;
  private own: OwnNotes | null = null;
  private tabRows = 0;

  constructor(
    private readonly doc: KeyValueStore,
    private readonly sheetId: number,
  ) {
    this.read = !knownWithoutOwnNotes(doc, sheetId);
  }

  /** The tab as read. */
  tabRead(tab: { values: { length: number }; notes: readonly (readonly string[])[] }): void {
    this.tabRows = tab.values.length;
    if (this.read) this.own = new OwnNotes(tab.notes);
  }

  /** Before note blocks are written. */
  writing(sheet: Sheet, blocks: Block<string>[]): void {
    if (!this.read) keepNotesAround(sheet, blocks, this.tabRows);
    this.own?.apply(blocks);
  }

  /** Once the tab is written and the given rows removed: a tab left with none of the sync's notes is recorded. */
  written(deleteRows: readonly number[]): void {
    if (this.own && !this.own.leftAfter(deleteRows)) recordWithoutOwnNotes(this.doc, this.sheetId);
  }
}
