import type { FieldValueUpdate } from '../../src/server/affinity/types';
import { cellsIn } from '../../src/server/engine/blocks';
import { KEY_COLUMN, NAME_COLUMN, NOTE_MARK, keyColumnSpec } from '../../src/server/engine/layout';
import { planPull } from '../../src/server/engine/pull';
import { buildRemoteView } from '../support/remoteView';
import type { ConflictPolicy } from '../../src/server/engine/policy';
import { nextBatch } from '../../src/server/engine/push/batch';
import { planPush, sameValue } from '../../src/server/engine/push/plan';
import { previewOf } from '../../src/server/engine/push/preview';
import { readStrategy, type RemoteState } from '../../src/server/engine/push/read';
import { findEdits } from '../../src/server/engine/push/scan';
import { settlePush, type RequestResult } from '../../src/server/engine/push/settle';
import {
  FIELDS,
  LIST_ID,
  applyBlocks,
  cellAt,
  codec,
  columns,
  ctx,
  entryOf,
  parseCtx,
  remoteStateOf,
  sheetOf,
  snapshotOf,
  stored,
  tabState,
  type Row,
  type Sheet,
} from './pushModel';

const rows = (): Map<number, Row> =>
  new Map<number, Row>([
    [101, { name: 'Acme', t: 'hello', n: 100, d: 31, ro: 'Makes anvils' }],
    [102, { name: 'Beta', t: null, n: null, d: null, ro: null }],
    [103, { name: 'Gamma', t: 'x', n: 5, d: 32, ro: 'y' }],
  ]);

function edit(sheet: Sheet, entryId: number, columnId: string, value: string | number) {
  const at = cellAt(sheet, entryId, columnId)!;
  sheet.values[at.row][at.col] = value;
}

function scanOf(sheet: Sheet, base: Map<number, Row>) {
  return findEdits({ tab: tabState(sheet), snapshot: snapshotOf(base), columns, codec, viewName: 'Pipeline' });
}

function plan(
  sheet: Sheet,
  base: Map<number, Row>,
  remote: Map<number, Row>,
  policy: ConflictPolicy = 'flag',
  state?: RemoteState,
) {
  const scan = scanOf(sheet, base);
  const remoteState = state ?? remoteStateOf(remote, scan.entries.keys());
  return { scan, plan: planPush({ listId: LIST_ID, scan, remote: remoteState, columns, parse: parseCtx, policy }) };
}

function settle(sheet: Sheet, base: Map<number, Row>, p: ReturnType<typeof plan>, results?: RequestResult[]) {
  return settlePush({
    plan: p.plan,
    results: results ?? p.plan.requests.map(() => ({ ok: true })),
    scan: p.scan,
    tab: tabState(sheet),
    snapshot: snapshotOf(base),
    columns,
    codec,
  });
}

const noteAt = (
  sheet: Sheet,
  blocks: { row: number; col: number; values: string[][] }[],
  entryId: number,
  columnId: string,
) => {
  const at = cellAt(sheet, entryId, columnId)!;
  const grid = sheet.notes.map((r) => r.slice());
  applyBlocks(grid, blocks);
  return grid[at.row][at.col];
};

