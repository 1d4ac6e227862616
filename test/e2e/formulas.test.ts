/**
 * Formulas typed into synced cells (issue 9), end to end: dist/Code.js in the Apps Script harness, whose formula
 * engine computes `=1+1`, references and `=TODAY()`/`=NOW()` on every read (docs/harness.md, "Formulas"), against
 * the Affinity emulator. The tests state the policy a careful user expects:
 *
 * - a manual push shows a formula's edit in the preview with its value, and sends that value;
 * - a scheduled push (push first) never sends a formula's value unconfirmed: the edit stays pending, the formula stays;
 * - a volatile formula never causes a push on every run.
 *
 * Run `npm run build` first.
 */
import { DEALFLOW, dealflowSeed } from '../../tools/emulator/seeds/dealflow';
import type { PushPreview, PushSummary } from '../../src/shared/push';
import { bindWorld, patches, type World } from './pushHelpers';
import { MINUTE } from './scheduleHelpers';

const F = DEALFLOW.fields;
const L = DEALFLOW.listId;
const V = DEALFLOW.views.activePipeline;
const every15 = { kind: 'minutes', every: 15 } as const;

async function world(): Promise<World> {
  return bindWorld({ seed: dealflowSeed(), apiKey: DEALFLOW.apiKey, listId: L, viewId: V });
}

async function affinityValue(w: World, entryId: number, fieldId: string): Promise<unknown> {
  const entry = await w.product.emulator.admin.getEntry(L, entryId);
  return entry!.entity.fields!.find((f) => f.id === fieldId)?.value?.data ?? null;
}

/** The formula in a synced cell ('' when the cell holds a plain value). */
function formulaIn(w: World, entryId: number, fieldId: string): string {
  return w.product.harness.sheet(w.tab).getRange(w.a1(entryId, fieldId)).getFormula();
}

/** Field ids sent to Affinity in the PATCH requests since `from`, as `entryId:fieldId`. */
function sentFields(w: World, from: number): string[] {
  return patches(w.requestsSince(from)).flatMap((r) => {
    const entryId = /list-entries\/(\d+)\/fields/.exec(r.url)![1];
    return (JSON.parse(r.payload!) as { updates: { id: string }[] }).updates.map((u) => `${entryId}:${u.id}`);
  });
}

/** How many times each `entryId:fieldId` was sent since `from`. */
function sendCounts(w: World, from: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of sentFields(w, from)) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/** Today in the spreadsheet's zone (America/New_York, the harness default), as yyyy-mm-dd. */
function todayInSpreadsheet(w: World): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(
    new Date(w.product.harness.clock.now()),
  );
}

describe('formulas in synced cells: a manual push', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(() => w.close());

  it('the preview shows each formula with its value (=1+1, =<amount>*2, =TODAY()) and sends nothing', () => {
    const h = w.product.harness;
    const amount = Number(w.shown(20003, F.amount));
    const ref = `=${w.a1(20003, F.amount)}*2`;
    w.type(20001, F.amount, '=1+1');
    w.type(20002, F.amount, ref);
    w.type(20003, F.nextStepDate, '=TODAY()');
    expect(w.shown(20001, F.amount)).toBe('2'); // the sheet computes them
    const from = h.fetchLog.length;
    const p = h.runAs('rpc', 'previewPush', w.sheetId) as PushPreview;
    expect(patches(w.requestsSince(from))).toEqual([]);
    const change = (entryId: number, field: string) =>
      p.changes.find((c) => c.entryId === entryId && c.field === field)!;
    // the value that would be sent...
    expect(change(20001, 'Amount').new).toMatch(/(^|\D)2(\D|$)/);
    expect(change(20002, 'Amount').new).toMatch(new RegExp(`(^|\\D)${amount * 2}(\\D|$)`));
    expect(change(20003, 'Next Step Date').new).toContain(todayInSpreadsheet(w));
    expect(p.invalid).toEqual([]);
    // ...and that it comes from a formula, so the person confirming knows what they send
    expect(JSON.stringify(change(20001, 'Amount'))).toContain('=1+1');
    expect(JSON.stringify(change(20002, 'Amount'))).toContain(ref);
    expect(JSON.stringify(change(20003, 'Next Step Date'))).toContain('=TODAY()');
  });

  it('a manual push sends the formulas’ values', async () => {
    const amount = Number(w.shown(20003, F.amount));
    w.type(20001, F.amount, '=1+1');
    w.type(20002, F.amount, `=${w.a1(20003, F.amount)}*2`);
    w.type(20003, F.nextStepDate, '=TODAY()');
    const s = w.product.harness.runAs('rpc', 'pushTab', w.sheetId, []) as PushSummary;
    expect(s).toMatchObject({ sent: 3, failed: 0, invalid: 0 });
    expect(await affinityValue(w, 20001, F.amount)).toBe(2);
    expect(await affinityValue(w, 20002, F.amount)).toBe(amount * 2);
    expect(String(await affinityValue(w, 20003, F.nextStepDate))).toContain(todayInSpreadsheet(w));
  });

  it('a formula in a text column sends what the cell shows (=NOW() shows a date and time, not a day)', async () => {
    w.type(20006, F.description, '=NOW()');
    const dateAndTime = /^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d\d:\d\d$/; // as the cell shows it (the clock moves on)
    expect(w.shown(20006, F.description)).toMatch(dateAndTime);
    const p = w.product.harness.runAs('rpc', 'previewPush', w.sheetId) as PushPreview;
    const change = p.changes.find((c) => c.entryId === 20006)!;
    expect(change.formula).toBe('=NOW()');
    expect(change.new).toMatch(dateAndTime);
    const s = w.run('pushTab', w.sheetId) as PushSummary;
    expect(s.sent).toBe(1);
    expect(await affinityValue(w, 20006, F.description)).toMatch(dateAndTime);
  });

  it('a volatile formula pushed once is not sent again by the next push (=RAND(), =NOW())', () => {
    w.type(20010, F.amount, '=RAND()');
    w.type(20006, F.description, '=NOW()');
    const first = w.run('pushTab', w.sheetId) as PushSummary;
    expect(first.sent).toBe(2);
    w.product.harness.advance(5 * MINUTE);
    const from = w.product.harness.fetchLog.length;
    const second = w.run('pushTab', w.sheetId) as PushSummary;
    expect(sentFields(w, from)).toEqual([]);
    expect(second.sent).toBe(0);
    expect(formulaIn(w, 20010, F.amount)).toBe('=RAND()');
    expect(formulaIn(w, 20006, F.description)).toBe('=NOW()');
  });
});

