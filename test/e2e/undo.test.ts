/**
 * Affinity › Undo last push… end to end: values put back in Affinity and in the tab where Affinity still holds what
 * the push wrote; a cell a colleague changed since is listed with both values and left alone; entries the push added
 * stay. Run `npm run build` first.
 */
import { DEALFLOW } from '../../tools/emulator/seeds/dealflow';
import { NAME_COLUMN } from '../../src/server/engine/layout';
import type { PushSummary, UndoPreview, UndoSummary } from '../../src/shared/push';
import { activePipelineWorld, letters, patches, type World } from './pushHelpers';

const F = DEALFLOW.fields;
const L = DEALFLOW.listId;

async function affinityText(w: World, entryId: number, fieldId: string): Promise<unknown> {
  const res = await fetch(`${w.product.emulator.url}/v2/lists/${L}/list-entries/${entryId}?fieldIds=${fieldId}`, {
    headers: { Authorization: `Bearer ${DEALFLOW.apiKey}` },
  });
  const e = (await res.json()) as { entity: { fields: { id: string; value: { data: unknown } }[] } };
  return e.entity.fields.find((f) => f.id === fieldId)!.value.data;
}

describe('undo the last push (deal flow)', () => {
  let w: World;
  beforeEach(async () => {
    w = await activePipelineWorld();
  });
  afterEach(() => w.close());

  it('puts back what Affinity still holds, lists the cell a colleague changed since with both values, keeps added entries', async () => {
    const A = 20001;
    const B = 20003;
    const beforeA = w.shown(A, F.description);
    const beforeB = w.shown(B, F.description);
    w.type(A, F.description, 'Pushed A');
    w.type(B, F.description, 'Pushed B');
    const h = w.product.harness;
    const last = h.sheet(w.tab).getLastRow() + 1;
    h.userEdit(w.tab, `${letters(w.col(NAME_COLUMN))}${last}`, [['northwind.vc']]);
    const pushed = w.run('pushTab', w.sheetId) as PushSummary;
    expect(pushed).toMatchObject({ sent: 2, added: 1 });
    // A colleague changes B in Affinity after the push.
    await w.product.emulator.admin.editField(L, B, F.description, { type: 'text', data: 'Colleague B' });

    const preview = w.run('previewUndoPush', w.sheetId) as UndoPreview;
    expect(preview.restore).toEqual([
      { entryId: A, entity: 'LedgerLeaf', field: 'Description', from: 'Pushed A', to: beforeA },
    ]);
    expect(preview.notUndone).toEqual([
      expect.objectContaining({ entryId: B, field: 'Description', pushed: 'Pushed B', affinity: 'Colleague B' }),
    ]);
    expect(preview.addedEntries).toEqual([
      expect.objectContaining({
        entity: 'Northwind Ventures',
        list: 'Deal Flow',
        url: 'https://analytical-ventures.affinity.co/companies/8001',
      }),
    ]);
    // The menu opens the dialog for this tab; it inserts data as text only.
    h.spreadsheet.setActiveSheet(h.sheet(w.tab));
    h.clickMenu('Affinity', 'Undo last push…');
    const dialog = h.ui.dialogs[h.ui.dialogs.length - 1];
    expect(dialog.title).toBe(`Undo last push: ${w.tab}`);
    expect(dialog.html).toContain(`data-sheet-id="${w.sheetId}"`);
    expect(dialog.html).not.toMatch(/innerHTML|insertAdjacentHTML|outerHTML|document\.write/);

    const from = h.fetchLog.length;
    const undone = w.run('undoPush', w.sheetId) as UndoSummary;
    expect(undone).toMatchObject({ restored: 1, failed: 0 });
    expect(patches(w.requestsSince(from))).toHaveLength(1);
    expect(await affinityText(w, A, F.description)).toBe(beforeA);
    expect(await affinityText(w, B, F.description)).toBe('Colleague B');
    expect(w.shown(A, F.description)).toBe(beforeA);
    expect(w.shown(B, F.description)).toBe('Pushed B'); // left alone: the next pull settles it
    expect(beforeB).not.toBe('Pushed B');
    // The tab is in step with its base again: a push sends nothing for A.
    const again = w.run('pushTab', w.sheetId) as PushSummary;
    expect(again.sent).toBe(0);
    expect(again.notSynced).toBe(0);
    // The change log records the undo; the same push is not undone twice.
    const log = h.sheet('Affinity change log').getDataRange().getDisplayValues();
    expect(log.some((r) => r[3] === String(A) && r[8].startsWith('undone'))).toBe(true);
    expect(log.some((r) => r[3] === String(B) && r[8].startsWith('not undone: changed in Affinity'))).toBe(true);
    expect((w.run('previewUndoPush', w.sheetId) as UndoPreview).pushedAt).toBeNull();
  });
});
