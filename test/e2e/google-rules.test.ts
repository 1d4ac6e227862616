/**
 * The product against the rules where Google is less kind than a naive stand-in (docs/harness.md): Plain-text
 * columns keep apostrophes, property values are measured in UTF-8 bytes, insertSheet moves the user, and a
 * spreadsheet holds at most 10 million cells. The built bundle in the harness, against the emulator over HTTP.
 * Run `npm run build` first.
 */
import { DEALFLOW, dealflowSeed } from '../../tools/emulator/seeds/dealflow';
import type { PushPreview, PushSummary } from '../../src/shared/push';
import { activePipelineWorld, bindWorld, letters, type World } from './pushHelpers';

const F = DEALFLOW.fields;
const L = DEALFLOW.listId;

const writes = (w: World, from: number) => w.requestsSince(from).filter((r) => r.method.toLowerCase() !== 'get');

describe('a Plain-text (@) column', () => {
  let w: World;
  beforeEach(async () => {
    w = await activePipelineWorld();
  });
  afterEach(() => w.close());

  it('pulled text round-trips without an apostrophe; preview and push find nothing to send', async () => {
    const h = w.product.harness;
    const letter = letters(w.col(F.description));
    h.sheet(w.tab).getRange(`${letter}:${letter}`).setNumberFormat('@'); // Format › Number › Plain text
    await w.product.emulator.admin.editField(L, 20001, F.description, { type: 'text', data: 'Changed in Affinity' });
    w.run('pullTab', w.sheetId);
    const cell = h.sheet(w.tab).getRange(w.a1(20001, F.description));
    expect(cell.getValue()).toBe('Changed in Affinity');
    expect(cell.getDisplayValue()).toBe('Changed in Affinity');
    // every other text of the column too: no cell starts with an apostrophe
    const column = h
      .sheet(w.tab)
      .getRange(`${letter}2:${letter}${h.sheet(w.tab).getLastRow()}`)
      .getValues();
    expect(column.flat().filter((v) => String(v).startsWith("'"))).toEqual([]);

    const from = h.fetchLog.length;
    const p = h.runAs('rpc', 'previewPush', w.sheetId) as PushPreview;
    expect(p.changes).toEqual([]);
    const summary = w.run('pushTab', w.sheetId) as PushSummary;
    expect(summary.sent).toBe(0);
    expect(writes(w, from)).toEqual([]);
  });

  it('an edit typed there is sent as typed, and the column keeps no apostrophe after the push', () => {
    const h = w.product.harness;
    const letter = letters(w.col(F.description));
    h.sheet(w.tab).getRange(`${letter}:${letter}`).setNumberFormat('@');
    w.run('pullTab', w.sheetId);
    w.type(20002, F.description, '007 and counting');
    const from = h.fetchLog.length;
    const summary = w.run('pushTab', w.sheetId) as PushSummary;
    expect(summary.sent).toBe(1);
    const sent = writes(w, from).map((r) => r.payload ?? '');
    expect(sent.join('\n')).toContain('"007 and counting"');
    expect(sent.join('\n')).not.toContain("'");
    w.run('pullTab', w.sheetId);
    expect(h.sheet(w.tab).getRange(w.a1(20002, F.description)).getValue()).toBe('007 and counting');
  });
});

/** The deal-flow seed with a Japanese list and views, and two fields (not in Active Pipeline) with long Japanese names. */
function japaneseSeed() {
  const seed = dealflowSeed();
  seed.lists = seed.lists.map((l) => ({ ...l, name: 'ディールフロー・投資案件パイプライン管理リスト' }));
  seed.savedViews[L] = seed.savedViews[L].map((v) => ({
    ...v,
    name: `進行中の案件一覧（${v.id}）パートナー会議用ビュー`,
  }));
  const long = (label: string) => `${label}：${'評価額と算定根拠の詳細説明'.repeat(120)}`; // 1,560 characters, 4,680 bytes
  const names: Record<string, string> = { [F.valuation]: long('評価額'), [F.score]: long('スコア') };
  seed.fields[L] = seed.fields[L].map((f) => (names[f.id] ? { ...f, name: names[f.id] } : f));
  for (const e of seed.entries[L]) {
    e.entity.fields = (e.entity.fields ?? []).map((f) => (names[f.id] ? { ...f, name: names[f.id] } : f));
  }
  return seed;
}

