/**
 * Who edited which cell (engine/attribution.ts), per tab, in document properties: other editors cannot reach them
 * from the Sheets UI, and the simple on-edit trigger (which runs as the person editing, without their authorization)
 * can write them. One record per edit event, packed and compressed (about 4 bytes a cell), in pieces measured in UTF-8
 * bytes (sync/propertyChunks.ts); past MAX_BYTES the oldest events are dropped (their edits become "unknown editor", which
 * only ever holds an edit back). Pruned when an edit is pushed or pulled away.
 */
import { emptyRecords, pruneRecords, type EditRecords } from '../engine/attribution';
import { packRecords, unpackRecords } from '../engine/attributionPacking';
import type { TextCompressor } from '../engine/packedRows';
import { gzipText } from '../gas/compress';
import type { KeyValueStore } from '../ports';
import { readChunked, utf8Length, writeChunked } from './propertyChunks';

const PREFIX = 'affinity.edits.';
/** A share of the 500 KB document store (the bindings, column specs, runs and digests need the rest). */
export const MAX_BYTES = 60_000;
/** Marks the compressed form (JSON starts with "{"). */
const ZIPPED = 'z';

/**
 * The records as stored: packed (engine/attributionPacking.ts), then compressed when that is shorter. A pasted column
 * of 10,000 cells takes about 40 KB this way, against 210 KB as plain JSON (which held about 2,600 cells in 60 KB).
 */
function encode(records: EditRecords, zip: TextCompressor): string {
  const json = JSON.stringify(packRecords(records));
  const zipped = ZIPPED + zip.zip(json);
  return zipped.length < json.length ? zipped : json;
}

export function loadRecords(doc: KeyValueStore, sheetId: number, zip: TextCompressor = gzipText): EditRecords {
  const raw = readChunked(doc, PREFIX + sheetId);
  if (!raw) return emptyRecords();
  try {
    const r = JSON.parse(raw.startsWith(ZIPPED) ? zip.unzip(raw.slice(ZIPPED.length)) : raw) as EditRecords;
    return Array.isArray(r.users) && Array.isArray(r.columns) && Array.isArray(r.events)
      ? unpackRecords(r)
      : emptyRecords();
  } catch {
    return emptyRecords();
  }
}

export function saveRecords(
  doc: KeyValueStore,
  sheetId: number,
  records: EditRecords,
  zip: TextCompressor = gzipText,
): void {
  let text = encode(records, zip);
  while (utf8Length(text) > MAX_BYTES && records.events.length > 0) {
    records.events.splice(0, Math.max(1, Math.ceil(records.events.length / 10)));
    text = encode(records, zip);
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
