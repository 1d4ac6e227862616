/**
 * Who made each pending edit (docs/sharing.md). The on-edit trigger records, per edit event, the editor and the cells
 * edited, by entry id and column id (never by coordinates, so sorting and moving columns do not break it), with a
 * fingerprint of the value typed. An edit found by push (tab ≠ base) is credited to the latest record of its cell whose
 * fingerprint matches the cell's value now; without one it is "unknown editor" (Google withheld the user, the change
 * came another way, or the record was pruned). Pure.
 */
import type { SheetCell } from './layout';
import type { CellEdit, EditScan } from './push/scan';

/** An editor as the platform tells: a stable per-user key (opaque) and the email when Google reveals it. */
export interface Editor {
  key: string;
  email: string;
}

export const UNKNOWN_EDITOR = 'unknown editor';

/** One edit event: when, who (index into users), and the cells: [entry id, column index, value fingerprint]. */
export type EditEvent = [at: number, user: number, cells: [number, number, string][]];

export interface EditRecords {
  users: Editor[];
  columns: string[];
  events: EditEvent[];
}

export const emptyRecords = (): EditRecords => ({ users: [], columns: [], events: [] });

/** FNV-1a (32 bits) of the cell as text: tells a later, different value in the same cell from the one recorded. */
export function fingerprint(cell: SheetCell | undefined): string {
  const text =
    cell instanceof Date
      ? `d${cell.getTime()}`
      : cell === null || cell === undefined
        ? ''
        : `${typeof cell}${String(cell)}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/** Recorded for a cell holding a formula: its value may change on its own, so any value matches. */
export const ANY_VALUE: unique symbol = Symbol('any value');
export const ANY_FP = '*';

const SHORT = '~';
const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A fingerprint as the store keeps it (sync/attributionStore.ts): its low 24 bits in 4 characters, marked `~`. A
 * later, different value matches it by chance once in 16.7 million; the 32-bit form stays for records kept whole.
 */
export function shortFingerprint(fp: string): string {
  if (fp === ANY_FP || fp.startsWith(SHORT)) return fp;
  const n = parseInt(fp, 36) & 0xffffff;
  return SHORT + DIGITS[(n >> 18) & 63] + DIGITS[(n >> 12) & 63] + DIGITS[(n >> 6) & 63] + DIGITS[n & 63];
}

/** Whether a recorded fingerprint (either form) is the cell's value now. */
function fingerprintMatches(recorded: string, cell: SheetCell | undefined): boolean {
  if (recorded === ANY_FP) return true;
  const now = fingerprint(cell);
  return recorded.startsWith(SHORT) ? recorded === shortFingerprint(now) : recorded === now;
}

const cellKey = (entryId: number, columnId: string) => `${entryId}:${columnId}`;

/** Adds one event (the cells an edit touched, by one editor). */
export function addEvent(
  records: EditRecords,
  editor: Editor,
  at: number,
  cells: { entryId: number; columnId: string; value: SheetCell | typeof ANY_VALUE }[],
): EditRecords {
  if (cells.length === 0) return records;
  let u = records.users.findIndex((x) => x.key === editor.key && x.email === editor.email);
  if (u < 0) u = records.users.push(editor) - 1;
  const colIndex = (id: string) => {
    let i = records.columns.indexOf(id);
    if (i < 0) i = records.columns.push(id) - 1;
    return i;
  };
  records.events.push([
    at,
    u,
    cells.map((c) => [c.entryId, colIndex(c.columnId), c.value === ANY_VALUE ? ANY_FP : fingerprint(c.value)]),
  ]);
  return records;
}

/** The latest record of each cell: editor and fingerprint. */
function latest(records: EditRecords): Map<string, { editor: Editor; fp: string }> {
  const out = new Map<string, { editor: Editor; fp: string }>();
  for (const [, u, cells] of records.events) {
    const editor = records.users[u];
    if (!editor) continue;
    for (const [entryId, c, fp] of cells) {
      const col = records.columns[c];
      if (col !== undefined) out.set(cellKey(entryId, col), { editor, fp });
    }
  }
  return out;
}

export interface Attributed {
  edit: CellEdit;
  /** null: unknown editor. */
  editor: Editor | null;
}

/** Credits each edit of a scan to its editor (or none), given the tab's cells now. */
export function attributeEdits(
  scan: EditScan,
  records: EditRecords,
  cellAt: (row: number, col: number) => SheetCell | undefined,
): Attributed[] {
  const last = latest(records);
  const out: Attributed[] = [];
  for (const { edits } of scan.entries.values()) {
    for (const edit of edits) {
      const rec = last.get(cellKey(edit.entryId, edit.columnId));
      const matches = rec !== undefined && fingerprintMatches(rec.fp, cellAt(edit.row, edit.col));
      out.push({ edit, editor: matches ? rec.editor : null });
    }
  }
  return out;
}

/** Whether an editor is the given user (by email when both are known, else by the per-user key). */
export function isUser(editor: Editor | null, user: { key?: string; email?: string }): boolean {
  if (!editor) return false;
  if (editor.email && user.email) return editor.email.toLowerCase() === user.email.toLowerCase();
  return !!user.key && editor.key === user.key;
}

export function editorName(editor: Editor | null): string {
  if (!editor) return UNKNOWN_EDITOR;
  return editor.email || 'an editor Google does not name';
}

/**
 * Takes out of the scan the edits `allowed` refuses (they stay pending: the tab and the base are left as they are)
 * and returns them.
 */
export function holdBack(scan: EditScan, attributed: Attributed[], allowed: (a: Attributed) => boolean): Attributed[] {
  const held = attributed.filter((a) => !allowed(a));
  if (held.length === 0) return held;
  const out = new Set(held.map((a) => a.edit));
  for (const [id, entry] of [...scan.entries]) {
    entry.edits = entry.edits.filter((e) => !out.has(e));
    if (entry.edits.length === 0) scan.entries.delete(id);
  }
  return held;
}

/** Drops the records of cells that are no longer pending (pushed, or pulled away), and events left empty. */
export function pruneRecords(
  records: EditRecords,
  stillPending: (entryId: number, columnId: string) => boolean,
): EditRecords {
  const events: EditEvent[] = [];
  for (const [at, u, cells] of records.events) {
    const keep = cells.filter(([e, c]) => {
      const col = records.columns[c];
      return col !== undefined && stillPending(e, col);
    });
    if (keep.length > 0) events.push([at, u, keep]);
  }
  return { ...records, events };
}
