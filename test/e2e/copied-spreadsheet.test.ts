/**
 * A copied spreadsheet and unbinding a tab, end to end (docs/scenarios/copied-spreadsheet.json). File › Make a copy
 * (harness.makeCopy: tabs, hidden sheets, developer metadata and document properties copied; triggers and user
 * properties not): the copy keeps its bindings, the panel says what to do, and no push from the copy sends the
 * original's pending edits. Unbinding a tab removes what the product kept for it, and leaves the tab and its data.
 */
import type { PushPreview, PushSummary } from '../../src/shared/push';
import type { SettingsState } from '../../src/shared/settings';
import { DEALFLOW } from '../../tools/emulator/seeds/dealflow';
import { NAME_COLUMN } from '../../src/server/engine/layout';
import { activePipelineWorld, letters, patches, type World } from './pushHelpers';

const F = DEALFLOW.fields;

describe('a copied spreadsheet', () => {
  let w: World;
  beforeEach(async () => {
    w = await activePipelineWorld();
  });
  afterEach(() => w.close());

  it('keeps its bindings, says what to do, and never sends the original’s pending edits', () => {
    const h = w.product.harness;
    w.run('saveSchedule', { schedule: { kind: 'hourly' } });
    expect(h.triggers.length).toBeGreaterThan(0);
    w.type(20001, F.description, 'Pending in the original');
    const originalId = h.spreadsheet.getId();

    h.makeCopy();
    expect(h.spreadsheet.getId()).not.toBe(originalId);
    expect(h.triggers).toEqual([]);

    const state = h.runAs('rpc', 'getSettingsState') as SettingsState;
    expect(state.bindings.map((b) => b.sheetId)).toEqual([w.sheetId]);
    expect(state.connection.connected).toBe(false);
    expect(state.copyNotice).toMatch(/copy/);
    expect(state.copyNotice).toMatch(/connect to Affinity/);
    expect(state.copyNotice).toMatch(/save the schedule again/);

    h.run('connect', DEALFLOW.apiKey);
    const preview = h.runAs('rpc', 'previewPush', w.sheetId) as PushPreview;
    expect(preview.changes).toEqual([]);
    const from = h.fetchLog.length;
    const pushed = w.run('pushTab', w.sheetId) as PushSummary;
    expect(pushed.sent).toBe(0);
    expect(patches(w.requestsSince(from))).toEqual([]);
    expect(w.shown(20001, F.description)).toBe('Pending in the original');
    expect(w.note(20001, F.description)).toMatch(/copied from/);

    // An edit made in the copy is the copy's own: it is sent.
    w.type(20001, F.description, 'Typed in the copy');
    const mine = w.run('pushTab', w.sheetId) as PushSummary;
    expect(mine.sent).toBe(1);

    w.run('saveSchedule', { schedule: { kind: 'hourly' } });
    const after = h.runAs('rpc', 'getSettingsState') as SettingsState;
    expect(after.copyNotice ?? null).toBeNull();
  });

  it('an original spreadsheet shows no copy notice', () => {
    const state = w.product.harness.runAs('rpc', 'getSettingsState') as SettingsState;
    expect(state.copyNotice ?? null).toBeNull();
  });
});

describe('unbinding a tab', () => {
  let w: World;
  beforeEach(async () => {
    w = await activePipelineWorld();
  });
  afterEach(() => w.close());

  it('removes its column specs, base snapshot and staging; the tab and its data stay', () => {
    const h = w.product.harness;
    const doc = h.properties.document;
    const keysOf = () => [...doc.map.keys()].filter((k) => k.includes(String(w.sheetId)));
    // a new row added by a push (its journals), then an edit by a person (its attribution is kept until pushed)
    h.userEdit(w.tab, `${letters(w.col(NAME_COLUMN))}${h.sheet(w.tab).getLastRow() + 1}`, [['northwind.vc']]);
    w.run('pushTab', w.sheetId);
    expect(keysOf().some((k) => k.startsWith('affinity.created.'))).toBe(true);
    h.userEdit(w.tab, 'C2', [['Edited before unbinding']]);
    expect(keysOf().some((k) => k.startsWith('affinity.edits.'))).toBe(true);
    expect(keysOf().some((k) => k.includes('digest') || k.includes('base'))).toBe(true);
    expect(h.spreadsheet.getSheetByName(`_affinity_base_${w.sheetId}`)).not.toBeNull();
    const data = h.sheet(w.tab).getDataRange().getValues();

    expect(w.run('unbindTab', w.sheetId)).toBe(true);
    expect(keysOf()).toEqual([]);
    expect(
      h.spreadsheet
        .getSheets()
        .map((s) => s.getName())
        .filter((n) => n.startsWith('_affinity_')),
    ).toEqual([]);
    expect(h.sheet(w.tab).getDataRange().getValues()).toEqual(data);
  });
});
