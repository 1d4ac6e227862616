import { AppsScriptHarness } from '../../tools/harness';
import { harnessFor } from './helpers';

const code = `
function installTick() { ScriptApp.newTrigger('tick').timeBased().everyMinutes(5).create(); }
function installOnce(ms) { return ScriptApp.newTrigger('once').timeBased().after(ms).create().getUniqueId(); }
function installDaily() { ScriptApp.newTrigger('daily').timeBased().everyDays(1).atHour(9).inTimezone('America/New_York').create(); }
function tick(e) {
  var p = PropertiesService.getScriptProperties();
  p.setProperty('ticks', String(Number(p.getProperty('ticks') || 0) + 1));
  p.setProperty('lastTickAt', String(Date.now()));
  p.setProperty('event', JSON.stringify({ mode: String(e.authMode), uid: e.triggerUid, minute: e.minute, tz: e.timezone }));
}
function once() { PropertiesService.getScriptProperties().setProperty('once', String(Date.now())); }
function daily() { PropertiesService.getScriptProperties().setProperty('daily', Utilities.formatDate(new Date(), 'America/New_York', 'yyyy-MM-dd HH:mm')); }
function list() {
  return ScriptApp.getProjectTriggers().map(function (t) {
    return [t.getHandlerFunction(), t.getEventType().toString(), t.getTriggerSource().toString(), t.getEventType() === ScriptApp.EventType.CLOCK];
  });
}
function deleteAll() { ScriptApp.getProjectTriggers().forEach(function (t) { ScriptApp.deleteTrigger(t); }); }
function many(n) { for (var i = 0; i < n; i++) ScriptApp.newTrigger('tick').timeBased().everyHours(1).create(); }
function installEdit() { ScriptApp.newTrigger('onEditInstalled').forSpreadsheet(SpreadsheetApp.getActive()).onEdit().create(); }
function onEditInstalled(e) {
  PropertiesService.getScriptProperties().setProperty('edit', JSON.stringify({
    a1: e.range.getA1Notation(), sheet: e.range.getSheet().getName(), value: e.value, oldValue: e.oldValue,
    user: e.user.getEmail(), mode: String(e.authMode), uid: e.triggerUid, full: e.authMode === ScriptApp.AuthMode.FULL,
    fetchAllowed: typeof UrlFetchApp.fetchAll === 'function'
  }));
}
function onEdit(e) {
  var p = PropertiesService.getDocumentProperties();
  p.setProperty('simple', String(e.authMode) + ':' + e.range.getA1Notation() + ':' + (e.value === undefined ? 'multi' : e.value));
  try { UrlFetchApp.fetch('https://api.affinity.co/v2/whoami'); p.setProperty('fetch', 'allowed'); } catch (err) { p.setProperty('fetch', err.message); }
  try { ScriptApp.newTrigger('tick').timeBased().everyMinutes(1).create(); } catch (err) { p.setProperty('trigger', err.message); }
  try { PropertiesService.getUserProperties(); } catch (err) { p.setProperty('user', err.message); }
}
function onOpen(e) {
  SpreadsheetApp.getUi().createMenu('Affinity').addItem('Sync now', 'syncNow').addSeparator()
    .addSubMenu(SpreadsheetApp.getUi().createMenu('More').addItem('Settings', 'settings')).addToUi();
  PropertiesService.getDocumentProperties().setProperty('opened', String(e.authMode));
}
function syncNow() { return 'synced'; }
`;

const MIN = 60_000;

