/**
 * `npm run sim -- scenario.json`: runs a scenario (an emulator seed plus steps as a user and the world would take
 * them) against the built bundle in the Apps Script harness and the local Affinity emulator, then prints the final
 * tabs, Affinity's data and the requests made, as JSON. The format is documented in docs/simulator.md.
 */
import { readFileSync } from 'node:fs';
import type { FieldValueUpdate } from '../../src/server/affinity/types';
import { canonicalOf } from '../../src/server/engine/codecs';
import { METADATA_KEY, KEY_COLUMN } from '../../src/server/engine/layout';
import type { Fault } from '../emulator/emulator';
import { mb } from '../harness/memory';
import type { NetworkModelName } from '../harness/network';
import { generateSeed, type GenerateOptions } from '../emulator/generate';
import type { EmulatorSeed } from '../emulator/seed';
import { dealflowSeed } from '../emulator/seeds/dealflow';
import { foundersSeed } from '../emulator/seeds/founders';
import { startProduct, tabDisplay, visibleTabs, type Product } from './product';

export interface Scenario {
  /** 'dealflow' (default), 'dealflow+founders' (with a person list), { generate: {...} }, or a whole seed. */
  seed?: 'dealflow' | 'dealflow+founders' | { generate: GenerateOptions } | EmulatorSeed;
  spreadsheetTimeZone?: string;
  /** Network model of the harness (docs/harness.md): 'fast' or 'realistic'; default HARNESS_NETWORK, else realistic. */
  network?: NetworkModelName;
  /** Memory ceiling per execution: true (256 MB), MB, or false; default HARNESS_MEMORY_LIMIT_MB, else none. */
  memoryLimitMB?: number | boolean;
  /** How the emulator's rows carry their fields: 'complete' (default) or 'sparse' (docs/emulator.md). */
  rows?: 'complete' | 'sparse';
  steps: Step[];
}

export type Step = { do: string } & Record<string, unknown>;

export interface StepResult {
  step: Step;
  ok: boolean;
  result?: unknown;
  error?: string;
  /** What the step's executions cost. */
  requests?: number;
  sheetsCalls?: number;
  /** Virtual time of the step's executions, and the largest peak heap growth among them (MB). */
  virtualMs?: number;
  peakHeapMB?: number;
}

export interface SimContext {
  product: Product;
  seed: EmulatorSeed;
}

type Runner = (ctx: SimContext, step: Step) => Promise<unknown> | unknown;

function seedOf(s: Scenario['seed']): EmulatorSeed {
  if (!s || s === 'dealflow') return dealflowSeed();
  if (s === 'dealflow+founders') return foundersSeed();
  if ('generate' in s) return generateSeed(s.generate);
  return s;
}

function str(step: Step, key: string): string {
  const v = step[key];
  if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`step “${step.do}” needs “${key}”`);
  return String(v);
}

export function listIdOf(seed: EmulatorSeed, list: unknown): number {
  if (list === undefined) {
    if (seed.lists.length === 1) return seed.lists[0].id;
    throw new Error('name the list (several lists in the seed)');
  }
  const found = seed.lists.find((l) => l.id === Number(list) || l.name === list);
  if (!found) throw new Error(`no list ${String(list)}`);
  return found.id;
}

export function viewIdOf(seed: EmulatorSeed, listId: number, view: unknown): number {
  const found = (seed.savedViews[String(listId)] ?? []).find((v) => v.id === Number(view) || v.name === view);
  if (!found) throw new Error(`no view ${String(view)} in list ${listId}`);
  return found.id;
}

export function fieldIdOf(seed: EmulatorSeed, listId: number, field: unknown): string {
  const f = (seed.fields[String(listId)] ?? []).find((x) => x.id === field || x.name === field);
  if (!f) throw new Error(`no field ${String(field)} in list ${listId}`);
  return f.id;
}

function sheetOf(ctx: SimContext, tab: string) {
  const sheet = ctx.product.harness.spreadsheet.getSheetByName(tab);
  if (!sheet) throw new Error(`no tab named ${tab}`);
  return sheet;
}

