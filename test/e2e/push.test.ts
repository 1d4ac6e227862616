/**
 * Push end to end: the built bundle in the Apps Script harness, against the Affinity emulator over HTTP.
 * Run `npm run build` first.
 */
import { GENERATED, generateSeed } from '../../tools/emulator/generate';
import { DEALFLOW } from '../../tools/emulator/seeds/dealflow';
import { KEY_COLUMN, NAME_COLUMN } from '../../src/server/engine/layout';
import type { PushPreview, PushSummary } from '../../src/shared/push';
import {
  activePipelineWorld,
  bindWorld,
  expectValidRequests,
  letters,
  patches,
  reads,
  type World,
} from './pushHelpers';

const F = DEALFLOW.fields;

describe('push: round trip of every editable type (generated seed)', () => {
  const seed = generateSeed({ entries: 30 });
  const E = GENERATED.firstEntryId + 3;
  const OTHER = GENERATED.firstEntryId + 4;
  let w: World;
  beforeAll(async () => {
    w = await bindWorld({
      seed,
      apiKey: GENERATED.apiKey,
      listId: GENERATED.companyListId,
      viewId: GENERATED.sheetViewId,
    });
  });
  afterAll(() => w.close());

  // [field, what the user types, what the cell shows after push and pull]
  const edits: [string, string | number, string][] = [
    ['field-1001', 'diligence', 'Diligence'], // ranked dropdown, another case
    ['field-1002', 'p70003@generated.vc', 'Łukasz Iyer'], // person by email
    ['field-1003', 1234.5, '1234.5'], // number
    ['field-1004', '2024-04-01', '2024-04-01'], // datetime, typed as a date
    ['field-1005', 'Hello; world', 'Hello; world'], // text
    ['field-1006', 'food, beverage; hospitality', 'Food, Beverage; Hospitality'], // dropdown with , and ; in its text
    ['field-1007', 'hot; seed\\; pre-seed', 'hot; seed\\; pre-seed'], // dropdown-multi, escaped separator
    ['field-1008', 'Paris, France', 'Paris, France'], // location
    ['field-1009', 'Kraków Data 508', 'Kraków Data 508'], // company by name
    ['field-1010', '#80059; Zürich Re 53', 'Widgets, Inc. 59; Zürich Re 53'], // company-multi by id and name
    ['field-1011', '#70002; ada@generated.vc', 'Priya 王; Ada Lovelace'], // person-multi
    ['field-1012', '1; 2.5; -3', '1; 2.5; -3'], // number-multi
    ['field-1013', 'Berlin, Germany; Austin, Texas, United States', 'Berlin, Germany; Austin, Texas, United States'], // location-multi
    ['field-1014', '', ''], // a clear
  ];

  it('edit, push, pull shows the same cell; dropdown text maps to the right option id; bodies validate', async () => {
    w.type(E, 'field-1014', 'something to clear');
    w.run('pushTab', w.sheetId);
    for (const [field, typed] of edits) w.type(E, field, typed);
    w.type(OTHER, 'field-1006', 'Nope');
    const from = w.product.harness.fetchLog.length;
    const summary = w.run('pushTab', w.sheetId) as PushSummary;
    const sent = w.requestsSince(from);
    expectValidRequests(sent);
    expect(summary).toMatchObject({ sent: edits.length, invalid: 1, failed: 0, conflicts: 0 });
    // One PATCH, for the one entry with sendable edits; the unknown option sends nothing.
    expect(patches(sent).map((r) => r.url)).toEqual([
      `https://api.affinity.co/v2/lists/${GENERATED.companyListId}/list-entries/${E}/fields`,
    ]);
    const body = JSON.parse(patches(sent)[0].payload!);
    const update = (id: string) => body.updates.find((u: { id: string }) => u.id === id).value;
    expect(update('field-1001')).toEqual({ type: 'ranked-dropdown', data: { dropdownOptionId: 30003 } });
    expect(update('field-1006')).toEqual({ type: 'dropdown', data: { dropdownOptionId: 30105 } });
    expect(update('field-1007')).toEqual({
      type: 'dropdown-multi',
      data: [{ dropdownOptionId: 30201 }, { dropdownOptionId: 30210 }],
    });
    expect(update('field-1004')).toEqual({ type: 'datetime', data: '2024-04-01T12:00:00Z' });
    expect(update('field-1014')).toEqual({ type: 'text', data: null });
    const stored = await w.product.emulator.admin.getEntry(GENERATED.companyListId, E);
    const value = (id: string) => stored!.entity.fields!.find((f) => f.id === id)!.value;
    expect(value('field-1002')).toMatchObject({ data: { id: 70003 } });
    expect(value('field-1004')).toEqual({ type: 'datetime', data: '2024-04-01T07:00:00.000Z' });

    expect(w.note(OTHER, 'field-1006')).toMatch(
      /“Nope” is not an option of Sector\. Choose one of: Fintech, Santé, 金融科技, Climate 🌱/,
    );

    w.run('pullTab', w.sheetId);
    for (const [field, , shown] of edits) {
      expect([field, w.shown(E, field)]).toEqual([field, shown]);
      expect(w.note(E, field)).toBe('');
    }
    // The invalid cell is still the user's, still pending, and keeps its note.
    expect(w.shown(OTHER, 'field-1006')).toBe('Nope');
    expect(w.note(OTHER, 'field-1006')).toMatch(/not an option of Sector/);
  });

  it('dropdown and ranked-dropdown columns carry warning-only validation from the options', () => {
    const sheet = w.product.harness.sheet(w.tab);
    const rule = sheet.getRange(`${letters(w.col('field-1001'))}5`).getDataValidation()!;
    expect(rule.getAllowInvalid()).toBe(true);
    expect(rule.getCriteriaValues()[0]).toEqual([
      'Sourced',
      'Qualified',
      'Diligence',
      'IC Review',
      'Term Sheet',
      'Won',
      'Lost',
    ]);
    expect(sheet.getRange(`${letters(w.col('field-1006'))}9`).getDataValidation()).not.toBeNull();
    // A typed value outside the list is accepted by the sheet (a warning, not a rejection).
    w.type(GENERATED.firstEntryId + 6, 'field-1001', 'Something new');
    expect(w.shown(GENERATED.firstEntryId + 6, 'field-1001')).toBe('Something new');
  });

  it('a person or company named ambiguously or unknown is not sent, with the reason', () => {
    w.type(GENERATED.firstEntryId + 7, 'field-1002', 'Nobody Atall');
    const summary = w.run('pushTab', w.sheetId) as PushSummary;
    expect(summary.invalid).toBeGreaterThanOrEqual(1);
    expect(w.note(GENERATED.firstEntryId + 7, 'field-1002')).toMatch(
      /No person called “Nobody Atall” is known to this sheet/,
    );
  });
});

