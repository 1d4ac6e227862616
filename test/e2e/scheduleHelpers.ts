/**
 * Helpers for the schedule end-to-end tests: the view as Affinity serves it now (read over HTTP from the emulator),
 * and the comparison of a tab with it, cell by cell in canonical text, with every row there exactly once.
 */
import type { FieldMetadata, ListEntryWithEntity } from '../../src/server/affinity/types';
import { canonicalOf, canonicalOfCell } from '../../src/server/engine/codecs';
import { KEY_COLUMN, METADATA_KEY, NAME_COLUMN } from '../../src/server/engine/layout';
import { entityName } from '../../src/server/engine/remote';
import { AffinityEmulator } from '../../tools/emulator/emulator';
import { GENERATED } from '../../tools/emulator/generate';
import type { EmulatorSeed } from '../../tools/emulator/seed';
import type { AppsScriptHarness } from '../../tools/harness';
import type { Product } from '../../tools/cli/product';

export const MINUTE = 60_000;

function dayIn(tz: string) {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (ms: number) => fmt.format(new Date(ms));
}

async function getJson<T>(url: string, apiKey: string): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      // A fresh connection each time: the emulator's keep-alive sockets may close while the harness blocks.
      const res = await fetch(url, { headers: { authorization: `Bearer ${apiKey}`, connection: 'close' } });
      if (!res.ok) throw new Error(`${res.status} from ${url}`);
      return (await res.json()) as T;
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
}

/** Every row of a saved view as the emulator serves it now, and the list's fields. */
export async function servedView(
  product: Product,
  apiKey: string,
  listId: number,
  viewId: number,
): Promise<{ entries: ListEntryWithEntity[]; fields: FieldMetadata[] }> {
  const base = product.emulator.url;
  const entries: ListEntryWithEntity[] = [];
  let url: string | null = `${base}/v2/lists/${listId}/saved-views/${viewId}/list-entries?limit=100`;
  while (url) {
    const page: { data: ListEntryWithEntity[]; pagination: { nextUrl: string | null } } = await getJson(url, apiKey);
    entries.push(...page.data);
    url = page.pagination.nextUrl ? page.pagination.nextUrl.replace(/^https:\/\/api\.affinity\.co/, base) : null;
  }
  const fields: FieldMetadata[] = [];
  let furl: string | null = `${base}/v2/lists/${listId}/fields?limit=100`;
  while (furl) {
    const page: { data: FieldMetadata[]; pagination: { nextUrl: string | null } } = await getJson(furl, apiKey);
    fields.push(...page.data);
    furl = page.pagination.nextUrl ? page.pagination.nextUrl.replace(/^https:\/\/api\.affinity\.co/, base) : null;
  }
  return { entries, fields };
}

/** The view as an emulator with `seed` serves it (in process: for seeds whose rate limits the test must not spend). */
export function servedFromSeed(
  seed: EmulatorSeed,
  listId: number,
  viewId: number,
): { entries: ListEntryWithEntity[]; fields: FieldMetadata[] } {
  const emulator = new AffinityEmulator(seed);
  const apiKey = seed.users[0].apiKey;
  const get = <T>(url: string): T => {
    const res = emulator.handle({ method: 'GET', url, headers: { authorization: `Bearer ${apiKey}` } });
    if (res.status !== 200) throw new Error(`${res.status} from ${url}`);
    return JSON.parse(res.body) as T;
  };
  const entries: ListEntryWithEntity[] = [];
  let url: string | null = `/v2/lists/${listId}/saved-views/${viewId}/list-entries?limit=100`;
  while (url) {
    const page: { data: ListEntryWithEntity[]; pagination: { nextUrl: string | null } } = get(url);
    entries.push(...page.data);
    url = page.pagination.nextUrl;
  }
  return { entries, fields: seed.fields[String(listId)] };
}

/** Column (1-based) of each column id in a tab, by developer metadata. */
export function columnsOf(harness: AppsScriptHarness, tab: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const md of harness.sheet(tab).createDeveloperMetadataFinder().withKey(METADATA_KEY).find()) {
    out.set(md.getValue()!, md.getLocation().getColumn()!.getColumn());
  }
  return out;
}

/**
 * Differences between a tab and the view (empty when equal): rows missing, doubled or extra, and cells whose
 * canonical text differs from Affinity's. Stops after `max` differences.
 */
