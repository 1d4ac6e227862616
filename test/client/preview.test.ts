/**
 * The "Preview changes…" dialog as built (dist/preview.html, from `npm run build`), run against a minimal DOM:
 * it renders the server's data as text only, shows the request cost, and pushes with the choices made.
 */
import type { PushPreview, PushSummary } from '../../src/shared/push';
import { runPage } from './fakeDom';

const summary: PushSummary = {
  tabName: 'Deals',
  policy: 'flag',
  sent: 2,
  failed: 0,
  alreadyInAffinity: 0,
  conflicts: 0,
  takenFromAffinity: 0,
  invalid: 1,
  notSent: 0,
  notSynced: 0,
  requests: { reads: 1, writes: 2, total: 3, batches: 2 },
  failures: [],
  message: 'Deals: 2 changes sent to Affinity.',
};

const loadDialog = (preview: PushPreview) =>
  runPage(
    'preview',
    { content: 'main', cost: 'p', push: 'button', cancel: 'button' },
    { previewPush: () => preview, pushTab: () => summary },
  );

const HOSTILE = '<img src=x onerror="alert(1)"> =HYPERLINK("x")';

const preview: PushPreview = {
  sheetId: 123,
  tabName: 'Deals',
  viewName: 'Active',
  policy: 'flag',
  policyLabel: 'Flag and skip',
  changes: [{ entryId: 1, entity: HOSTILE, field: 'Description', old: 'a', new: HOSTILE, overwrites: false }],
  conflicts: [
    {
      entryId: 2,
      columnId: 'field-9',
      entity: 'Beta',
      field: 'Stage',
      base: 'Seed',
      mine: 'Series A',
      affinity: 'Series B',
      outcome: 'skip',
    },
  ],
  invalid: [
    {
      entryId: 3,
      entity: 'Gamma',
      field: 'Round',
      value: 'Series Z',
      reason: '“Series Z” is not an option of Round. Choose one of: Seed, Series A.',
    },
  ],
  notSent: [],
  notSynced: [{ row: 9, reason: 'this row is not synced: it has no Affinity entry id.' }],
  alreadyInAffinity: 1,
  cost: { reads: 1, writes: 1, total: 2 },
};

describe('preview dialog', () => {
  it('asks for the tab named in the page and shows every value as text', () => {
    const { byId, calls } = loadDialog(preview);
    expect(calls[0]).toEqual({ fn: 'previewPush', args: [123] });
    const cells = byId.content.all('td').map((td) => td.textContent);
    expect(cells).toContain(HOSTILE);
    expect(cells).toContain(`${HOSTILE} (1)`);
    expect(cells).toEqual(
      expect.arrayContaining([
        'Seed',
        'Series A',
        'Series B',
        '“Series Z” is not an option of Round. Choose one of: Seed, Series A.',
        '9',
      ]),
    );
    expect(byId.content.all('h2').map((h) => h.textContent)).toEqual([
      'Changes to send (1)',
      'Conflicts (1)',
      'Values that cannot be sent as typed (1)',
      'Rows not synced (1)',
    ]);
    expect(byId.cost.textContent).toBe(
      'Pushing sends 1 change in 1 update request, after 1 read to check for conflicts: 2 requests to Affinity.',
    );
    expect(byId.push.disabled).toBe(false);
  });

  it('a conflict settled as "keep mine" adds to the cost and goes with the push', () => {
    const { byId, calls } = loadDialog(preview);
    const select = byId.content.all('select')[0];
    expect(select.value).toBe('skip');
    select.value = 'mine';
    select.fire('change');
    expect(byId.cost.textContent).toBe(
      'Pushing sends 2 changes in 2 update requests, after 1 read to check for conflicts: 3 requests to Affinity.',
    );
    byId.push.fire('click');
    expect(calls[1]).toEqual({
      fn: 'pushTab',
      args: [123, [{ entryId: 2, columnId: 'field-9', affinity: 'Series B', choice: 'mine' }]],
    });
    expect(byId.content.textContent).toContain('Deals: 2 changes sent to Affinity.');
    expect(byId.cancel.textContent).toBe('Close');
  });

  it('with nothing to send, Push is disabled; Cancel closes', () => {
    const empty: PushPreview = {
      ...preview,
      changes: [],
      conflicts: [],
      invalid: [],
      notSynced: [],
      alreadyInAffinity: 0,
      cost: { reads: 0, writes: 0, total: 0 },
    };
    const { byId, closed } = loadDialog(empty);
    expect(byId.content.textContent).toContain('No edits since the last pull.');
    expect(byId.push.disabled).toBe(true);
    byId.cancel.fire('click');
    expect(closed()).toBe(true);
  });

  it('says how many edited entries are beyond this run and go on in the background', () => {
    const { byId } = loadDialog({ ...preview, waiting: { entries: 7_800, edits: 9_100 } });
    expect(byId.content.textContent).toContain(
      '7,800 more edited entries are not in this preview: checking every edit does not fit one run.',
    );
    expect(byId.push.disabled).toBe(false);
    const { byId: none } = loadDialog(preview);
    expect(none.content.textContent).not.toContain('not in this preview');
  });
});
