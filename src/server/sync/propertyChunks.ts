/**
 * Texts too large for one property. Apps Script allows 9 KB per property value measured in UTF-8 bytes (so about
 * 3,000 characters of Chinese or Japanese) and 500 KB per store (docs/harness.md). A text that fits is stored as is
 * under its key; a longer one in pieces of at most PIECE_BYTES UTF-8 bytes under `key.0`, `key.1`..., with the count
 * under `key`, written last so that a killed execution leaves the previous value readable.
 */
import type { KeyValueStore } from '../ports';

/** Under the 9,216-byte limit, with room to spare. */
export const PIECE_BYTES = 8_000;

const COUNT = /^\d+$/;

/** UTF-8 length of one UTF-16 code unit at `i` (a surrogate pair counts 4 on its first unit, 0 on its second). */
function unitBytes(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c >= 0xd800 && c <= 0xdbff) return 4;
  if (c >= 0xdc00 && c <= 0xdfff) return 0;
  return 3;
}

export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) n += unitBytes(text, i);
  return n;
}

/** Splits a text into pieces of at most `maxBytes` UTF-8 bytes, never inside a character. */
export function chunkUtf8(text: string, maxBytes: number): string[] {
  const out: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const b = unitBytes(text, i);
    if (bytes + b > maxBytes && i > start) {
      out.push(text.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += b;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** The stored text, or null when absent or a piece is missing. */
export function readChunked(doc: KeyValueStore, key: string): string | null {
  const raw = doc.get(key);
  if (raw === null || !COUNT.test(raw)) return raw;
  let text = '';
  for (let i = 0, n = Number(raw); i < n; i++) {
    const part = doc.get(`${key}.${i}`);
    if (part === null) return null;
    text += part;
  }
  return text;
}

/** Stores a text (one that is a bare count is stored in pieces, so that it reads back as itself). */
export function writeChunked(doc: KeyValueStore, key: string, text: string): void {
  const before = doc.get(key);
  const oldPieces = before !== null && COUNT.test(before) ? Number(before) : 0;
  let pieces = 0;
  if (utf8Length(text) <= PIECE_BYTES && !COUNT.test(text)) {
    doc.set(key, text);
  } else {
    const chunks = chunkUtf8(text, PIECE_BYTES);
    chunks.forEach((c, i) => doc.set(`${key}.${i}`, c));
    doc.set(key, String(chunks.length));
    pieces = chunks.length;
  }
  for (let i = pieces; i < oldPieces; i++) doc.delete(`${key}.${i}`);
}