/** 1-based column of a header text or a column id (field id), by the tab's developer metadata. */
export function columnOf(ctx: SimContext, tab: string, column: string): number {
  const sheet = sheetOf(ctx, tab);
  for (const md of sheet.createDeveloperMetadataFinder().withKey(METADATA_KEY).find()) {
    if (md.getValue() === column) return md.getLocation().getColumn()!.getColumn();
  }
  const header = sheet.getRange(1, 1, 1, Math.max(1, sheet.getLastColumn())).getDisplayValues()[0];
  const i = header.indexOf(column);
  if (i < 0) throw new Error(`no column “${column}” in ${tab}`);
  return i + 1;
}

/** 1-based row of an entry, by the key column. */
export function rowOf(ctx: SimContext, tab: string, entryId: number): number {
  const sheet = sheetOf(ctx, tab);
  const keyCol = columnOf(ctx, tab, KEY_COLUMN);
  const keys = sheet.getRange(1, keyCol, Math.max(1, sheet.getLastRow()), 1).getValues();
  const i = keys.findIndex((r) => Number(r[0]) === entryId);
  if (i < 0) throw new Error(`entry ${entryId} is not in ${tab}`);
  return i + 1;
}

function a1(row: number, col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return `${s}${row}`;
}

function bindingSheetId(ctx: SimContext, tab: string): number {
  return sheetOf(ctx, tab).getSheetId();
}