describe('formulas in synced cells: scheduled runs that push first', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
    w.run('saveSchedule', { schedule: every15, pushFirst: true });
  });
  afterEach(() => w.close());

  it('a scheduled push never sends a formula’s value unconfirmed; the formulas stay, pending', async () => {
    const h = w.product.harness;
    const before = {
      amount: await affinityValue(w, 20001, F.amount),
      amount2: await affinityValue(w, 20002, F.amount),
      description: await affinityValue(w, 20004, F.description),
    };
    w.type(20001, F.amount, '=1+1');
    w.type(20002, F.amount, `=${w.a1(20003, F.amount)}*2`);
    w.type(20004, F.description, '=UPPER("typed as a formula")');
    w.type(20005, F.description, 'Typed as plain text');
    const from = h.fetchLog.length;
    const runs = h.advance(15 * MINUTE);
    expect(runs.map((m) => m.error)).toEqual([undefined]);
    // the plain edit goes; the formulas' values do not
    expect(sentFields(w, from)).toEqual([`20005:${F.description}`]);
    expect(await affinityValue(w, 20001, F.amount)).toEqual(before.amount);
    expect(await affinityValue(w, 20002, F.amount)).toEqual(before.amount2);
    expect(await affinityValue(w, 20004, F.description)).toEqual(before.description);
    // nothing the user typed is lost: the formulas are still there, still computing, still waiting for a person
    expect(formulaIn(w, 20001, F.amount)).toBe('=1+1');
    expect(formulaIn(w, 20004, F.description)).toBe('=UPPER("typed as a formula")');
    expect(w.shown(20001, F.amount)).toBe('2');
    const p = h.runAs('rpc', 'previewPush', w.sheetId) as PushPreview;
    expect(p.changes.map((c) => `${c.entryId}:${c.field}`).sort()).toEqual([
      '20001:Amount',
      '20002:Amount',
      '20004:Description',
    ]);
  });

  it('a volatile formula (=RAND(), =NOW(), =TODAY()) never causes a push on every run, across midnight', () => {
    const h = w.product.harness;
    w.type(20010, F.amount, '=RAND()');
    w.type(20006, F.description, '=NOW()');
    w.type(20009, F.nextStepDate, '=TODAY()');
    const from = h.fetchLog.length;
    // 14:00Z = 9:00 in New York: 16 hours of runs reach past midnight there
    const runs = h.advance(16 * 60 * MINUTE);
    expect(runs.length).toBeGreaterThanOrEqual(60);
    expect(runs.filter((m) => m.error !== undefined)).toEqual([]);
    expect(sendCounts(w, from)).toEqual({});
    expect(formulaIn(w, 20010, F.amount)).toBe('=RAND()');
    expect(formulaIn(w, 20006, F.description)).toBe('=NOW()');
    expect(formulaIn(w, 20009, F.nextStepDate)).toBe('=TODAY()');
  });
});