describe('push: conflicts, errors per row, preview, change log (deal flow)', () => {
  let w: World;
  const L = DEALFLOW.listId;
  beforeEach(async () => {
    w = await activePipelineWorld();
  });
  afterEach(() => w.close());

  it('the same push twice sends nothing the second time', () => {
    w.type(20001, F.description, 'First change');
    w.type(20002, F.amount, 5);
    const first = w.run('pushTab', w.sheetId) as PushSummary;
    expect(first.sent).toBe(2);
    const from = w.product.harness.fetchLog.length;
    const second = w.run('pushTab', w.sheetId) as PushSummary;
    expect(w.requestsSince(from)).toEqual([]);
    expect(second.message).toBe('Active Pipeline: nothing to push.');
  });

  it('sorting by any column, moving, hiding or adding columns, hiding rows: zero requests', () => {
    const h = w.product.harness;
    const sheet = h.sheet(w.tab);
    const width = sheet.getLastColumn();
    for (let c = 1; c <= width; c++) {
      for (const ascending of [true, false]) {
        sheet.getRange(2, 1, sheet.getLastRow() - 1, width).sort({ column: c, ascending });
        const from = h.fetchLog.length;
        const s = w.run('pushTab', w.sheetId) as PushSummary;
        expect([c, ascending, w.requestsSince(from).length, s.sent + s.invalid + s.notSent]).toEqual([
          c,
          ascending,
          0,
          0,
        ]);
      }
    }
    sheet.moveColumns(sheet.getRange(1, w.col(F.stage), sheet.getMaxRows(), 1), 1);
    sheet.hideColumns(w.col(F.amount));
    sheet.insertColumnsAfter(sheet.getMaxColumns(), 1);
    h.userEdit(w.tab, `${letters(sheet.getLastColumn() + 1)}1`, [['My notes']]);
    h.userEdit(w.tab, `${letters(sheet.getLastColumn())}3`, [['call back']]);
    sheet.hideRows(3, 2); // as a filter would
    const from = h.fetchLog.length;
    const s = w.run('pushTab', w.sheetId) as PushSummary;
    expect(w.requestsSince(from)).toEqual([]);
    expect(s.message).toBe('Active Pipeline: nothing to push.');
  });

  it('a deleted row sends nothing and comes back on the next pull; an added row without a name is reported as not synced', () => {
    const h = w.product.harness;
    const sheet = h.sheet(w.tab);
    sheet.deleteRow(w.row(20003));
    const last = sheet.getLastRow() + 1;
    h.userEdit(w.tab, `${letters(w.col(NAME_COLUMN))}${last}:${letters(w.col(F.description))}${last}`, [
      [...new Array(w.col(F.description) - w.col(NAME_COLUMN)).fill(''), 'A new deal'].map((v, i) =>
        i === 0 ? '' : v,
      ),
    ]);
    const from = h.fetchLog.length;
    const s = w.run('pushTab', w.sheetId) as PushSummary;
    expect(w.requestsSince(from)).toEqual([]);
    expect(s.notSynced).toBe(1);
    expect(sheet.getRange(`${letters(w.col(KEY_COLUMN))}${last}`).getNote()).toMatch(
      /this row is not synced: it has no Affinity entry id and no name\. To add it to the list, type the name/,
    );
    w.run('pullTab', w.sheetId);
    expect(w.row(20003)).toBeGreaterThan(1);
  });

  it('conflict: flagged with both values by default; sheet wins or Affinity wins by setting', async () => {
    const admin = w.product.emulator.admin;
    w.type(20001, F.description, 'Mine');
    await admin.editField(L, 20001, F.description, { type: 'text', data: 'Theirs' });
    let s = w.run('pushTab', w.sheetId) as PushSummary;
    expect(s).toMatchObject({ sent: 0, conflicts: 1 });
    expect(w.note(20001, F.description)).toMatch(
      /conflict\. Affinity now has “Theirs”; your edit “Mine” was kept and not sent/,
    );
    expect((await admin.getEntry(L, 20001))!.entity.fields!.find((f) => f.id === F.description)!.value.data).toBe(
      'Theirs',
    );
    // A pull keeps the edit and the flag.
    w.run('pullTab', w.sheetId);
    expect(w.shown(20001, F.description)).toBe('Mine');
    expect(w.note(20001, F.description)).toMatch(/conflict/);

    expect(w.run('setConflictPolicy', 'sheet-wins')).toBe('sheet-wins');
    s = w.run('pushTab', w.sheetId) as PushSummary;
    expect(s).toMatchObject({ sent: 1, conflicts: 0 });
    expect((await admin.getEntry(L, 20001))!.entity.fields!.find((f) => f.id === F.description)!.value.data).toBe(
      'Mine',
    );
    expect(w.note(20001, F.description)).toBe('');

    w.run('setConflictPolicy', 'affinity-wins');
    w.type(20002, F.description, 'Mine again');
    await admin.editField(L, 20002, F.description, { type: 'text', data: 'Theirs again' });
    s = w.run('pushTab', w.sheetId) as PushSummary;
    expect(s).toMatchObject({ sent: 0, takenFromAffinity: 1 });
    expect(w.shown(20002, F.description)).toBe('Theirs again');
    expect(w.note(20002, F.description)).toMatch(/Your edit “Mine again” was not sent/);
    expect(w.run('getConflictPolicy')).toBe('affinity-wins');
  });

  it('404, 422 and 403 are reported per row in plain words; the rest of the push completes', async () => {
    const admin = w.product.emulator.admin;
    w.type(20001, F.description, 'deleted meanwhile');
    await admin.deleteEntry(L, 20001);
    w.type(20002, F.coInvestors, '#8999'); // a company merged into another
    w.type(20003, F.description, 'no rights');
    await admin.injectFault({
      status: 403,
      count: 1,
      match: { method: 'PATCH', pathIncludes: '/list-entries/20003/' },
    });
    w.type(20004, F.description, 'fine');
    w.type(20005, F.amount, 42);
    const from = w.product.harness.fetchLog.length;
    const s = w.run('pushTab', w.sheetId) as PushSummary;
    expectValidRequests(w.requestsSince(from));
    expect(s).toMatchObject({ sent: 2, failed: 2, notSent: 1 });
    expect(w.note(20001, F.description)).toMatch(
      /not sent\. Affinity could not find this list entry \(404\): it may have been deleted/,
    );
    expect(w.note(20002, F.coInvestors)).toMatch(
      /not sent\. Affinity refused the change because the entity was merged into another one \(422\)/,
    );
    expect(w.note(20003, F.description)).toMatch(/not sent\. Affinity did not let you change this list entry \(403\)/);
    expect(w.note(20004, F.description)).toBe('');
    const value = async (id: number, f: string) =>
      (await admin.getEntry(L, id))!.entity.fields!.find((x) => x.id === f)!.value.data;
    expect(await value(20004, F.description)).toBe('fine');
    expect(await value(20005, F.amount)).toBe(42);
    // The failed cells stay pending: the next push tries them again (the fault is gone).
    const again = w.run('pushTab', w.sheetId) as PushSummary;
    expect(again.sent).toBe(1);
    expect(await value(20003, F.description)).toBe('no rights');
  });

  it('preview lists changes, conflicts, invalid cells and the cost, sends nothing; a choice there settles a conflict', async () => {
    const h = w.product.harness;
    const admin = w.product.emulator.admin;
    w.type(20001, F.description, 'Mine');
    await admin.editField(L, 20001, F.description, { type: 'text', data: 'Theirs' });
    w.type(20002, F.round, 'Series Q');
    w.type(20003, F.stage, 'closed');
    w.type(20004, NAME_COLUMN, 'Renamed');
    const before = h.sheet(w.tab).getDataRange().getValues();
    const from = h.fetchLog.length;
    const p = h.runAs('rpc', 'previewPush', w.sheetId) as PushPreview;
    expect(patches(w.requestsSince(from))).toEqual([]);
    expect(h.sheet(w.tab).getDataRange().getValues()).toEqual(before);
    expect(p.changes).toEqual([
      {
        entryId: 20003,
        entity: 'Kairo AI',
        field: 'Stage',
        old: 'Term Sheet',
        new: 'closed',
        overwrites: false,
        editedBy: 'owner@example.com',
      },
    ]);
    expect(p.conflicts).toEqual([
      {
        entryId: 20001,
        columnId: F.description,
        entity: 'LedgerLeaf',
        field: 'Description',
        base: expect.any(String),
        mine: 'Mine',
        affinity: 'Theirs',
        outcome: 'skip',
      },
    ]);
    expect(p.invalid).toEqual([
      {
        entryId: 20002,
        entity: 'Solaris Grid',
        field: 'Round',
        value: 'Series Q',
        reason: expect.stringMatching(/Choose one of: Pre-Seed, Seed/),
      },
    ]);
    expect(p.notSent).toEqual([
      {
        entryId: 20004,
        entity: 'Medina Health',
        field: 'Organization',
        value: 'Renamed',
        reason: expect.stringMatching(/name comes from Affinity/),
      },
    ]);
    expect(p.cost).toEqual({ reads: 1, writes: 1, total: 2 });

    const s = h.runAs('rpc', 'pushTab', w.sheetId, [
      { entryId: 20001, columnId: F.description, affinity: 'Theirs', choice: 'mine' },
    ]) as PushSummary;
    expect(s).toMatchObject({ sent: 2, conflicts: 0, invalid: 1, notSent: 1 });
    expect((await admin.getEntry(L, 20001))!.entity.fields!.find((f) => f.id === F.description)!.value.data).toBe(
      'Mine',
    );
  });

  it('the preview dialog opens from the menu and inserts data as text only', () => {
    const h = w.product.harness;
    h.spreadsheet.setActiveSheet(h.sheet(w.tab));
    h.clickMenu('Affinity', 'Preview changes…');
    const dialog = h.ui.dialogs[h.ui.dialogs.length - 1];
    expect(dialog.title).toBe(`Preview changes: ${w.tab}`);
    expect(dialog.html).toContain(`data-sheet-id="${w.sheetId}"`);
    expect(dialog.html).not.toMatch(/innerHTML|insertAdjacentHTML|outerHTML|document\.write/);
    expect(dialog.html).toContain('textContent');
  });

  it('the change log records each pushed change and stays bounded', () => {
    const h = w.product.harness;
    w.type(20001, F.description, 'Logged change');
    w.run('pushTab', w.sheetId);
    const log = h.sheet('Affinity change log');
    const rows = log.getDataRange().getDisplayValues();
    expect(rows[0]).toEqual(['Time', 'User', 'Tab', 'Entry ID', 'Name', 'Field', 'Old value', 'New value', 'Result']);
    // Both the editor (the Google account that typed it) and the pusher (their Affinity identity) are credited.
    expect(rows[1].slice(1)).toEqual([
      'edited by owner@example.com; pushed by Ada Lovelace <ada@analytical.vc>',
      'Active Pipeline',
      '20001',
      'LedgerLeaf',
      'Description',
      expect.any(String),
      'Logged change',
      'updated',
    ]);
    // Fill the log to its bound: the oldest rows rotate out.
    log.insertRowsAfter(log.getMaxRows(), 5000);
    log
      .getRange(3, 1, 4999, 9)
      .setValues(Array.from({ length: 4999 }, (_, i) => ['t', 'u', 'x', i, 'n', 'f', 'o', 'n', 'r']));
    w.type(20002, F.description, 'One more');
    w.type(20003, F.description, 'And another');
    w.run('pushTab', w.sheetId);
    expect(log.getLastRow()).toBe(5001);
    expect(log.getRange(2, 4, 1, 1).getValue()).toBe(1); // the first change and the first filler row rotated out
    expect(log.getRange(5000, 8, 2, 1).getDisplayValues()).toEqual([['One more'], ['And another']]);
  });

  it('optional on-edit trigger marks edited cells until they are pushed', () => {
    const h = w.product.harness;
    w.run('setPendingMarks', true);
    expect(h.triggers.some((t) => t.handler === 'onEditMarkPending')).toBe(true);
    w.type(20001, F.description, 'Marked');
    w.type(20002, F.round, 'Series Q');
    const bg = (id: number, f: string) => h.sheet(w.tab).getRange(w.a1(id, f)).getBackground();
    expect(bg(20001, F.description)).toBe('#fff4d6');
    expect(bg(20002, F.round)).toBe('#fff4d6');
    w.run('pushTab', w.sheetId);
    expect(bg(20001, F.description)).toBe('#ffffff');
    expect(bg(20002, F.round)).toBe('#fff4d6'); // not sent: still pending
    w.type(20003, F.lastMeeting, '2020-01-01');
    expect(w.note(20003, F.lastMeeting)).toMatch(
      /not sent\. Last Meeting is read-only here\. The next pull puts Affinity's value back/,
    );
    expect(bg(20003, F.lastMeeting)).toBe('#ffffff');
    w.run('setPendingMarks', false);
    expect(h.triggers.some((t) => t.handler === 'onEditMarkPending')).toBe(false);
  });

  it('menu: Push this tab reports in a toast or, on failures, an alert', async () => {
    const h = w.product.harness;
    h.spreadsheet.setActiveSheet(h.sheet(w.tab));
    w.run('setConflictPolicy', 'sheet-wins'); // as the panel's Push section does
    expect(w.run('getConflictPolicy')).toBe('sheet-wins');
    w.type(20001, F.description, 'From the menu');
    h.clickMenu('Affinity', 'Push this tab');
    expect(h.ui.toasts[h.ui.toasts.length - 1].message).toBe('Active Pipeline: 1 change sent to Affinity.');
    w.type(20002, F.description, 'Refused');
    await w.product.emulator.admin.injectFault({ status: 403, count: 1, match: { method: 'PATCH' } });
    h.clickMenu('Affinity', 'Push this tab');
    const alert = h.ui.alerts[h.ui.alerts.length - 1];
    expect(alert.title).toBe('Push finished with problems');
    expect(alert.prompt).toMatch(/• Solaris Grid: Affinity did not let you change this list entry \(403\)/);
  });

  it('read-only columns are flagged at once and never sent', () => {
    w.type(20001, NAME_COLUMN, 'Renamed');
    w.type(20001, F.lastMeeting, '2024-01-01');
    const from = w.product.harness.fetchLog.length;
    const s = w.run('pushTab', w.sheetId) as PushSummary;
    expect(w.requestsSince(from)).toEqual([]);
    expect(s.notSent).toBe(2);
    expect(w.note(20001, F.lastMeeting)).toMatch(/Last Meeting is read-only here/);
    expect(w.note(20001, NAME_COLUMN)).toMatch(/The name comes from Affinity/);
    w.run('pullTab', w.sheetId);
    expect(w.note(20001, F.lastMeeting)).toBe('');
    expect(w.shown(20001, F.lastMeeting)).not.toBe('2024-01-01');
    expect(w.shown(20001, NAME_COLUMN)).toBe('LedgerLeaf');
  });

  it('reads the edited entries one by one when fewer entries than pages were edited', () => {
    w.type(20001, F.description, 'Just one');
    const from = w.product.harness.fetchLog.length;
    w.run('pushTab', w.sheetId);
    const sent = w.requestsSince(from);
    expect(reads(sent).map((r) => r.url)).toEqual([
      `https://api.affinity.co/v2/lists/${L}/list-entries/20001?fieldIds=${F.description}`,
    ]);
    expect(patches(sent)).toHaveLength(1);
  });
});

