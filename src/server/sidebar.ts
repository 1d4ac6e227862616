/**
 * The settings panel: opening it, and the calls it makes that the other action files do not already offer (one
 * snapshot of everything it shows, the Nango connection, the tabs it can bind, progress, opening a tab). main.ts
 * re-exports them. The panel itself is src/client/sidebar.*; it shares only types (src/shared) with this code.
 */
import { adoptIfCopied, copyNotice } from './sync/copiedSpreadsheet';
import { AffinityError } from './affinity/errors';
import { documentStore, userStore } from './gas/platform';
import { showSidebar } from './gas/ui';
import { findBinding, loadBindings, type Binding } from './sync/bindings';
import { connectionStatus, connectWithNango } from './sync/settings';
import { deps, progressStore, usageLedger } from './wiring';
import type { BindingInfo, ConnectionStatus } from '../shared/types';
import type { NangoConnectionInput, ProgressInfo, RunRecord, SettingsState, TabInfo } from '../shared/settings';

/** Hidden tabs the product keeps for itself (base snapshots) start with this. */
const OWN_TAB_PREFIX = '_affinity_';
const LAST_RUNS = 8;

/** Menu item "Settings…": opens the panel. */
export function showSettings(): void {
  showSidebar();
}

function tabNames(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): Map<number, GoogleAppsScript.Spreadsheet.Sheet> {
  const out = new Map<number, GoogleAppsScript.Spreadsheet.Sheet>();
  for (const sheet of ss.getSheets()) out.set(sheet.getSheetId(), sheet);
  return out;
}

function withTabNames(bindings: Binding[], sheets: Map<number, GoogleAppsScript.Spreadsheet.Sheet>): BindingInfo[] {
  return bindings.map((b) => ({ ...b, tabName: sheets.get(b.sheetId)?.getName() ?? '(deleted tab)' }));
}

function lastRuns(bindings: BindingInfo[]): RunRecord[] {
  const runs: RunRecord[] = [];
  for (const b of bindings) {
    for (const kind of ['pull', 'push'] as const) {
      const o = kind === 'pull' ? b.lastPull : b.lastPush;
      if (o)
        runs.push({
          kind,
          sheetId: b.sheetId,
          tabName: b.tabName,
          viewName: b.viewName,
          at: o.at,
          ok: o.ok,
          message: o.message,
        });
    }
  }
  return runs.sort((a, b) => b.at - a.at).slice(0, LAST_RUNS);
}

/** Everything the panel shows, in one call. Never contains the API key or the Nango secret. */
export function getSettingsState(): SettingsState {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  adoptIfCopied(ss, documentStore());
  const sheets = tabNames(ss);
  const bindings = withTabNames(loadBindings(documentStore()), sheets);
  const connection = connectionStatus(userStore());
  let activeSheetId: number | null = null;
  try {
    activeSheetId = ss.getActiveSheet().getSheetId();
  } catch {
    activeSheetId = null;
  }
  return {
    now: Date.now(),
    connection,
    bindings,
    activeSheetId,
    progress: progressStore().of(bindings.map((b) => b.sheetId)),
    usage: usageLedger.status(),
    lastRuns: lastRuns(bindings),
    copyNotice: copyNotice(documentStore(), connection.connected),
  };
}

/** What the panel polls while a pull runs. */
export function getProgress(): ProgressInfo[] {
  return progressStore().of(loadBindings(documentStore()).map((b) => b.sheetId));
}

/** Connects through Nango's proxy: same whoami check and storage rules as an API key. */
export function connectNango(input: NangoConnectionInput): ConnectionStatus {
  return connectWithNango(deps(), input);
}

/** The visible tabs a view can be bound to (the product's hidden tabs left out). */
export function getTabs(): TabInfo[] {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const byId = new Map(loadBindings(documentStore()).map((b) => [b.sheetId, b]));
  const out: TabInfo[] = [];
  for (const sheet of ss.getSheets()) {
    const name = sheet.getName();
    if (sheet.isSheetHidden() || name.startsWith(OWN_TAB_PREFIX)) continue;
    const id = sheet.getSheetId();
    const bound = byId.get(id);
    out.push(bound ? { sheetId: id, name, boundTo: bound.viewName } : { sheetId: id, name });
  }
  return out;
}

/** Makes a bound tab the active one ("Open tab" in the panel). */
export function openTab(sheetId: number): string {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const sheet = ss.getSheetById(Number(sheetId));
  if (!sheet) {
    const binding = findBinding(documentStore(), Number(sheetId));
    throw new AffinityError(
      'config',
      `The tab ${binding ? `bound to “${binding.viewName}” ` : ''}was deleted. Remove the binding, or bind the view again.`,
    );
  }
  sheet.activate();
  return sheet.getName();
}