describe('findEdits', () => {
  it('finds nothing in an untouched tab, whatever the row order, column order or user columns', () => {
    const base = rows();
    const sheet = sheetOf(base);
    sheet.values.reverse();
    // The user moved "Amount" to the far right (by metadata) and added data in their own column.
    const tab = tabState(sheet);
    sheet.values.forEach((line) => {
      line[6] = `user-${String(line[0])}`;
    });
    const scan = findEdits({ tab, snapshot: snapshotOf(base), columns, codec, viewName: 'Pipeline' });
    expect(scan.entries.size).toBe(0);
    expect(scan.readOnly).toEqual([]);
    expect(scan.unsynced).toEqual([]);
    expect(scan.matchedRows).toBe(3);
  });

  it('finds typed edits by comparing canonical texts with the base, not raw cells', () => {
    const base = rows();
    const sheet = sheetOf(base);
    edit(sheet, 101, 'field-1', '  hello  '); // surrounding spaces: not an edit
    edit(sheet, 101, 'field-2', '100'); // the number typed as text: same number
    edit(sheet, 102, 'field-1', 'new text');
    edit(sheet, 103, 'field-3', 'series b');
    edit(sheet, 103, NAME_COLUMN, 'Gamma Inc');
    const scan = scanOf(sheet, base);
    expect([...scan.entries.keys()]).toEqual([102, 103]);
    expect(scan.entries.get(102)!.edits.map((e) => [e.columnId, e.base, e.local])).toEqual([
      ['field-1', '', 'new text'],
    ]);
    expect(scan.entries.get(103)!.edits.map((e) => [e.columnId, e.base, e.local])).toEqual([
      ['field-3', 'Series A', 'series b'],
    ]);
    expect(scan.readOnly.map((e) => [e.entryId, e.columnId, e.local])).toEqual([[103, NAME_COLUMN, 'Gamma Inc']]);
  });

  it('reports rows without an entry id, with an unknown id, or repeating one, as not synced with the reason', () => {
    const base = rows();
    const sheet = sheetOf(base);
    sheet.values.push(['', 'New Co', 'typed', '', '', '', '']);
    sheet.values.push(['', '', '', '', '', '', 'only my own column']);
    sheet.values.push([999, 'Ghost', '', '', '', '', '']);
    sheet.values.push([101, 'Acme', 'copy', 100, 'Seed', 'Makes anvils', '']);
    sheet.values.push(['abc', '', '', '', '', '', '']);
    sheet.notes = sheet.values.map(() => new Array(7).fill(''));
    const scan = scanOf(sheet, base);
    expect(scan.unsynced.map((u) => u.row)).toEqual([3, 5, 6, 7]);
    // A named row without an id is a new row (the push's new-rows step adds it or notes why not).
    expect(scan.unsynced[0].reason).toMatch(/not synced: it is a new row \(no Affinity entry id yet\)/);
    expect(scan.unsynced[1].reason).toMatch(/entry 999 is not one of the rows last pulled from “Pipeline”/);
    expect(scan.unsynced[2].reason).toMatch(/repeats entry 101 of row 2; only that row is synced/);
    expect(scan.unsynced[3].reason).toMatch(/holds “abc”, which is not an Affinity entry id/);
    // The copy's edit is not an edit of entry 101.
    expect(scan.entries.size).toBe(0);
  });

  it('a deleted row is not an edit', () => {
    const base = rows();
    const sheet = sheetOf(base);
    sheet.values.splice(1, 1);
    sheet.notes.splice(1, 1);
    const scan = scanOf(sheet, base);
    expect(scan.entries.size).toBe(0);
    expect(scan.unsynced).toEqual([]);
  });
});

