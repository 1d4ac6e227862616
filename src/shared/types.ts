/** Types shared by the server and the sidebar client (plain data only: google.script.run carries nothing else). */

export interface ConnectionStatus {
  connected: boolean;
  mode?: 'direct' | 'nango';
  /** "First Last" of the Affinity user the key belongs to. */
  userName?: string;
  userEmail?: string;
  tenantName?: string;
  /** Last four characters of the stored key (Nango: of the secret key); the key itself never goes back to the browser. */
  keyHint?: string;
  /** Nango mode: which integration and connection the requests go through (not secrets). */
  nango?: { providerConfigKey: string; connectionId: string };
  /** Connected, but something will stop syncs (e.g. no 'Export data from Lists' permission). */
  warning?: string;
}

export interface RunOutcome {
  /** Epoch ms. */
  at: number;
  ok: boolean;
  message: string;
}

export interface BindingInfo {
  sheetId: number;
  tabName: string;
  listId: number;
  listName: string;
  listType: 'company' | 'person' | 'opportunity';
  viewId: number;
  viewName: string;
  rows?: number;
  lastPull?: RunOutcome;
  lastPush?: RunOutcome;
}

export interface PullSummary {
  tabName: string;
  rows: number;
  added: number;
  updatedCells: number;
  removed: number;
  keptOutOfView: number;
  pendingEdits: number;
  conflicts: number;
  requests: number;
  cellsWritten: number;
  /** Unpushed edits in columns whose field left the view: kept in their cells, not sent (engine/leftFields.ts). */
  leftViewEdits?: number;
  /** 'continuing': the view is too large for one execution; the tab is written once every row is in (docs/schedules.md). */
  status?: 'done' | 'continuing';
  /** What to tell the user when `status` is 'continuing'. */
  message?: string;
}
