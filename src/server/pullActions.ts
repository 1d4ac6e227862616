/**
 * Binding tabs to saved views and pulling them: the menu's pull items, and the panel's bind, unbind and pull calls.
 * main.ts re-exports them.
 */
import { assertSheetView } from './affinity/client';
import { userMessage } from './affinity/errors';
import { documentStore } from './gas/platform';
import { offerSettings } from './gas/ui';
import { pullAllRun, pullTabRun } from './manualRuns';
import { findBinding, loadBindings, upsertBinding, type Binding } from './sync/bindings';
import { unbind } from './sync/unbind';
import { adoptIfCopied } from './sync/copiedSpreadsheet';
import { pullMessage } from './sync/pull';
import { affinityClient } from './wiring';
import type { BindingInfo, PullSummary } from '../shared/types';

// ---- menu items --------------------------------------------------------------------------------------------

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
  // One run, one budget for the execution: the views are paged together and what does not fit continues later.
  let message: string;
  try {
    message = pullAllRun();
  } catch (e) {
    message = userMessage(e);
  }
  ss.toast(message, 'Affinity', 10);
}

function pullAndReport(binding: Binding): string {
  try {
    const s = pullTab(binding.sheetId);
    return `${s.tabName}: ${pullMessage(s)}`;
  } catch (e) {
    return `${binding.viewName}: ${userMessage(e)}`;
  }
}

// ---- the panel's calls -------------------------------------------------------------------------------------

/**
 * Binds a tab to a saved view and pulls it. `sheetId` is an existing tab; without it a new tab named after the
 * view (made unique) is created.
 */
export function bindTab(listId: number, viewId: number, sheetId?: number): PullSummary {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const client = affinityClient();
  const list = client.list(listId);
  const view = client.savedView(listId, viewId);
  assertSheetView(view);
  const doc = documentStore();
  adoptIfCopied(ss, doc); // records which spreadsheet this is (sync/copiedSpreadsheet.ts)
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
  // The client and the view save the requests the pull would make again.
  return pullTabRun(binding.sheetId, { client, view });
}

export function unbindTab(sheetId: number): boolean {
  return unbind(SpreadsheetApp.getActiveSpreadsheet(), documentStore(), sheetId);
}

export function getBindings(): BindingInfo[] {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  return loadBindings(documentStore()).map((b) => ({
    ...b,
    tabName: ss.getSheetById(b.sheetId)?.getName() ?? '(deleted tab)',
  }));
}

/**
 * Pulls a bound tab now, as a run (manualRuns.ts): under the script and document locks, resumable when the view is
 * too large for one execution.
 */
export function pullTab(sheetId: number): PullSummary {
  return pullTabRun(sheetId);
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
