/**
 * The "Undo last push…" dialog as built (dist/undo.html, from `npm run build`), run against a minimal DOM: it lists
 * the values put back and those not undone with both values, links each entry the push added to its record in
 * Affinity (an https affinity.co page only), shows every value as text, and undoes on request.
 */
import type { UndoPreview, UndoSummary } from '../../src/shared/push';
import { runPage, type El } from './fakeDom';

const HOSTILE = '<img src=x onerror="alert(1)"> =HYPERLINK("x")';

const preview: UndoPreview = {
  tabName: 'Deals',
  pushedAt: '2026-12-02 09:15:00',
  restore: [{ entryId: 1, entity: 'LedgerLeaf', field: 'Description', from: 'Pushed A', to: HOSTILE }],
  notUndone: [
    {
      entryId: 3,
      entity: 'Beta',
      field: 'Description',
      pushed: 'Pushed B',
      affinity: 'Colleague B',
      reason: 'changed in Affinity since the push: the push wrote “Pushed B”, Affinity now has “Colleague B”',
    },
  ],
  addedEntries: [
    {
      entryId: 20401,
      entity: 'Northwind Ventures',
      list: 'Deal Flow',
      url: 'https://analytical-ventures.affinity.co/companies/8001',
    },
    { entryId: 20402, entity: HOSTILE, list: 'Deal Flow', url: 'javascript:alert(1)' },
  ],
};

const load = (p: UndoPreview) =>
  runPage(
    'undo',
    { content: 'main', cost: 'p', undo: 'button', cancel: 'button' },
    {
      previewUndoPush: () => p,
      undoPush: (): UndoSummary => ({
        ...p,
        restore: [],
        restored: 1,
        failed: 0,
        message: 'Deals: 1 value put back; 1 not undone (see the change log); 2 added entries stay on Deal Flow.',
      }),
    },
  );

const texts = (root: El, tag: string) => root.all(tag).map((x) => x.textContent);

describe('undo dialog', () => {
  it('lists what is put back and what is not (both values), and links the added entries to Affinity', () => {
    const { byId, calls } = load(preview);
    expect(calls[0]).toEqual({ fn: 'previewUndoPush', args: [123] });
    expect(texts(byId.content, 'h2')).toEqual(['Values put back (1)', 'Not undone (1)', 'Entries the push added (2)']);
    const cells = texts(byId.content, 'td');
    expect(cells).toEqual(expect.arrayContaining(['LedgerLeaf (1)', 'Pushed A', HOSTILE, 'Pushed B', 'Colleague B']));
    const links = byId.content.all('a');
    expect(links.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('target')])).toEqual([
      ['Northwind Ventures (20401)', 'https://analytical-ventures.affinity.co/companies/8001', '_blank'],
    ]);
    // An address that is not an Affinity record page is shown as text, not linked.
    expect(cells).toContain(`${HOSTILE} (20402)`);
    expect(byId.content.textContent).toContain('Undo never deletes entries');
    expect(byId.cost.textContent).toBe('Puts 1 value back in Affinity and in the tab.');
    expect(byId.undo.disabled).toBe(false);
  });

  it('undoes on request and says what was done; Close closes', () => {
    const { byId, calls, closed } = load(preview);
    byId.undo.fire('click');
    expect(calls[1]).toEqual({ fn: 'undoPush', args: [123] });
    expect(byId.content.children[0].textContent).toBe(
      'Deals: 1 value put back; 1 not undone (see the change log); 2 added entries stay on Deal Flow.',
    );
    expect(byId.content.all('a')).toHaveLength(1);
    expect(byId.cancel.textContent).toBe('Close');
    byId.cancel.fire('click');
    expect(closed()).toBe(true);
  });

  it('with nothing to put back the button is disabled; with no push, it says so', () => {
    const none = load({ ...preview, restore: [] });
    expect(none.byId.undo.disabled).toBe(true);
    expect(none.byId.cost.textContent).toBe('Nothing can be put back.');
    const undone = load({ ...preview, pushedAt: null, restore: [], notUndone: [], addedEntries: [] });
    expect(undone.byId.content.textContent).toBe('“Deals” has no push to undo (or its last push was undone already).');
  });
});
