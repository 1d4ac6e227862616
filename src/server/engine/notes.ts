/**
 * The texts of the notes the product writes on cells (conflict, replaced edit, not sent), shared by push and pull
 * so that each recognises the other's notes.
 */
import { NOTE_MARK } from './layout';

/** A value quoted for a note ('(empty)' when empty), cut at 200 characters. */
export function quoted(t: string): string {
  return t === '' ? '(empty)' : `“${t.length > 200 ? `${t.slice(0, 200)}…` : t}”`;
}

/** Note of a flagged conflict (push and pull write the same one). */
export function conflictNote(remote: string, local: string): string {
  return (
    `${NOTE_MARK}conflict. Affinity now has ${quoted(remote)}; your edit ${quoted(local)} was kept and not sent. ` +
    `To take Affinity's value, type it in; to send yours, choose “Keep mine” in Affinity › Preview changes…, ` +
    `or set conflicts to “Sheet wins” (Affinity › Settings… › Push).`
  );
}

/** Note of an edit replaced by Affinity's value under the 'affinity-wins' policy. */
export function replacedNote(remote: string, local: string): string {
  return (
    `${NOTE_MARK}Affinity's value ${quoted(remote)} was taken (conflict setting: Affinity wins). Your edit ` +
    `${quoted(local)} was not sent; type it again and push to send it.`
  );
}

/** Words of the note on a cell edited in the original of a copied spreadsheet (push keeps it; sync/copiedSpreadsheet.ts). */
export const COPIED_EDIT_WORDS = 'edited in the spreadsheet this one was copied from';

/** Start of the note of an edit a push did not send (pull keeps it while the edit is pending). */
export const NOT_SENT_PREFIX = `${NOTE_MARK}not sent. `;
export const notSent = (why: string): string => `${NOT_SENT_PREFIX}${why}`;
