/**
 * New rows end to end: a row added to a bound tab with a name and no Entry ID becomes an Affinity entry in one push
 * (search, existence check, create, one PATCH), exactly once, whatever step a killed push stopped at.
 * Run `npm run build` first.
 */
import { GENERATED } from '../../tools/emulator/generate';
import { FOUNDERS_LIST, foundersSeed } from '../../tools/emulator/seeds/founders';
import { DEALFLOW, dealflowSeed } from '../../tools/emulator/seeds/dealflow';
import type { EmulatorSeed } from '../../tools/emulator/seed';
import type { ListEntryWithEntity } from '../../src/server/affinity/types';
import { KEY_COLUMN, NAME_COLUMN } from '../../src/server/engine/layout';
import type { PushPreview, PushSummary } from '../../src/shared/push';
import { bindWorld, expectValidRequests, letters, patches, type World } from './pushHelpers';

const F = DEALFLOW.fields;
const L = DEALFLOW.listId;

/** The user inserts a row before sheet row `position` (1-based; the header is row 1) and types `values` in it. */
function addRow(w: World, position: number, values: Record<string, string | number>): number {
  const h = w.product.harness;
  h.sheet(w.tab).insertRowsBefore(position, 1);
  for (const [columnId, v] of Object.entries(values))
    h.userEdit(w.tab, `${letters(w.col(columnId))}${position}`, [[v]]);
  return position;
}

const cell = (w: World, row: number, columnId: string) =>
  w.product.harness.sheet(w.tab).getRange(`${letters(w.col(columnId))}${row}`);