/** Step kinds. Later features add theirs here (and in docs/simulator.md). */
export const STEPS: Record<string, Runner> = {
  open: ({ product }) => product.harness.openSpreadsheet(),
  connect: ({ product }, s) => product.harness.run('connect', str(s, 'key')),
  removeKey: ({ product }) => product.harness.run('removeKey'),
  bind: (ctx, s) => {
    const listId = listIdOf(ctx.seed, s.list);
    const viewId = viewIdOf(ctx.seed, listId, s.view);
    const sheetId = typeof s.tab === 'string' ? bindingSheetId(ctx, s.tab) : undefined;
    return ctx.product.harness.run('bindTab', listId, viewId, sheetId);
  },
  pull: (ctx, s) => ctx.product.harness.run('pullTab', bindingSheetId(ctx, str(s, 'tab'))),
  pullAll: ({ product }) => product.harness.run('menuPullAllTabs'),
  /** Runs a menu item by its caption, with `tab` as the active tab. */
  menu: (ctx, s) => {
    const { harness } = ctx.product;
    if (typeof s.tab === 'string') harness.spreadsheet.setActiveSheet(sheetOf(ctx, s.tab));
    const item = harness.ui.menus.flatMap((m) => m.items).find((i) => i.caption === s.item);
    if (!item) throw new Error(`no menu item “${String(s.item)}” (open the spreadsheet first)`);
    return harness.runAs('menu', item.fn);
  },
  /** Types a value into a cell: by `a1`, or by `entry` and `column` (header text or field id). */
  editCell: (ctx, s) => {
    const tab = str(s, 'tab');
    const at =
      typeof s.a1 === 'string' ? s.a1 : a1(rowOf(ctx, tab, Number(s.entry)), columnOf(ctx, tab, str(s, 'column')));
    ctx.product.harness.userEdit(tab, at, [[s.value]]);
    return at;
  },
  /**
   * Types a formula into a cell (by `a1`, or `entry` + `column`), as a person would: the sheet computes it (the harness's
   * subset, docs/harness.md). Returns the cell and what it shows.
   */
  typeFormula: (ctx, s) => {
    const tab = str(s, 'tab');
    const formula = str(s, 'formula');
    if (!formula.startsWith('=')) throw new Error('step “typeFormula” needs a “formula” starting with =');
    const at =
      typeof s.a1 === 'string' ? s.a1 : a1(rowOf(ctx, tab, Number(s.entry)), columnOf(ctx, tab, str(s, 'column')));
    ctx.product.harness.userEdit(tab, at, [[formula]]);
    const cell = sheetOf(ctx, tab).getRange(at);
    return { a1: at, formula: cell.getFormula(), shows: cell.getDisplayValue() };
  },
  /** Someone edits a field in Affinity's app. `value` is a FieldValueUpdate. */
  editInAffinity: async (ctx, s) => {
    const listId = listIdOf(ctx.seed, s.list);
    await ctx.product.emulator.admin.editField(
      listId,
      Number(s.entry),
      fieldIdOf(ctx.seed, listId, s.field),
      s.value as FieldValueUpdate,
    );
  },
  moveColumn: (ctx, s) => {
    const sheet = sheetOf(ctx, str(s, 'tab'));
    const col = columnOf(ctx, str(s, 'tab'), str(s, 'column'));
    sheet.moveColumns(sheet.getRange(1, col, sheet.getMaxRows(), 1), Number(s.to));
  },
  renameHeader: (ctx, s) => {
    const tab = str(s, 'tab');
    ctx.product.harness.userEdit(tab, a1(1, columnOf(ctx, tab, str(s, 'column'))), [[str(s, 'name')]]);
  },
  sortTab: (ctx, s) => {
    const tab = str(s, 'tab');
    const sheet = sheetOf(ctx, tab);
    const range = sheet.getRange(2, 1, Math.max(1, sheet.getLastRow() - 1), sheet.getLastColumn());
    range.sort({ column: columnOf(ctx, tab, str(s, 'column')), ascending: s.ascending !== false });
  },
  deleteRow: (ctx, s) => {
    const tab = str(s, 'tab');
    sheetOf(ctx, tab).deleteRow(rowOf(ctx, tab, Number(s.entry)));
  },
  /**
   * The user adds a row: inserted before sheet row `position` (1-based; default: below the last row) with `values`
   * by column (header text, field id, or `@name` for the name column), and optionally `entry` typed into its Entry ID
   * cell. A row with a name and no Entry ID is a new
   * entry for the next push (docs/push.md, "New rows"). Returns the row's number.
   */
  addRow: (ctx, s) => {
    const tab = str(s, 'tab');
    const sheet = sheetOf(ctx, tab);
    let row = sheet.getLastRow() + 1;
    if (s.position !== undefined && Number(s.position) <= sheet.getLastRow()) {
      row = Math.max(2, Number(s.position));
      sheet.insertRowsBefore(row, 1);
    } else if (row > sheet.getMaxRows()) sheet.insertRowsAfter(sheet.getMaxRows(), 1);
    // `entry`: an Entry ID typed into the row (e.g. a forged one, docs/scenarios/shared-attack.json)
    if (s.entry !== undefined)
      ctx.product.harness.userEdit(tab, a1(row, columnOf(ctx, tab, KEY_COLUMN)), [[Number(s.entry)]]);
    for (const [column, value] of Object.entries((s.values ?? {}) as Record<string, unknown>)) {
      ctx.product.harness.userEdit(tab, a1(row, columnOf(ctx, tab, column)), [[value]]);
    }
    return row;
  },
  /** Adds a column of the user's own at the right, with a header and values per entry. */
  addUserColumn: (ctx, s) => {
    const tab = str(s, 'tab');
    const sheet = sheetOf(ctx, tab);
    const col = sheet.getLastColumn() + 1;
    if (col > sheet.getMaxColumns()) sheet.insertColumnsAfter(sheet.getMaxColumns(), 1);
    ctx.product.harness.userEdit(tab, a1(1, col), [[str(s, 'header')]]);
    for (const [entry, value] of Object.entries((s.values ?? {}) as Record<string, unknown>)) {
      ctx.product.harness.userEdit(tab, a1(rowOf(ctx, tab, Number(entry)), col), [[value]]);
    }
  },
  /** Changes which entries or fields a saved view holds (as a filter change in Affinity would). */
  setView: async (ctx, s) => {
    const listId = listIdOf(ctx.seed, s.list);
    const change: { entryIds?: number[]; fieldIds?: string[] } = {};
    if (Array.isArray(s.entryIds)) change.entryIds = s.entryIds.map(Number);
    if (Array.isArray(s.fieldIds)) change.fieldIds = s.fieldIds.map((f) => fieldIdOf(ctx.seed, listId, f));
    await ctx.product.emulator.admin.setView(listId, viewIdOf(ctx.seed, listId, s.view), change);
  },
  /** Someone renames a field in Affinity's app. */
  renameField: async (ctx, s) => {
    const listId = listIdOf(ctx.seed, s.list);
    await ctx.product.emulator.admin.renameField(listId, fieldIdOf(ctx.seed, listId, s.field), str(s, 'name'));
  },
  /** Someone removes a column (field) from a saved view in Affinity. */
  removeViewColumn: async (ctx, s) => {
    const listId = listIdOf(ctx.seed, s.list);
    const viewId = viewIdOf(ctx.seed, listId, s.view);
    const view = await ctx.product.emulator.admin.getView(listId, viewId);
    const fieldId = fieldIdOf(ctx.seed, listId, s.field);
    return ctx.product.emulator.admin.setView(listId, viewId, { fieldIds: view.fieldIds.filter((f) => f !== fieldId) });
  },
  /** Someone adds a column (field) to a saved view in Affinity, at `at` (1-based among the view's columns; default last). */
  addViewColumn: async (ctx, s) => {
    const listId = listIdOf(ctx.seed, s.list);
    const viewId = viewIdOf(ctx.seed, listId, s.view);
    const view = await ctx.product.emulator.admin.getView(listId, viewId);
    const fieldId = fieldIdOf(ctx.seed, listId, s.field);
    const rest = view.fieldIds.filter((f) => f !== fieldId);
    const at = s.at === undefined ? rest.length : Math.max(0, Math.min(rest.length, Number(s.at) - 1));
    return ctx.product.emulator.admin.setView(listId, viewId, {
      fieldIds: [...rest.slice(0, at), fieldId, ...rest.slice(at)],
    });
  },
  /** The user sets a column's number format (Format › Number), e.g. `"@"` for Plain text. */
  setNumberFormat: (ctx, s) => {
    const tab = str(s, 'tab');
    const sheet = sheetOf(ctx, tab);
    const col = columnOf(ctx, tab, str(s, 'column'));
    sheet.getRange(1, col, sheet.getMaxRows(), 1).setNumberFormat(str(s, 'format'));
  },
  /** *File › Make a copy*: from here on the scenario works in the copy (harness.makeCopy, docs/harness.md). */
  copySpreadsheet: ({ product }) => {
    product.harness.makeCopy();
    return { spreadsheetId: product.harness.spreadsheet.getId(), triggers: product.harness.triggers.length };
  },
  /** The settings panel's state as it opens (connection, tabs, a copy's notice...). */
  panel: ({ product }) => product.harness.runAs('rpc', 'getSettingsState'),
  /** Unbinds a tab in the panel (the tab and its data stay). */
  unbind: (ctx, s) => ctx.product.harness.run('unbindTab', bindingSheetId(ctx, str(s, 'tab'))),
  /** Injects a fault at the emulator: status for the next `count` requests, latency, a broken body... */
  fault: async ({ product }, s) => {
    const { do: _, path, method, ...rest } = s;
    const fault = { ...rest } as Fault;
    if (path || method)
      fault.match = { pathIncludes: path as string | undefined, method: method as string | undefined };
    await product.emulator.admin.injectFault(fault);
  },
  clearFaults: ({ product }) => product.emulator.admin.clearFaults(),
  wait: ({ product }, s) => product.harness.advance(Number(s.minutes ?? 0) * 60_000 + Number(s.seconds ?? 0) * 1000),
  // ---- push (docs/push.md) ----
  /** The user pastes a block of `values` (rows of cells) at `a1`. */
  paste: (ctx, s) => {
    ctx.product.harness.userEdit(str(s, 'tab'), str(s, 'a1'), s.values as never[][]);
  },
  /** Affinity › Push this tab. `choices` settle single conflicts as in the preview: [{ entry, field, affinity, choice: 'mine' | 'affinity' | 'skip' }]. */
  push: (ctx, s) => {
    const choices = ((s.choices ?? []) as Record<string, unknown>[]).map((c) => ({
      entryId: Number(c.entry),
      columnId: anyFieldId(ctx.seed, c.field),
      affinity: String(c.affinity ?? ''),
      choice: c.choice,
    }));
    return ctx.product.harness.runAs(
      'rpc',
      'pushTab',
      bindingSheetId(ctx, str(s, 'tab')),
      choices,
      s.confirmOthers === true,
    );
  },
  // ---- shared spreadsheets (docs/sharing.md) ----
  /** The user unhides the tab's hidden base snapshot sheet (its protection only warns). Returns its name. */
  showBase: (ctx, s) => {
    const name = `_affinity_base_${bindingSheetId(ctx, str(s, 'tab'))}`;
    sheetOf(ctx, name).showSheet();
    return name;
  },
  /**
   * The user edits the base snapshot sheet by hand: sets `column` (field id or name) of `entry`'s base row to `value`,
   * adding a row for the entry when the base has none.
   */
  editBase: (ctx, s) => {
    const name = `_affinity_base_${bindingSheetId(ctx, str(s, 'tab'))}`;
    const base = sheetOf(ctx, name);
    const header = base.getRange(1, 1, 1, base.getLastColumn()).getValues()[0].map(String);
    const col = header.indexOf(anyFieldId(ctx.seed, s.column)) + 1;
    if (col < 1) throw new Error(`no column ${String(s.column)} in the base of ${str(s, 'tab')}`);
    const keys = base.getRange(1, 1, base.getLastRow(), 1).getValues();
    let row = keys.findIndex((r) => Number(r[0]) === Number(s.entry)) + 1;
    if (row < 1) {
      row = base.getLastRow() + 1;
      ctx.product.harness.userEdit(name, a1(row, 1), [[Number(s.entry)]]);
    }
    ctx.product.harness.userEdit(name, a1(row, col), [[s.value]]);
    return a1(row, col);
  },
  /**
   * Affinity › Undo last push… for a tab: `preview: true` only lists what would be put back and what not; otherwise
   * the undo runs (as after answering Yes in the dialog).
   */
  undoPush: (ctx, s) =>
    ctx.product.harness.runAs(
      'rpc',
      s.preview === true ? 'previewUndoPush' : 'undoPush',
      bindingSheetId(ctx, str(s, 'tab')),
    ),
  /** Affinity › Preview changes…: every pending change, conflict, invalid cell and the request count; sends nothing. */
  preview: (ctx, s) => ctx.product.harness.runAs('rpc', 'previewPush', bindingSheetId(ctx, str(s, 'tab'))),
  /** The conflict setting for push and pull: 'flag' (default), 'sheet-wins' or 'affinity-wins'. */
  conflictPolicy: ({ product }, s) => product.harness.run('setConflictPolicy', str(s, 'policy')),
  /** Marks edited cells with a background until pushed (an installable on-edit trigger): `on` true/false. */
  pendingMarks: ({ product }, s) => product.harness.run('setPendingMarks', s.on !== false),
  /** The tab's notes (the sync's explanations at cells), as { a1: note }. */
  notes: (ctx, s) => {
    const sheet = sheetOf(ctx, str(s, 'tab'));
    const notes = sheet.getRange(1, 1, Math.max(1, sheet.getLastRow()), Math.max(1, sheet.getLastColumn())).getNotes();
    const out: Record<string, string> = {};
    notes.forEach((line, r) => line.forEach((n, c) => n && (out[a1(r + 1, c + 1)] = n)));
    return out;
  },
  // ---- schedules and runs (docs/schedules.md) ----
  /**
   * Saves the schedule from the panel: `every` (5, 10, 15, 30 or "hourly"), or `daily` (an hour), or `off: true`;
   * `pushFirst`, `plan` ('consumer' | 'workspace' | 'auto'), `acceptOverBudget` (save one that does not fit).
   */
  schedule: ({ product }, s) => product.harness.runAs('rpc', 'saveSchedule', scheduleInput(s)),
  /** What the panel shows for a schedule before saving it: daily and monthly use, whether it fits, what would. */
  previewSchedule: ({ product }, s) => product.harness.runAs('rpc', 'previewSchedule', scheduleInput(s)),
  /** The schedule section's data: schedule, who it runs as, pause, backoff, last run and skip, usage, projection. */
  scheduleState: ({ product }) => product.harness.runAs('rpc', 'getScheduleState'),
  /** Resumes a paused schedule. */
  resumeSchedule: ({ product }) => product.harness.runAs('rpc', 'resumeSchedule'),
  /** The panel's "Take over the schedule": it then runs as the step's user (`as`), with their own settings. */
  takeOverSchedule: ({ product }) => product.harness.runAs('rpc', 'takeOverSchedule'),
  /** The user's own "push my pending edits first" (`on`, default true): used when the schedule runs as them. */
  pushFirst: ({ product }, s) => product.harness.runAs('rpc', 'setPushFirst', s.on !== false),
  /** Affinity › Run sync now. */
  runNow: ({ product }) => product.harness.runAs('rpc', 'runSyncNow'),
  /**
   * Kills an execution after `afterCalls` service calls, as Apps Script ends one at 6 minutes: either a step
   * (`step`: { do: 'pull', tab }...) or a trigger handler (`run`: 'scheduledSync' | 'continueSync').
   */
  abort: async (ctx, s) => {
    const { harness } = ctx.product;
    const k = Number(s.afterCalls);
    if (!Number.isInteger(k) || k < 1) throw new Error('step “abort” needs “afterCalls” (a positive whole number)');
    const before = harness.executions.length;
    try {
      if (typeof s.run === 'string') harness.runWith({ kind: 'installable-trigger', abortAfterCalls: k }, s.run);
      else {
        const inner = s.step as Step | undefined;
        const runner = inner ? STEPS[inner.do] : undefined;
        if (!inner || !runner) throw new Error('step “abort” needs “run” (a trigger handler) or “step” (another step)');
        harness.abortAfterCalls = k;
        await runner(ctx, inner);
      }
    } catch (e) {
      const m = harness.executions[before];
      if (!m || m.killed !== 'abort-after-calls') throw e;
    } finally {
      harness.abortAfterCalls = undefined;
    }
    const m = harness.executions[before];
    return { killed: m?.killed === 'abort-after-calls', calls: m?.totalCalls ?? 0 };
  },
  /** Another execution holds the script lock for `minutes` (a sync running elsewhere). */
  holdLock: ({ product }, s) => {
    product.harness.holdLock('script', product.harness.clock.now() + Number(s.minutes ?? 1) * 60_000);
  },
  /** The installed triggers: handler, owner, schedule. */
  triggers: ({ product }) =>
    product.harness.triggers.map((t) => ({ handler: t.handler, owner: t.owner, schedule: t.schedule, fired: t.fired })),
};

