/**
 * The records of who edited (engine/attribution.ts) in the compact form the store keeps (sync/attributionStore.ts):
 * an event's cells as one string, grouped by column, entry ids sorted and written as base-36 differences, and
 * fingerprints in their 4-character short form. A pasted column of 10,000 cells takes 210 KB as arrays of JSON, 60 KB
 * packed and about 40 KB once compressed (the fingerprints do not compress): a tab's 60 KB hold about 14,000 cells. Pure.
 *
 *   cells  = group (";" group)*
 *   group  = column-index ":" first-id ("," difference)* ":" fingerprints      (numbers in base 36)
 */
import { ANY_FP, shortFingerprint, type EditEvent, type EditRecords } from './attribution';

/** How the short form writes "any value" (a formula's cell): four characters outside the short form's digits. */
const ANY_PACKED = '****';
const FP_WIDTH = 4;

export type PackedEvent = [at: number, user: number, cells: string];

export interface PackedRecords {
  users: EditRecords['users'];
  columns: string[];
  events: PackedEvent[];
}

export function packCells(cells: EditEvent[2]): string {
  const byColumn = new Map<number, [number, string][]>();
  for (const [entryId, col, fp] of cells) {
    const group = byColumn.get(col) ?? [];
    group.push([entryId, fp === ANY_FP ? ANY_PACKED : shortFingerprint(fp).slice(1)]);
    byColumn.set(col, group);
  }
  const groups: string[] = [];
  for (const [col, group] of byColumn) {
    group.sort((a, b) => a[0] - b[0]);
    let previous = 0;
    const ids = group.map(([id]) => {
      const d = (id - previous).toString(36);
      previous = id;
      return d;
    });
    groups.push(`${col.toString(36)}:${ids.join(',')}:${group.map(([, fp]) => fp).join('')}`);
  }
  return groups.join(';');
}

/** The cells of a packed event; a group that does not read as one is left out (its edits become unknown editor's). */
export function unpackCells(packed: string): EditEvent[2] {
  const cells: EditEvent[2] = [];
  if (packed === '') return cells;
  for (const group of packed.split(';')) {
    const [colText, idsText, fps] = group.split(':');
    const col = parseInt(colText, 36);
    const diffs = (idsText ?? '').split(',');
    if (!Number.isInteger(col) || fps === undefined || fps.length !== diffs.length * FP_WIDTH) continue;
    let id = 0;
    diffs.forEach((d, i) => {
      id += parseInt(d, 36);
      const fp = fps.slice(i * FP_WIDTH, (i + 1) * FP_WIDTH);
      cells.push([id, col, fp === ANY_PACKED ? ANY_FP : `~${fp}`]);
    });
  }
  return cells;
}

export function packRecords(records: EditRecords): PackedRecords {
  return { ...records, events: records.events.map(([at, u, cells]) => [at, u, packCells(cells)]) };
}

/** Records in either form: events kept whole (as earlier versions stored them) or packed. */
export function unpackRecords(stored: {
  users: EditRecords['users'];
  columns: string[];
  events: unknown[];
}): EditRecords {
  const events: EditEvent[] = [];
  for (const e of stored.events) {
    if (!Array.isArray(e) || e.length < 3) continue;
    const [at, u, cells] = e as [number, number, unknown];
    if (typeof cells === 'string') events.push([at, u, unpackCells(cells)]);
    else if (Array.isArray(cells)) events.push([at, u, cells as EditEvent[2]]);
  }
  return { users: stored.users, columns: stored.columns, events };
}
