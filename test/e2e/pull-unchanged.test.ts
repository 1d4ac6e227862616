/**
 * A refresh of a view Affinity did not change (issue 10, time): the view verifies against the base's digest, so the
 * base is the view, and the hidden base tab is neither read nor written. What the user keeps seeing: their edits stay
 * pending and are pushed, a base changed by hand never lets anything through, a field that left the view keeps its
 * edits. Run `npm run build` first.
 */
import type { PullSummary } from '../../src/shared/types';
import type { PushSummary } from '../../src/shared/push';
import { bucketCount } from '../../src/server/engine/baseDigest';
import { KEY_COLUMN } from '../../src/server/engine/layout';
import { DEALFLOW, dealflowSeed } from '../../tools/emulator/seeds/dealflow';
import { activePipelineWorld, bindWorld, letters, patches, type World } from './pushHelpers';

const F = DEALFLOW.fields;
const L = DEALFLOW.listId;
const V = DEALFLOW.views.activePipeline;

const baseName = (w: World) => `_affinity_base_${w.sheetId}`;

/** Cells the last execution read (values, display values, formulas). */
const cellsRead = (w: World) => w.product.harness.executions[w.product.harness.executions.length - 1].cellsRead;

/** Cells of the hidden base tab (entry id column and header included). */
function baseCells(w: World): number {
  const base = w.product.harness.sheet(baseName(w));
  return base.getLastRow() * base.getLastColumn();
}

/** The base tab's entry ids in its row order, and its column ids. */
function baseLayout(w: World): { ids: number[]; header: string[] } {
  const base = w.product.harness.sheet(baseName(w));
  const header = base.getRange(1, 1, 1, base.getLastColumn()).getValues()[0].map(String);
  const ids = base
    .getRange(2, 1, base.getLastRow() - 1, 1)
    .getValues()
    .map((r) => Number(r[0]));
  return { ids, header };
}

const sentTo = (w: World, from: number) =>
  patches(w.requestsSince(from)).map((r) => Number(r.url.replace(/.*list-entries\/(\d+).*/, '$1')));

describe('a refresh Affinity did not change', () => {
  let w: World;
  /** Cells a refresh reads when nothing changed in Affinity. */
  let readUnchanged = 0;
  beforeAll(async () => {
    w = await activePipelineWorld();
  });
  afterAll(() => w.close());

  it('reads the tab but not its base, and writes neither', async () => {
    const pull = () => w.run('pullTab', w.sheetId) as PullSummary;
    const unchanged = pull();
    readUnchanged = cellsRead(w);
    expect(unchanged.cellsWritten).toBe(0);
    // One value changed in Affinity: the view no longer verifies, the base is read (and that cell written).
    await w.product.emulator.admin.editField(L, 20003, F.amount, { type: 'number', data: 4_321_000 });
    const changed = pull();
    expect(changed.updatedCells).toBe(1);
    expect(w.shown(20003, F.amount)).toMatch(/4,?321,?000/);
    expect(cellsRead(w)).toBeGreaterThanOrEqual(readUnchanged + baseCells(w));
    // Nothing changed since: the base is skipped again.
    const again = pull();
    expect(again.cellsWritten).toBe(0);
    expect(cellsRead(w)).toBe(readUnchanged);
  });

  it('keeps edits pending (counted, in their cells), and a push then sends exactly them', () => {
    w.type(20001, F.description, 'Typed before the refresh');
    w.type(20002, F.hq, 'Lisbon');
    const summary = w.run('pullTab', w.sheetId) as PullSummary;
    expect(cellsRead(w)).toBe(readUnchanged);
    expect(summary.pendingEdits).toBe(2);
    expect(summary.cellsWritten).toBe(0);
    expect(w.shown(20001, F.description)).toBe('Typed before the refresh');
    expect(w.shown(20002, F.hq)).toBe('Lisbon');
    const from = w.product.harness.fetchLog.length;
    const pushed = w.run('pushTab', w.sheetId) as PushSummary;
    expect(pushed.sent).toBe(2);
    expect(sentTo(w, from).sort()).toEqual([20001, 20002]);
    // The push moved the base; the next refresh verifies against it and finds nothing pending.
    const after = w.run('pullTab', w.sheetId) as PullSummary;
    expect(after.pendingEdits).toBe(0);
    expect(after.cellsWritten).toBe(0);
  });
});