function scheduleInput(s: Step): Record<string, unknown> {
  let schedule: Record<string, unknown>;
  if (s.off === true) schedule = { kind: 'off' };
  else if (s.daily !== undefined) schedule = { kind: 'daily', hour: Number(s.daily) };
  else if (s.every === 'hourly' || s.every === 60) schedule = { kind: 'hourly' };
  else if (s.every !== undefined) schedule = { kind: 'minutes', every: Number(s.every) };
  else throw new Error('step needs “every” (5, 10, 15, 30 or "hourly"), “daily” (an hour) or “off”');
  const input: Record<string, unknown> = { schedule, pushFirst: s.pushFirst === true };
  if (typeof s.plan === 'string') input.plan = s.plan;
  if (s.acceptOverBudget === true) input.acceptOverBudget = true;
  if (s.budgetMinutes !== undefined) input.budgetMs = Number(s.budgetMinutes) * 60_000;
  return input;
}

/** A field id, from an id or a name of any list's field. */
function anyFieldId(seed: EmulatorSeed, field: unknown): string {
  for (const fields of Object.values(seed.fields)) {
    const f = fields.find((x) => x.id === field || x.name === field);
    if (f) return f.id;
  }
  return String(field);
}

async function affinityData(ctx: SimContext): Promise<Record<string, Record<string, Record<string, string>>>> {
  const out: Record<string, Record<string, Record<string, string>>> = {};
  const utc = {
    dayInSpreadsheet: (ms: number) => new Date(ms).toISOString().slice(0, 10),
    dayOfDate: (d: Date) => d.toISOString().slice(0, 10),
  };
  for (const list of ctx.seed.lists) {
    const ids = [...new Set((ctx.seed.savedViews[String(list.id)] ?? []).flatMap((v) => v.entryIds))].slice(0, 500);
    const entries: Record<string, Record<string, string>> = {};
    for (const id of ids) {
      const entry = await ctx.product.emulator.admin.getEntry(list.id, id);
      if (!entry) continue;
      const fields: Record<string, string> = {};
      for (const f of entry.entity.fields ?? []) fields[f.name] = canonicalOf(f.value, f.type, utc).text;
      entries[String(id)] = fields;
    }
    out[list.name] = entries;
  }
  return out;
}