describe('triggers', () => {
  it('time-driven triggers fire on advance, each as its own execution, in time order', () => {
    // cpuFactor 0: the virtual clock moves by the cost model only, whatever the machine's speed or load.
    const h = harnessFor(code, { costs: { cpuFactor: 0 } });
    const t0 = h.clock.now();
    h.run('installTick');
    h.run('installOnce', 7 * MIN);
    const ran = h.advance(16 * MIN);
    expect(ran.map((m) => m.fn)).toEqual(['tick', 'once', 'tick', 'tick']); // at 5, 7, 10, 15 minutes
    expect(ran.every((m) => m.kind === 'installable-trigger' && m.triggerUid)).toBe(true);
    expect(h.properties.script.getProperty('ticks')).toBe('3');
    const ev = JSON.parse(h.properties.script.getProperty('event')!);
    expect(ev.mode).toBe('FULL');
    expect(ev.tz).toBe('UTC');
    expect(ev.uid).toBe(h.triggers[0].uid);
    const onceAt = Number(h.properties.script.getProperty('once'));
    expect(onceAt).toBeGreaterThanOrEqual(t0 + 7 * MIN);
    expect(onceAt).toBeLessThan(t0 + 7 * MIN + 5_000);
    expect(h.clock.now()).toBeGreaterThanOrEqual(t0 + 16 * MIN);
    // an after() trigger fires once
    h.advance(60 * MIN);
    expect(h.executions.filter((m) => m.fn === 'once')).toHaveLength(1);
  });

  it('daily triggers fire at the hour in their time zone', () => {
    const h = harnessFor(code, { startTime: Date.UTC(2026, 0, 5, 20, 0) }); // 15:00 in New York
    h.run('installDaily');
    h.advance(24 * 60 * MIN);
    expect(h.properties.script.getProperty('daily')).toBe('2026-01-06 09:00');
  });

  it('lists and deletes triggers; a handler may delete its own trigger', () => {
    const h = harnessFor(code);
    h.run('installTick');
    h.run('installEdit');
    expect(h.run('list')).toEqual([
      ['tick', 'CLOCK', 'CLOCK', true],
      ['onEditInstalled', 'ON_EDIT', 'SPREADSHEETS', false],
    ]);
    h.run('deleteAll');
    expect(h.run('list')).toEqual([]);
    h.advance(30 * MIN);
    expect(h.executions.some((m) => m.fn === 'tick')).toBe(false);
  });

  it('caps triggers at 20 per user per script', () => {
    const h = harnessFor(code);
    h.run('many', 20);
    expect(() => h.run('many', 1)).toThrow(
      'This script has too many triggers. Triggers must be deleted from the script before more can be added.',
    );
    // another user has their own 20
    h.user = 'colleague@example.com';
    h.run('many', 1);
    expect(h.triggers).toHaveLength(21);
  });

  it('installable onEdit runs as its creator with a full event object', () => {
    const h = harnessFor(code, { user: 'owner@example.com' });
    h.run('installEdit');
    h.sheet('Sheet1').getRange('B2').setValue('before');
    h.userEdit('Sheet1', 'B2', [['after']], { user: 'editor@example.com' });
    const ev = JSON.parse(h.properties.script.getProperty('edit')!);
    expect(ev).toEqual({
      a1: 'B2',
      sheet: 'Sheet1',
      value: 'after',
      oldValue: 'before',
      user: 'editor@example.com',
      mode: 'FULL',
      uid: h.triggers[0].uid,
      full: true,
      fetchAllowed: true,
    });
    const m = h.executions.find((x) => x.fn === 'onEditInstalled')!;
    expect(m.user).toBe('owner@example.com');
    expect(m.kind).toBe('installable-trigger');
  });

  it('simple triggers run with limited authorization', () => {
    const h = harnessFor(code, { manifest: { timeZone: 'Etc/UTC', urlFetchWhitelist: ['https://api.affinity.co/'] } });
    h.userEdit('Sheet1', 'A1:B1', [['x', 'y']]);
    const p = h.properties.document;
    expect(p.getProperty('simple')).toBe('LIMITED:A1:B1:multi');
    expect(p.getProperty('fetch')).toBe(
      'You do not have permission to call UrlFetchApp.fetch. Required permissions: https://www.googleapis.com/auth/script.external_request',
    );
    expect(p.getProperty('trigger')).toBe(
      'You do not have permission to call ScriptApp.newTrigger. Required permissions: https://www.googleapis.com/auth/script.scriptapp',
    );
    expect(p.getProperty('user')).toBe('You do not have permission to call PropertiesService.getUserProperties.');
    expect(h.fetchLog).toHaveLength(0);
    expect(h.triggers).toHaveLength(0);
    // runAs gives the same limits
    expect(() => h.runAs('simple-trigger', 'installTick')).toThrow(
      'You do not have permission to call ScriptApp.newTrigger',
    );
    expect(h.lastExecution.kind).toBe('simple-trigger');
  });

  it('openSpreadsheet fires the simple onOpen, which builds menus', () => {
    const h = harnessFor(code);
    h.openSpreadsheet();
    expect(h.properties.document.getProperty('opened')).toBe('LIMITED');
    expect(h.ui.menus).toEqual([
      expect.objectContaining({
        name: 'Affinity',
        items: [
          { caption: 'Sync now', fn: 'syncNow' },
          { caption: 'Settings', fn: 'settings' },
        ],
      }),
    ]);
    expect(h.clickMenu('Affinity', 'Sync now')).toBe('synced');
    expect(h.lastExecution.kind).toBe('menu');
  });
});

describe('manifest scopes', () => {
  const scoped = `
function fetchIt() { try { UrlFetchApp.fetch('https://api.affinity.co/v2/x'); } catch (e) { return e.message; } }
function sidebar() { try { SpreadsheetApp.getUi().showSidebar(HtmlService.createHtmlOutput('x')); return 'shown'; } catch (e) { return e.message; } }
function cells() { return SpreadsheetApp.getActiveSheet().getRange('A1').getValue(); }
`;
  it('refuses calls whose scope the manifest does not list', () => {
    const h = harnessFor(scoped, {
      manifest: { timeZone: 'Etc/UTC', oauthScopes: ['https://www.googleapis.com/auth/spreadsheets.currentonly'] },
    });
    expect(h.run('fetchIt')).toBe(
      'Specified permissions are not sufficient to call UrlFetchApp.fetch. Required permissions: https://www.googleapis.com/auth/script.external_request',
    );
    expect(h.run('sidebar')).toBe(
      'Specified permissions are not sufficient to call Ui.showSidebar. Required permissions: https://www.googleapis.com/auth/script.container.ui',
    );
    expect(h.run('cells')).toBe('');
  });

  it("reads this repository's appsscript.json by default", () => {
    const h = new AppsScriptHarness({ code: scoped });
    expect(h.state.manifest.urlFetchWhitelist).toEqual(['https://api.affinity.co/', 'https://api.nango.dev/']);
    expect(h.run('sidebar')).toBe('shown');
  });
});