export function tabVersusView(
  harness: AppsScriptHarness,
  tab: string,
  view: { entries: ListEntryWithEntity[]; fields: FieldMetadata[] },
  opts: { timeZone?: string; max?: number; ignore?: (entryId: number, fieldId: string) => boolean } = {},
): string[] {
  const max = opts.max ?? 20;
  const day = dayIn(opts.timeZone ?? 'America/New_York');
  const ctx = { dayInSpreadsheet: day, dayOfDate: (d: Date) => day(d.getTime()) };
  const sheet = harness.sheet(tab);
  const cols = columnsOf(harness, tab);
  const keyCol = cols.get(KEY_COLUMN);
  if (keyCol === undefined) return ['no key column'];
  const grid =
    sheet.getLastRow() > 1 ? sheet.getRange(2, 1, sheet.getLastRow() - 1, sheet.getLastColumn()).getValues() : [];
  const rows = new Map<number, unknown[]>();
  const problems: string[] = [];
  for (const line of grid) {
    const id = Number(line[keyCol - 1]);
    if (!Number.isInteger(id) || id <= 0) {
      if (line.some((c) => c !== '' && c !== null))
        problems.push(`a row without an entry id: ${JSON.stringify(line.slice(0, 4))}`);
      continue;
    }
    if (rows.has(id)) problems.push(`entry ${id} is in the tab twice`);
    rows.set(id, line);
  }
  const meta = new Map(view.fields.map((f) => [f.id, f]));
  const served = new Set<number>();
  for (const entry of view.entries) {
    if (problems.length >= max) break;
    served.add(entry.id);
    const row = rows.get(entry.id);
    if (!row) {
      problems.push(`entry ${entry.id} is missing from the tab`);
      continue;
    }
    const nameCol = cols.get(NAME_COLUMN);
    if (nameCol !== undefined && String(row[nameCol - 1]) !== entityName(entry)) {
      problems.push(`entry ${entry.id} name: tab “${String(row[nameCol - 1])}”, Affinity “${entityName(entry)}”`);
    }
    for (const field of entry.entity.fields ?? []) {
      if (opts.ignore?.(entry.id, field.id)) continue;
      const col = cols.get(field.id);
      if (col === undefined) {
        problems.push(`no column for field ${field.id}`);
        break;
      }
      const vt = meta.get(field.id)?.valueType ?? field.value?.type;
      const mine = canonicalOfCell(row[col - 1] as never, vt, ctx);
      const theirs = canonicalOf(field.value, field.type, ctx).text;
      if (mine !== theirs)
        problems.push(`entry ${entry.id} ${field.id}: tab “${mine.slice(0, 60)}”, Affinity “${theirs.slice(0, 60)}”`);
    }
  }
  for (const id of rows.keys())
    if (!served.has(id) && problems.length < max) problems.push(`entry ${id} is in the tab but not in the view`);
  return problems;
}

/** The base snapshot's text of a cell (values as last pulled or pushed). */
export function baseText(
  harness: AppsScriptHarness,
  sheetId: number,
  entryId: number,
  fieldId: string,
): string | undefined {
  const snap = harness.spreadsheet.getSheetByName(`_affinity_base_${sheetId}`);
  if (!snap) return undefined;
  const grid = snap.getRange(1, 1, snap.getLastRow(), snap.getLastColumn()).getValues();
  const c = grid[0].indexOf(fieldId);
  const r = grid.findIndex((line, i) => i > 0 && Number(line[0]) === entryId);
  if (c < 0 || r < 0) return undefined;
  return String(grid[r][c] ?? '');
}

/** Triggers of a handler (the harness keeps fired one-off triggers listed, as Apps Script is believed to). */
export function triggersOf(harness: AppsScriptHarness, handler: string) {
  return harness.triggers.filter((t) => t.handler === handler);
}

/** Log lines written since `from`. */
export function logsSince(harness: AppsScriptHarness, from: number): string[] {
  return harness.logs.slice(from);
}

/**
 * Binds the generated view while it holds its first 100 entries (connecting first); `grow` then gives it back all
 * its entries in Affinity, as a view that grew since the tab was bound.
 */
export async function bindWhileSmall(
  product: Product,
  listId: number,
  viewId: number,
  apiKey: string,
): Promise<{ tabName: string; grow: () => Promise<void> }> {
  const all = await product.emulator.admin.getView(listId, viewId);
  await product.emulator.admin.setView(listId, viewId, { entryIds: all.entryIds.slice(0, 100) });
  product.harness.run('connect', apiKey);
  const { tabName } = product.harness.run('bindTab', listId, viewId) as { tabName: string };
  const grow = async () => {
    await product.emulator.admin.setView(listId, viewId, { entryIds: all.entryIds });
  };
  return { tabName, grow };
}

/**
 * Connects, binds the generated view and lets its pull finish over the next `minutes` (a slow view spans executions);
 * returns the tab and the column (1-based) of a header.
 */
export function bindAndSettle(
  product: Product,
  minutes = 10,
): { sheet: ReturnType<AppsScriptHarness['sheet']>; column: (header: string) => number } {
  const h = product.harness;
  h.run('connect', GENERATED.apiKey);
  const { tabName } = h.run('bindTab', GENERATED.companyListId, GENERATED.sheetViewId) as { tabName: string };
  h.advance(minutes * MINUTE);
  const sheet = h.sheet(tabName);
  const header = sheet.getRange(1, 1, 1, sheet.getLastColumn()).getValues()[0].map(String);
  return { sheet, column: (name) => header.indexOf(name) + 1 };
}

/**
 * After a refresh with edits on both sides: each edit in the tab kept, each change in Affinity written, and the cell
 * changed on both sides keeping the tab's text with a note of Affinity's.
 */
export function expectMergedEdits(
  sheet: ReturnType<AppsScriptHarness['sheet']>,
  row: ReadonlyMap<number, number>,
  textCol: number,
  cells: { edited: number[]; changed: number[]; both: number },
): void {
  const textAt = (id: number) => String(sheet.getRange(row.get(id)!, textCol).getValue());
  for (const id of cells.edited) expect(textAt(id)).toBe(`edited in the tab ${id}`);
  for (const id of cells.changed) expect(textAt(id)).toBe(`changed in Affinity ${id}`);
  expect(textAt(cells.both)).toBe(`edited in the tab ${cells.both}`);
  expect(sheet.getRange(row.get(cells.both)!, textCol).getNote()).toMatch(/changed in Affinity/);
}
