/**
 * Apps Script entry points. Every export here becomes a top-level function in dist/Code.js (scripts/build.ts):
 * simple triggers, menu items, trigger handlers and the calls the panel and the preview dialog make. main.ts holds
 * no logic: each comes from the action file of its subject.
 */
import { buildMenu } from './gas/ui';

/** Simple trigger: adds the Affinity menu when the spreadsheet opens. */
export function onOpen(): void {
  buildMenu(SpreadsheetApp.getUi());
}

/** Runs when installed as an add-on: same menu. */
export function onInstall(): void {
  onOpen();
}

export { connect, getConnection, removeKey, getLists, getViews } from './connectionActions';

export { menuPullThisTab, menuPullAllTabs, bindTab, unbindTab, getBindings, pullTab } from './pullActions';

export { showSettings, getSettingsState, getProgress, connectNango, getTabs, openTab } from './sidebar';

export {
  pushTab,
  previewPush,
  menuPushThisTab,
  menuPreviewChanges,
  menuUndoLastPush,
  previewUndoPush,
  undoPush,
  getConflictPolicy,
  getPushSettings,
  setConflictPolicy,
  setPendingMarks,
  onEditMarkPending,
} from './pushActions';

export { onEdit } from './editActions';

export { runSyncNow } from './manualRuns';

export { checkSpreadsheet, menuCheckSpreadsheet, selfCheckTrigger } from './checkActions';

export {
  scheduledSync,
  continueSync,
  menuSchedule,
  menuRunSyncNow,
  getScheduleState,
  previewSchedule,
  saveSchedule,
  resumeSchedule,
  takeOverSchedule,
  setPushFirst,
} from './scheduleActions';
