/** Push types shared by the server and the preview dialog (plain data only: google.script.run carries nothing else). */

/** What a conflict (a cell changed in the sheet and, differently, in Affinity) does. */
export type ConflictPolicy = 'flag' | 'sheet-wins' | 'affinity-wins';

export interface PreviewChange {
  entryId: number;
  entity: string;
  field: string;
  old: string;
  new: string;
  /** Sent over a value someone changed in Affinity since the last pull (conflict settled for the sheet). */
  overwrites: boolean;
  /** The formula the cell holds: `new` is its value now, which is what is sent. */
  formula?: string;
  /** Who made the edit ("unknown editor" when Google withheld it). */
  editedBy?: string;
}

/** An edit made by someone other than the pushing user (docs/sharing.md). */
export interface OthersEdit {
  entryId: number;
  entity: string;
  field: string;
  editedBy: string;
}

export interface PreviewConflict {
  entryId: number;
  columnId: string;
  entity: string;
  field: string;
  base: string;
  mine: string;
  affinity: string;
  /** What the push will do: 'skip' (flag), 'mine' (send the sheet's value), 'affinity' (take Affinity's value). */
  outcome: 'skip' | 'mine' | 'affinity';
}

export interface PreviewProblem {
  entryId: number;
  entity: string;
  field: string;
  value: string;
  reason: string;
}

/** A new row of the tab that the push will add to the list (or bind to the entity's entry already on it). */
export interface PreviewAddition {
  /** Sheet row number, 1-based. */
  row: number;
  entity: string;
  list: string;
  /** 0 when the push will create the entry; else the entry already on the list the row binds to. */
  entryId: number;
  values: { field: string; value: string }[];
}

export interface PreviewData {
  /** New rows: "add LedgerLeaf to Deal Flow", with the values the push will set. */
  additions?: PreviewAddition[];
  changes: PreviewChange[];
  conflicts: PreviewConflict[];
  /** Values that can't be sent as typed (text in a number field, unknown option...). */
  invalid: PreviewProblem[];
  /** Edits never sent: read-only columns, cells cut to fit, restricted or missing entries. */
  notSent: PreviewProblem[];
  /** Rows not synced (sheet row number, 1-based). */
  notSynced: { row: number; reason: string }[];
  /** Edits Affinity already has (nothing to send). */
  alreadyInAffinity: number;
}

export interface PushCost {
  /** Reads for the conflict check (and field metadata not cached). */
  reads: number;
  /** PATCH requests, one per edited entry (more above 100 changes in one entry). */
  writes: number;
  total: number;
}

export interface PushPreview extends PreviewData {
  sheetId: number;
  tabName: string;
  viewName: string;
  policy: ConflictPolicy;
  policyLabel: string;
  cost: PushCost;
  /** Edits in this preview made by others: a push asks before sending them under your key. */
  byOthers?: OthersEdit[];
  /** Edited entries beyond what one execution can check: not in this preview; a push sends them in the background. */
  waiting?: { entries: number; edits: number };
}

/** A choice made in the preview for one conflict; `affinity` is the value the user saw there. */
export interface ConflictChoiceData {
  entryId: number;
  columnId: string;
  affinity: string;
  choice: 'mine' | 'affinity' | 'skip';
}

export interface PushSummary {
  tabName: string;
  policy: ConflictPolicy;
  sent: number;
  failed: number;
  alreadyInAffinity: number;
  conflicts: number;
  takenFromAffinity: number;
  invalid: number;
  /** Read-only, cut, restricted or missing cells. */
  notSent: number;
  notSynced: number;
  /** Edits holding formulas that an unattended push kept pending (a person pushes them). */
  heldFormulas?: number;
  /** Entries created from new rows of the tab. */
  added?: number;
  /** New rows bound to entries already on the list (their values went as edits). */
  bound?: number;
  requests: { reads: number; writes: number; total: number; batches: number };
  failures: { entryId: number; entity: string; message: string }[];
  /** Edits by others (or unknown editors) this push held back: they wait, pending, for a manual push. */
  heldForOthers?: OthersEdit[];
  /**
   * Edited entries whose check and send did not fit this execution: pending, for the next part of the push (a
   * continuation in the background).
   */
  waiting?: { entries: number; edits: number };
  /** One paragraph for the user. */
  message: string;
}

/** The panel's Push section. */
export interface PushSettings {
  policy: ConflictPolicy;
  policies: { id: ConflictPolicy; label: string }[];
  /** Whether edited cells get a subtle background until pushed (an installable on-edit trigger). */
  pendingMarks: boolean;
  /** Once per user after an upgrade: the conflict setting is now theirs, and what the whole spreadsheet had. */
  policyNotice: string | null;
}

/** What Affinity › Undo last push… would do: the cells it puts back, those it cannot, the entries that stay. */
export interface UndoPreview {
  tabName: string;
  /** Time of the push (as the change log shows it); null when there is nothing to undo. */
  pushedAt: string | null;
  restore: { entryId: number; entity: string; field: string; from: string; to: string }[];
  /** Cells changed since the push (both values), or otherwise not restorable. */
  notUndone: {
    entryId: number;
    entity: string;
    field: string;
    pushed: string;
    affinity: string | null;
    reason: string;
  }[];
  /** Entries the push added: never deleted. `url`: the record's page in Affinity (null when it could not be read). */
  addedEntries: { entryId: number; entity: string; list: string; url: string | null }[];
}

export interface UndoSummary extends UndoPreview {
  restored: number;
  failed: number;
  message: string;
}
