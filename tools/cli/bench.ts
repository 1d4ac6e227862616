/**
 * `npm run bench`: figures, not pass/fail. Through the real bundle in the Apps Script harness against the emulator,
 * under the realistic network model with the 256 MB memory ceiling enforced (docs/harness.md; `--network=fast|both`):
 * pulls of 1,000, 10,000 and 50,000 entries × 30 fields (Affinity requests made and the minimum possible, SpreadsheetApp
 * calls, cells written, CPU ms, virtual time, peak heap growth), a second pull with nothing changed; pushes; pull all
 * tabs over three 15,000-entry tabs; resumable pulls of 60,000 and 100,000 entries over several executions, one row per
 * execution. A case the product fails today shows the failure in its row (`error`) instead of stopping the bench.
 *
 *   npm run bench                          the realistic model (the figures of the README and docs)
 *   npm run bench -- --network=both        both models (or --network=fast, or HARNESS_NETWORK=fast)
 *   npm run bench -- --json                the same rows as JSON on stdout, after npm's banner (the table goes to stderr;
 *                                          `npm run --silent bench -- --json > bench.json` for a clean file)
 *   npm run bench -- --json=bench.json     the table on stdout, the rows as JSON in that file
 *   npm run bench -- push 60,000           only the cases whose name contains one of the words
 *   npm run bench -- --before=a045ddd      each case also under the bundle built from that commit (the product before
 *                                          a change), in the same run: its rows follow, named "before (a045ddd): …"
 */
import { createHash } from 'node:crypto';
import { digestBase, verifyBase } from '../../src/server/engine/baseDigest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GENERATED, generateSeed } from '../emulator/generate';
import type { EmulatorSeed } from '../emulator/seed';
import type { ExecutionMetrics, HarnessOptions } from '../harness';
import { mb } from '../harness/memory';
import { type NetworkModelName, resolveNetwork } from '../harness/network';
import { KEY_COLUMN, METADATA_KEY } from '../../src/server/engine/layout';
import { startProduct, type Product } from './product';

export interface BenchRow {
  network: NetworkModelName;
  case: string;
  requests: number;
  minimumRequests: number | string;
  fetchAllBatches: number;
  sheetsCalls: number;
  cellsWritten: number;
  cpuMs: number;
  virtualMs: number;
  /** Peak heap growth charged to the script (the spreadsheet model's storage growth left out; the ceiling's figure). */
  peakHeapMB: number;
  /** The raw peak heap growth, the spreadsheet model's storage included, and that storage's growth (docs/harness.md). */
  rawHeapMB: number;
  storageMB: number;
  /** The service call before which the script's peak was sampled. */
  peakAt?: string;
  /** Where the virtual time went besides the script's CPU: virtual ms charged per service (JSON only). */
  servicesMs?: Record<string, number>;
  note?: string;
  /** The execution's failure (the platform's message), when it failed. */
  error?: string;
}

/** The model a case runs under: the network, and the memory ceiling (MB) or none. */
export interface BenchModel {
  network: NetworkModelName;
  memoryLimitMB: number | false;
  /** Another build of the product (its dist directory), for the side-by-side rows; the current dist/ without it. */
  bundleDir?: string;
}

export const MODELS: Record<NetworkModelName, BenchModel> = {
  fast: { network: 'fast', memoryLimitMB: false },
  realistic: { network: 'realistic', memoryLimitMB: 256 },
};

function harnessOptions(model: BenchModel): Partial<HarnessOptions> {
  const bundle = model.bundleDir ? { codePath: path.join(model.bundleDir, 'Code.js'), htmlDir: model.bundleDir } : {};
  return { network: model.network, memoryLimitMB: model.memoryLimitMB, ...bundle };
}

/**
 * The product as built from `ref` (a commit of this repository): its files exported with `git archive` into a
 * temporary directory, this checkout's node_modules linked, `npm run build` there. Built once per commit.
 */
