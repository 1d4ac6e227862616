/**
 * What a push may send under the pushing user's key (docs/sharing.md): every edit of the scan is credited to its
 * editor (engine/attribution.ts, records from sync/attributionStore.ts). A scheduled push sends only its owner's edits;
 * a manual push sends the pusher's own and, once they confirm, others' too. Edits held back stay pending in the tab.
 */
import { attributeEdits, editorName, holdBack, isUser, type Attributed, type Editor } from '../engine/attribution';
import type { EditScan } from '../engine/push/scan';
import type { TabState } from '../engine/tabState';
import type { KeyValueStore } from '../ports';
import { loadRecords, pruneStored } from './attributionStore';

export interface Pusher {
  email: string;
  key: string;
}

/** 'own': send only the pusher's edits; 'all': send every edit (the pusher confirmed others'); 'look': preview. */
export type GateMode = 'own' | 'all' | 'look';

export interface PushGate {
  /**
   * `addedByPusher`: entries a push a person started has just added from new rows (or adopted from a killed push of
   * the tab that created them). Their values were typed before the
   * row had an Entry ID, so no record names their editor; the person pushing them is credited (docs/sharing.md).
   */
  apply(scan: EditScan, tab: TabState, addedByPusher?: ReadonlySet<number>): void;
  /** Edits held back (by others, or by unknown editors). */
  held(): Attributed[];
  /** Edits that will be sent although someone else made them. */
  others(): Attributed[];
  /** Who made an edit, in words ("unknown editor" when Google withheld it). */
  editorOf(entryId: number, columnId: string): string | undefined;
}

export function pushGate(doc: KeyValueStore, sheetId: number, pusher: Pusher, mode: GateMode): PushGate {
  let held: Attributed[] = [];
  let others: Attributed[] = [];
  const names = new Map<string, string>();
  return {
    apply(scan, tab, addedByPusher = new Set()) {
      const attributed = attributeEdits(scan, loadRecords(doc, sheetId), (r, c) => tab.values[r]?.[c]);
      for (const a of attributed) names.set(`${a.edit.entryId}:${a.edit.columnId}`, editorName(a.editor));
      const mine = (a: Attributed) => isUser(a.editor, pusher) || addedByPusher.has(a.edit.entryId);
      if (mode === 'own') held = holdBack(scan, attributed, mine);
      others = attributed.filter((a) => !mine(a) && !held.includes(a));
      if (mode !== 'look') {
        // Records of cells no longer pending (pushed or pulled away since) go.
        const pending = new Set([...attributed.map((a) => `${a.edit.entryId}:${a.edit.columnId}`)]);
        for (const e of scan.readOnly) pending.add(`${e.entryId}:${e.columnId}`);
        // Rows the scan did not match (a base that did not verify, a row out of the view) keep their records.
        // So do cells of columns not synced now (a field that left the view keeps its edits for when it comes back).
        pruneStored(doc, sheetId, (e, c) => pending.has(`${e}:${c}`) || !scan.names.has(e) || !tab.columnOf.has(c));
      }
    },
    held: () => held,
    others: () => others,
    editorOf: (entryId, columnId) => names.get(`${entryId}:${columnId}`),
  };
}

export type { Editor };
