/**
 * Pull end to end: dist/Code.js in the Apps Script harness, against the Affinity emulator over real HTTP.
 */
import type { ListEntryWithEntity, ValueType } from '../../src/server/affinity/types';
import { AffinityEmulator } from '../../tools/emulator/emulator';
import { validateRequest } from '../../tools/contract/validate';
import { contextIn } from '../support/days';
import { canonicalOf, canonicalOfCell } from '../../src/server/engine/codecs';
import { KEY_COLUMN, METADATA_KEY } from '../../src/server/engine/layout';
import { DEALFLOW, dealflowSeed } from '../../tools/emulator/seeds/dealflow';
import { GENERATED, generateSeed } from '../../tools/emulator/generate';
import { startProduct, type Product } from '../../tools/cli/product';
import type { FakeSheet } from '../../tools/harness';

const TZ = 'America/New_York';

const ctx = contextIn(TZ);

/** Column index (1-based) of each column id, by the tab's developer metadata. */
function columns(sheet: FakeSheet): Map<string, number> {
  const out = new Map<string, number>();
  for (const md of sheet.createDeveloperMetadataFinder().withKey(METADATA_KEY).find()) {
    out.set(md.getValue()!, md.getLocation().getColumn()!.getColumn());
  }
  return out;
}

function grid(sheet: FakeSheet): unknown[][] {
  return sheet.getRange(1, 1, sheet.getLastRow(), sheet.getLastColumn()).getValues();
}

/** The view's rows as Affinity serves them (multi values cut at 100, hidden fields...), page by page. */
function served(seed: ReturnType<typeof generateSeed>, listId: number, viewId: number): ListEntryWithEntity[] {
  const emulator = new AffinityEmulator(seed);
  const out: ListEntryWithEntity[] = [];
  let url: string | null = `/v2/lists/${listId}/saved-views/${viewId}/list-entries?limit=100`;
  while (url) {
    const res = emulator.handle({ method: 'GET', url, headers: { authorization: `Bearer ${GENERATED.apiKey}` } });
    const page = JSON.parse(res.body) as { data: ListEntryWithEntity[]; pagination: { nextUrl: string | null } };
    out.push(...page.data);
    url = page.pagination.nextUrl;
  }
  return out;
}

function rowsByEntry(sheet: FakeSheet): Map<number, unknown[]> {
  const key = columns(sheet).get(KEY_COLUMN)!;
  const out = new Map<number, unknown[]>();
  for (const row of grid(sheet).slice(1)) out.set(Number(row[key - 1]), row);
  return out;
}