export function bundleAt(ref: string): { dir: string; label: string } {
  const sha = execFileSync('git', ['rev-parse', '--short', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
  const root = path.join(os.tmpdir(), `affinity-bench-${sha}`);
  const dist = path.join(root, 'dist');
  if (!existsSync(path.join(dist, 'Code.js'))) {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    const tar = path.join(root, 'source.tar');
    execFileSync('git', ['archive', '--format=tar', `--output=${tar}`, sha]);
    execFileSync('tar', ['-x', '-f', tar, '-C', root]);
    rmSync(tar);
    symlinkSync(path.resolve('node_modules'), path.join(root, 'node_modules'));
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  }
  return { dir: dist, label: sha };
}

/** Setting up a large tab is not what a case measures: do it under the fast model, no ceiling, then switch. */
function withSetupModel<T>(product: Product, model: BenchModel, setup: () => T): T {
  const st = product.harness.state;
  st.network = resolveNetwork('fast');
  const limit = st.memoryLimitBytes;
  const gc = st.gcBeforeExecution;
  st.memoryLimitBytes = null;
  try {
    return setup();
  } finally {
    st.network = resolveNetwork(model.network);
    st.memoryLimitBytes = limit;
    st.gcBeforeExecution = gc;
  }
}

function fromMetrics(
  model: BenchModel,
  m: ExecutionMetrics,
  name: string,
  minimumRequests: number | string,
  note?: string,
): BenchRow {
  const r: BenchRow = {
    network: model.network,
    case: name,
    requests: m.urlFetches,
    minimumRequests,
    fetchAllBatches: m.fetchAllBatches,
    sheetsCalls: m.callsByService.SpreadsheetApp ?? 0,
    cellsWritten: m.cellsWritten,
    cpuMs: Math.round(m.cpuMs),
    virtualMs: Math.round(m.virtualMs),
    peakHeapMB: mb(m.peakHeapBytes),
    rawHeapMB: mb(m.peakRawHeapBytes),
    storageMB: mb(m.storageGrowthBytes),
  };
  if (m.peakHeapAt) r.peakAt = m.peakHeapAt.replace(/^[A-Za-z]+\./, '');
  const services = Object.entries(m.virtualMsByService ?? {}).filter(([, ms]) => ms >= 1);
  if (services.length > 0) r.servicesMs = Object.fromEntries(services.map(([k, ms]) => [k, Math.round(ms)]));
  if (note) r.note = note;
  if (m.error) r.error = m.error;
  return r;
}

/**
 * What checking the base digest (docs/sharing.md) cost an execution: its Utilities.computeDigest calls (no Sheets call:
 * the base is read anyway), and the CPU of one verification of this base measured here, in Node, with SHA-256.
 */
function digestNote(product: Product, sheetId: number, m: ExecutionMetrics): string {
  const base = product.harness.spreadsheet.getSheetByName(`_affinity_base_${sheetId}`);
  if (!base) return '';
  const grid = base.getRange(1, 1, base.getLastRow(), base.getLastColumn()).getValues();
  const columns = grid[0].slice(1).map(String);
  const rows = new Map<number, string[]>();
  for (const line of grid.slice(1))
    rows.set(
      Number(line[0]),
      line.slice(1).map((v) => (v === '' ? '' : String(v))),
    );
  const snapshot = { columns, rows };
  const sha = (t: string) => createHash('sha256').update(t, 'utf8').digest('base64');
  const digest = digestBase(snapshot, sha);
  let ms = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    verifyBase(snapshot, digest, sha);
    ms = Math.min(ms, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return `base digest: ${m.calls['Utilities.computeDigest'] ?? 0} hashes, 0 Sheets calls; one check of this base ${ms.toFixed(0)} ms CPU in Node (best of 3)`;
}

const HASH_CALLS = new Set(['Utilities.computeDigest', 'Utilities.base64Encode']);

/** One check or computation of the base digest inside an execution, priced from its call trace. */
interface DigestWork {
  hashes: number;
  cpuMs: number;
  sheetsCalls: number;
  utilitiesCalls: number;
}

/**
 * What the base digest (docs/sharing.md) cost one execution, from its call trace (`harness.traceTriggers`): each burst
 * of hashes (Utilities.computeDigest and base64Encode, one pair a bucket), with the script's CPU from the call before
 * it (the digest's property read: the buckets' texts are built in between) to its last hash, and the Sheets calls in
 * that window. Read in the same run as the execution's totals, so "without" is the same execution less this work.
 */
function digestWork(m: ExecutionMetrics): DigestWork[] {
  const trace = m.callTrace ?? [];
  const cpu = m.callCpuMs ?? [];
  const out: DigestWork[] = [];
  for (let i = 0; i < trace.length; i++) {
    if (!HASH_CALLS.has(trace[i])) continue;
    let j = i;
    while (j + 1 < trace.length && HASH_CALLS.has(trace[j + 1])) j++;
    const from = Math.max(0, i - 1);
    const window = trace.slice(from + 1, j + 1);
    out.push({
      hashes: window.filter((k) => k === 'Utilities.computeDigest').length,
      cpuMs: (cpu[j] ?? 0) - (cpu[from] ?? 0),
      sheetsCalls: window.filter((k) => k.startsWith('SpreadsheetApp.')).length,
      utilitiesCalls: window.length,
    });
    i = j;
  }
  return out;
}

/**
 * The scheduled refresh less its digest work (same execution): a row computed, not run, beside the measured one, and
 * the note that says what each check cost.
 */
function withoutDigest(product: Product, row: BenchRow, m: ExecutionMetrics): BenchRow {
  const work = digestWork(m);
  const cpu = work.reduce((n, w) => n + w.cpuMs, 0);
  const sheets = work.reduce((n, w) => n + w.sheetsCalls, 0);
  const calls = work.reduce((n, w) => n + w.utilitiesCalls, 0);
  const costs = product.harness.state.costs;
  const virtual = cpu * costs.cpuFactor + calls * costs.utilitiesCallMs;
  // A push-first run: the push verifies, the pull verifies, the pulled base gets its digest (compared, not rewritten).
  const names = work.length === 3 ? ['before the push', 'before the pull', 'of the base as pulled'] : [];
  const parts = work.map((w, i) => `${names[i] ?? i + 1}: ${w.hashes} hashes ${w.cpuMs.toFixed(0)} ms`).join(', ');
  row.note = `base digest, same run: ${work.length} checks (${parts}) = ${cpu.toFixed(0)} ms CPU (${((100 * cpu) / Math.max(1, row.cpuMs)).toFixed(1)} % of the execution), ${sheets} Sheets calls, ≈ ${virtual.toFixed(0)} ms virtual`;
  return {
    ...row,
    case: `${row.case} without the digest (same execution less its digest work)`,
    sheetsCalls: row.sheetsCalls - sheets,
    cpuMs: Math.round(row.cpuMs - cpu),
    virtualMs: Math.round(row.virtualMs - virtual),
    note: 'computed from the row above: what verifying the base adds is the difference',
  };
}

/** Runs one execution; a failure is recorded in its metrics (and row), not thrown. */
function attempt(product: Product, fn: string, ...args: unknown[]): { ok: boolean; value?: unknown } {
  try {
    return { ok: true, value: product.harness.run(fn, ...args) };
  } catch (err) {
    if (product.harness.executions.length > 0 && product.harness.lastExecution.error) return { ok: false };
    throw err;
  }
}

function last(product: Product): ExecutionMetrics {
  return product.harness.lastExecution;
}

/** Sum of executions as one row (virtual time added up; the largest peak heap of them). */
function total(model: BenchModel, name: string, rows: BenchRow[], minimumRequests: number | string): BenchRow {
  const sum = (k: 'requests' | 'fetchAllBatches' | 'sheetsCalls' | 'cellsWritten' | 'cpuMs' | 'virtualMs') =>
    rows.reduce((n, r) => n + r[k], 0);
  const failed = rows.find((r) => r.error);
  const out: BenchRow = {
    network: model.network,
    case: name,
    requests: sum('requests'),
    minimumRequests,
    fetchAllBatches: sum('fetchAllBatches'),
    sheetsCalls: sum('sheetsCalls'),
    cellsWritten: sum('cellsWritten'),
    cpuMs: sum('cpuMs'),
    virtualMs: sum('virtualMs'),
    peakHeapMB: rows.length ? Math.max(...rows.map((r) => r.peakHeapMB)) : 0,
    rawHeapMB: rows.length ? Math.max(...rows.map((r) => r.rawHeapMB)) : 0,
    storageMB: Math.round(rows.reduce((n, r) => n + r.storageMB, 0) * 10) / 10,
  };
  if (failed) out.error = failed.error;
  return out;
}

export async function pullCase(model: BenchModel, entries: number, fields = 30): Promise<BenchRow[]> {
  const product = await startProduct({ generate: { entries, fieldsInView: fields }, harness: harnessOptions(model) });
  try {
    const { harness } = product;
    harness.run('connect', GENERATED.apiKey);
    const pages = Math.ceil(entries / 100);
    const bound = attempt(product, 'bindTab', GENERATED.companyListId, GENERATED.sheetViewId);
    const first = fromMetrics(
      model,
      last(product),
      `first pull, ${entries.toLocaleString('en-US')} entries × ${fields} fields`,
      pages + 3,
      'bind: list + view + fields metadata, then pages',
    );
    if (!bound.ok) return [first];
    const summary = bound.value as { tabName: string };
    const sheetId = harness.spreadsheet.getSheetByName(summary.tabName)!.getSheetId();
    const partial = (row: BenchRow) => {
      const held = tabEntryIds(product, summary.tabName).length;
      if (held < entries)
        row.note = `the tab holds ${held.toLocaleString('en-US')} rows: the pull continues in a later execution`;
    };
    partial(first);
    attempt(product, 'pullTab', sheetId);
    const second = fromMetrics(
      model,
      last(product),
      `second pull, nothing changed (${entries.toLocaleString('en-US')}${fields === 30 ? '' : ` × ${fields}`})`,
      pages + 2,
    );
    partial(second);
    second.note = [second.note, digestNote(product, sheetId, last(product))].filter(Boolean).join('; ');
    if (entries !== 10_000) return [first, second];
    // The schedule's refresh with nothing changed (push pending edits first): the issue-8 checks add no request.
    attempt(product, 'saveSchedule', {
      schedule: { kind: 'minutes', every: 15 },
      pushFirst: true,
      acceptOverBudget: true,
    });
    // Through the schedule's trigger entry point, its calls traced to price the digest checks in the same execution.
    harness.traceTriggers = true;
    const ran = harness.advance(15 * 60_000);
    harness.traceTriggers = false;
    const scheduled = ran.find((m) => m.fn === 'scheduledSync') ?? last(product);
    const refresh = fromMetrics(model, scheduled, 'scheduled refresh, push first, nothing changed (10,000)', pages + 2);
    if (scheduled.fn !== 'scheduledSync') refresh.error ??= 'the schedule did not run';
    const without = withoutDigest(product, refresh, scheduled);
    refresh.note = `${refresh.note}; ${digestNote(product, sheetId, scheduled)}`;
    return [first, second, refresh, without];
  } finally {
    await product.close();
  }
}

/**
 * Push (docs/push.md): 500 edited cells over 200 entries of a tab of `entries`. The minimum is one PATCH per edited
 * entry plus the conflict check's cheapest read (the view's pages, or the 200 entries when they are fewer); then the
 * same push again and a push after sorting the tab, which must cost nothing. The tab is bound under the fast model.
 */
export async function pushCase(model: BenchModel, entries: number): Promise<BenchRow[]> {
  const product = await startProduct({ generate: { entries, fieldsInView: 30 }, harness: harnessOptions(model) });
  try {
    const { harness } = product;
    const summary = withSetupModel(product, model, () => {
      harness.run('connect', GENERATED.apiKey);
      const bound = harness.run('bindTab', GENERATED.companyListId, GENERATED.sheetViewId) as { tabName: string };
      // A bind too large for one execution is written by its continuation.
      for (let i = 0; i < 30 && (harness.spreadsheet.getSheetByName(bound.tabName)?.getLastRow() ?? 0) <= entries; i++)
        harness.advance(60_000);
      return bound;
    });
    const sheet = harness.spreadsheet.getSheetByName(summary.tabName)!;
    const sheetId = sheet.getSheetId();
    const header = sheet.getRange(1, 1, 1, sheet.getLastColumn()).getValues()[0].map(String);
    const col = (name: string) => header.indexOf(name) + 1;
    const huge = new Set(GENERATED.hugeTextIndexes(entries).map((i) => i + 2));
    const rows = Array.from({ length: entries }, (_, i) => i + 2)
      .filter((r) => !huge.has(r) && r % 49 === 7)
      .slice(0, 200);
    rows.forEach((r, i) => {
      sheet.getRange(r, col('Description')).setValue(`Edited ${r}`);
      sheet.getRange(r, col('Amount')).setValue(1000 + i);
      if (i % 2 === 0) sheet.getRange(r, col('Source Notes')).setValue(`Note ${i}`);
    });
    const n = entries.toLocaleString('en-US');
    const pages = Math.ceil(entries / 100);
    const checkReads = Math.min(pages, 200);
    // Written by a script, so no editor is recorded: the push is confirmed as a person would (docs/sharing.md).
    const pushedOk = attempt(product, 'pushTab', sheetId, undefined, true).ok;
    const pushed = fromMetrics(
      model,
      last(product),
      `push 500 cells / 200 entries of ${n}`,
      `${200 + checkReads}`,
      `200 PATCH + ${checkReads} ${checkReads === pages ? 'page' : 'entry'} reads`,
    );
    if (!pushedOk) return [pushed];
    attempt(product, 'pushTab', sheetId, undefined, true);
    const again = fromMetrics(model, last(product), `same push again (${n})`, 0);
    sheet.getRange(2, 1, entries, sheet.getLastColumn()).sort({ column: col('Amount'), ascending: false });
    attempt(product, 'pushTab', sheetId, undefined, true);
    const sorted = fromMetrics(model, last(product), `push after sorting the tab (${n})`, 0);
    return entries === 10_000
      ? [
          { ...pushed, case: 'push 500 cells / 200 entries of 10,000' },
          { ...again, case: 'same push again' },
          { ...sorted, case: 'push after sorting the tab' },
        ]
      : [pushed, again, sorted];
  } finally {
    await product.close();
  }
}

/**
 * New rows (docs/push.md, "New rows"): 50 rows typed below a tab of `entries`, each a company's domain with two
 * values, pushed at once. The minimum is one search, one create and one PATCH per row, plus the check of the list's
 * existing entries (its pages, while fewer than the rows). Compared with a push of 50 edited entries (two cells each)
 * of the same tab: the Sheets calls may grow by at most 5 (the Entry IDs and names written as soon as the entries
 * exist, and the change log's "added" lines).
 */
export async function addRowsCase(model: BenchModel, entries: number, added = 50): Promise<BenchRow[]> {
  const seed = generateSeed({ entries, fieldsInView: 30 });
  for (let i = 0; i < added; i++)
    seed.companies!.push({ id: 9_000_001 + i, name: `Newco ${i}`, domain: `newco-${i}.example` });
  const product = await startProduct({ seed, harness: harnessOptions(model) });
  try {
    const { harness } = product;
    const summary = withSetupModel(product, model, () => {
      harness.run('connect', GENERATED.apiKey);
      return harness.run('bindTab', GENERATED.companyListId, GENERATED.sheetViewId) as { tabName: string };
    });
    const sheet = harness.spreadsheet.getSheetByName(summary.tabName)!;
    const sheetId = sheet.getSheetId();
    const header = sheet.getRange(1, 1, 1, sheet.getLastColumn()).getValues()[0].map(String);
    const col = (name: string) => header.indexOf(name) + 1;
    const huge = new Set(GENERATED.hugeTextIndexes(entries).map((i) => i + 2));
    const edited = Array.from({ length: entries }, (_, i) => i + 2)
      .filter((r) => !huge.has(r) && r % 7 === 3)
      .slice(0, added);
    edited.forEach((r, i) => {
      sheet.getRange(r, col('Description')).setValue(`Edited ${r}`);
      sheet.getRange(r, col('Amount')).setValue(1000 + i);
    });
    // Written by a script, so no editor is recorded: the push is confirmed as a person would (docs/sharing.md).
    attempt(product, 'pushTab', sheetId, undefined, true);
    const edits = fromMetrics(
      model,
      last(product),
      `push ${added} edited entries (2 cells each) of ${entries}`,
      added + Math.min(Math.ceil(entries / 100), added),
      `${Math.min(Math.ceil(entries / 100), added)} reads for the conflict check + ${added} PATCH`,
    );
    const first = sheet.getLastRow() + 1;
    const nameCol = header.findIndex((h) => h === 'Organization' || h === 'Name') + 1;
    if (first + added - 1 > sheet.getMaxRows())
      sheet.insertRowsAfter(sheet.getMaxRows(), first + added - 1 - sheet.getMaxRows());
    sheet.getRange(first, nameCol, added, 1).setValues(Array.from({ length: added }, (_, i) => [`newco-${i}.example`]));
    sheet
      .getRange(first, col('Description'), added, 1)
      .setValues(Array.from({ length: added }, (_, i) => [`New ${i}`]));
    sheet.getRange(first, col('Amount'), added, 1).setValues(Array.from({ length: added }, (_, i) => [i + 1]));
    attempt(product, 'pushTab', sheetId);
    // No existence check: each search answer's Lists field says the record is on no list (docs/push.md).
    const rows = fromMetrics(
      model,
      last(product),
      `add ${added} rows below ${entries}`,
      3 * added,
      `${added} searches + ${added} creates + ${added} PATCH; ` +
        `Sheets calls: ${(last(product).callsByService.SpreadsheetApp ?? 0) - edits.sheetsCalls} more than the edits push ` +
        '(the issue allows 5)',
    );
    return [edits, rows];
  } finally {
    await product.close();
  }
}

/** The entry ids in a tab's key column (found by its developer metadata), in row order. */
function tabEntryIds(product: Product, tabName: string): number[] {
  const sheet = product.harness.spreadsheet.getSheetByName(tabName);
  if (!sheet) return [];
  let keyCol = 0;
  for (const md of sheet.createDeveloperMetadataFinder().withKey(METADATA_KEY).find()) {
    if (md.getValue() === KEY_COLUMN) keyCol = md.getLocation().getColumn()!.getColumn();
  }
  const rows = sheet.getLastRow();
  if (!keyCol || rows < 2) return [];
  return sheet
    .getRange(2, keyCol, rows - 1, 1)
    .getValues()
    .map((r) => Number(r[0]))
    .filter((x) => Number.isFinite(x) && x > 0);
}

/** Rows of the view missing from the tab, and rows present more than once. */
function lostAndDoubled(expected: number[], actual: number[]): { lost: number; doubled: number } {
  const seen = new Map<number, number>();
  for (const id of actual) seen.set(id, (seen.get(id) ?? 0) + 1);
  let lost = 0;
  for (const id of expected) if (!seen.has(id)) lost++;
  let doubled = 0;
  for (const n of seen.values()) if (n > 1) doubled += n - 1;
  return { lost, doubled };
}

/**
 * Resumable pull (docs/schedules.md): a tab bound while its view held 100 entries, then the view grows to `entries`
 * × 30 fields and the 15-minute schedule refreshes it. One row per execution of the run (each must stay under the
 * 5-minute budget), then the run's total; the run stops at its first failed execution. `pageMs` (fast model only):
 * the modelled time Affinity takes to serve a page. With `checkRows`, the total row says whether every entry of the
 * view is in the tab exactly once.
 */
export async function resumableCase(
  model: BenchModel,
  entries: number,
  opts: { pageMs?: number; checkRows?: boolean; minutes?: number; refresh?: boolean } = {},
): Promise<BenchRow[]> {
  const { pageMs } = opts;
  const product = await startProduct({
    generate: { entries, fieldsInView: 30 },
    harness: { ...harnessOptions(model), ...(pageMs ? { costs: { urlFetchMs: pageMs } } : {}) },
  });
  try {
    const { harness, emulator } = product;
    const L = GENERATED.companyListId;
    const V = GENERATED.sheetViewId;
    const all = await emulator.admin.getView(L, V);
    await emulator.admin.setView(L, V, { entryIds: all.entryIds.slice(0, 100) });
    harness.run('connect', GENERATED.apiKey);
    const { tabName } = harness.run('bindTab', L, V) as { tabName: string };
    harness.run('saveSchedule', { schedule: { kind: 'minutes', every: 15 }, acceptOverBudget: true });
    await emulator.admin.setView(L, V, { entryIds: all.entryIds });
    const isRun = (m: ExecutionMetrics) => m.fn === 'scheduledSync' || m.fn === 'continueSync';
    /** Advances a minute at a time until a scheduled run after `since` ended well; its executions' rows. */
    const nextRun = (label: string, since: number): BenchRow[] => {
      const from = harness.executions.length;
      let finished = false;
      for (let minute = 0; minute < (opts.minutes ?? 90); minute++) {
        harness.advance(60_000);
        if (harness.executions.slice(from).some((m) => isRun(m) && m.error)) break;
        const s = harness.run('getScheduleState') as { running: unknown; lastRun: { ok: boolean; at: number } | null };
        if (s.running === null && s.lastRun?.ok && s.lastRun.at > since) {
          finished = true;
          break;
        }
      }
      const runs = harness.executions.slice(from).filter(isRun);
      const rows = runs.map((m, i) =>
        fromMetrics(model, m, `${label}: execution ${i + 1} of ${runs.length} (${m.fn})`, ''),
      );
      const whole = total(model, `${label}: whole run, ${runs.length} executions`, rows, Math.ceil(entries / 100) + 2);
      if (!finished && !whole.error) whole.error = `the run did not finish in ${opts.minutes ?? 90} minutes`;
      if (opts.checkRows) {
        const { lost, doubled } = lostAndDoubled(all.entryIds, tabEntryIds(product, tabName));
        whole.note = `${lost.toLocaleString('en-US')} of the view's rows missing from the tab, ${doubled.toLocaleString('en-US')} doubled`;
      }
      return [...rows, whole];
    };
    const label =
      `resumable pull, ${entries.toLocaleString('en-US')} entries` + (pageMs ? `, ${pageMs / 1000} s a page` : '');
    const rows = nextRun(label, 0);
    // The next scheduled run, nothing changed in Affinity: a refresh of the full tab (it reads the tab and its base).
    if (opts.refresh && !rows[rows.length - 1].error)
      rows.push(...nextRun(`${label}, then refreshed`, harness.clock.now()));
    return rows;
  } finally {
    await product.close();
  }
}

/** A seed of `tabs` sheet views of `perTab` entries each, over one generated company list. */
export function multiViewSeed(
  tabs: number,
  perTab: number,
  fieldsInView = 30,
): { seed: EmulatorSeed; viewIds: number[] } {
  const seed = generateSeed({ entries: tabs * perTab, fieldsInView });
  const L = String(GENERATED.companyListId);
  const views = seed.savedViews[L];
  const main = views.find((v) => v.id === GENERATED.sheetViewId)!;
  const ids = main.entryIds;
  const viewIds: number[] = [];
  for (let t = 0; t < tabs; t++) {
    const id = t === 0 ? main.id : 50100 + t;
    const view = { ...main, id, name: `Pipeline ${String.fromCharCode(65 + t)}` };
    view.entryIds = ids.slice(t * perTab, (t + 1) * perTab);
    if (t === 0) Object.assign(main, view);
    else views.push(view);
    viewIds.push(id);
  }
  return { seed, viewIds };
}

/**
 * Pull all tabs (Affinity > Pull all tabs) with three tabs of 15,000 entries × 30 fields, nothing changed since they
 * were bound: first each tab refreshed on its own (the slowest is the reference), then the one execution that pulls
 * them all, and any continuation it leaves for the next 30 minutes.
 */
export async function pullAllCase(model: BenchModel, tabs = 3, perTab = 15_000): Promise<BenchRow[]> {
  const { seed, viewIds } = multiViewSeed(tabs, perTab);
  const product = await startProduct({ seed, harness: harnessOptions(model) });
  try {
    const { harness } = product;
    const names = withSetupModel(product, model, () => {
      harness.run('connect', GENERATED.apiKey);
      return viewIds.map((v) => (harness.run('bindTab', GENERATED.companyListId, v) as { tabName: string }).tabName);
    });
    const n = perTab.toLocaleString('en-US');
    const pages = Math.ceil(perTab / 100);
    const rows: BenchRow[] = [];
    for (const name of names) {
      attempt(product, 'pullTab', harness.spreadsheet.getSheetByName(name)!.getSheetId());
      rows.push(fromMetrics(model, last(product), `pull all tabs (${tabs} × ${n}): “${name}” alone`, pages + 2));
    }
    const from = harness.executions.length;
    attempt(product, 'menuPullAllTabs');
    harness.advance(30 * 60_000);
    const runs = harness.executions
      .slice(from)
      .filter((m) => m.fn === 'menuPullAllTabs' || m.fn === 'continueSync' || m.fn === 'scheduledSync');
    const runRows = runs.map((m, i) =>
      fromMetrics(model, m, `pull all tabs (${tabs} × ${n}): execution ${i + 1} of ${runs.length} (${m.fn})`, ''),
    );
    const whole = total(model, `pull all tabs (${tabs} × ${n}): whole run`, runRows, tabs * (pages + 2));
    const slowest = Math.max(...rows.map((r) => r.virtualMs));
    const wall = runs.length > 0 ? runs[runs.length - 1].endedAt - runs[0].startedAt : 0;
    whole.note = `${(whole.virtualMs / slowest).toFixed(2)}× the slowest tab alone in execution time; wall ${Math.round(wall / 1000)} s with the continuations' delays`;
    // Side by side: the old plan pulled the tabs one after the other, each paged alone. Its figure is computed from
    // the rows of each tab alone above (same run), not run again: Σ of their requests, round trips and time.
    const sequential = total(
      model,
      `pull all tabs (${tabs} × ${n}): old sequential plan (Σ of the tabs alone)`,
      rows,
      tabs * (pages + 2),
    );
    sequential.note = `computed from the rows above; new plan ${(whole.virtualMs / sequential.virtualMs).toFixed(2)}× its time, ${whole.fetchAllBatches} vs ${sequential.fetchAllBatches} round trips`;
    return [...rows, ...runRows, whole, sequential];
  } finally {
    await product.close();
  }
}

export interface BenchCase {
  name: string;
  models: NetworkModelName[];
  run: (model: BenchModel) => Promise<BenchRow[]>;
}

const BOTH: NetworkModelName[] = ['fast', 'realistic'];

export const CASES: BenchCase[] = [
  { name: 'push 500 cells of 10,000', models: BOTH, run: (m) => pushCase(m, 10_000) },
  { name: 'add 50 rows to 1,000', models: BOTH, run: (m) => addRowsCase(m, 1_000) },
  { name: 'pull 1,000', models: BOTH, run: (m) => pullCase(m, 1_000) },
  { name: 'pull 10,000', models: BOTH, run: (m) => pullCase(m, 10_000) },
  { name: 'pull 50,000', models: BOTH, run: (m) => pullCase(m, 50_000) },
  // a wide view: past the cells held whole (engine/memoryBudget.ts), merged a window at a time
  { name: 'pull 4,000 × 130 fields', models: BOTH, run: (m) => pullCase(m, 4_000, 130) },
  // the fast model with Affinity's page time as a flat 1 s (the realistic model prices pages itself)
  {
    name: 'resumable pull 60,000, 1 s a page',
    models: ['fast'],
    run: (m) => resumableCase(m, 60_000, { pageMs: 1000 }),
  },
  { name: 'resumable pull 60,000', models: BOTH, run: (m) => resumableCase(m, 60_000, { refresh: true }) },
  { name: 'pull all tabs 3 × 15,000', models: BOTH, run: (m) => pullAllCase(m) },
  { name: 'push 500 cells of 50,000', models: BOTH, run: (m) => pushCase(m, 50_000) },
  {
    name: 'resumable pull 100,000',
    models: BOTH,
    run: (m) => resumableCase(m, 100_000, { checkRows: true, minutes: 240 }),
  },
];

const EMPTY_ROW: BenchRow = {
  network: 'realistic',
  case: '',
  requests: 0,
  minimumRequests: '',
  fetchAllBatches: 0,
  sheetsCalls: 0,
  cellsWritten: 0,
  cpuMs: 0,
  virtualMs: 0,
  peakHeapMB: 0,
  rawHeapMB: 0,
  storageMB: 0,
};

const COLUMNS: (keyof BenchRow)[] = [
  'case',
  'requests',
  'minimumRequests',
  'fetchAllBatches',
  'sheetsCalls',
  'cellsWritten',
  'cpuMs',
  'virtualMs',
  'peakHeapMB',
  'rawHeapMB',
  'storageMB',
  'peakAt',
  'note',
  'error',
];

export function formatRows(rows: BenchRow[]): string {
  const text = (r: BenchRow, h: keyof BenchRow) =>
    typeof r[h] === 'number' ? r[h].toLocaleString('en-US') : String(r[h] ?? '');
  const widths = COLUMNS.map((h) => Math.max(h.length, ...rows.map((r) => text(r, h).length)));
  const left = (h: keyof BenchRow) => h === 'case' || h === 'note' || h === 'error' || h === 'peakAt';
  const lines = [
    COLUMNS.map((h, i) => h.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  ];
  for (const r of rows)
    lines.push(
      COLUMNS.map((h, i) => (left(h) ? text(r, h).padEnd(widths[i]) : text(r, h).padStart(widths[i])))
        .join('  ')
        .trimEnd(),
    );
  return lines.join('\n');
}

function modelsToRun(args: string[]): NetworkModelName[] {
  const flag = args.find((a) => a.startsWith('--network='))?.slice('--network='.length);
  const chosen = flag ?? process.env.HARNESS_NETWORK ?? 'realistic';
  if (chosen === 'both') return BOTH;
  if (chosen === 'fast' || chosen === 'realistic') return [chosen];
  throw new Error(`--network must be fast, realistic or both (got ${chosen})`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const jsonArg = args.find((a) => a === '--json' || a.startsWith('--json='));
  const jsonFile = jsonArg?.startsWith('--json=') ? jsonArg.slice('--json='.length) : null;
  const json = jsonArg !== undefined && !jsonFile;
  const only = args.filter((a) => !a.startsWith('--'));
  const out = (s: string) => (json ? process.stderr : process.stdout).write(s + '\n');
  const beforeRef = args.find((a) => a.startsWith('--before='))?.slice('--before='.length);
  const before = beforeRef ? bundleAt(beforeRef) : null;
  const all: BenchRow[] = [];
  for (const network of modelsToRun(args)) {
    const model = MODELS[network];
    const rows: BenchRow[] = [];
    for (const c of CASES) {
      if (!c.models.includes(network)) continue;
      if (only.length > 0 && !only.some((o) => c.name.includes(o))) continue;
      const runs: [BenchModel, string][] = [[model, '']];
      if (before) runs.push([{ ...model, bundleDir: before.dir }, `before (${before.label}): `]);
      for (const [m, prefix] of runs) {
        process.stderr.write(`[${network}] running ${prefix}${c.name}…\n`);
        let got: BenchRow[];
        try {
          got = await c.run(m);
        } catch (err) {
          // A failure of the bench's own setup is a row too, so that the other cases still report.
          got = [{ ...EMPTY_ROW, network, case: c.name, error: err instanceof Error ? err.message : String(err) }];
        }
        got = got.map((r) => ({ ...r, case: prefix + r.case }));
        process.stderr.write(formatRows(got) + '\n');
        rows.push(...got);
      }
    }
    const limit = model.memoryLimitMB ? `, memory ceiling ${model.memoryLimitMB} MB` : ', memory measured only';
    out(`\nnetwork model: ${network}${limit}`);
    out(formatRows(rows));
    all.push(...rows);
  }
  if (json) console.log(JSON.stringify(all, null, 2));
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(all, null, 2) + '\n');
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
