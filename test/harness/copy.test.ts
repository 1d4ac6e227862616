/**
 * File › Make a copy (harness.makeCopy, docs/harness.md): the copy keeps tabs, hidden sheets, developer metadata and
 * document properties; it gets a new id and loses installable triggers, user properties and caches.
 */
import { harnessFor } from './helpers';

const code = `
function setUp() {
  var ss = SpreadsheetApp.getActive();
  var hidden = ss.insertSheet('_base');
  hidden.hideSheet();
  ss.getSheets()[0].getRange('A:A').addDeveloperMetadata('col', 'key');
  ss.getSheets()[0].getRange('A1').setValue('kept');
  PropertiesService.getDocumentProperties().setProperty('bindings', '[1]');
  PropertiesService.getUserProperties().setProperty('apiKey', 'secret');
  CacheService.getDocumentCache().put('c', 'v', 600);
  ScriptApp.newTrigger('tick').timeBased().everyHours(1).create();
}
function tick() {}
function look() {
  var ss = SpreadsheetApp.getActive();
  return {
    id: ss.getId(),
    name: ss.getName(),
    sheets: ss.getSheets().map(function (s) { return s.getName() + (s.isSheetHidden() ? ' (hidden)' : ''); }),
    metadata: ss.getSheets()[0].createDeveloperMetadataFinder().withKey('col').find().length,
    a1: ss.getSheets()[0].getRange('A1').getValue(),
    doc: PropertiesService.getDocumentProperties().getProperty('bindings'),
    user: PropertiesService.getUserProperties().getProperty('apiKey'),
    cache: CacheService.getDocumentCache().get('c'),
    triggers: ScriptApp.getProjectTriggers().length,
  };
}
`;

describe('makeCopy', () => {
  it('keeps the document and its properties; loses triggers, user properties and caches; gets a new id', () => {
    const h = harnessFor(code);
    h.run('setUp');
    const before = h.run('look') as Record<string, unknown>;
    expect(before).toMatchObject({ user: 'secret', cache: 'v', triggers: 1 });
    h.makeCopy();
    const after = h.run('look') as Record<string, unknown>;
    expect(after.id).not.toBe(before.id);
    expect(after.name).toBe(`Copy of ${String(before.name)}`);
    expect(after).toMatchObject({
      sheets: before.sheets,
      metadata: 1,
      a1: 'kept',
      doc: '[1]',
      user: null,
      cache: null,
      triggers: 0,
    });
    expect(h.triggers).toEqual([]);
  });
});
