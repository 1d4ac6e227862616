/**
 * Affinity › Check this spreadsheet (issue 9, "Checkable in the field"): dist/Code.js in the harness checks the Google
 * behaviours the harness models. Against the harness every one is confirmed; against its divergent mode each
 * difference is reported. Either way nothing of the user's is left changed. Run `npm run build` first.
 */
import { AppsScriptHarness } from '../../tools/harness';
import type { SelfCheckRow } from '../../src/server/engine/selfCheck';

function harness(divergent: boolean): AppsScriptHarness {
  const h = new AppsScriptHarness({ divergent });
  h.openSpreadsheet();
  const sheet = h.spreadsheet.getSheetByName('Sheet1')!;
  sheet.getRange('A1:B2').setValues([
    ['Mine', 42],
    ['Kept', 'as is'],
  ]);
  h.properties.document.setProperty('user.setting', 'mine');
  h.run('setPendingMarks', true); // one trigger of the user's: the check must leave it
  return h;
}

/** What a user would notice changed: tabs, their values, the active tab, properties, triggers. */
function userState(h: AppsScriptHarness) {
  const ss = h.spreadsheet;
  return {
    tabs: ss.getSheets().map((s) => s.getName()),
    active: ss.getActiveSheet().getName(),
    values: ss.getSheetByName('Sheet1')!.getRange('A1:B2').getValues(),
    properties: h.properties.document.getProperties(),
    triggers: h.triggers.map((t) => t.handler),
  };
}

function check(h: AppsScriptHarness): { rows: SelfCheckRow[]; text: string } {
  const item = h.ui.menus.flatMap((m) => m.items).find((i) => i.caption === 'Check this spreadsheet');
  expect(item).toBeDefined();
  h.runAs('menu', item!.fn);
  const alert = h.ui.alerts[h.ui.alerts.length - 1];
  const rows = h.runAs('rpc', 'checkSpreadsheet') as SelfCheckRow[];
  return { rows, text: `${alert.title}\n${alert.prompt}` };
}

describe('Affinity › Check this spreadsheet', () => {
  it('against the harness: every behaviour it models is confirmed, and nothing of the user’s changed', () => {
    const h = harness(false);
    const before = userState(h);
    const { rows, text } = check(h);
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ['plain-text-apostrophe', 'confirmed'],
      ['active-user-email', 'confirmed'],
      ['trigger-limit', 'confirmed'],
      ['property-size', 'confirmed'],
    ]);
    expect(text).toContain('4 confirmed, 0 differ, 0 could not be checked');
    expect(userState(h)).toEqual(before);
  });

  it('against a divergent harness: each difference reported, and nothing of the user’s changed', () => {
    const h = harness(true);
    const before = userState(h);
    const { rows, text } = check(h);
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ['plain-text-apostrophe', 'differs'],
      ['active-user-email', 'differs'],
      ['trigger-limit', 'differs'],
      ['property-size', 'differs'],
    ]);
    expect(text).toContain('0 confirmed, 4 differ');
    expect(userState(h)).toEqual(before);
  });
});