describe('a base changed by hand, then a refresh Affinity did not change', () => {
  let w: World;
  beforeAll(async () => {
    w = await activePipelineWorld();
  });
  afterAll(() => w.close());

  it('sends nothing on the forged base; the push marks it, the next pull repairs it, the edit is then sent', () => {
    const h = w.product.harness;
    const { ids, header } = baseLayout(w);
    const buckets = bucketCount(ids.length);
    const [forged, neighbour] = ids.filter((id) => id % buckets === ids[0] % buckets);
    expect(neighbour).toBeDefined();
    const row = ids.indexOf(forged) + 2;
    const cell = `${letters(header.indexOf(F.description) + 1)}${row}`;
    h.sheet(baseName(w)).showSheet();
    // The forged base differs from the tab: were it trusted, the tab's value would be sent as an edit.
    h.userEdit(baseName(w), cell, [['Forged base']]);
    w.type(neighbour, F.description, 'Edit in the same bucket');
    // Affinity changed nothing: the view verifies, the pull takes it as the base without reading the base tab.
    w.run('pullTab', w.sheetId);
    expect(h.sheet(baseName(w)).getRange(cell).getValue()).toBe('Forged base');
    // The push reads the base tab, finds the bucket forged, sends nothing of it and says why.
    let from = h.fetchLog.length;
    const held = w.run('pushTab', w.sheetId) as PushSummary;
    expect(sentTo(w, from)).toEqual([]);
    expect(held.sent).toBe(0);
    expect(w.note(neighbour, KEY_COLUMN)).toMatch(/hidden base tab was changed outside the sync/);
    // The next pull reads the base tab whole (the push marked it) and rewrites the forged row from Affinity.
    w.run('pullTab', w.sheetId);
    expect(h.sheet(baseName(w)).getRange(cell).getValue()).not.toBe('Forged base');
    expect(w.shown(neighbour, F.description)).toBe('Edit in the same bucket');
    from = h.fetchLog.length;
    const sent = w.run('pushTab', w.sheetId) as PushSummary;
    expect(sent.sent).toBe(1);
    expect(sentTo(w, from)).toEqual([neighbour]);
    // Repaired: the refresh after skips the base again.
    const before = cellsRead(w);
    w.run('pullTab', w.sheetId);
    expect(cellsRead(w)).toBeLessThan(before);
  });

  it('a deleted base tab is rebuilt by the next pull', () => {
    const h = w.product.harness;
    const ss = h.spreadsheet;
    ss.deleteSheet(ss.getSheetByName(baseName(w))!);
    w.run('pullTab', w.sheetId);
    expect(ss.getSheetByName(baseName(w))).not.toBeNull();
    expect(baseLayout(w).ids.length).toBe(h.sheet(w.tab).getLastRow() - 1);
  });
});

describe('a field that left the view while its base was blank', () => {
  let w: World;
  beforeAll(async () => {
    // No entry has a description: its base column holds only blanks, which the digest leaves out.
    const seed = dealflowSeed();
    for (const e of seed.entries[String(L)])
      if (e.entity.fields) e.entity.fields = e.entity.fields.filter((f) => f.id !== F.description);
    w = await bindWorld({ seed, apiKey: DEALFLOW.apiKey, listId: L, viewId: V });
  });
  afterAll(() => w.close());

  it('keeps the edit typed in its column, notes it, and sends it once the field is back', async () => {
    w.type(20001, F.description, 'Typed while the column was blank');
    // Once the field has left, its column is found by where it was (its metadata is marked as left).
    const cell = w.product.harness.sheet(w.tab).getRange(w.a1(20001, F.description));
    const view = await w.product.emulator.admin.getView(L, V);
    await w.product.emulator.admin.setView(L, V, { fieldIds: view.fieldIds.filter((id) => id !== F.description) });
    const left = w.run('pullTab', w.sheetId) as PullSummary;
    expect(left.leftViewEdits).toBe(1);
    expect(cell.getDisplayValue()).toBe('Typed while the column was blank');
    expect(cell.getNote()).toMatch(/no longer in the view/);
    await w.product.emulator.admin.setView(L, V, { fieldIds: view.fieldIds });
    const back = w.run('pullTab', w.sheetId) as PullSummary;
    expect(back.pendingEdits).toBe(1);
    expect(w.shown(20001, F.description)).toBe('Typed while the column was blank');
    const from = w.product.harness.fetchLog.length;
    expect((w.run('pushTab', w.sheetId) as PushSummary).sent).toBe(1);
    expect(sentTo(w, from)).toEqual([20001]);
  });
});

