/**
 * Apps Script entry points. Every export here becomes a top-level function in dist/Code.js (scripts/build.ts):
 * simple triggers, menu items and the calls the sidebar makes. Logic lives in the modules imported below.
 */
import { buildMenu } from './app';

/** Simple trigger: adds the Affinity menu when the spreadsheet opens. */
export function onOpen(): void {
  buildMenu(SpreadsheetApp.getUi());
}

/** Runs when installed as an add-on: same menu. */
export function onInstall(): void {
  onOpen();
}

export {
  menuPullThisTab,
  menuPullAllTabs,
  connect,
  getConnection,
  removeKey,
  getLists,
  getViews,
  bindTab,
  unbindTab,
  getBindings,
  pullTab,
} from './app';

export { showSettings, getSettingsState, getProgress, connectNango, getTabs, openTab } from './sidebar';

export {
  pushTab,
  previewPush,
  menuPushThisTab,
  menuPreviewChanges,
  getConflictPolicy,
  getPushSettings,
  setConflictPolicy,
  setPendingMarks,
  onEditMarkPending,
} from './pushActions';

export {
  scheduledSync,
  continueSync,
  menuSchedule,
  menuRunSyncNow,
  runSyncNow,
  getScheduleState,
  previewSchedule,
  saveSchedule,
  resumeSchedule,
} from './scheduleActions';
