/**
 * A copied spreadsheet (File › Make a copy). The copy gets the bound script, the tabs (hidden base and staging sheets
 * too), their developer metadata and the document properties, so its tabs stay bound to their views; it gets no
 * triggers and no user properties (docs/harness.md, makeCopy), so nobody is connected and no schedule runs.
 *
 * The product tells a copy by the script id it recorded in document properties (a copy's bound script is a new
 * project with a new id, while document properties are copied; ScriptApp.getScriptId costs no Sheets call). The first time it sees a copy
 * (the panel opening, a preview or a push), it adopts it:
 * - edits that were pending in the original when it was copied are not the copy's to send: each such cell keeps its
 *   text and gets a note saying so, and the edit is recorded (document properties) so that no push from the copy
 *   sends it while the cell holds that text (the original still holds and sends it); typing another value in the
 *   copy makes it an edit of the copy's own;
 * - the original's run in progress and pull checkpoints (and their staging sheets) are dropped: they belong to the
 *   original's executions.
 * Until the copy is connected and its schedule saved again, the panel says what to do (`copyNotice`).
 */
import { blocksFromChanges, type Changes } from '../engine/blocks';
import { NOTE_MARK } from '../engine/layout';
import { COPIED_EDIT_WORDS } from '../engine/notes';
import { findEdits, type EditScan } from '../engine/push/scan';
import { readSnapshot } from '../gas/snapshotStore';
import { writeBlocks } from '../gas/pushSheet';
import { readTab } from '../gas/tab';
import { scriptId, syncTriggerInstalled } from '../gas/triggers';
import type { KeyValueStore } from '../ports';
import { loadBindings, type Binding } from './bindings';
import { readChunked, writeChunked } from './propertyChunks';
import { loadColumnSpecs } from './pushStore';
import { discardPull, saveRun } from './runStore';
import { loadSettings } from './schedule';
import { codecContext, tabCodec } from './tabContext';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const ID_KEY = 'affinity.scriptId';
const COPIED_FROM_KEY = 'affinity.copiedFrom';

export const COPIED_EDIT_NOTE =
  `${NOTE_MARK}${COPIED_EDIT_WORDS}, before the copy: not sent from this copy ` +
  '(the original sends it). To send it from here, type it again.';

/**
 * Records the script's id the first time, and adopts a copy the first time it is seen (see above). Returns
 * the number of pending edits of the original it set aside. Cheap when nothing changed: one property read.
 */
export function adoptIfCopied(ss: Spreadsheet, doc: KeyValueStore): number {
  const id = scriptId();
  const recorded = doc.get(ID_KEY);
  if (recorded === id) return 0;
  if (recorded === null) {
    doc.set(ID_KEY, id);
    return 0;
  }
  let setAside = 0;
  for (const binding of loadBindings(doc)) {
    setAside += setAsideEdits(ss, doc, binding);
    discardPull(ss, doc, binding.sheetId);
  }
  saveRun(doc, null);
  doc.set(COPIED_FROM_KEY, recorded);
  doc.set(ID_KEY, id);
  return setAside;
}

const setAsideKey = (sheetId: number) => `affinity.copiedEdits.${sheetId}`;
type SetAside = [entryId: number, columnId: string, text: string][];

/** The original's pending edits in one tab: kept in their cells with a note, recorded as not the copy's to send. */
function setAsideEdits(ss: Spreadsheet, doc: KeyValueStore, binding: Binding): number {
  const sheet = ss.getSheetById(binding.sheetId);
  // A large tab and its base are read packed, as a push reads them (docs/push.md, "Large tabs").
  const stored = readSnapshot(ss, binding.sheetId, { packed: 'large' });
  const specs = loadColumnSpecs(doc, binding.sheetId);
  if (!sheet || !stored || !specs) return 0;
  const tab = readTab(sheet, { packed: 'large' });
  if (!tab.columnOf.size) return 0;
  const columns = new Map(stored.columns.filter((id) => specs.has(id)).map((id) => [id, specs.get(id)!]));
  const scan = findEdits({
    tab,
    snapshot: stored.snapshot,
    columns,
    codec: tabCodec(codecContext(ss)),
    viewName: binding.viewName,
  });
  const aside: SetAside = [];
  const notes: Changes<string> = new Map();
  for (const { edits } of scan.entries.values()) {
    for (const e of edits) {
      aside.push([e.entryId, e.columnId, e.local]);
      let m = notes.get(e.col);
      if (!m) notes.set(e.col, (m = new Map()));
      m.set(e.row, COPIED_EDIT_NOTE);
    }
  }
  if (aside.length === 0) return 0;
  writeChunked(doc, setAsideKey(binding.sheetId), JSON.stringify(aside));
  writeBlocks(
    sheet,
    [],
    blocksFromChanges(notes, (row, col) => tab.notes[row]?.[col] ?? ''),
  );
  return aside.length;
}

/**
 * Leaves out of a push the edits set aside when the copy was adopted: a cell that still holds the original's text.
 * Once the cell holds something else (the user typed in the copy), its edit is the copy's and is sent as usual.
 */
export function withoutOriginalEdits(doc: KeyValueStore, sheetId: number, scan: EditScan): number {
  const raw = readChunked(doc, setAsideKey(sheetId));
  if (!raw) return 0;
  let aside: SetAside;
  try {
    aside = JSON.parse(raw) as SetAside;
  } catch {
    return 0;
  }
  const held = new Map(aside.map(([entryId, columnId, text]) => [`${entryId}:${columnId}`, text]));
  let left = 0;
  for (const [entryId, entry] of scan.entries) {
    entry.edits = entry.edits.filter((e) => {
      const keep = held.get(`${entryId}:${e.columnId}`) !== e.local;
      if (!keep) left++;
      return keep;
    });
    if (entry.edits.length === 0) scan.entries.delete(entryId);
  }
  return left;
}

/** Forgets what was set aside for a tab (unbinding it). */
export function forgetOriginalEdits(doc: KeyValueStore, sheetId: number): void {
  writeChunked(doc, setAsideKey(sheetId), '');
  doc.delete(setAsideKey(sheetId));
}

/** What the panel says in a copy until it is connected and its schedule saved again; null when nothing is left. */
export function copyNotice(doc: KeyValueStore, connected: boolean): string | null {
  const from = doc.get(COPIED_FROM_KEY);
  if (!from) return null;
  const todo: string[] = [];
  if (!connected) todo.push('connect to Affinity below (a connection belongs to a person and a spreadsheet)');
  const settings = loadSettings(doc);
  if (settings.schedule.kind !== 'off' && !syncTriggerInstalled())
    todo.push('save the schedule again (Affinity › Schedule…): a copy has no schedule running');
  if (todo.length === 0) {
    doc.delete(COPIED_FROM_KEY);
    return null;
  }
  return (
    `This spreadsheet is a copy: its tabs are still bound to their Affinity views. To sync it, ${todo.join('; and ')}. ` +
    'Edits made in the original before the copy are not sent from here (their cells have a note).'
  );
}
