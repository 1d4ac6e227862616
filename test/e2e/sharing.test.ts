/**
 * A shared spreadsheet (issue 8, docs/sharing.md): every write to Affinity is made by, and credited to, the person
 * whose edit it is. The owner connects and owns the schedule (push pending edits first); Mallory is another editor
 * without an Affinity key; Bob is an editor with his own key. Run `npm run build` first.
 */
import { DEALFLOW } from '../../tools/emulator/seeds/dealflow';
import { BOB, BOB_KEY, sharedSeed } from '../support/sharedSeed';
import type { EmulatorSeed } from '../../tools/emulator/seed';
import { KEY_COLUMN } from '../../src/server/engine/layout';
import { bucketCount } from '../../src/server/engine/baseDigest';
import type { PushPreview, PushSettings, PushSummary } from '../../src/shared/push';
import type { ScheduleState } from '../../src/shared/schedule';
import { bindWorld, letters, patches, type World } from './pushHelpers';

const F = DEALFLOW.fields;
const L = DEALFLOW.listId;
const MINUTE = 60_000;
const OWNER = 'owner@example.com';
const MALLORY = 'mallory@example.com';

/** An entry of the list that the Active Pipeline view does not show. */
function entryOutsideView(seed: EmulatorSeed): number {
  const inView = new Set(seed.savedViews[String(L)].find((v) => v.id === DEALFLOW.views.activePipeline)!.entryIds);
  return seed.entries[String(L)].map((e) => e.id).find((id) => !inView.has(id))!;
}

const keyOf = (r: { headers: Record<string, string> }) =>
  Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1] ?? '';

async function descriptionInAffinity(w: World, entryId: number): Promise<unknown> {
  const e = await w.product.emulator.admin.getEntry(L, entryId);
  return e!.entity.fields!.find((f) => f.id === F.description)?.value.data;
}

/** The owner's spreadsheet, bound, with their 15-minute schedule (pushing their edits first, unless told not to). */
async function world(pushFirst = true): Promise<World> {
  const w = await bindWorld({
    seed: sharedSeed(),
    apiKey: DEALFLOW.apiKey,
    listId: L,
    viewId: DEALFLOW.views.activePipeline,
  });
  w.run('saveSchedule', { schedule: { kind: 'minutes', every: 15 }, pushFirst });
  return w;
}

describe('sharing: the four-step attack on the owner’s schedule', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(() => w.close());

  it('a forged base row and tab row send zero requests to the forged entry; the row is reported; Affinity is unchanged', async () => {
    const h = w.product.harness;
    const forged = entryOutsideView(sharedSeed());
    const before = await descriptionInAffinity(w, forged);
    // 1. Mallory sets the conflict setting to "sheet wins".
    h.runWith({ kind: 'rpc', user: MALLORY }, 'setConflictPolicy', 'sheet-wins');
    // 2. Mallory unhides the base tab (its protection only warns) and adds a row for the forged entry.
    const baseName = `_affinity_base_${w.sheetId}`;
    const base = h.sheet(baseName);
    base.showSheet();
    const header = base.getRange(1, 1, 1, base.getLastColumn()).getValues()[0].map(String);
    const forgedBase = header.map((id) => (id === KEY_COLUMN ? forged : id === F.description ? 'old' : ''));
    h.userEdit(baseName, `A${base.getLastRow() + 1}:${letters(header.length)}${base.getLastRow() + 1}`, [forgedBase], {
      user: MALLORY,
    });
    // 3. Mallory adds a tab row with that Entry ID and a new Description.
    const tab = h.sheet(w.tab);
    const row = tab.getLastRow() + 1;
    h.userEdit(w.tab, `${letters(w.col(KEY_COLUMN))}${row}`, [[forged]], { user: MALLORY });
    h.userEdit(w.tab, `${letters(w.col(F.description))}${row}`, [['Forged by Mallory']], { user: MALLORY });
    // 4. The owner's scheduled sync (push pending edits first) runs.
    const from = h.fetchLog.length;
    const ran = h.advance(15 * MINUTE);
    expect(ran.map((m) => [m.fn, m.user, m.error])).toEqual([['scheduledSync', OWNER, undefined]]);
    const sent = w.requestsSince(from);
    expect(sent.filter((r) => r.url.includes(`/list-entries/${forged}`))).toEqual([]);
    expect(patches(sent)).toEqual([]);
    expect(await descriptionInAffinity(w, forged)).toEqual(before);
    // The forged row is reported on the tab, and the change log credits nobody with it.
    expect(tab.getRange(row, w.col(KEY_COLUMN)).getNote()).toMatch(/not in this view/);
    expect(h.spreadsheet.getSheetByName('Affinity change log')).toBeNull();
    // A manual push by the owner does not send it either.
    const from2 = h.fetchLog.length;
    const s = h.runWith({ kind: 'rpc', user: OWNER }, 'pushTab', w.sheetId, undefined, true) as PushSummary;
    expect(w.requestsSince(from2).filter((r) => r.url.includes(`/list-entries/${forged}`))).toEqual([]);
    expect(s.sent).toBe(0);
  });
});