describe('a tab without notes of the sync', () => {
  let w: World;
  beforeAll(async () => {
    w = await activePipelineWorld();
  });
  afterAll(() => w.close());

  /** Cells whose notes (or other attributes) the last execution read. */
  const attributesRead = () => w.product.harness.executions[w.product.harness.executions.length - 1].attributeCellsRead;
  const tabCells = () => {
    const s = w.product.harness.sheet(w.tab);
    return (s.getLastRow() - 1) * s.getLastColumn();
  };
  const pull = () => w.run('pullTab', w.sheetId) as PullSummary;
  /** Entry ids of the tab's rows, top to bottom. */
  const entriesInOrder = () => {
    const s = w.product.harness.sheet(w.tab);
    return s
      .getRange(2, w.col(KEY_COLUMN), s.getLastRow() - 1, 1)
      .getValues()
      .map((r) => Number(r[0]));
  };
  const inAffinity = (entryId: number, text: string) =>
    w.product.emulator.admin.editField(L, entryId, F.description, { type: 'text', data: text });

  it('is refreshed without reading its notes', () => {
    pull();
    expect(attributesRead()).toBeLessThan(tabCells());
    pull();
    expect(attributesRead()).toBeLessThan(tabCells());
  });

  it('keeps a note of the user between two conflicts it notes, then reads notes until they are resolved', async () => {
    const [a, between, b] = entriesInOrder().slice(3, 6);
    const sheet = w.product.harness.sheet(w.tab);
    sheet.getRange(w.a1(between, F.description)).setNote('Call the founder first');
    w.type(a, F.description, 'Mine, A');
    w.type(b, F.description, 'Mine, B');
    await inAffinity(a, 'Theirs, A');
    await inAffinity(b, 'Theirs, B');
    const flagged = pull();
    expect(flagged.conflicts).toBe(2);
    expect(w.note(a, F.description)).toMatch(/conflict/);
    expect(w.note(b, F.description)).toMatch(/conflict/);
    expect(w.note(between, F.description)).toBe('Call the founder first');
    // Resolved in Affinity, nothing typed in the tab: the next pull reads the notes and clears its own, and the one
    // after reads none.
    await inAffinity(a, 'Mine, A');
    await inAffinity(b, 'Mine, B');
    pull();
    expect(attributesRead()).toBeGreaterThanOrEqual(tabCells());
    expect(w.note(a, F.description)).toBe('');
    expect(w.note(b, F.description)).toBe('');
    expect(w.note(between, F.description)).toBe('Call the founder first');
    pull();
    expect(attributesRead()).toBeLessThan(tabCells());
  });

  it('a push that notes a conflict makes the next pull read notes, and clear the note once resolved', async () => {
    const [entry] = entriesInOrder().slice(8, 9);
    pull();
    w.type(entry, F.description, 'Mine before the push');
    await inAffinity(entry, 'Changed in Affinity meanwhile');
    const pushed = w.run('pushTab', w.sheetId) as PushSummary;
    expect(pushed.sent).toBe(0);
    expect(w.note(entry, F.description)).toMatch(/Changed in Affinity meanwhile/);
    // Resolved in Affinity (it takes the edit), nothing typed in the tab.
    await inAffinity(entry, 'Mine before the push');
    pull();
    expect(w.note(entry, F.description)).toBe('');
  });

  it('the note an edit in a read-only column gets makes the next pull read notes, and it clears it', () => {
    const [entry] = entriesInOrder().slice(12, 13);
    w.run('setPendingMarks', true);
    pull();
    pull();
    expect(attributesRead()).toBeLessThan(tabCells());
    const before = w.shown(entry, F.lastMeeting);
    w.type(entry, F.lastMeeting, '2020-01-01');
    expect(w.note(entry, F.lastMeeting)).toMatch(/not sent\. Last Meeting is read-only here/);
    pull();
    expect(w.shown(entry, F.lastMeeting)).toBe(before);
    expect(w.note(entry, F.lastMeeting)).toBe('');
    w.run('setPendingMarks', false);
  });

  it('a note of the sync pasted in from elsewhere is cleared by the next pull', () => {
    const [entry] = entriesInOrder().slice(10, 11);
    pull();
    pull();
    expect(attributesRead()).toBeLessThan(tabCells());
    const cell = w.a1(entry, F.description);
    const value = w.shown(entry, F.description);
    // A paste brings the value and its note; the on-edit trigger sees the note.
    w.product.harness
      .sheet(w.tab)
      .getRange(cell)
      .setNote('Affinity sync: conflict. Affinity now has “x”; your edit “y” was kept.');
    w.product.harness.userEdit(w.tab, cell, [[value]]);
    pull();
    expect(w.note(entry, F.description)).toBe('');
  });
});
