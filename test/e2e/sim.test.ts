/** The documented example scenarios keep running: every step succeeds and the final state is what they describe. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PushPreview } from '../../src/shared/push';
import { runScenario, type Scenario } from '../../tools/cli/sim';

const load = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '../../docs/scenarios', name), 'utf8')) as Scenario;

describe('npm run sim', () => {
  it('docs/scenarios/pull-basics.json: every step succeeds and the pull keeps the user’s layout and column', async () => {
    const out = await runScenario(load('pull-basics.json'));
    expect(out.steps.filter((s) => !s.ok)).toEqual([]);
    const tab = out.tabs['Active Pipeline'];
    expect(tab[0][1]).toBe('Deal stage'); // moved and renamed by the user, still the Stage field
    const header = tab[0];
    const row = tab.find((r) => r[0] === '20003')!;
    expect(row[header.indexOf('Amount')]).toBe('7500000'); // changed in Affinity, pulled despite one 500
    expect(row[header.indexOf('My notes')]).toBe('call back Tuesday'); // the user's own column, still aligned
    expect(out.affinity['Deal Flow']['20003'].Amount).toBe('7500000');
    expect(out.requests.some((r) => r.status === 500)).toBe(true);
  });

  it('docs/scenarios/push-basics.json: every step succeeds', async () => {
    const out = await runScenario(load('push-basics.json'));
    expect(out.steps.filter((s) => !s.ok && !s.step.expectError)).toEqual([]);
    expect(out.requests.some((r) => r.method === 'PATCH')).toBe(true);
  });

  it('docs/scenarios/new-rows.json: a company by domain is added, one already on the list is bound, a name with no exact match adds nothing, a killed push adds once', async () => {
    const out = await runScenario(load('new-rows.json'));
    expect(out.steps.filter((s) => !s.ok)).toEqual([]);
    const creates = out.requests.filter((r) => r.method === 'POST' && r.path === '/v2/lists/7001/list-entries');
    expect(creates).toHaveLength(2); // Northwind Ventures, Blue Harbor Capital (once, despite the kill)
    const tab = out.tabs['Active Pipeline'];
    const names = tab.map((r) => r[1]);
    expect(names.filter((n) => n === 'Blue Harbor Capital')).toHaveLength(1);
    expect(tab.find((r) => r[1] === 'Northwind Ventures')![0]).not.toBe('');
    expect(tab.find((r) => r[1] === 'Verdant Loop')![0]).toBe('20007');
    expect(tab.find((r) => r[1] === 'Northwind')![0]).toBe('');
  });

  it('docs/scenarios/new-rows-person.json: a person found by email is added, one already in the tab is not added twice, an unknown email adds nothing; each says why', async () => {
    const out = await runScenario(load('new-rows-person.json'));
    expect(out.steps.filter((s) => !s.ok)).toEqual([]);
    const creates = out.requests.filter((r) => r.method === 'POST' && r.path === '/v2/lists/7100/list-entries');
    expect(creates).toHaveLength(1); // Grace; Mateo is on the list already, in row 2
    const tab = out.tabs['All Founders'];
    const row = (name: string) => tab.find((r) => r[1] === name)!;
    expect(row('Grace Okonkwo').slice(2)).toEqual(['CEO']);
    expect(row('Grace Okonkwo')[0]).not.toBe('');
    expect(row('mateo@solaris-grid.com')[0]).toBe(''); // kept, with its value, not added twice
    expect(row('nobody@example.org')).toEqual(['', 'nobody@example.org', 'Advisor']);
    const notes = JSON.stringify(out.steps[8].result);
    expect(notes).toMatch(/Mateo Fernández is already on “Founders”, in row 2/);
    expect(notes).toMatch(/no Affinity record has exactly this email address/);
  });

  it('docs/scenarios/new-rows-opportunity.json: an opportunity row is created through API v1 once', async () => {
    const out = await runScenario(load('new-rows-opportunity.json'));
    expect(out.steps.filter((s) => !s.ok)).toEqual([]);
    expect(out.requests.filter((r) => r.method === 'POST' && r.path === '/opportunities')).toHaveLength(1);
  });

  it('docs/scenarios/undo-push.json: the undo puts back what Affinity still holds and leaves the cell a colleague changed', async () => {
    const out = await runScenario(load('undo-push.json'));
    expect(out.steps.filter((s) => !s.ok)).toEqual([]);
    const undone = out.steps[9].result as { restored: number; notUndone: { field: string; affinity: string }[] };
    expect(undone.restored).toBe(2); // Description, and the new entry's Description (it stays on the list)
    expect(undone.notUndone).toEqual([expect.objectContaining({ field: 'Amount', affinity: '8500000' })]);
    expect(out.affinity['Deal Flow']['20003'].Amount).toBe('8500000');
    expect((out.steps[10].result as { pushedAt: string | null }).pushedAt).toBeNull();
  });

  it('docs/scenarios/schedule-basics.json: every step succeeds; the schedule pushes, pulls, survives a crash, skips, pauses once and resumes', async () => {
    const out = await runScenario(load('schedule-basics.json'));
    expect(out.steps.filter((s) => !s.ok)).toEqual([]);
    const at = (i: number) => out.steps[i].result as Record<string, unknown>;
    expect((at(6) as unknown as { handler: string }[]).filter((t) => t.handler === 'scheduledSync')).toHaveLength(1);
    expect(at(11)).toMatchObject({ killed: true });
    expect(out.affinity['Deal Flow']['20001'].Description).toBe('Typed in the sheet');
    expect(out.affinity['Deal Flow']['20003'].Description).toBe('Typed before a crash');
    const tab = out.tabs['Active Pipeline'];
    const col = tab[0].indexOf('Description');
    expect(tab.find((r) => r[0] === '20002')![col]).toBe('Changed in Affinity');
    expect(out.steps[14].requests).toBe(0); // another sync held the lock: skipped
    expect((at(17).paused as { reason: string }).reason).toMatch(/rejected the API key/);
    expect(at(22)).toMatchObject({ paused: null, lastRun: { ok: true } });
    expect(at(24)).toEqual([]);
  });

  it('docs/scenarios/shared-settings.json: another editor’s push-first and conflict setting are hers alone; she cannot take the schedule over without a key', async () => {
    const out = await runScenario(load('shared-settings.json'));
    expect(out.steps.filter((s) => !s.ok && !s.step.expectError)).toEqual([]);
    expect(out.affinity['Deal Flow']['20001'].Description).toBe('Typed by the owner');
    expect(out.steps[8].result).toMatchObject({
      you: 'mallory@example.com',
      pushFirst: false,
      runsAs: { email: 'owner@example.com', pushFirst: true },
    });
    expect(out.steps[9].error).toMatch(/Connect to Affinity first/);
    expect(out.steps[10].result).toEqual([
      expect.objectContaining({ handler: 'scheduledSync', owner: 'owner@example.com' }),
    ]);
  });

  it('docs/scenarios/formulas.json: a scheduled push holds formulas, a person’s push sends them once', async () => {
    const out = await runScenario(load('formulas.json'));
    expect(out.steps.filter((s) => !s.ok)).toEqual([]);
    const result = (i: number) => out.steps[i].result as Record<string, unknown>;
    expect(result(4)).toMatchObject({ formula: '=1+1', shows: '2' });
    const scheduled = out.steps[7];
    expect(scheduled.requests).toBeGreaterThan(0); // the plain edit went, with the scheduled pull
    const preview = result(8) as unknown as { changes: { entryId: number; formula?: string }[] };
    expect(preview.changes.map((c) => [c.entryId, c.formula])).toEqual([
      [20001, '=1+1'],
      [20006, '=NOW()'],
    ]);
    expect(result(9)).toMatchObject({ sent: 2 });
    expect(result(11)).toMatchObject({ sent: 0 }); // =NOW() moved on, but it was confirmed: not sent again
    expect(out.affinity['Deal Flow']['20001'].Amount).toBe('2');
    expect(out.affinity['Deal Flow']['20005'].Description).toBe('Typed as plain text');
  });

  it('docs/scenarios/view-columns.json: an empty view, entries leaving and returning, a field dropped with an edit and added back, a renamed field, a Plain-text column (sparse rows)', async () => {
    const out = await runScenario(load('view-columns.json'));
    expect(out.steps.filter((s) => !s.ok)).toEqual([]);
    const at = (i: number) => out.steps[i].result as Record<string, unknown>;
    // the empty view's tab has its field columns
    expect(out.tabs['Active Pipeline'][0]).toEqual(
      expect.arrayContaining(['Entry ID', 'Organization', 'Stage', 'Amount']),
    );
    // every entry left and returned: no column duplicated
    const header = out.tabs['All Deals'][0];
    expect(new Set(header).size).toBe(header.length);
    expect(at(8)).toMatchObject({ rows: 25, added: 25 });
    // the dropped field's edit: counted, noted, previewed, then sent once the field is back
    expect(at(11)).toMatchObject({ leftViewEdits: 1 });
    expect(Object.values(at(12)).some((n) => /Description.*no longer in the view/.test(String(n)))).toBe(true);
    expect((at(13) as unknown as PushPreview).notSent).toEqual([
      expect.objectContaining({ entryId: 20002, reason: expect.stringMatching(/^not sent: field left the view/) }),
    ]);
    expect(at(17)).toMatchObject({ pendingEdits: 1 });
    expect(at(18)).toMatchObject({ sent: 1 });
    expect(out.affinity['Deal Flow']['20002'].Description).toBe('Edited, then the field left');
    const col = header.indexOf('Description');
    expect(out.tabs['All Deals'].find((r) => r[0] === '20002')![col]).toBe('Edited, then the field left');
  });

  it('docs/scenarios/copied-spreadsheet.json: the copy keeps its tab, says what to do, never sends the original’s edit', async () => {
    const out = await runScenario(load('copied-spreadsheet.json'));
    expect(out.steps.filter((s) => !s.ok)).toEqual([]);
    const at = (i: number) => out.steps[i].result as Record<string, unknown>;
    expect(at(5)).toMatchObject({ triggers: 0 });
    expect(String(at(6).copyNotice)).toMatch(/connect to Affinity.*save the schedule again/);
    expect(at(8)).toMatchObject({ sent: 0 });
    expect(Object.values(at(9)).some((n) => /copied from/.test(String(n)))).toBe(true);
    expect(at(11)).toMatchObject({ sent: 1 });
    expect(at(13).copyNotice ?? null).toBeNull();
    expect(out.affinity['Deal Flow']['20001'].Description).toBe('Typed in the copy');
  });

  it('takes the network model: the same bind costs more virtual time under the realistic model, with the same requests', async () => {
    const steps = [
      { do: 'connect', key: 'demo-key-0001' },
      { do: 'bind', list: 'Deal Flow', view: 'Active Pipeline' },
    ];
    // realistic first: it pays the cold start of the bundle, so the difference below is not the JIT's
    const realistic = await runScenario({ seed: 'dealflow', network: 'realistic', memoryLimitMB: true, steps });
    const fast = await runScenario({ seed: 'dealflow', network: 'fast', steps });
    expect(fast.network).toBe('fast');
    expect(realistic.network).toBe('realistic');
    expect(realistic.steps.filter((s) => !s.ok)).toEqual([]);
    expect(realistic.steps[1].requests).toBe(fast.steps[1].requests);
    // each round trip pays UrlFetchApp's overhead and Affinity's base time (≥ 250 ms) instead of 120 ms
    expect(realistic.steps[1].virtualMs!).toBeGreaterThan(fast.steps[1].virtualMs! + 250);
    // Reported per step; a bind this small may read 0 (the figure may miss up to 4 MB: docs/harness.md, "Memory").
    expect(realistic.steps[1].peakHeapMB).toBeGreaterThanOrEqual(0);
  });
});