describe('readStrategy', () => {
  it('re-reads the pages when more entries were edited than the view has pages, else each entry', () => {
    expect(readStrategy(200, 10_000)).toMatchObject({ mode: 'pages', requests: 100, fits: true });
    expect(readStrategy(100, 10_000)).toMatchObject({ mode: 'entries', requests: 100, fits: true });
    expect(readStrategy(3, 250)).toMatchObject({ mode: 'entries', requests: 3, fits: true });
    expect(readStrategy(4, 250)).toMatchObject({ mode: 'pages', requests: 3, fits: true });
    expect(readStrategy(2, 50)).toMatchObject({ mode: 'pages', requests: 1, fits: true });
    expect(readStrategy(0, 50)).toMatchObject({ mode: 'entries', requests: 0, fits: true });
  });

  it('takes the faster whole push when the cheaper one does not fit the time left', () => {
    const costs = { pageMs: 1_000, entryMs: 300, parallel: 10, perMinute: 900 };
    // 500 pages one after the other (≈ 500 s) do not fit 270 s; 1,000 entries read and sent in 2 × 100 waves (60 s),
    // with a minute's wait for Affinity's per-minute limit (2,000 requests), do.
    expect(readStrategy(1_000, 50_000, 270_000, costs)).toMatchObject({
      mode: 'entries',
      requests: 1_000,
      fits: true,
      portion: 1_000,
    });
    // Within the time, the fewer requests win, as before.
    expect(readStrategy(1_000, 50_000, 600_000, costs)).toMatchObject({
      mode: 'pages',
      requests: 500,
      fits: true,
      portion: 1_000,
    });
  });

  it('when no whole push fits, checks and sends the largest part that does; none when not one entry fits', () => {
    const costs = { pageMs: 1_000, entryMs: 300, parallel: 10, perMinute: 900 };
    // 20 s: 33 waves of reads and 33 of PATCHes (19.8 s), 660 requests inside the minute's 900.
    const part = readStrategy(1_000, 50_000, 20_000, costs);
    expect(part).toMatchObject({ mode: 'entries', requests: 330, fits: true, portion: 330 });
    expect(part.ms).toBeLessThanOrEqual(20_000);
    // 9,800 entries of a slow 10,000-entry view (3.4 s a page: 340 s of pages) in 280 s: by entries, and Affinity's
    // 900 requests a minute bound it (3 minutes' waits for 3,320 requests, plus 2 × 166 waves).
    const slow = readStrategy(9_800, 10_000, 280_000, { ...costs, pageMs: 3_400 });
    expect(slow).toMatchObject({ mode: 'entries', fits: true, portion: 1_660 });
    // A fast view: the whole view read (100 pages, 52 s), then as many PATCHes as the minute's limit allows.
    const fast = readStrategy(9_800, 10_000, 280_000, { ...costs, pageMs: 520 });
    expect(fast.mode).toBe('pages');
    expect(fast.portion).toBeGreaterThan(slow.portion);
    expect(fast.ms).toBeLessThanOrEqual(280_000);
    // A minute already spent waits 50 s for its reset first: 4 s are left for 2 × 6 waves.
    expect(readStrategy(100, 50_000, 54_000, costs, { remaining: 0, resetInMs: 50_000 })).toMatchObject({
      mode: 'entries',
      fits: true,
      portion: 60,
    });
    // 0.6 s: one wave of reads and one of PATCHes (10 entries); 0.5 s: not one entry fits.
    expect(readStrategy(1_000, 50_000, 600, costs)).toMatchObject({ fits: true, portion: 10 });
    expect(readStrategy(1_000, 50_000, 500, costs)).toMatchObject({ fits: false, portion: 0 });
  });
});