describe('sharing: rows sharing a digest bucket with a tampered base row', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(() => w.close());

  it('are held for one run: the next pull re-reads them, and the run after pushes the owner’s edit', () => {
    const h = w.product.harness;
    const baseName = `_affinity_base_${w.sheetId}`;
    const base = h.sheet(baseName);
    const header = base.getRange(1, 1, 1, base.getLastColumn()).getValues()[0].map(String);
    const ids = base
      .getRange(2, 1, base.getLastRow() - 1, 1)
      .getValues()
      .map((r) => Number(r[0]));
    const buckets = bucketCount(ids.length);
    const [tampered, neighbour] = ids.filter((id) => id % buckets === ids[0] % buckets);
    const elsewhere = ids.find((id) => id % buckets !== ids[0] % buckets)!;
    expect(neighbour).toBeDefined();
    // Mallory changes the tampered entry's Description in the hidden base; the owner edits two other entries.
    const row = ids.indexOf(tampered) + 2;
    base.showSheet();
    h.userEdit(baseName, `${letters(header.indexOf(F.description) + 1)}${row}`, [['Forged base']], { user: MALLORY });
    h.userEdit(w.tab, w.a1(neighbour, F.description), [['Owner, same bucket']], { user: OWNER });
    h.userEdit(w.tab, w.a1(elsewhere, F.description), [['Owner, other bucket']], { user: OWNER });
    const sentTo = (from: number) =>
      patches(w.requestsSince(from)).map((r) => r.url.replace(/.*list-entries\/|\/fields/g, ''));
    const from = h.fetchLog.length;
    expect(h.advance(15 * MINUTE).map((m) => [m.fn, m.error])).toEqual([['scheduledSync', undefined]]);
    expect(sentTo(from)).toEqual([String(elsewhere)]);
    // Held, still pending in the tab (a push that sent another row wrote the base: it kept the held rows), and logged.
    expect(w.shown(neighbour, F.description)).toBe('Owner, same bucket');
    expect(h.logs.join('\n')).toMatch(
      /The base of tab \d+ did not verify for \d+ rows .* differences in the tab stay pending/,
    );
    // The next run pushes it: the pull of the run before re-read the bucket from Affinity.
    const from2 = h.fetchLog.length;
    h.advance(15 * MINUTE);
    expect(sentTo(from2)).toEqual([String(neighbour)]);
    expect(w.shown(tampered, F.description)).not.toBe('Forged base');
  });
});