describe('push: batches sized by the rate-limit headers', () => {
  it('never sends more than what remains this minute, and waits for the reset instead of hitting 429', async () => {
    const seed = generateSeed({ entries: 100, fieldsInView: 6 });
    seed.rateLimit = { perMinute: 30 };
    const w = await bindWorld({
      seed,
      apiKey: GENERATED.apiKey,
      listId: GENERATED.companyListId,
      viewId: GENERATED.sheetViewId,
    });
    try {
      const h = w.product.harness;
      h.advance(61_000); // a fresh minute
      const sheet = h.sheet(w.tab);
      for (let i = 0; i < 40; i++) sheet.getRange(2 + i, w.col('field-1003')).setValue(500 + i);
      const from = h.fetchLog.length;
      // Written by a script, not typed: no editor is recorded, so the push is confirmed (as after the menu's question).
      const s = w.run('pushTab', w.sheetId, undefined, true) as PushSummary;
      const sent = w.requestsSince(from);
      expect(s).toMatchObject({ sent: 40, failed: 0 });
      expect(sent.filter((r) => r.status === 429)).toEqual([]);
      expect(patches(sent)).toHaveLength(40);
      // The first batch used what remained of the minute; the rest went after the reset.
      const times = [...new Set(patches(sent).map((r) => r.at))];
      expect(times.length).toBeGreaterThanOrEqual(2);
      expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(30_000);
    } finally {
      await w.close();
    }
  });
});
