import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { harnessFor } from './helpers';

const code = `
function showSidebar() {
  var t = HtmlService.createTemplateFromFile('sidebar');
  t.title = 'Affinity <Sync>';
  var html = t.evaluate().setTitle('Affinity Sync');
  SpreadsheetApp.getUi().showSidebar(html);
}
function include(name) { return HtmlService.createHtmlOutputFromFile(name).getContent(); }
function missing() { HtmlService.createHtmlOutputFromFile('nope'); }
function confirmIt() {
  var ui = SpreadsheetApp.getUi();
  var b = ui.alert('Push changes', 'Send 3 edits to Affinity?', ui.ButtonSet.YES_NO);
  var p = ui.prompt('API key', 'Paste your key', ui.ButtonSet.OK_CANCEL);
  return [String(b), b === ui.Button.YES, p.getResponseText(), String(p.getSelectedButton())];
}
function dialog() { SpreadsheetApp.getUi().showModalDialog(HtmlService.createHtmlOutput('<b>hi</b>').setWidth(400).setHeight(200), 'Hello'); }
function toast() { SpreadsheetApp.getActiveSpreadsheet().toast('Pulled 12 rows', 'Affinity', 3); }
function fromClock() { SpreadsheetApp.getUi(); }
function installClock() { ScriptApp.newTrigger('fromClock').timeBased().after(1000).create(); }
function settings() { return { apiKeySet: true, views: [{ id: 1, name: 'Pipeline' }], missing: undefined }; }
function withDate() { return { when: new Date() }; }
function privateFn_() { return 1; }
function utils() {
  var d = new Date(Date.UTC(2024, 0, 15, 17, 5, 9, 42));
  return {
    iso: Utilities.formatDate(d, 'America/New_York', "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"),
    human: Utilities.formatDate(d, 'Europe/Paris', 'EEE, d MMM yyyy HH:mm Z'),
    utc: Utilities.formatDate(d, 'UTC', 'yyyy-MM-dd HH:mm:ss XXX'),
    b64: Utilities.base64Encode('héllo'),
    b64web: Utilities.base64EncodeWebSafe([-1, -2, -3]),
    decoded: Utilities.newBlob(Utilities.base64Decode('aMOpbGxv')).getDataAsString(),
    md5: Utilities.computeDigest(Utilities.DigestAlgorithm.MD5, 'abc').slice(0, 4),
    sha: Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, 'abc').length,
    hmac: Utilities.computeHmacSha256Signature('msg', 'key').length,
    uuid: Utilities.getUuid(),
    fmt: Utilities.formatString('%s has %d rows (%.1f%%)', 'Deals', 12, 99.5),
    parsed: Utilities.parseDate('2024-01-15 09:30', 'America/New_York', 'yyyy-MM-dd HH:mm').getTime(),
    tz: Session.getScriptTimeZone(),
    email: Session.getActiveUser().getEmail(),
    key: Session.getTemporaryActiveUserKey().length > 10,
  };
}
function logs() { Logger.log('rows=%s', 12); Logger.log({ a: 1 }); console.warn('careful', 3); console.error(new Error('x').message); }
`;

describe('HtmlService and Ui', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-html-'));
  fs.writeFileSync(
    path.join(dir, 'sidebar.html'),
    '<h1><?= title ?></h1><?!= include("style") ?><? for (var i = 0; i < 2; i++) { ?><p><?= i ?></p><? } ?>',
  );
  fs.writeFileSync(path.join(dir, 'style.html'), '<style>p{}</style>');

  it('serves project HTML files, evaluates templates and records sidebars', () => {
    const h = harnessFor(code, { htmlDir: dir });
    h.run('showSidebar');
    expect(h.ui.sidebars).toEqual([
      expect.objectContaining({
        title: 'Affinity Sync',
        html: '<h1>Affinity &#60;Sync&#62;</h1><style>p{}</style><p>0</p><p>1</p>',
      }),
    ]);
    expect(h.lastExecution.calls['HtmlService.createTemplateFromFile']).toBe(1);
    expect(h.lastExecution.calls['SpreadsheetApp.Ui.showSidebar']).toBe(1);
    expect(() => h.run('missing')).toThrow('No HTML file named nope was found.');
  });

  it('scripts alert and prompt responses', () => {
    const h = harnessFor(code);
    h.ui.respondToNextPrompt('secret-key', 'OK');
    expect(h.run('confirmIt')).toEqual(['YES', true, 'secret-key', 'OK']);
    h.ui.respondToNextAlert('NO');
    expect(h.run('confirmIt')).toEqual(['NO', false, '', 'CANCEL']);
    expect(h.ui.alerts.map((a) => [a.kind, a.title, a.response])).toEqual([
      ['alert', 'Push changes', 'YES'],
      ['prompt', 'API key', 'OK'],
      ['alert', 'Push changes', 'NO'],
      ['prompt', 'API key', 'CANCEL'],
    ]);
    h.run('dialog');
    h.run('toast');
    expect(h.ui.dialogs[0]).toMatchObject({ title: 'Hello', html: '<b>hi</b>', modal: true, width: 400, height: 200 });
    expect(h.ui.toasts[0]).toMatchObject({ message: 'Pulled 12 rows', title: 'Affinity', timeoutSeconds: 3 });
  });

  it('refuses getUi() in a time-driven trigger', () => {
    const h = harnessFor(code);
    h.run('installClock');
    h.advance(2000);
    expect(h.lastExecution.error).toBe('Cannot call SpreadsheetApp.getUi() from this context.');
  });

  it('rpc (google.script.run): plain data passes, a Date nulls the result, private functions are not callable', () => {
    const h = harnessFor(code);
    expect(h.runAs('rpc', 'settings')).toEqual({
      apiKeySet: true,
      views: [{ id: 1, name: 'Pipeline' }],
      missing: undefined,
    });
    expect(h.runAs('rpc', 'withDate')).toBeNull();
    expect(() => h.runAs('rpc', 'privateFn_')).toThrow(/private/);
  });
});

describe('Utilities, Session, Logger', () => {
  it('formats dates like SimpleDateFormat and computes digests as signed bytes', () => {
    const h = harnessFor(code);
    const u = h.run('utils') as Record<string, unknown>;
    expect(u.iso).toBe('2024-01-15T12:05:09.042-05:00');
    expect(u.human).toBe('Mon, 15 Jan 2024 18:05 +0100');
    expect(u.utc).toBe('2024-01-15 17:05:09 Z');
    expect(u.b64).toBe(Buffer.from('héllo').toString('base64'));
    expect(u.b64web).toBe('__79'); // ff fe fd
    expect(u.decoded).toBe('héllo');
    expect(u.md5).toEqual([-112, 1, 80, -104]); // 900150983cd24fb0...
    expect(u.sha).toBe(32);
    expect(u.hmac).toBe(32);
    expect(u.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(u.fmt).toBe('Deals has 12 rows (99.5%)');
    expect(u.parsed).toBe(Date.UTC(2024, 0, 15, 14, 30));
    expect(u.tz).toBe('Etc/UTC');
    expect(u.email).toBe('owner@example.com');
    expect(u.key).toBe(true);
  });

  it('records Logger and console lines', () => {
    const h = harnessFor(code);
    h.run('logs');
    expect(h.logs).toEqual(['rows=12', '{"a":1}', 'careful 3', 'x']);
    expect(h.logEntries.map((e) => e.level)).toEqual(['log', 'log', 'warn', 'error']);
    expect(h.lastExecution.calls['Logger.log']).toBe(2);
    expect(h.lastExecution.callsByService.console).toBeUndefined();
  });
});
