/** The spreadsheet's dialogs for the product (SpreadsheetApp UI, HtmlService): the settings panel and its offer. */

export const SIDEBAR_TITLE = 'Affinity sync';

/** Opens the settings panel (dist/sidebar.html), at one of its sections when given. */
export function showSidebar(section?: string): void {
  let html = HtmlService.createHtmlOutputFromFile('sidebar').setTitle(SIDEBAR_TITLE);
  if (section !== undefined)
    html = html.append(
      `<script>window.affinityOpenSection=${JSON.stringify(section)};window.dispatchEvent(new Event("affinity-open-section"));</script>`,
    );
  SpreadsheetApp.getUi().showSidebar(html);
}

/** Says what is missing and offers to open the settings (used by menu actions on a tab that is not bound). */
export function offerSettings(title: string, message: string): void {
  const ui = SpreadsheetApp.getUi();
  const answer = ui.alert(
    title,
    `${message}\n\nOpen Affinity settings to bind it to a saved view?`,
    ui.ButtonSet.YES_NO,
  );
  if (answer === ui.Button.YES) showSidebar();
}

export const MENU_NAME = 'Affinity';

/** The Affinity menu (its items call main.ts's global functions by name). */
export function buildMenu(ui: GoogleAppsScript.Base.Ui): void {
  ui.createMenu(MENU_NAME)
    .addItem('Settings…', 'showSettings')
    .addSeparator()
    .addItem('Pull this tab', 'menuPullThisTab')
    .addItem('Pull all tabs', 'menuPullAllTabs')
    .addSeparator()
    .addItem('Push this tab', 'menuPushThisTab')
    .addItem('Preview changes…', 'menuPreviewChanges')
    .addItem('Undo last push…', 'menuUndoLastPush')
    .addSeparator()
    .addItem('Schedule…', 'menuSchedule')
    .addItem('Run sync now', 'menuRunSyncNow')
    .addSeparator()
    .addItem('Check this spreadsheet', 'menuCheckSpreadsheet')
    .addToUi();
}