describe('40 tabs with Japanese list, view and field names', () => {
  it('bind, pull and push: bindings and column specs stay under 9 KB per property value (UTF-8)', async () => {
    const w = await bindWorld({
      seed: japaneseSeed(),
      apiKey: DEALFLOW.apiKey,
      listId: L,
      viewId: DEALFLOW.views.allDeals, // the long field names: 9.5 KB of column specs for this tab
    });
    try {
      const h = w.product.harness;
      for (let i = 1; i < 40; i++) h.run('bindTab', L, DEALFLOW.views.activePipeline);
      const bindings = h.run('getBindings') as { sheetId: number; lastPull?: { ok?: boolean } }[];
      expect(bindings).toHaveLength(40);
      expect(h.executions.filter((e) => e.error)).toEqual([]);
      // every stored value fits, and the long field names came back intact for push
      const doc = h.properties.document;
      for (const k of doc.getKeys()) expect(Buffer.byteLength(doc.getProperty(k)!, 'utf8')).toBeLessThanOrEqual(9216);
      w.type(20001, F.valuation, 42);
      const summary = w.run('pushTab', w.sheetId) as PushSummary;
      expect(summary.sent).toBe(1);
      expect(h.run('pullTab', bindings[39].sheetId)).toMatchObject({ rows: expect.any(Number) });
    } finally {
      await w.close();
    }
  }, 120_000);
});

describe('the hidden sheets of a bound tab', () => {
  it('leave the user on their tab: binding ends on the new tab, not on its hidden base snapshot', async () => {
    const w = await activePipelineWorld();
    try {
      const ss = w.product.harness.spreadsheet;
      expect(ss.getActiveSheet().getName()).toBe(w.tab);
      // a user on another tab binds that tab in place: they stay on it
      ss.setActiveSheet(ss.getSheetByName('Sheet1')!);
      w.run('bindTab', L, DEALFLOW.views.allDeals, ss.getSheetByName('Sheet1')!.getSheetId());
      expect(ss.getActiveSheet().getName()).toBe('Sheet1');
      expect(ss.getSheets().filter((s) => s.isSheetHidden())).toHaveLength(2);
    } finally {
      await w.close();
    }
  });
});

describe('10 million cells per spreadsheet', () => {
  it('a pull that would pass the limit stops before growing anything and names the tab to unbind', async () => {
    const w = await activePipelineWorld();
    try {
      const h = w.product.harness;
      const ss = h.spreadsheet;
      const tab = ss.getSheetByName(w.tab)!;
      tab.deleteRows(tab.getLastRow() + 1, tab.getMaxRows() - tab.getLastRow()); // the tab is exactly full
      // An archive tab brings the spreadsheet to 5 cells under the limit (it is the largest tab).
      const notes = ss.insertSheet('Notes');
      notes.deleteColumns(2, 25);
      const total = () => ss.getSheets().reduce((n, s) => n + s.getMaxRows() * s.getMaxColumns(), 0);
      const archive = ss.insertSheet('Archive');
      archive.insertColumnsAfter(26, Math.floor((10_000_000 - total() - 5) / 1000) - 26);
      const slack = 10_000_000 - total();
      if (slack > 5) notes.insertRowsAfter(1000, slack - 5);
      expect(total()).toBe(10_000_000 - 5);
      const cellsBefore = total();
      // One more entry in the view: the tab needs a row (26 cells).
      const view = await w.product.emulator.admin.getView(L, DEALFLOW.views.activePipeline);
      const all = await w.product.emulator.admin.getView(L, DEALFLOW.views.allDeals);
      const extra = all.entryIds.find((id) => !view.entryIds.includes(id))!;
      await w.product.emulator.admin.setView(L, DEALFLOW.views.activePipeline, {
        entryIds: [...view.entryIds, extra],
      });
      expect(() => w.run('pullTab', w.sheetId)).toThrow(
        /needs 26 more cells, and Google Sheets allows 10,000,000 per spreadsheet .*the largest is “Archive”/,
      );
      expect(total()).toBe(cellsBefore);
      // Room made: the pull completes.
      ss.deleteSheet(archive);
      expect(w.run('pullTab', w.sheetId)).toMatchObject({ added: 1 });
    } finally {
      await w.close();
    }
  });
});
