/**
 * Unbinding a tab: the binding goes, and so does everything the product kept for it (its column types, base digest,
 * edit attributions, confirmed formulas and new rows' journals in document properties, its hidden base snapshot sheet, a pull in progress with its checkpoint and staging sheet). The tab and
 * its data stay as they are; its columns keep their developer metadata, so binding the tab again to the same view
 * finds them rather than adding new ones.
 */
import { forgetWithoutOwnNotes } from '../gas/ownNotes';
import { emptyRecords } from '../engine/attribution';
import { snapshotSheetName } from '../gas/snapshotStore';
import type { KeyValueStore } from '../ports';
import { saveRecords } from './attributionStore';
import { forgetBase } from './baseGuard';
import { forgetJournals } from './createEntries';
import { removeBinding } from './bindings';
import { forgetOriginalEdits } from './copiedSpreadsheet';
import { saveConfirmedFormulas } from './pushFormulas';
import { forgetColumnSpecs } from './pushStore';
import { discardPull } from './runStore';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Removes a tab's binding and what was kept for it; false when the tab was not bound. */
export function unbind(ss: Spreadsheet, doc: KeyValueStore, sheetId: number): boolean {
  const removed = removeBinding(doc, sheetId);
  forgetColumnSpecs(doc, sheetId);
  forgetOriginalEdits(doc, sheetId);
  forgetBase(doc, sheetId); // the base's digest
  forgetWithoutOwnNotes(doc, sheetId);
  saveRecords(doc, sheetId, emptyRecords()); // who made which pending edit
  saveConfirmedFormulas(doc, sheetId, new Map()); // formulas a person confirmed
  forgetJournals(doc, sheetId); // entries its new rows became, creates sent
  discardPull(ss, doc, sheetId);
  const base = ss.getSheetByName(snapshotSheetName(sheetId));
  if (base) ss.deleteSheet(base);
  return removed;
}
