/**
 * The product's actions, wired to Apps Script: what the menu items and sidebar calls do. main.ts only re-exports.
 */
import { AffinityError } from './affinity/errors';
import { assertSheetView, type AffinityClient } from './affinity/client';
import type { ListType, SavedView } from './affinity/types';
import { documentStore, gasClock, gasLog, urlFetchHttp, userStore } from './gas/platform';
import { findBinding, loadBindings, removeBinding, upsertBinding, type Binding } from './sync/bindings';
import { pullMessage } from './sync/runs';
import { clientFor, connectWithKey, connectionStatus, disconnect, type Deps } from './sync/settings';
import { offerSettings } from './sidebar';
import { pullTabRun } from './scheduleActions';
import type { BindingInfo, ConnectionStatus, PullSummary } from '../shared/types';

export const MENU_NAME = 'Affinity';

function deps(): Deps {
  return { http: urlFetchHttp, clock: gasClock, log: gasLog, user: userStore() };
}

/** A message safe to show: AffinityErrors are written for users; anything else is reported plainly. */
export function userMessage(e: unknown): string {
  if (e instanceof AffinityError) return e.message;
  const text = e instanceof Error ? e.message : String(e);
  return `Something went wrong: ${text}`;
}

// ---- menu --------------------------------------------------------------------------------------------------

export function buildMenu(ui: GoogleAppsScript.Base.Ui): void {
  ui.createMenu(MENU_NAME)
    .addItem('Settings…', 'showSettings')
    .addSeparator()
    .addItem('Pull this tab', 'menuPullThisTab')
    .addItem('Pull all tabs', 'menuPullAllTabs')
    .addSeparator()
    .addItem('Push this tab', 'menuPushThisTab')
    .addItem('Preview changes…', 'menuPreviewChanges')
    .addSeparator()
    .addItem('Schedule…', 'menuSchedule')
    .addItem('Run sync now', 'menuRunSyncNow')
    .addToUi();
}

export function menuPullThisTab(): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const sheet = ss.getActiveSheet();
  const binding = findBinding(documentStore(), sheet.getSheetId());
  if (!binding) {
    offerSettings('This tab is not synced', `“${sheet.getName()}” is not bound to an Affinity view.`);
    return;
  }
  const message = pullAndReport(binding);
  ss.toast(message, 'Affinity', 8);
}

export function menuPullAllTabs(): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const bindings = loadBindings(documentStore());
  if (bindings.length === 0) {
    offerSettings('No synced tabs', 'No tab is bound to an Affinity view yet.');
    return;
  }
  const messages = bindings.map((b) => pullAndReport(b));
  ss.toast(messages.join('\n'), 'Affinity', 10);
}

export { pullMessage };

function pullAndReport(binding: Binding): string {
  try {
    const s = pullTab(binding.sheetId);
    return `${s.tabName}: ${pullMessage(s)}`;
  } catch (e) {
    return `${binding.viewName}: ${userMessage(e)}`;
  }
}

// ---- actions (also called from the sidebar) -----------------------------------------------------------------

export function connect(apiKey: string): ConnectionStatus {
  return connectWithKey(deps(), apiKey);
}

export function getConnection(): ConnectionStatus {
  return connectionStatus(userStore());
}

export function removeKey(): ConnectionStatus {
  return disconnect(userStore());
}

export function getLists(): { id: number; name: string; type: ListType }[] {
  return clientFor(deps())
    .lists()
    .map((l) => ({ id: l.id, name: l.name, type: l.type }));
}

export function getViews(listId: number): { id: number; name: string; type: string; syncable: boolean }[] {
  return clientFor(deps())
    .savedViews(listId)
    .map((v) => ({ id: v.id, name: v.name, type: v.type, syncable: v.type === 'sheet' }));
}

/**
 * Binds a tab to a saved view and pulls it. `sheetId` is an existing tab; without it a new tab named after the
 * view (made unique) is created.
 */
export function bindTab(listId: number, viewId: number, sheetId?: number): PullSummary {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const client = clientFor(deps());
  const list = client.list(listId);
  const view = client.savedView(listId, viewId);
  assertSheetView(view);
  const doc = documentStore();
  let sheet = sheetId !== undefined && sheetId !== null ? ss.getSheetById(sheetId) : null;
  if (!sheet) sheet = ss.insertSheet(uniqueTabName(ss, view.name));
  const binding: Binding = {
    sheetId: sheet.getSheetId(),
    listId,
    listName: list.name,
    listType: list.type,
    viewId,
    viewName: view.name,
  };
  upsertBinding(doc, binding);
  return pullBound(binding.sheetId, { client, view });
}

export function unbindTab(sheetId: number): boolean {
  return removeBinding(documentStore(), sheetId);
}

export function getBindings(): BindingInfo[] {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  return loadBindings(documentStore()).map((b) => ({
    ...b,
    tabName: ss.getSheetById(b.sheetId)?.getName() ?? '(deleted tab)',
  }));
}

export function pullTab(sheetId: number): PullSummary {
  return pullBound(sheetId);
}

/**
 * A pull as a run (sync/runs.ts): under the script and document locks, resumable when the view is too large for one
 * execution. `prefetched` saves the requests a bind has already made.
 */
function pullBound(sheetId: number, prefetched?: { client: AffinityClient; view: SavedView }): PullSummary {
  return pullTabRun(sheetId, prefetched);
}

function uniqueTabName(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, base: string): string {
  const clean =
    base
      .replace(/[[\]*?:/\\]/g, ' ')
      .trim()
      .slice(0, 90) || 'Affinity view';
  let name = clean;
  for (let n = 2; ss.getSheetByName(name); n++) name = `${clean} (${n})`;
  return name;
}