/** Every entry of the list with its fields, read from the emulator through the API (as another client would). */
async function listEntries(
  w: World,
  listId: number = L,
  apiKey: string = DEALFLOW.apiKey,
): Promise<ListEntryWithEntity[]> {
  const out: ListEntryWithEntity[] = [];
  let url: string | null = `${w.product.emulator.url}/v2/lists/${listId}/list-entries?limit=100&fieldTypes=list`;
  while (url) {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${apiKey}` } });
    const page = (await res.json()) as { data: ListEntryWithEntity[]; pagination: { nextUrl: string | null } };
    out.push(...page.data);
    url = page.pagination.nextUrl?.replace('https://api.affinity.co', w.product.emulator.url) ?? null;
  }
  return out;
}

function seedWith(extra: (s: EmulatorSeed) => void): EmulatorSeed {
  const s = dealflowSeed();
  extra(s);
  return s;
}

describe('new rows become entries (deal flow, company list)', () => {
  let w: World;
  beforeEach(async () => {
    w = await bindWorld({
      seed: seedWith((s) => {
        s.companies!.push(
          { id: 40001, name: 'Acme', domain: 'acme.com' },
          { id: 40002, name: 'Acme', domain: 'acme.io' },
          { id: 40003, name: 'LedgerLeaf Labs', domain: 'ledgerleaf.dev' },
        );
      }),
      apiKey: DEALFLOW.apiKey,
      listId: L,
      viewId: DEALFLOW.views.activePipeline,
    });
  });
  afterEach(() => w.close());

  it('a unique company by domain: preview lists it, push creates it and writes its values in one push', async () => {
    const before = (await listEntries(w)).length;
    const row = addRow(w, 3, { [NAME_COLUMN]: 'https://www.northwind.vc/team', [F.description]: 'Fund of funds' });
    const preview = w.run('previewPush', w.sheetId) as PushPreview;
    expect(preview.additions).toEqual([
      {
        row,
        entity: 'Northwind Ventures',
        list: 'Deal Flow',
        entryId: 0,
        values: [{ field: 'Description', value: 'Fund of funds' }],
      },
    ]);
    expect((await listEntries(w)).length).toBe(before);

    const from = w.product.harness.fetchLog.length;
    const s = w.run('pushTab', w.sheetId) as PushSummary;
    const sent = w.requestsSince(from);
    expectValidRequests(sent);
    expect(s).toMatchObject({ added: 1, sent: 1, failed: 0 });
    const after = await listEntries(w);
    expect(after.length).toBe(before + 1);
    const created = after[after.length - 1];
    expect(created.entity.id).toBe(8001);
    expect(created.entity).toMatchObject({ name: 'Northwind Ventures' });
    expect(cell(w, row, KEY_COLUMN).getValue()).toBe(created.id);
    expect(cell(w, row, NAME_COLUMN).getDisplayValue()).toBe('Northwind Ventures');
    const description = created.entity.fields!.find((f) => f.id === F.description)!;
    expect(description.value).toMatchObject({ data: 'Fund of funds' });
    // One search (its Lists field says the record is on no list: no lookup), one create, one PATCH; no read.
    expect(sent.map((r) => `${r.method.toUpperCase()} ${r.url.replace('https://api.affinity.co', '')}`)).toEqual([
      'POST /v2/companies/search?limit=100&fieldIds=lists',
      `POST /v2/lists/${L}/list-entries`,
      `PATCH /v2/lists/${L}/list-entries/${created.id}/fields`,
    ]);
    expect(patches(sent)).toHaveLength(1);
    // A second push does nothing more.
    const again = w.product.harness.fetchLog.length;
    const s2 = w.run('pushTab', w.sheetId) as PushSummary;
    expect(s2.added ?? 0).toBe(0);
    expect(w.requestsSince(again)).toEqual([]);
  });

  it('an ambiguous name creates nothing and notes up to five candidates; typing the id disambiguates', async () => {
    const before = (await listEntries(w)).length;
    const row = addRow(w, 4, { [NAME_COLUMN]: 'Acme', [F.description]: 'Which one?' });
    const s = w.run('pushTab', w.sheetId) as PushSummary;
    expect(s.added ?? 0).toBe(0);
    expect((await listEntries(w)).length).toBe(before);
    const note = cell(w, row, KEY_COLUMN).getNote();
    expect(note).toMatch(/2 Affinity records have this name/);
    expect(note).toContain('Acme (acme.com), id 40001');
    expect(note).toContain('Acme (acme.io), id 40002');
    w.product.harness.userEdit(w.tab, `${letters(w.col(NAME_COLUMN))}${row}`, [['40002']]);
    const s2 = w.run('pushTab', w.sheetId) as PushSummary;
    expect(s2).toMatchObject({ added: 1, sent: 1 });
    const after = await listEntries(w);
    expect(after[after.length - 1].entity.id).toBe(40002);
    expect(cell(w, row, KEY_COLUMN).getNote()).toBe('');
  });

  it('no exact match: a note with the close matches, nothing created', async () => {
    const before = (await listEntries(w)).length;
    const row = addRow(w, 2, { [NAME_COLUMN]: 'LedgerLeaf Lab' });
    w.run('pushTab', w.sheetId);
    expect((await listEntries(w)).length).toBe(before);
    expect(cell(w, row, KEY_COLUMN).getNote()).toMatch(
      /no Affinity record has exactly this name[\s\S]*LedgerLeaf Labs \(ledgerleaf\.dev\), id 40003/,
    );
  });

  it('an entity already on the list binds to its entry; its values go as edits under the conflict rules', async () => {
    const all = await listEntries(w);
    const inView = new Set<number>();
    const keys = w.product.harness
      .sheet(w.tab)
      .getRange(2, w.col(KEY_COLUMN), w.product.harness.sheet(w.tab).getLastRow() - 1, 1)
      .getValues();
    for (const [k] of keys) inView.add(Number(k));
    const outside = all.find((e) => !inView.has(e.id))!;
    expect(outside).toBeDefined();
    const domain = (outside.entity as { domain: string }).domain;
    const row = addRow(w, 2, { [NAME_COLUMN]: domain, [F.amount]: 1234 });
    const s = w.run('pushTab', w.sheetId) as PushSummary;
    expect(s).toMatchObject({ added: 0, bound: 1 });
    expect((await listEntries(w)).length).toBe(all.length);
    expect(cell(w, row, KEY_COLUMN).getValue()).toBe(outside.id);
    const amount = outside.entity.fields!.find((f) => f.id === F.amount)!.value;
    const hadAmount = amount !== null && (amount as { data: unknown }).data !== null;
    // With a value already in Affinity the cell is a conflict (flagged by default); with none, the value is sent.
    if (hadAmount) expect(s.conflicts).toBe(1);
    else expect(s.sent).toBe(1);
  });

  it('a row on the list already in the tab is noted, not added', async () => {
    const first = Number(cell(w, 2, KEY_COLUMN).getValue());
    const entry = (await listEntries(w)).find((e) => e.id === first)!;
    const domain = (entry.entity as { domain: string }).domain;
    const before = (await listEntries(w)).length;
    const row = addRow(w, 5, { [NAME_COLUMN]: domain });
    w.run('pushTab', w.sheetId);
    expect((await listEntries(w)).length).toBe(before);
    expect(cell(w, row, KEY_COLUMN).getNote()).toMatch(/already on “Deal Flow”, in row/);
  });

  it('a 403 or an API without the beta endpoints becomes a plain note on the row; the row stays pending', async () => {
    const before = (await listEntries(w)).length;
    const row = addRow(w, 2, { [NAME_COLUMN]: 'northwind.vc' });
    const admin = w.product.emulator.admin;
    await admin.injectFault({
      status: 403,
      count: 1,
      match: { method: 'POST', pathIncludes: `/v2/lists/${L}/list-entries` },
    });
    const s = w.run('pushTab', w.sheetId) as PushSummary;
    expect(s.added ?? 0).toBe(0);
    expect(cell(w, row, KEY_COLUMN).getValue()).toBe('');
    expect(cell(w, row, KEY_COLUMN).getNote()).toMatch(
      /this row is new and was not added to “Deal Flow”: .*403|permission/i,
    );
    await admin.injectFault({ status: 404, count: 1, match: { method: 'POST', pathIncludes: '/v2/companies/search' } });
    w.run('pushTab', w.sheetId);
    expect(cell(w, row, KEY_COLUMN).getNote()).toMatch(/does not offer the \(beta\) endpoints/);
    expect((await listEntries(w)).length).toBe(before);
    const s3 = w.run('pushTab', w.sheetId) as PushSummary;
    expect(s3.added).toBe(1);
    expect(cell(w, row, KEY_COLUMN).getNote()).toBe('');
  });

  it('a pull keeps a row added here whose entry the view does not include, marked; a bound one too', async () => {
    const created = addRow(w, 2, { [NAME_COLUMN]: 'northwind.vc', [F.description]: 'Fund of funds' });
    const all = await listEntries(w);
    const inView = new Set(
      w.product.harness
        .sheet(w.tab)
        .getRange(2, w.col(KEY_COLUMN), w.product.harness.sheet(w.tab).getLastRow() - 1, 1)
        .getValues()
        .map(([k]) => Number(k)),
    );
    const outside = all.find((e) => !inView.has(e.id))!;
    const bound = addRow(w, 3, { [NAME_COLUMN]: (outside.entity as { domain: string }).domain });
    expect(w.run('pushTab', w.sheetId)).toMatchObject({ added: 1, bound: 1 });
    const createdId = cell(w, created, KEY_COLUMN).getValue() as number;
    for (let i = 0; i < 2; i++) {
      const pulled = w.run('pullTab', w.sheetId) as { removed: number; keptOutOfView: number };
      expect(pulled.removed).toBe(0);
      const rowOf = (id: number) =>
        w.product.harness
          .sheet(w.tab)
          .getRange(2, w.col(KEY_COLUMN), w.product.harness.sheet(w.tab).getLastRow() - 1, 1)
          .getValues()
          .findIndex(([k]) => Number(k) === id) + 2;
      const r = rowOf(createdId);
      expect(r).toBeGreaterThan(1);
      expect(cell(w, r, NAME_COLUMN).getValue()).toBe('Northwind Ventures');
      expect(cell(w, r, F.description).getValue()).toBe('Fund of funds');
      expect(cell(w, r, KEY_COLUMN).getNote()).toMatch(
        /added to “Deal Flow” from this tab, not in this view “Active Pipeline”.*Kept so nothing is lost/s,
      );
      expect(rowOf(outside.id)).toBe(bound);
    }
    // Still synced: an edit in the kept row is pushed.
    const r = cell(w, 2, KEY_COLUMN).getValue() === createdId ? 2 : 3;
    w.product.harness.userEdit(w.tab, `${letters(w.col(F.description))}${r}`, [['Fund of funds II']]);
    expect(w.run('pushTab', w.sheetId)).toMatchObject({ sent: 1 });
  });

  it('deleting rows in the sheet deletes nothing in Affinity', async () => {
    const before = (await listEntries(w)).length;
    w.product.harness.sheet(w.tab).deleteRow(2);
    const s = w.run('pushTab', w.sheetId) as PushSummary;
    expect(s.added ?? 0).toBe(0);
    expect((await listEntries(w)).length).toBe(before);
  });
});

describe('a list with a required field', () => {
  it('refuses the add (400 naming the field): a plain note on the row, nothing created, the row and its values kept', async () => {
    const w = await bindWorld({
      seed: seedWith((s) => {
        s.fields[L] = s.fields[L].map((f) => (f.id === F.stage ? { ...f, isRequired: true } : f));
      }),
      apiKey: DEALFLOW.apiKey,
      listId: L,
      viewId: DEALFLOW.views.activePipeline,
    });
    try {
      const before = (await listEntries(w)).length;
      const row = addRow(w, 2, { [NAME_COLUMN]: 'northwind.vc', [F.description]: 'Fund of funds' });
      for (let i = 0; i < 2; i++) {
        const from = w.product.harness.fetchLog.length;
        const s = w.run('pushTab', w.sheetId) as PushSummary;
        expect(s).toMatchObject({ added: 0, sent: 0, notSynced: 1 });
        expect(w.requestsSince(from).filter((r) => r.method === 'PATCH')).toEqual([]);
        expect(cell(w, row, KEY_COLUMN).getValue()).toBe('');
        expect(cell(w, row, KEY_COLUMN).getNote()).toMatch(
          new RegExp(
            `not added to “Deal Flow”: the list has a required field.*${F.stage}.*Add the entry in Affinity`,
            's',
          ),
        );
        expect(cell(w, row, NAME_COLUMN).getValue()).toBe('northwind.vc');
        expect(cell(w, row, F.description).getValue()).toBe('Fund of funds');
      }
      expect((await listEntries(w)).length).toBe(before);
    } finally {
      await w.close();
    }
  });
});

/** Calls that change something outside the execution: sending requests, writing cells, notes or properties. */
const CHANGES =
  /UrlFetchApp\.fetchAll|UrlFetchApp\.fetch$|setValues|setValue$|setNotes|setProperty|deleteProperty|insertSheet|insertRows|Cache\.put/;

/**
 * Round 0: a complete push of new rows, traced. Then, for each point before and after a call of that trace that
 * changes something, a fresh round of new rows whose push is killed there, and the next push, after which every row
 * of the round holds its Entry ID. Returns each round's first sheet row.
 */
function killAtEveryStep(
  w: World,
  addRound: (round: number) => number,
  rowIds: (first: number) => (number | '')[],
  maxRounds: number,
): { first: number; round: number }[] {
  const h = w.product.harness;
  const first0 = addRound(0);
  h.runWith({ kind: 'menu', traceCalls: true }, 'pushTab', w.sheetId);
  const trace = h.lastExecution.callTrace!;
  expect(rowIds(first0).every((id) => id !== '')).toBe(true);
  // Kill before and after each call that changes something (between two such calls every kill point is the same).
  const points = new Set<number>([1]);
  trace.forEach((key, j) => {
    if (!CHANGES.test(key)) return;
    points.add(j);
    points.add(j + 1);
  });
  const kills = [...points].filter((k) => k >= 1 && k < trace.length).sort((a, b) => a - b);
  expect(kills.length).toBeGreaterThan(10);
  expect(kills.length).toBeLessThanOrEqual(maxRounds);
  const rounds = [{ first: first0, round: 0 }];
  kills.forEach((k, n) => {
    const round = n + 1;
    const first = addRound(round);
    rounds.push({ first, round });
    try {
      h.runWith({ kind: 'menu', abortAfterCalls: k }, 'pushTab', w.sheetId);
    } catch {
      // killed, as intended
    }
    expect(h.lastExecution.killed).toBe('abort-after-calls');
    // Each row is created (its id is on the list) or pending (no id yet): the next push completes it.
    w.run('pushTab', w.sheetId);
    expect([k, rowIds(first).filter((id) => id === '')]).toEqual([k, []]);
  });
  return rounds;
}

/** The ids in the Entry ID cells of `rows` rows from sheet row `first`. */
function idsFrom(w: World, first: number, rows: number): (number | '')[] {
  return w.product.harness
    .sheet(w.tab)
    .getRange(first, w.col(KEY_COLUMN), rows, 1)
    .getValues()
    .map(([v]) => (v === '' ? '' : Number(v)));
}

describe('exactly once: a 20-row add killed at every step', () => {
  const ROWS = 20;
  const ROUNDS = 60;
  const nameOf = (round: number, i: number) => `Kill Co ${round}-${i}`;
  const idOf = (round: number, i: number) => 50000 + round * 100 + i;
  let w: World;
  beforeAll(async () => {
    w = await bindWorld({
      seed: seedWith((s) => {
        for (let r = 0; r <= ROUNDS; r++)
          for (let i = 0; i < ROWS; i++)
            s.companies!.push({ id: idOf(r, i), name: nameOf(r, i), domain: `killco-${r}-${i}.com` });
      }),
      apiKey: DEALFLOW.apiKey,
      listId: L,
      viewId: DEALFLOW.views.activePipeline,
    });
  });
  afterAll(() => w.close());

  /** Appends the round's 20 rows below the tab (domain in the name cell, a value in Description). */
  function addRound(round: number): number {
    const h = w.product.harness;
    const first = h.sheet(w.tab).getLastRow() + 1;
    const nameCol = w.col(NAME_COLUMN);
    const descCol = w.col(F.description);
    expect(descCol).toBe(nameCol + (descCol - nameCol));
    h.userEdit(
      w.tab,
      `${letters(nameCol)}${first}:${letters(nameCol)}${first + ROWS - 1}`,
      Array.from({ length: ROWS }, (_, i) => [`killco-${round}-${i}.com`]),
    );
    h.userEdit(
      w.tab,
      `${letters(descCol)}${first}:${letters(descCol)}${first + ROWS - 1}`,
      Array.from({ length: ROWS }, (_, i) => [`note ${round}-${i}`]),
    );
    return first;
  }

  const rowIds = (first: number) => idsFrom(w, first, ROWS);

  it('every kill point leaves each row created or pending, and the next push completes with 0 duplicates', async () => {
    const rounds = killAtEveryStep(w, addRound, rowIds, ROUNDS);
    // The list holds each entity exactly once, and each row's id is that entity's entry, with its value written.
    const entries = await listEntries(w);
    const byEntity = new Map<number, ListEntryWithEntity[]>();
    for (const e of entries) byEntity.set(e.entity.id, [...(byEntity.get(e.entity.id) ?? []), e]);
    for (const { first, round } of rounds) {
      const ids = rowIds(first);
      for (let i = 0; i < ROWS; i++) {
        const onList = byEntity.get(idOf(round, i)) ?? [];
        expect(onList.map((e) => e.id)).toEqual([ids[i]]);
        expect(onList[0].entity.fields!.find((f) => f.id === F.description)!.value).toMatchObject({
          data: `note ${round}-${i}`,
        });
      }
    }
  });
});

describe('new rows: person by email, opportunity via API v1', () => {
  it('a person row is found by email and added to a person list with its value', async () => {
    const PL = FOUNDERS_LIST.listId;
    const seed = foundersSeed();
    const w = await bindWorld({ seed, apiKey: DEALFLOW.apiKey, listId: PL, viewId: FOUNDERS_LIST.viewId });
    try {
      const row = addRow(w, 2, { [NAME_COLUMN]: 'Grace@LedgerLeaf.io', 'field-701': 'CEO' });
      const from = w.product.harness.fetchLog.length;
      const s = w.run('pushTab', w.sheetId) as PushSummary;
      const sent = w.requestsSince(from);
      expectValidRequests(sent);
      expect(s).toMatchObject({ added: 1, sent: 1, failed: 0 });
      expect(sent.filter((r) => r.url.includes('/v2/persons/search'))).toHaveLength(1);
      const entries = await listEntries(w, PL);
      expect(entries.map((e) => e.entity.id)).toEqual([602, 601]);
      expect(entries[1].entity.fields!.find((f) => f.id === 'field-701')!.value).toMatchObject({ data: 'CEO' });
      expect(cell(w, row, KEY_COLUMN).getValue()).toBe(entries[1].id);
      expect(cell(w, row, NAME_COLUMN).getDisplayValue()).toBe('Grace Okonkwo');
    } finally {
      await w.close();
    }
  });

  it('an opportunity row is created with API v1 POST /opportunities, then its values are written', async () => {
    const w = await bindWorld({
      generate: { entries: 30 },
      apiKey: GENERATED.apiKey,
      listId: GENERATED.opportunityListId,
      viewId: GENERATED.opportunityViewId,
    });
    try {
      const before = await listEntries(w, GENERATED.opportunityListId, GENERATED.apiKey);
      const row = addRow(w, 3, { [NAME_COLUMN]: 'LedgerLeaf — Series B', 'field-3006': 'Warm intro' });
      const from = w.product.harness.fetchLog.length;
      const s = w.run('pushTab', w.sheetId) as PushSummary;
      const sent = w.requestsSince(from);
      expect(s).toMatchObject({ added: 1, sent: 1, failed: 0 });
      const v1 = sent.filter((r) => r.url === 'https://api.affinity.co/opportunities');
      expect(v1).toHaveLength(1);
      expect(JSON.parse(v1[0].payload!)).toEqual({
        name: 'LedgerLeaf — Series B',
        list_id: GENERATED.opportunityListId,
      });
      const after = await listEntries(w, GENERATED.opportunityListId, GENERATED.apiKey);
      expect(after.length).toBe(before.length + 1);
      const created = after.find((e) => !before.some((b) => b.id === e.id))!;
      expect(created.entity).toMatchObject({ name: 'LedgerLeaf — Series B' });
      expect(created.entity.fields!.find((f) => f.id === 'field-3006')!.value).toMatchObject({ data: 'Warm intro' });
      expect(cell(w, row, KEY_COLUMN).getValue()).toBe(created.id);
      // Pushing again creates nothing more.
      const s2 = w.run('pushTab', w.sheetId) as PushSummary;
      expect(s2.added ?? 0).toBe(0);
      expect((await listEntries(w, GENERATED.opportunityListId, GENERATED.apiKey)).length).toBe(after.length);
    } finally {
      await w.close();
    }
  });
});

describe('exactly once: an opportunity add (API v1) killed at every step', () => {
  const ROWS = 3;
  const LIST = GENERATED.opportunityListId;
  let w: World;
  beforeAll(async () => {
    w = await bindWorld({
      generate: { entries: 30 },
      apiKey: GENERATED.apiKey,
      listId: LIST,
      viewId: GENERATED.opportunityViewId,
    });
  });
  afterAll(() => w.close());

  const nameOf = (round: number, i: number) => `Kill Opp ${round}-${i}`;
  function addRound(round: number): number {
    const h = w.product.harness;
    const first = h.sheet(w.tab).getLastRow() + 1;
    for (let i = 0; i < ROWS; i++) {
      h.userEdit(w.tab, `${letters(w.col(NAME_COLUMN))}${first + i}`, [[nameOf(round, i)]]);
      h.userEdit(w.tab, `${letters(w.col('field-3006'))}${first + i}`, [[`intro ${round}-${i}`]]);
    }
    return first;
  }

  it('never creates an opportunity twice; every row ends with its entry and its value', async () => {
    const rounds = killAtEveryStep(w, addRound, (first) => idsFrom(w, first, ROWS), 40);
    const entries = await listEntries(w, LIST, GENERATED.apiKey);
    for (const { first, round } of rounds) {
      const ids = idsFrom(w, first, ROWS);
      for (let i = 0; i < ROWS; i++) {
        const named = entries.filter((e) => (e.entity as { name?: string }).name === nameOf(round, i));
        expect(named.map((e) => e.id)).toEqual([ids[i]]);
        expect(named[0].entity.fields!.find((f) => f.id === 'field-3006')!.value).toMatchObject({
          data: `intro ${round}-${i}`,
        });
      }
    }
  });
});