describe('planPush', () => {
  it('sends an edit when Affinity still has the base value, one request per entry, with typed values', () => {
    const base = rows();
    const sheet = sheetOf(base);
    edit(sheet, 101, 'field-1', 'changed');
    edit(sheet, 101, 'field-2', 2500);
    edit(sheet, 101, 'field-3', 'series a');
    edit(sheet, 103, 'field-1', '');
    const { plan: p } = plan(sheet, base, base);
    expect(p.requests.map((r) => [r.listEntryId, r.updates])).toEqual([
      [
        101,
        [
          { id: 'field-1', value: { type: 'text', data: 'changed' } },
          { id: 'field-2', value: { type: 'number', data: 2500 } },
          { id: 'field-3', value: { type: 'dropdown', data: { dropdownOptionId: 32 } } },
        ],
      ],
      [103, [{ id: 'field-1', value: { type: 'text', data: null } }]],
    ]);
    expect(p.counts.send).toBe(4);
  });

  it('sends nothing when Affinity already has the edited value (same text, or the same option in another case)', () => {
    const base = rows();
    const sheet = sheetOf(base);
    edit(sheet, 101, 'field-1', 'both');
    edit(sheet, 103, 'field-3', 'seed');
    const remote = rows();
    remote.get(101)!.t = 'both';
    remote.get(103)!.d = 31;
    const { plan: p } = plan(sheet, base, remote);
    expect(p.requests).toEqual([]);
    expect(p.decisions.map((d) => d.status)).toEqual(['same', 'same']);
  });

  it('retyping the current option in another case sends nothing', () => {
    const base = rows();
    const sheet = sheetOf(base);
    edit(sheet, 101, 'field-3', 'SEED');
    const { plan: p } = plan(sheet, base, base);
    expect(p.requests).toEqual([]);
    expect(p.counts.same).toBe(1);
  });

  it('a conflict is flagged and not sent by default, sent under sheet-wins, replaced under affinity-wins', () => {
    const base = rows();
    const sheet = sheetOf(base);
    edit(sheet, 101, 'field-1', 'mine');
    const remote = rows();
    remote.get(101)!.t = 'theirs';

    const flagged = plan(sheet, base, remote, 'flag');
    expect(flagged.plan.requests).toEqual([]);
    expect(flagged.plan.decisions[0]).toMatchObject({
      status: 'conflict',
      base: 'hello',
      local: 'mine',
      remote: 'theirs',
    });
    const out = settle(sheet, base, flagged);
    expect(noteAt(sheet, out.noteBlocks, 101, 'field-1')).toMatch(
      /conflict\. Affinity now has “theirs”; your edit “mine” was kept and not sent/,
    );
    expect(out.snapshot.rows.get(101)![1]).toBe('hello');

    const mine = plan(sheet, base, remote, 'sheet-wins');
    expect(mine.plan.requests.map((r) => r.updates)).toEqual([
      [{ id: 'field-1', value: { type: 'text', data: 'mine' } }],
    ]);
    const sent = settle(sheet, base, mine);
    expect(sent.log[0]).toMatchObject({
      old: 'theirs',
      new: 'mine',
      result: 'updated (replaced a change made in Affinity)',
    });

    const theirs = plan(sheet, base, remote, 'affinity-wins');
    expect(theirs.plan.requests).toEqual([]);
    const taken = settle(sheet, base, theirs);
    const grid = sheet.values.map((r) => r.slice());
    applyBlocks(grid, taken.valueBlocks, stored);
    expect(grid[cellAt(sheet, 101, 'field-1')!.row][2]).toBe('theirs');
    expect(taken.snapshot.rows.get(101)![1]).toBe('theirs');
    expect(noteAt(sheet, taken.noteBlocks, 101, 'field-1')).toMatch(
      /Affinity's value “theirs” was taken .*Your edit “mine” was not sent/,
    );
    expect(taken.log[0].result).toMatch(/Affinity's value kept/);
  });

  it('a choice made in the preview settles one conflict, as long as Affinity still has the value shown', () => {
    const base = rows();
    const sheet = sheetOf(base);
    edit(sheet, 101, 'field-1', 'mine');
    edit(sheet, 103, 'field-1', 'mine too');
    const remote = rows();
    remote.get(101)!.t = 'theirs';
    remote.get(103)!.t = 'theirs again';
    const scan = scanOf(sheet, base);
    const p = planPush({
      listId: LIST_ID,
      scan,
      remote: remoteStateOf(remote, scan.entries.keys()),
      columns,
      parse: parseCtx,
      policy: 'flag',
      choices: [
        { entryId: 101, columnId: 'field-1', remote: 'theirs', choice: 'mine' },
        { entryId: 103, columnId: 'field-1', remote: 'what it was before', choice: 'mine' },
      ],
    });
    expect(p.decisions.map((d) => [d.entryId, d.status])).toEqual([
      [101, 'overwrite'],
      [103, 'conflict'],
    ]);
  });

  it('an unknown dropdown option is not sent; its note lists the valid options; other cells go through', () => {
    const base = rows();
    const sheet = sheetOf(base);
    edit(sheet, 101, 'field-3', 'Series Z');
    edit(sheet, 101, 'field-1', 'fine');
    edit(sheet, 102, 'field-2', 'lots');
    const p = plan(sheet, base, base);
    expect(p.plan.requests.map((r) => r.updates)).toEqual([[{ id: 'field-1', value: { type: 'text', data: 'fine' } }]]);
    const out = settle(sheet, base, p);
    expect(noteAt(sheet, out.noteBlocks, 101, 'field-3')).toBe(
      `${NOTE_MARK}not sent. “Series Z” is not an option of Stage. Choose one of: Seed, Series A, Series B.`,
    );
    expect(noteAt(sheet, out.noteBlocks, 102, 'field-2')).toMatch(/not sent\. “lots” is not a number/);
    expect(out.counts).toMatchObject({ sent: 1, invalid: 2 });
  });

  it('read-only columns, cut cells and restricted fields are never sent', () => {
    const base = rows();
    const sheet = sheetOf(base);
    edit(sheet, 101, 'affinity-data-description', 'my description');
    edit(sheet, 101, NAME_COLUMN, 'Acme Corp');
    edit(sheet, 103, 'field-1', 'edited');
    const scan = scanOf(sheet, base);
    const state = remoteStateOf(base, scan.entries.keys());
    state.entries.get(103)!.locked.set('field-1', 'truncated');
    const p = planPush({ listId: LIST_ID, scan, remote: state, columns, parse: parseCtx, policy: 'sheet-wins' });
    expect(p.requests).toEqual([]);
    expect(p.decisions.map((d) => [d.columnId, d.status])).toEqual([
      [NAME_COLUMN, 'read-only'],
      ['affinity-data-description', 'read-only'],
      ['field-1', 'locked'],
    ]);
    const out = settle(sheet, base, { scan, plan: p });
    expect(noteAt(sheet, out.noteBlocks, 101, 'affinity-data-description')).toMatch(
      /Description is read-only here.*next pull puts Affinity's value back/,
    );
    expect(noteAt(sheet, out.noteBlocks, 101, NAME_COLUMN)).toMatch(/The name comes from Affinity/);
    expect(noteAt(sheet, out.noteBlocks, 103, 'field-1')).toMatch(/only part of Affinity's value/);
  });

  it('an entry Affinity no longer has is reported at its cells and nothing is sent for it', () => {
    const base = rows();
    const sheet = sheetOf(base);
    edit(sheet, 102, 'field-1', 'x');
    edit(sheet, 101, 'field-1', 'y');
    const remote = rows();
    remote.delete(102);
    const p = plan(sheet, base, remote);
    expect(p.plan.requests.map((r) => r.listEntryId)).toEqual([101]);
    const out = settle(sheet, base, p);
    expect(noteAt(sheet, out.noteBlocks, 102, 'field-1')).toMatch(
      /not sent\. Affinity could not find this list entry \(404\)/,
    );
  });

  it('splits an entry with more than 100 updates into several requests', () => {
    const many = Array.from({ length: 150 }, (_, i) => `field-${1000 + i}`);
    const cols = new Map(
      many.map((id) => [id, { id, name: id, valueType: 'text' as const, kind: 'list' as const, editable: true }]),
    );
    const scan = findEdits({
      tab: {
        values: [[5, ...many.map(() => 'new')]],
        notes: [[]],
        width: 151,
        columnOf: new Map([[KEY_COLUMN, 0], ...many.map((id, i) => [id, i + 1] as [string, number])]),
      },
      snapshot: { columns: many, rows: new Map([[5, many.map(() => 'old')]]) },
      columns: cols,
      codec,
      viewName: 'v',
    });
    const remote: RemoteState = {
      entries: new Map([
        [
          5,
          {
            entryId: 5,
            name: 'X',
            texts: new Map(many.map((id) => [id, 'old'])),
            values: new Map(),
            locked: new Map(),
          },
        ],
      ]),
      unreadable: new Map(),
    };
    const p = planPush({ listId: 1, scan, remote, columns: cols, parse: parseCtx, policy: 'flag' });
    expect(p.requests.map((r) => r.updates.length)).toEqual([100, 50]);
  });
});

describe('settlePush', () => {
  it('moves the base for exactly the cells that went through; a failed entry stays pending with the error at its cells', () => {
    const base = rows();
    const sheet = sheetOf(base);
    edit(sheet, 101, 'field-1', 'one');
    edit(sheet, 101, 'field-2', 7);
    edit(sheet, 103, 'field-1', 'three');
    const p = plan(sheet, base, base);
    const out = settle(sheet, base, p, [
      { ok: true },
      {
        ok: false,
        message:
          'Affinity did not let you change this list entry (403): you lack edit rights on it, or it is a restricted opportunity.',
      },
    ]);
    expect(out.snapshot.rows.get(101)!.slice(1, 3)).toEqual(['one', '7']);
    expect(out.snapshot.rows.get(103)![1]).toBe('x');
    expect(out.snapshot.rows.get(102)).toEqual(snapshotOf(base).rows.get(102));
    expect(noteAt(sheet, out.noteBlocks, 103, 'field-1')).toMatch(
      /not sent\. Affinity did not let you change this list entry \(403\)/,
    );
    expect(noteAt(sheet, out.noteBlocks, 101, 'field-1')).toBe('');
    expect(out.counts).toMatchObject({ sent: 2, failed: 1, requests: 2, failedRequests: 1 });
    expect(out.failures).toEqual([{ entryId: 103, entityName: 'Gamma', message: expect.stringMatching(/403/) }]);
    expect(out.log.map((l) => [l.entryId, l.field, l.old, l.new, l.result.split(':')[0]])).toEqual([
      [101, 'Notes', 'hello', 'one', 'updated'],
      [101, 'Amount', '100', '7', 'updated'],
      [103, 'Notes', 'x', 'three', 'failed'],
    ]);
  });

  it('never overwrites or clears a note the user wrote; clears its own stale notes', () => {
    const base = rows();
    const sheet = sheetOf(base);
    edit(sheet, 101, 'field-3', 'Nope');
    sheet.notes[0][4] = 'my own note';
    sheet.notes[1][2] = `${NOTE_MARK}conflict. old news`;
    const p = plan(sheet, base, base);
    const out = settle(sheet, base, p);
    const grid = sheet.notes.map((r) => r.slice());
    applyBlocks(grid, out.noteBlocks);
    expect(grid[0][4]).toBe('my own note');
    expect(grid[1][2]).toBe('');
  });

  it('a second push after a successful one finds nothing to send', () => {
    const base = rows();
    const sheet = sheetOf(base);
    edit(sheet, 101, 'field-1', 'again');
    const p = plan(sheet, base, base);
    const out = settle(sheet, base, p);
    const scan2 = findEdits({ tab: tabState(sheet), snapshot: out.snapshot, columns, codec, viewName: 'Pipeline' });
    expect(scan2.entries.size).toBe(0);
    expect(cellsIn(out.valueBlocks)).toBe(0);
  });
});

describe('sameValue', () => {
  const cases: [FieldValueUpdate, Parameters<typeof sameValue>[1], boolean][] = [
    [{ type: 'text', data: null }, { type: 'text', data: null }, true],
    [{ type: 'person-multi', data: null }, { type: 'person-multi', data: [] }, true],
    [{ type: 'datetime', data: '2024-04-01T12:00:00Z' }, { type: 'datetime', data: '2024-04-01T07:00:00.000Z' }, true],
    [{ type: 'datetime', data: '2024-04-02T12:00:00Z' }, { type: 'datetime', data: '2024-04-01T07:00:00.000Z' }, false],
    [{ type: 'company', data: { id: 4 } }, { type: 'company', data: { id: 4, name: 'A', domain: null } }, true],
    [
      {
        type: 'location',
        data: { streetAddress: null, city: 'Paris', state: null, country: 'France', continent: null },
      },
      {
        type: 'location',
        data: { streetAddress: null, city: 'Paris', state: null, country: 'France', continent: 'Europe' },
      },
      true,
    ],
    [{ type: 'number', data: 1 }, { type: 'number', data: 2 }, false],
    [{ type: 'number', data: 1 }, null, false],
  ];
  it.each(cases)('%j vs %j → %s', (u, c, expected) => {
    expect(sameValue(u, c)).toBe(expected);
  });
});

describe('nextBatch', () => {
  const now = 1_000_000;
  it('sends up to 100 at once when the minute has room', () => {
    expect(nextBatch({}, now, 250)).toEqual({ size: 100, waitMs: 0 });
    expect(nextBatch({ userRemaining: 800, userResetSec: 30, observedAt: now }, now, 250)).toEqual({
      size: 100,
      waitMs: 0,
    });
  });
  it('never sends more than what remains this minute, and waits for the reset when nothing remains', () => {
    expect(nextBatch({ userRemaining: 7, userResetSec: 30, observedAt: now }, now, 250)).toEqual({
      size: 7,
      waitMs: 0,
    });
    const wait = nextBatch({ userRemaining: 0, userResetSec: 30, observedAt: now }, now + 10_000, 250);
    expect(wait.size).toBe(0);
    expect(wait.waitMs).toBeGreaterThanOrEqual(20_000);
    expect(wait.waitMs).toBeLessThan(22_000);
    expect(
      nextBatch({ userRemaining: 0, userLimit: 900, userResetSec: 30, observedAt: now }, now + 31_000, 250).size,
    ).toBe(100);
  });
  it('stops when the monthly quota is used up', () => {
    expect(nextBatch({ orgRemaining: 0 }, now, 5).blocked).toMatch(/monthly API quota/);
    expect(nextBatch({ orgRemaining: 3 }, now, 5).size).toBe(3);
  });
});

describe('previewOf', () => {
  it('lists every change, conflict, invalid cell and row not synced', () => {
    const base = rows();
    const sheet = sheetOf(base);
    edit(sheet, 101, 'field-1', 'mine');
    edit(sheet, 102, 'field-1', 'new');
    edit(sheet, 103, 'field-3', 'Nope');
    edit(sheet, 103, NAME_COLUMN, 'G');
    sheet.values.push(['', 'Added', '', '', '', '', '']);
    sheet.notes.push(new Array(7).fill(''));
    const remote = rows();
    remote.get(101)!.t = 'theirs';
    const { plan: p } = plan(sheet, base, remote);
    const data = previewOf(p);
    expect(data.changes).toEqual([
      { entryId: 102, entity: 'Beta', field: 'Notes', old: '', new: 'new', overwrites: false },
    ]);
    expect(data.conflicts).toEqual([
      {
        entryId: 101,
        columnId: 'field-1',
        entity: 'Acme',
        field: 'Notes',
        base: 'hello',
        mine: 'mine',
        affinity: 'theirs',
        outcome: 'skip',
      },
    ]);
    expect(data.invalid).toEqual([
      {
        entryId: 103,
        entity: 'Gamma',
        field: 'Stage',
        value: 'Nope',
        reason: expect.stringMatching(/Choose one of: Seed, Series A, Series B/),
      },
    ]);
    expect(data.notSent).toEqual([
      {
        entryId: 103,
        entity: 'Gamma',
        field: 'Organization',
        value: 'G',
        reason: expect.stringMatching(/name comes from Affinity/),
      },
    ]);
    expect(data.notSynced).toEqual([
      { row: 5, reason: expect.stringMatching(/^this row is not synced: it is a new row/) },
    ]);
  });
});

describe('planPull conflict policy', () => {
  function pullWith(policy: ConflictPolicy | undefined) {
    const base = rows();
    const sheet = sheetOf(base);
    edit(sheet, 101, 'field-1', 'mine');
    const remote = rows();
    remote.get(101)!.t = 'theirs';
    const view = buildRemoteView(
      [...remote].map(([id, r]) => entryOf(id, r)),
      FIELDS,
      'company',
      ctx,
    );
    const p = planPull({
      view,
      keyColumn: keyColumnSpec(),
      tab: tabState(sheet),
      snapshot: snapshotOf(base),
      codec,
      viewName: 'Pipeline',
      today: '2026-11-21',
      policy,
    });
    const grid = sheet.values.map((r) => r.slice());
    applyBlocks(grid, p.blocks, stored);
    const notes = sheet.notes.map((r) => r.slice());
    applyBlocks(notes, p.noteBlocks);
    return { p, cell: grid[0][2], note: notes[0][2], base: p.snapshot.rows.get(101)![1] };
  }
  it('flag (default): keeps the edit, notes both values', () => {
    const r = pullWith(undefined);
    expect(r).toMatchObject({ cell: 'mine', base: 'hello' });
    expect(r.note).toMatch(/conflict\. Affinity now has “theirs”; your edit “mine” was kept and not sent/);
    expect(r.p.counts.conflicts).toBe(1);
  });
  it('sheet-wins: keeps the edit pending without a note', () => {
    const r = pullWith('sheet-wins');
    expect(r).toMatchObject({ cell: 'mine', base: 'hello', note: '' });
    expect(r.p.counts).toMatchObject({ conflicts: 0, pendingEdits: 1 });
  });
  it("affinity-wins: the cell takes Affinity's value and the edit is kept in a note", () => {
    const r = pullWith('affinity-wins');
    expect(r).toMatchObject({ cell: 'theirs', base: 'theirs' });
    expect(r.note).toMatch(/Your edit “mine” was not sent/);
    expect(r.p.counts).toMatchObject({ replacedEdits: 1 });
  });
});
