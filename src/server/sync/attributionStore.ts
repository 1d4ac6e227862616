/**
 * Who edited which cell (engine/attribution.ts), per tab, in document properties: other editors cannot reach them
 * from the Sheets UI, and the simple on-edit trigger (which runs as the person editing, without their authorization)
 * can write them. One record per edit event, stored compactly in pieces measured in UTF-8 bytes
 * (sync/propertyChunks.ts); past MAX_BYTES the oldest events are dropped (their edits become "unknown editor", which
 * only ever holds an edit back). Pruned when an edit is pushed or pulled away.
 */
import { emptyRecords, pruneRecords, type EditRecords } from '../engine/attribution';
import type { KeyValueStore } from '../ports';
import { readChunked, utf8Length, writeChunked } from './propertyChunks';

const PREFIX = 'affinity.edits.';
/** A share of the 500 KB document store (the bindings, column specs, runs and digests need the rest). */
export const MAX_BYTES = 60_000;

export function loadRecords(doc: KeyValueStore, sheetId: number): EditRecords {
  const raw = readChunked(doc, PREFIX + sheetId);
  if (!raw) return emptyRecords();
  try {
    const r = JSON.parse(raw) as EditRecords;
    return Array.isArray(r.users) && Array.isArray(r.columns) && Array.isArray(r.events) ? r : emptyRecords();
  } catch {
    return emptyRecords();
  }
}

export function saveRecords(doc: KeyValueStore, sheetId: number, records: EditRecords): void {
  let text = JSON.stringify(records);
  while (utf8Length(text) > MAX_BYTES && records.events.length > 0) {
    records.events.splice(0, Math.max(1, Math.ceil(records.events.length / 10)));
    text = JSON.stringify(records);
  }
  if (records.events.length === 0) {
    if (doc.get(PREFIX + sheetId) !== null) {
      writeChunked(doc, PREFIX + sheetId, '');
      doc.delete(PREFIX + sheetId);
    }
    return;
  }
  writeChunked(doc, PREFIX + sheetId, text);
}

/** Keeps only the records of cells still pending. */
export function pruneStored(
  doc: KeyValueStore,
  sheetId: number,
  stillPending: (entryId: number, columnId: string) => boolean,
): void {
  const before = loadRecords(doc, sheetId);
  if (before.events.length === 0) return;
  const after = pruneRecords(before, stillPending);
  if (after.events.length !== before.events.length || JSON.stringify(after) !== JSON.stringify(before))
    saveRecords(doc, sheetId, after);
}