describe('sharing: edits by others wait for a manual push by their editor', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(() => w.close());

  it('the owner’s scheduled push sends the owner’s edit and holds Mallory’s, which waits with its attribution', async () => {
    const h = w.product.harness;
    h.userEdit(w.tab, w.a1(20001, F.description), [['Typed by the owner']], { user: OWNER });
    h.userEdit(w.tab, w.a1(20002, F.description), [['Typed by Mallory']], { user: MALLORY });
    const from = h.fetchLog.length;
    h.advance(15 * MINUTE);
    const sent = patches(w.requestsSince(from));
    expect(sent.map((r) => r.url)).toEqual([`https://api.affinity.co/v2/lists/${L}/list-entries/20001/fields`]);
    expect(await descriptionInAffinity(w, 20001)).toBe('Typed by the owner');
    expect(await descriptionInAffinity(w, 20002)).not.toBe('Typed by Mallory');
    // Still in the tab after the pull, pending; the tab's card says an edit by others waits.
    expect(w.shown(20002, F.description)).toBe('Typed by Mallory');
    const tabs = h.runWith({ kind: 'rpc', user: OWNER }, 'getBindings') as { lastPush?: { message: string } }[];
    expect(JSON.stringify(tabs)).toMatch(/1 edit by others waits for a manual push/);
    // The owner's preview shows who made it.
    const p = h.runWith({ kind: 'rpc', user: OWNER }, 'previewPush', w.sheetId) as PushPreview;
    expect(p.changes.map((c) => [c.entryId, c.editedBy])).toEqual([[20002, expect.stringMatching(/editor/)]]);
    expect(p.byOthers).toHaveLength(1);
  });

  it('a manual push by the editor sends it under their own key; the change log names editor and pusher', async () => {
    const h = w.product.harness;
    h.runWith({ kind: 'rpc', user: BOB }, 'connect', BOB_KEY);
    h.userEdit(w.tab, w.a1(20003, F.description), [['Typed by Bob']], { user: BOB });
    const from = h.fetchLog.length;
    const s = h.runWith({ kind: 'rpc', user: BOB }, 'pushTab', w.sheetId) as PushSummary;
    const sent = patches(w.requestsSince(from));
    // Bob's own edit goes under Bob's key; Mallory's waits (Bob did not confirm it).
    expect(sent.map((r) => [r.url.replace(/.*list-entries\//, ''), keyOf(r)])).toEqual([
      ['20003/fields', expect.stringContaining(BOB_KEY)],
    ]);
    expect(s.heldForOthers?.map((x) => x.entryId)).toEqual([20002]);
    expect(await descriptionInAffinity(w, 20003)).toBe('Typed by Bob');
    const log = h.sheet('Affinity change log').getDataRange().getDisplayValues();
    expect(log[log.length - 1].slice(1, 4)).toEqual([
      expect.stringMatching(/^edited by .+; pushed by Bob Byron <bob@analytical.vc>$/),
      w.tab,
      '20003',
    ]);
    // Confirmed: Mallory's edit goes under Bob's key, and the log credits both.
    const from2 = h.fetchLog.length;
    h.runWith({ kind: 'rpc', user: BOB }, 'pushTab', w.sheetId, undefined, true);
    const sent2 = patches(w.requestsSince(from2));
    expect(sent2.map((r) => [r.url.replace(/.*list-entries\//, ''), keyOf(r)])).toEqual([
      ['20002/fields', expect.stringContaining(BOB_KEY)],
    ]);
  });
});

describe('sharing: settings that decide what is sent under someone’s identity belong to them', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(() => w.close());

  it('the conflict setting is per user; the schedule is taken over only on purpose, and then runs as the new owner', () => {
    const h = w.product.harness;
    h.runWith({ kind: 'rpc', user: MALLORY }, 'setConflictPolicy', 'sheet-wins');
    expect(h.runWith({ kind: 'rpc', user: OWNER }, 'getConflictPolicy')).toBe('flag');
    expect(h.runWith({ kind: 'rpc', user: MALLORY }, 'getConflictPolicy')).toBe('sheet-wins');
    h.runWith({ kind: 'rpc', user: BOB }, 'connect', BOB_KEY);
    expect(() =>
      h.runWith({ kind: 'rpc', user: BOB }, 'saveSchedule', { schedule: { kind: 'hourly' }, pushFirst: true }),
    ).toThrow(/The schedule runs as owner@example.com. Take it over/);
    const state = h.runWith({ kind: 'rpc', user: BOB }, 'takeOverSchedule') as { runsAs: { email: string } };
    expect(state.runsAs.email).toBe(BOB);
    h.advance(20 * MINUTE);
    const owners = h.triggers.filter((t) => t.handler === 'scheduledSync').map((t) => t.owner);
    expect(owners).toEqual([BOB]);
  });
});

describe('sharing: push pending edits first is each user’s own setting', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
    w.product.harness.runWith({ kind: 'rpc', user: BOB }, 'connect', BOB_KEY);
  });
  afterAll(() => w.close());
  const pushFirstOf = (user: string) =>
    (w.product.harness.runWith({ kind: 'rpc', user }, 'getScheduleState') as ScheduleState).pushFirst;

  it('Bob turning it off in his panel does not change what the owner’s scheduled run does', () => {
    const h = w.product.harness;
    h.runWith({ kind: 'rpc', user: BOB }, 'setPushFirst', false);
    expect([pushFirstOf(OWNER), pushFirstOf(BOB)]).toEqual([true, false]);
    h.userEdit(w.tab, w.a1(20001, F.description), [['Owner, pushed first']], { user: OWNER });
    const from = h.fetchLog.length;
    h.advance(15 * MINUTE);
    expect(patches(w.requestsSince(from)).map((r) => [r.url.replace(/.*list-entries\//, ''), keyOf(r)])).toEqual([
      ['20001/fields', expect.stringContaining(DEALFLOW.apiKey)],
    ]);
  });

  it('nor Bob turning it on: the owner’s off stays off', () => {
    const h = w.product.harness;
    h.runWith({ kind: 'rpc', user: OWNER }, 'setPushFirst', false);
    h.runWith({ kind: 'rpc', user: BOB }, 'setPushFirst', true);
    expect([pushFirstOf(OWNER), pushFirstOf(BOB)]).toEqual([false, true]);
    h.userEdit(w.tab, w.a1(20002, F.description), [['Owner, not pushed first']], { user: OWNER });
    const from = h.fetchLog.length;
    expect(h.advance(15 * MINUTE).map((m) => [m.fn, m.user, m.error])).toEqual([['scheduledSync', OWNER, undefined]]);
    expect(patches(w.requestsSince(from))).toEqual([]);
    expect(w.shown(20002, F.description)).toBe('Owner, not pushed first');
  });

  it('taking the schedule over keeps the new owner’s own setting, never the previous owner’s', () => {
    const h = w.product.harness;
    h.runWith({ kind: 'rpc', user: OWNER }, 'setPushFirst', true);
    h.runWith({ kind: 'rpc', user: BOB }, 'setPushFirst', false);
    const s = h.runWith({ kind: 'rpc', user: BOB }, 'takeOverSchedule') as ScheduleState;
    expect([s.runsAs?.email, s.pushFirst, s.runsAs?.pushFirst]).toEqual([BOB, false, false]);
    h.userEdit(w.tab, w.a1(20003, F.description), [['Bob, not pushed first']], { user: BOB });
    const from = h.fetchLog.length;
    // Bob's trigger runs; the owner's removes itself when it fires.
    expect(h.advance(15 * MINUTE).map((m) => [m.fn, m.user, m.error])).toContainEqual([
      'scheduledSync',
      BOB,
      undefined,
    ]);
    expect(patches(w.requestsSince(from))).toEqual([]);
    // The owner sees Bob's choice as the schedule's, and their own unchanged.
    const owners = h.runWith({ kind: 'rpc', user: OWNER }, 'getScheduleState') as ScheduleState;
    expect([owners.pushFirst, owners.runsAs?.pushFirst]).toEqual([true, false]);
  });
});

describe('sharing: the old spreadsheet-wide settings are nobody’s (upgrade)', () => {
  let w: World;
  beforeAll(async () => {
    w = await world(false);
    // As a version before this one left them: both settings in document properties, for everyone.
    const doc = w.product.harness.properties.document;
    doc.setProperty('affinity.conflictPolicy', 'sheet-wins');
    const settings = JSON.parse(doc.getProperty('affinity.schedule')!) as Record<string, unknown>;
    doc.setProperty('affinity.schedule', JSON.stringify({ ...settings, pushFirst: true }));
  });
  afterAll(() => w.close());

  it('the owner’s scheduled run does not push first on the old value; the old values are removed', () => {
    const h = w.product.harness;
    h.userEdit(w.tab, w.a1(20001, F.description), [['Owner, after the upgrade']], { user: OWNER });
    const from = h.fetchLog.length;
    expect(h.advance(15 * MINUTE).map((m) => [m.fn, m.user, m.error])).toEqual([['scheduledSync', OWNER, undefined]]);
    expect(patches(w.requestsSince(from))).toEqual([]);
    const doc = h.properties.document;
    expect(doc.getProperty('affinity.conflictPolicy')).toBeNull();
    expect(JSON.parse(doc.getProperty('affinity.schedule')!)).not.toHaveProperty('pushFirst');
  });

  it('each user starts at the safe default and is told once what the whole spreadsheet had', () => {
    const h = w.product.harness;
    for (const user of [OWNER, MALLORY]) {
      const push = h.runWith({ kind: 'rpc', user }, 'getPushSettings') as PushSettings;
      expect(push.policy).toBe('flag');
      expect(push.policyNotice).toMatch(/now yours alone.*It was “Sheet wins.*for the whole spreadsheet/);
      const schedule = h.runWith({ kind: 'rpc', user }, 'getScheduleState') as ScheduleState;
      expect(schedule.pushFirst).toBe(false);
      expect(schedule.pushFirstNotice).toMatch(
        /now yours alone.*It was on for the whole spreadsheet; yours starts off/,
      );
      // Once.
      expect((h.runWith({ kind: 'rpc', user }, 'getPushSettings') as PushSettings).policyNotice).toBeNull();
      expect((h.runWith({ kind: 'rpc', user }, 'getScheduleState') as ScheduleState).pushFirstNotice).toBeNull();
    }
  });
});

describe('sharing: a run belongs to the user who started it', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(() => w.close());

  it('a run started by the owner is never resumed by Bob’s trigger; once orphaned it is dropped with a log line', () => {
    const h = w.product.harness;
    h.userEdit(w.tab, w.a1(20001, F.description), [['Owner, queued']], { user: OWNER });
    // The owner's run, queued (push then pull), as a run cut short leaves it.
    const now = h.clock.now();
    h.properties.document.setProperty(
      'affinity.run',
      JSON.stringify({
        id: 'ownerrun',
        kind: 'scheduled',
        by: OWNER,
        startedAt: now,
        updatedAt: now,
        tasks: [
          { sheetId: w.sheetId, step: 'push' },
          { sheetId: w.sheetId, step: 'pull' },
        ],
        executions: 1,
        requests: 0,
      }),
    );
    // Bob connects and takes the schedule over (the owner's trigger removes itself when it fires).
    h.runWith({ kind: 'rpc', user: BOB }, 'connect', BOB_KEY);
    h.runWith({ kind: 'rpc', user: BOB }, 'saveSchedule', {
      schedule: { kind: 'minutes', every: 5 },
      pushFirst: true,
      takeOver: true,
    });
    const from = h.fetchLog.length;
    const logsFrom = h.logs.length;
    h.advance(6 * MINUTE);
    expect(patches(w.requestsSince(from))).toEqual([]);
    expect(h.logs.slice(logsFrom).join('\n')).toMatch(/a sync started by owner@example.com is in progress/);
    // Twenty minutes without its owner: Bob's trigger drops it, and the owner's edit is not sent under Bob's key.
    h.advance(20 * MINUTE);
    expect(h.logs.slice(logsFrom).join('\n')).toMatch(
      /Sync run ownerrun of owner@example.com dropped: .*edits stay pending/,
    );
    const sent = w.requestsSince(from);
    expect(patches(sent)).toEqual([]);
    expect(sent.every((r) => keyOf(r).includes(BOB_KEY))).toBe(true);
    expect(w.shown(20001, F.description)).toBe('Owner, queued');
  });
});

describe('sharing: a schedule never dies silently', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(() => w.close());

  it('a paused schedule says so on every synced tab, with its owner and what to do; resuming clears it', async () => {
    const h = w.product.harness;
    const header = () => h.sheet(w.tab).getRange(1, w.col(KEY_COLUMN)).getNote();
    expect(header()).not.toMatch(/Scheduled sync/);
    await w.product.emulator.admin.injectFault({ status: 401, count: -1 });
    h.advance(15 * MINUTE);
    expect(header()).toMatch(
      /Scheduled sync PAUSED since .*: .* It runs as owner@example.com: they fix it and resume it/,
    );
    await w.product.emulator.admin.clearFaults();
    h.runWith({ kind: 'rpc', user: OWNER }, 'resumeSchedule');
    expect(header()).not.toMatch(/Scheduled sync/);
    expect(header()).toMatch(/list-entry id/);
  });
});