describe('pull: every value type, as a user sees it', () => {
  let product: Product;
  const seed = generateSeed({ entries: 300, fieldsInView: 60 });
  beforeAll(async () => {
    product = await startProduct({ seed, harness: { spreadsheetTimeZone: TZ } });
    product.harness.run('connect', GENERATED.apiKey);
  });
  afterAll(() => product.close());

  it('renders each field of each entry by type, and nothing is evaluated as a formula', () => {
    const { harness } = product;
    const summary = harness.run('bindTab', GENERATED.companyListId, GENERATED.sheetViewId) as {
      tabName: string;
      rows: number;
    };
    const view = seed.savedViews[String(GENERATED.companyListId)].find((v) => v.id === GENERATED.sheetViewId)!;
    expect(summary.rows).toBe(view.entryIds.length);
    const sheet = harness.spreadsheet.getSheetByName(summary.tabName)!;
    const cols = columns(sheet);
    const meta = new Map(seed.fields[String(GENERATED.companyListId)].map((f) => [f.id, f]));
    const rows = rowsByEntry(sheet);
    expect(rows.size).toBe(view.entryIds.length);
    expect(sheet.getFrozenRows()).toBe(1);

    const seen = new Set<ValueType>();
    let checked = 0;
    for (const entry of served(seed, GENERATED.companyListId, GENERATED.sheetViewId)) {
      const row = rows.get(entry.id)!;
      expect(row[cols.get('@name')! - 1]).toBe(
        entry.type === 'company' ? entry.entity.name : row[cols.get('@name')! - 1],
      );
      for (const field of entry.entity.fields ?? []) {
        const vt = meta.get(field.id)!.valueType;
        const cell = row[cols.get(field.id)! - 1];
        const expected = canonicalOf(field.value, field.type, ctx).text;
        expect({ entry: entry.id, field: field.id, text: canonicalOfCell(cell as never, vt, ctx) }).toEqual({
          entry: entry.id,
          field: field.id,
          text: expected,
        });
        if (expected !== '') {
          if (vt === 'number' || vt === 'formula-number') expect(typeof cell).toBe('number');
          else if (vt === 'datetime' || vt === 'interaction') expect(cell).toBeInstanceOf(Date);
          else expect(typeof cell).toBe('string');
          seen.add(vt);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5000);
    expect([...seen].sort()).toEqual(
      [...new Set([...meta.values()].filter((f) => view.fieldIds.includes(f.id)).map((f) => f.valueType))].sort(),
    );
    const formulas = sheet.getRange(1, 1, sheet.getLastRow(), sheet.getLastColumn()).getFormulas();
    expect(formulas.flat().filter((f) => f !== '')).toEqual([]);
  });

  it('lands formula-like strings as text, exactly as Affinity has them', () => {
    const sheet = product.harness.spreadsheet
      .getSheets()
      .find((s) => s.getSheetId() !== 0 && !s.isSheetHidden() && s.getLastRow() > 1)!;
    const values = grid(sheet)
      .flat()
      .filter((v): v is string => typeof v === 'string');
    const risky = values.filter((v) => /^[=+\-@]/.test(v));
    expect(risky.length).toBeGreaterThan(5);
    expect(risky).toContain('=SUM(A1:A9)');
  });

  it('serves a restricted opportunity’s hidden fields as empty, read-only cells', () => {
    const { harness } = product;
    const s = harness.run('bindTab', GENERATED.opportunityListId, GENERATED.opportunityViewId) as { tabName: string };
    const sheet = harness.spreadsheet.getSheetByName(s.tabName)!;
    const opps = seed.entries[String(GENERATED.opportunityListId)];
    const restricted = opps.filter((e) => e.type === 'opportunity' && e.entity.isRestricted);
    expect(restricted.length).toBeGreaterThan(0);
    const rows = rowsByEntry(sheet);
    const cols = columns(sheet);
    for (const e of restricted) {
      const row = rows.get(e.id)!;
      for (const [id, c] of cols) if (id !== KEY_COLUMN && id !== '@name') expect(row[c - 1]).toBe('');
    }
  });
});

describe('pull: layout survives what users do to a tab', () => {
  let product: Product;
  let sheetId: number;
  let tab: string;
  beforeAll(async () => {
    product = await startProduct({ harness: { spreadsheetTimeZone: TZ } });
    product.harness.run('connect', DEALFLOW.apiKey);
    const s = product.harness.run('bindTab', DEALFLOW.listId, DEALFLOW.views.activePipeline) as { tabName: string };
    tab = s.tabName;
    sheetId = product.harness.spreadsheet.getSheetByName(tab)!.getSheetId();
  });
  afterAll(() => product.close());

  const sheet = () => product.harness.spreadsheet.getSheetById(sheetId)!;

  it('writes a frozen header, a protected key column and typed cells', () => {
    const header = grid(sheet())[0];
    expect(header.slice(0, 4)).toEqual(['Entry ID', 'Organization', 'Stage', 'Owner']);
    const row = rowsByEntry(sheet()).get(20003)!;
    const cols = columns(sheet());
    expect(row[cols.get(DEALFLOW.fields.stage)! - 1]).toBe('Term Sheet');
    expect(row[cols.get(DEALFLOW.fields.amount)! - 1]).toBe(4_000_000);
    const next = row[cols.get(DEALFLOW.fields.nextStepDate)! - 1] as Date;
    expect(ctx.dayOfDate(next)).toBe('2026-11-24');
    const rowOf20003 = [...rowsByEntry(sheet()).keys()].indexOf(20003) + 2;
    expect(sheet().getRange(rowOf20003, cols.get(DEALFLOW.fields.nextStepDate)).getDisplayValue()).toBe('2026-11-24');
    const keyProtection = sheet()
      .getProtections('RANGE')
      .find((p) => p.getRange().getColumn() === cols.get(KEY_COLUMN));
    expect(keyProtection?.isWarningOnly()).toBe(true);
  });

  it('a second pull with nothing changed writes 0 cells', () => {
    product.harness.run('pullTab', sheetId);
    expect(product.harness.lastExecution.cellsWritten).toBe(0);
  });

  it('a column moved and renamed by the user still holds its field after a pull', async () => {
    const cols = columns(sheet());
    const amountCol = cols.get(DEALFLOW.fields.amount)!;
    sheet().moveColumns(sheet().getRange(1, amountCol, sheet().getMaxRows(), 1), 2);
    product.harness.userEdit(tab, 'B1', [['Check size ($)']]);
    await product.emulator.admin.editField(DEALFLOW.listId, 20003, DEALFLOW.fields.amount, {
      type: 'number',
      data: 4_250_000,
    });
    const summary = product.harness.run('pullTab', sheetId) as { cellsWritten: number };
    const after = columns(sheet());
    expect(after.get(DEALFLOW.fields.amount)).toBe(2);
    expect(grid(sheet())[0][1]).toBe('Check size ($)');
    expect(rowsByEntry(sheet()).get(20003)![1]).toBe(4_250_000);
    // One cell in the tab, and its base in the snapshot tab.
    expect(summary.cellsWritten).toBe(1);
    expect(product.harness.lastExecution.cellsWritten).toBe(2);
  });

  it('a user column stays aligned with its entries when rows are added and removed, whatever the sort', async () => {
    const s = sheet();
    const col = s.getLastColumn() + 1;
    if (col > s.getMaxColumns()) s.insertColumnsAfter(s.getMaxColumns(), 1);
    const rows = rowsByEntry(s);
    const keyCol = columns(s).get(KEY_COLUMN)!;
    const ids = grid(s)
      .slice(1)
      .map((r) => Number(r[keyCol - 1]));
    product.harness.userEdit(tab, s.getRange(1, col).getA1Notation(), [
      ['My take'],
      ...ids.map((id) => [`take on ${id}`]),
    ]);
    // The user sorts by Amount descending; Affinity drops two entries from the view (one has the user's note,
    // one does not after we clear it) and adds one.
    s.getRange(2, 1, s.getLastRow() - 1, s.getLastColumn()).sort({
      column: columns(s).get(DEALFLOW.fields.amount)!,
      ascending: false,
    });
    const clearRow = [...rowsByEntry(s).keys()].indexOf(20005) + 2;
    product.harness.userEdit(tab, s.getRange(clearRow, col).getA1Notation(), [['']]);
    const view = await product.emulator.admin.getView(DEALFLOW.listId, DEALFLOW.views.activePipeline);
    const entryIds = view.entryIds.filter((id) => id !== 20005 && id !== 20006).concat([20007]);
    await product.emulator.admin.setView(DEALFLOW.listId, DEALFLOW.views.activePipeline, { entryIds });
    expect(rows.size).toBe(ids.length);

    const summary = product.harness.run('pullTab', sheetId) as {
      added: number;
      removed: number;
      keptOutOfView: number;
    };
    expect(summary).toMatchObject({ added: 1, removed: 1, keptOutOfView: 1 });
    const after = rowsByEntry(sheet());
    expect(after.has(20005)).toBe(false); // left the view, nothing of the user's: removed
    expect(after.get(20006)![col - 1]).toBe('take on 20006'); // kept, marked
    const keyNotes = sheet().getRange(1, keyCol, sheet().getLastRow(), 1).getNotes().flat();
    expect(keyNotes.some((n) => /no longer in the view “Active Pipeline”/.test(n))).toBe(true);
    expect(after.get(20007)![col - 1]).toBe(''); // new entry appended, no user value
    for (const [id, row] of after) if (id !== 20007) expect(row[col - 1]).toBe(`take on ${id}`);
  });

  it('every request the bundle sent is a valid Affinity request, with the pinned version, to api.affinity.co', () => {
    const log = product.harness.fetchLog;
    expect(log.length).toBeGreaterThan(10);
    for (const r of log) {
      expect(r.url.startsWith('https://api.affinity.co/v2/')).toBe(true);
      expect(r.headers['X-Affinity-Api-Version']).toBe('2026-09-17');
      const v = validateRequest(r.method, r.url, r.payload === undefined ? undefined : JSON.parse(r.payload));
      expect({ url: r.url, errors: v.errors }).toEqual({ url: r.url, errors: [] });
    }
  });

  it('the API key appears in no cell, note, log line or property other than the user’s key', () => {
    const { harness } = product;
    const everything = [
      ...harness.spreadsheet
        .getSheets()
        .flatMap((s) =>
          s.getLastRow() > 0
            ? [...grid(s).flat(), ...s.getRange(1, 1, s.getLastRow(), s.getLastColumn()).getNotes().flat()]
            : [],
        ),
      ...harness.logs,
      ...Object.values(harness.properties.document.getProperties()),
      ...harness.ui.alerts.map((a) => JSON.stringify(a)),
      ...harness.ui.toasts.map((t) => JSON.stringify(t)),
    ].map(String);
    expect(everything.filter((v) => v.includes(DEALFLOW.apiKey))).toEqual([]);
    const userProps = harness.properties.user().getProperties();
    expect(
      Object.entries(userProps)
        .filter(([, v]) => v.includes(DEALFLOW.apiKey))
        .map(([k]) => k),
    ).toEqual(['affinity.apiKey']);
  });
});

describe('pull: failures, each with its user-facing outcome', () => {
  let product: Product;
  let sheetId: number;
  beforeAll(async () => {
    product = await startProduct({ harness: { spreadsheetTimeZone: TZ } });
    product.harness.run('connect', DEALFLOW.apiKey);
    const s = product.harness.run('bindTab', DEALFLOW.listId, DEALFLOW.views.activePipeline) as { tabName: string };
    sheetId = product.harness.spreadsheet.getSheetByName(s.tabName)!.getSheetId();
  });
  afterAll(() => product.close());
  afterEach(() => product.emulator.admin.clearFaults());

  const pullError = (): string => {
    try {
      product.harness.run('pullTab', sheetId);
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };

  it.each([
    [401, /Affinity rejected the API key \(401\)\. Open Settings and enter a valid key\./],
    [403, /lacks the 'Export data from Lists' permission \(403\)/],
    [404, /could not find this saved view \(404\)/],
  ])('%i: the pull stops with a message the user can act on, the tab is untouched', async (status, message) => {
    const before = grid(product.harness.spreadsheet.getSheetById(sheetId)!);
    await product.emulator.admin.injectFault({ status, count: 1, match: { pathIncludes: '/list-entries' } });
    expect(pullError()).toMatch(message);
    expect(grid(product.harness.spreadsheet.getSheetById(sheetId)!)).toEqual(before);
    const binding = (
      product.harness.run('getBindings') as { sheetId: number; lastPull?: { ok: boolean; message: string } }[]
    ).find((b) => b.sheetId === sheetId)!;
    expect(binding.lastPull).toMatchObject({ ok: false });
    expect(binding.lastPull!.message).toMatch(message);
  });

  it('429 then success: waits for the reset and completes', async () => {
    await product.emulator.admin.injectFault({ status: 429, count: 1, match: { pathIncludes: '/list-entries' } });
    expect(pullError()).toBe('');
    const m = product.harness.lastExecution;
    expect(m.error).toBeUndefined();
    expect(product.harness.logs.some((l) => /retrying 1 request/.test(l))).toBe(true);
  });

  it.each([
    ['500', { status: 500, count: 2 }],
    ['a non-JSON body', { body: 'non-json' as const, count: 1 }],
    ['a truncated body', { body: 'truncated' as const, count: 1 }],
    ['a network error', { networkError: true, count: 1 }],
  ])('%s then success: retried and completed', async (_, fault) => {
    await product.emulator.admin.injectFault({ ...fault, match: { pathIncludes: '/list-entries' } });
    expect(pullError()).toBe('');
    expect(product.harness.lastExecution.error).toBeUndefined();
  });

  it('500 that does not pass: gives up after bounded retries, says so from the menu', async () => {
    await product.emulator.admin.clearRequests();
    await product.emulator.admin.injectFault({ status: 500, count: 10, match: { pathIncludes: '/list-entries' } });
    product.harness.spreadsheet.setActiveSheet(product.harness.spreadsheet.getSheetById(sheetId)!);
    product.harness.runAs('menu', 'menuPullThisTab');
    const toast = product.harness.ui.toasts[product.harness.ui.toasts.length - 1];
    expect(JSON.stringify(toast)).toMatch(/Affinity is having trouble \(500\)/);
    const requests = await product.emulator.admin.requests();
    expect(requests.filter((r) => r.status === 500)).toHaveLength(4);
  });

  it('a board view cannot be bound: refused before any row request', async () => {
    await product.emulator.admin.clearRequests();
    expect(() => product.harness.run('bindTab', DEALFLOW.listId, DEALFLOW.views.pipelineBoard)).toThrow(
      /board view; only sheet-type views can be synced/,
    );
    const requests = await product.emulator.admin.requests();
    expect(requests.filter((r) => r.path.includes('/list-entries'))).toHaveLength(0);
  });
});

describe('pull: dropdown validation follows the field’s options', () => {
  let product: Product;
  afterAll(() => product.close());

  it('a new option in use in Affinity is offered in the column at the next pull; an unchanged pull leaves validation alone', async () => {
    const seed = dealflowSeed();
    product = await startProduct({ seed, harness: { spreadsheetTimeZone: TZ } });
    const { harness, emulator } = product;
    harness.run('connect', DEALFLOW.apiKey);
    const s = harness.run('bindTab', DEALFLOW.listId, DEALFLOW.views.activePipeline) as { tabName: string };
    const sheet = harness.spreadsheet.getSheetByName(s.tabName)!;
    const stageCol = columns(sheet).get(DEALFLOW.fields.stage)!;
    const optionsShown = () => sheet.getRange(5, stageCol).getDataValidation()!.getCriteriaValues()[0] as string[];
    expect(optionsShown()).not.toContain('Scouting');

    harness.run('pullTab', sheet.getSheetId());
    expect(harness.lastExecution.calls['SpreadsheetApp.Range.setDataValidation']).toBeUndefined();

    const stageOptions = seed.dropdownOptions[DEALFLOW.fields.stage];
    const last = stageOptions[stageOptions.length - 1];
    stageOptions.push({
      ...last,
      id: last.id + 100,
      text: 'Scouting',
      rank: ('rank' in last ? last.rank : 0) + 1,
    } as never);
    await emulator.admin.loadSeed(seed);
    await emulator.admin.editField(DEALFLOW.listId, 20003, DEALFLOW.fields.stage, {
      type: 'ranked-dropdown',
      data: { dropdownOptionId: last.id + 100 },
    });
    await emulator.admin.clearRequests();
    harness.run('pullTab', sheet.getSheetId());
    expect(optionsShown()).toContain('Scouting');
    expect(harness.lastExecution.calls['SpreadsheetApp.Range.setDataValidation']).toBe(1);
    // One options request, for that field only; the cell and its base are the only cells written.
    const optionRequests = (await emulator.admin.requests()).filter((r) => r.path.includes('/dropdown-options'));
    expect(optionRequests.map((r) => r.path)).toEqual([
      `/v2/lists/${DEALFLOW.listId}/fields/${DEALFLOW.fields.stage}/dropdown-options`,
    ]);
    expect(harness.lastExecution.cellsWritten).toBe(2);

    harness.run('pullTab', sheet.getSheetId());
    expect(harness.lastExecution.calls['SpreadsheetApp.Range.setDataValidation']).toBeUndefined();
    expect(harness.lastExecution.cellsWritten).toBe(0);
  });
});

describe('pull: dates show Affinity’s calendar day whatever the spreadsheet’s time zone', () => {
  it.each(['Asia/Tokyo', 'Pacific/Honolulu', 'Europe/London', 'Australia/Sydney'])('%s', async (tz) => {
    const product = await startProduct({ harness: { spreadsheetTimeZone: tz } });
    try {
      product.harness.run('connect', DEALFLOW.apiKey);
      const s = product.harness.run('bindTab', DEALFLOW.listId, DEALFLOW.views.activePipeline) as { tabName: string };
      const sheet = product.harness.spreadsheet.getSheetByName(s.tabName)!;
      const cols = columns(sheet);
      const keyCol = cols.get(KEY_COLUMN)!;
      const keys = sheet
        .getRange(1, keyCol, sheet.getLastRow(), 1)
        .getValues()
        .map((r) => Number(r[0]));
      const row = keys.indexOf(20003) + 1;
      expect(sheet.getRange(row, cols.get(DEALFLOW.fields.nextStepDate)).getDisplayValue()).toBe('2026-11-24');
      // and a pull right after finds nothing to change (the day reads back as written)
      product.harness.run('pullTab', sheet.getSheetId());
      expect(product.harness.lastExecution.cellsWritten).toBe(0);
    } finally {
      await product.close();
    }
  });
});