export async function runScenario(scenario: Scenario): Promise<{
  network: NetworkModelName;
  steps: StepResult[];
  tabs: Record<string, string[][]>;
  affinity: Record<string, Record<string, Record<string, string>>>;
  requests: { method: string; path: string; status: number; key?: string }[];
}> {
  const seed = seedOf(scenario.seed);
  const product = await startProduct({
    seed,
    rows: scenario.rows,
    harness: {
      spreadsheetTimeZone: scenario.spreadsheetTimeZone,
      network: scenario.network,
      memoryLimitMB: scenario.memoryLimitMB,
    },
  });
  const ctx: SimContext = { product, seed };
  try {
    const results: StepResult[] = [];
    for (const step of scenario.steps) {
      const runner = STEPS[step.do];
      const before = product.harness.executions.length;
      const result: StepResult = { step, ok: true };
      // `as`: the step is taken by that user (edits, menu items, panel calls); the default user is the owner.
      const user = product.harness.user;
      if (typeof step.as === 'string') product.harness.user = step.as;
      try {
        if (!runner) throw new Error(`unknown step “${step.do}” (known: ${Object.keys(STEPS).join(', ')})`);
        const value = await runner(ctx, step);
        if (value !== undefined) result.result = value;
      } catch (e) {
        result.ok = false;
        result.error = e instanceof Error ? e.message : String(e);
      } finally {
        product.harness.user = user;
      }
      const ran = product.harness.executions.slice(before);
      if (ran.length > 0) {
        result.requests = ran.reduce((n, m) => n + m.urlFetches, 0);
        result.sheetsCalls = ran.reduce((n, m) => n + (m.callsByService.SpreadsheetApp ?? 0), 0);
        result.virtualMs = Math.round(ran.reduce((n, m) => n + m.virtualMs, 0));
        result.peakHeapMB = mb(Math.max(...ran.map((m) => m.peakHeapBytes)));
      }
      results.push(result);
    }
    const tabs: Record<string, string[][]> = {};
    for (const name of visibleTabs(product.harness)) tabs[name] = tabDisplay(product.harness, name);
    const requests = (await product.emulator.admin.requests()).map((r) => ({
      method: r.method,
      path: r.path,
      status: r.status,
      // Whose key it carried (its last four characters), for scenarios with several users.
      key: (r.headers.authorization ?? '').slice(-4),
    }));
    return { network: product.harness.network.name, steps: results, tabs, affinity: await affinityData(ctx), requests };
  } finally {
    await product.close();
  }
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npm run sim -- scenario.json');
    process.exit(2);
  }
  runScenario(JSON.parse(readFileSync(file, 'utf8')) as Scenario).then(
    (out) => {
      console.log(JSON.stringify(out, null, 2));
      if (out.steps.some((s) => !s.ok && !s.step.expectError)) process.exitCode = 1;
    },
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
