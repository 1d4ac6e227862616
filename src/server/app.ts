/**
 * The product's actions, wired to Apps Script: what the menu items and sidebar calls do. main.ts only re-exports.
 */
import { AffinityError } from './affinity/errors';
import { assertSheetView, type AffinityClient } from './affinity/client';
import type { ListType, SavedView } from './affinity/types';
import { documentCache } from './gas/cache';
import { documentStore, gasClock, gasLog, urlFetchHttp, usageLedger, userStore } from './gas/platform';
import { findBinding, loadBindings, recordOutcome, removeBinding, upsertBinding, type Binding } from './sync/bindings';
import { ProgressStore } from './sync/progress';
import { pullBinding } from './sync/pull';
import { clientFor, connectWithKey, connectionStatus, disconnect, type Deps } from './sync/settings';
import { offerSettings } from './sidebar';
import type { BindingInfo, ConnectionStatus, PullSummary } from '../shared/types';

export const MENU_NAME = 'Affinity';

function deps(): Deps {
  return { http: urlFetchHttp, clock: gasClock, log: gasLog, user: userStore() };
}

function today(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): string {
  return Utilities.formatDate(new Date(), ss.getSpreadsheetTimeZone(), 'yyyy-MM-dd');
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
    .addItem('Push settings…', 'menuPushSettings')
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

/** "25 rows, 2 added, 3 cells updated." */
export function pullMessage(s: PullSummary): string {
  const parts = [`${s.rows} rows`];
  if (s.added) parts.push(`${s.added} added`);
  if (s.updatedCells) parts.push(`${s.updatedCells} cells updated`);
  if (s.removed) parts.push(`${s.removed} removed`);
  if (s.pendingEdits) parts.push(`${s.pendingEdits} edits not pushed yet`);
  if (s.conflicts) parts.push(`${s.conflicts} conflicts flagged`);
  return `${parts.join(', ')}.`;
}

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
  return loadBindings(documentStore()).map((b) => ({ ...b, tabName: ss.getSheetById(b.sheetId)?.getName() ?? '(deleted tab)' }));
}

export function pullTab(sheetId: number): PullSummary {
  return pullBound(sheetId);
}

/** Pull under the document lock; `prefetched` saves the requests a bind has already made. */
function pullBound(sheetId: number, prefetched?: { client: AffinityClient; view: SavedView }): PullSummary {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const doc = documentStore();
  const binding = findBinding(doc, sheetId);
  if (!binding) throw new AffinityError('config', 'This tab is not bound to an Affinity view.');
  const lock = LockService.getDocumentLock();
  if (lock && !lock.tryLock(30_000)) {
    throw new AffinityError('config', 'Another sync of this spreadsheet is running; try again in a minute.');
  }
  const progress = new ProgressStore(documentCache(), () => Date.now());
  try {
    progress.set(sheetId, 'Reading the view from Affinity…');
    const client = prefetched?.client ?? clientFor(deps());
    const summary = usageLedger.deferWhile(() =>
      pullBinding(ss, binding, client, gasLog, today(ss), { view: prefetched?.view, onProgress: (m) => progress.set(sheetId, m) }),
    );
    recordOutcome(doc, sheetId, 'lastPull', { at: Date.now(), ok: true, message: pullMessage(summary) }, summary.rows);
    return summary;
  } catch (e) {
    recordOutcome(doc, sheetId, 'lastPull', { at: Date.now(), ok: false, message: userMessage(e) });
    throw e instanceof AffinityError ? e : new Error(userMessage(e));
  } finally {
    progress.clear(sheetId);
    SpreadsheetApp.flush();
    lock?.releaseLock();
  }
}

function uniqueTabName(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, base: string): string {
  const clean = base.replace(/[[\]*?:/\\]/g, ' ').trim().slice(0, 90) || 'Affinity view';
  let name = clean;
  for (let n = 2; ss.getSheetByName(name); n++) name = `${clean} (${n})`;
  return name;
}
