/**
 * Affinity › Check this spreadsheet: checks, in the real spreadsheet, the Google behaviours the product relies on
 * and the harness models (docs/harness.md, "Checked in the field"), and shows the result as plain text.
 */
import { selfCheckText, type SelfCheckRow } from './engine/selfCheck';
import { runSelfChecks } from './gas/selfCheck';

/** The checks' results (also what the menu item shows). */
export function checkSpreadsheet(): SelfCheckRow[] {
  return runSelfChecks(SpreadsheetApp.getActiveSpreadsheet());
}

export function menuCheckSpreadsheet(): void {
  const rows = checkSpreadsheet();
  const ui = SpreadsheetApp.getUi();
  // ui.alert shows plain text: nothing of the results is ever read as HTML.
  ui.alert('Check this spreadsheet', selfCheckText(rows), ui.ButtonSet.OK);
}

/** The handler of the check's temporary triggers, which are removed before they can fire: does nothing. */
export function selfCheckTrigger(): void {
  // intentionally empty
}
