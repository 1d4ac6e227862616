/**
 * Resumable runs (docs/schedules.md). A run is a queue of tasks (push then pull of each bound tab for a scheduled run
 * with push-first on; a pull of one tab for a manual pull) worked through by one or more executions:
 *
 * - Every execution takes the script lock (and the document lock, which manual pushes take); one that finds another
 *   running skips.
 * - An execution stops cleanly before its budget (default 5 of the 6 minutes). A pull then checkpoints where it is
 *   (the next page's URL, pages and rows gathered, in a document property) and stages the pages it gathered in a
 *   hidden sheet; a one-off continuation trigger resumes the run a minute later.
 * - Pages gathered across executions are merged into the tab only when the view is complete, in one apply (so the
 *   tab never shows half a view). Entries served twice are kept once.
 * - A killed execution loses at most the pages it gathered since its last checkpoint: the next execution resumes
 *   from the checkpoint, or starts over when the checkpoint is stale (an hour) or its staged rows are gone. An apply
 *   cut short leaves tab cells equal to Affinity with an older base, which the next pull settles; pending edits are
 *   never touched (engine/pull.ts).
 * - Requests are paced to stay under Affinity's per-minute limit (engine/quota.ts paceDelayMs), never meeting a 429.
 */
import type { AffinityClient } from '../affinity/client';
import { AffinityError } from '../affinity/errors';
import type { FieldMetadata, SavedView } from '../affinity/types';
import type { CodecContext } from '../engine/codecs';
import { nameColumnSpec } from '../engine/layout';
import {
  entitiesIn,
  fitDirectory,
  mergeDirectories,
  packDirectory,
  unpackDirectory,
  type Directory,
} from '../engine/directory';
import {
  CONTINUATION_DELAY_MS,
  EXECUTION_LIMIT_MS,
  MINUTE_RESERVE,
  applyMsFor,
  monthlyReserveReached,
  paceDelayMs,
  type ViewStats,
} from '../engine/quota';
import { stagePage, viewFromPages, type StagedPage } from '../engine/staged';
import { StagingLost, dropStaging, readStaged, writeStaged } from '../gas/stagingStore';
import type { PullSummary } from '../../shared/types';
import type { Clock, KeyValueStore, LogPort } from '../ports';
import { findBinding, recordOutcome, type Binding } from './bindings';
import { applyPulledView } from './pull';
import { codecContext, sheetOf } from './tabContext';
import { clearContinuations, scheduleContinuation } from './schedule';
import { readJson } from './json';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const RUN_KEY = 'affinity.run';
const CHECKPOINT_PREFIX = 'affinity.pull.';
const STATS_KEY = 'affinity.stats';

/** A checkpoint not touched for this long is not resumed: the pull starts over. */
export const CHECKPOINT_TTL_MS = 60 * 60_000;
/** An execution that has run this long makes sure a continuation will follow even if it is killed. */
const WATCHDOG_AFTER_MS = 60_000;
/** Time kept for writing a checkpoint: a fixed part and a part per page staged. */
const FLUSH_RESERVE_MS = 5_000;
const FLUSH_PER_PAGE_MS = 25;
/** First guess of a page's time, before one is measured. */
const FIRST_PAGE_MS = 800;
/** Requests an apply may make (dropdown options of the view's columns). */
const APPLY_REQUESTS = 10;
/** Least time worth starting a task with. */
const MIN_TASK_MS = 15_000;

export interface Task {
  sheetId: number;
  step: 'push' | 'pull';
  /** Asked for by a person (a manual pull or "Run sync now"): a failure is theirs to see, not the schedule's. */
  manual?: boolean;
}

export interface RunState {
  id: string;
  kind: 'scheduled' | 'manual';
  by: string;
  startedAt: number;
  updatedAt: number;
  tasks: Task[];
  executions: number;
  requests: number;
  /** The task that failed last (set when executeRun throws). */
  failed?: { sheetId: number; step: Task['step']; manual: boolean };
}

export interface PullCheckpoint {
  listId: number;
  viewId: number;
  viewName: string;
  startedAt: number;
  updatedAt: number;
  pages: number;
  rows: number;
  /** The next page to fetch; null once every page is in. */
  nextUrl: string | null;
  /** Rows of the staging sheet that hold this pull's records. */
  staged: number;
  requests: number;
  fetchMs: number;
  executions: number;
}

type StagedRecord = ({ k: 'page' } & StagedPage) | { k: 'dir'; v: unknown; e: unknown };

// ---- stores ---------------------------------------------------------------------------------------------------

export function loadRun(doc: KeyValueStore): RunState | null {
  const r = readJson<RunState>(doc, RUN_KEY);
  return r && Array.isArray(r.tasks) ? r : null;
}

export function saveRun(doc: KeyValueStore, run: RunState | null): void {
  if (run) doc.set(RUN_KEY, JSON.stringify(run));
  else doc.delete(RUN_KEY);
}

export function loadCheckpoint(doc: KeyValueStore, sheetId: number): PullCheckpoint | null {
  return readJson<PullCheckpoint>(doc, CHECKPOINT_PREFIX + sheetId);
}

function saveCheckpoint(doc: KeyValueStore, sheetId: number, cp: PullCheckpoint | null): void {
  if (cp) doc.set(CHECKPOINT_PREFIX + sheetId, JSON.stringify(cp));
  else doc.delete(CHECKPOINT_PREFIX + sheetId);
}

export interface StoredStats extends ViewStats {
  at: number;
  pages: number;
}

export function loadStats(doc: KeyValueStore): Record<string, StoredStats> {
  return readJson<Record<string, StoredStats>>(doc, STATS_KEY) ?? {};
}

function updateStats(doc: KeyValueStore, sheetId: number, change: Partial<StoredStats>): void {
  const all = loadStats(doc);
  all[String(sheetId)] = { ...(all[String(sheetId)] ?? { rows: 0, pages: 0, at: 0 }), ...change };
  doc.set(STATS_KEY, JSON.stringify(all));
}

/** Forgets a binding's pull in progress (checkpoint and staged rows). */
export function discardPull(ss: Spreadsheet, doc: KeyValueStore, sheetId: number): void {
  saveCheckpoint(doc, sheetId, null);
  dropStaging(ss, sheetId);
}

// ---- execution context ------------------------------------------------------------------------------------------

export interface RunDeps {
  ss: Spreadsheet;
  doc: KeyValueStore;
  clock: Clock;
  log: LogPort;
  /** One client for the whole execution (made on first use). */
  client: () => AffinityClient;
  /** Clock time when the execution started, and its budget. */
  startedAt: number;
  budgetMs: number;
  /** Share of Affinity's monthly allowance a scheduled run leaves to people. */
  reserve: number;
  today: string;
  /** Progress for the panel (never throws). */
  progress: (sheetId: number, message: string | null) => void;
  /** Pushes a tab's edits (sync/push.ts through the caller), returning the requests it made. */
  push: (binding: Binding, deadline: number) => { requests: number; message: string };
  /** Creates and removes continuation triggers (tests replace it). */
  continuations?: { schedule(delayMs: number): void; clear(): void };
}

/** A scheduled run that must wait for a budget to come back: it ends (its pulls keep their checkpoints). */
export class Deferred extends Error {}

export interface ExecutionResult {
  /** 'deferred': a scheduled run stopped for a budget (`reason`); the next scheduled run checks again. */
  status: 'done' | 'continuing' | 'deferred';
  reason?: string;
  /** Pull summaries of the tabs completed in this execution. */
  pulled: Map<number, PullSummary>;
  /** Requests this execution made. */
  requests: number;
}

function deadlineOf(deps: RunDeps): number {
  return deps.startedAt + deps.budgetMs;
}

function timeLeft(deps: RunDeps): number {
  return deadlineOf(deps) - deps.clock.now();
}

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * Works through the run's tasks until they are done or the budget is spent. Returns 'continuing' (with a
 * continuation trigger set) when work is left. Throws the first task failure after taking the failed task's tab out
 * of the queue (the caller decides what it means for the schedule); the run state is saved either way.
 * `until`: a manual pull returns as soon as its tab is done.
 */
export function executeRun(
  deps: RunDeps,
  run: RunState,
  opts: { until?: number; prefetchedView?: { sheetId: number; view: SavedView } } = {},
): ExecutionResult {
  const { doc, log } = deps;
  const continuations = deps.continuations ?? { schedule: scheduleContinuation, clear: clearContinuations };
  let client: AffinityClient | null = null;
  const getClient = () => (client ??= deps.client());
  const requestsSoFar = () => (client ? client.requestsSent : 0);
  let watchdog = false;
  /** `force`: about to do something long in one go (an apply), whatever the time spent so far. */
  const ensureWatchdog = (force = false) => {
    if (watchdog || (!force && deps.clock.now() - deps.startedAt < WATCHDOG_AFTER_MS)) return;
    watchdog = true;
    // Fires a minute after this execution's hard limit: if it is killed, the run still goes on.
    continuations.schedule(EXECUTION_LIMIT_MS - (deps.clock.now() - deps.startedAt) + CONTINUATION_DELAY_MS);
  };
  const pulled = new Map<number, PullSummary>();
  run.executions++;
  run.updatedAt = deps.clock.now();
  saveRun(doc, run);
  let ctx: CodecContext | null = null;
  let deferred: string | null = null;
  const settle = () => {
    run.requests += requestsSoFar();
    run.updatedAt = deps.clock.now();
    saveRun(doc, run.tasks.length > 0 ? run : null);
    if (run.tasks.length > 0) continuations.schedule(CONTINUATION_DELAY_MS);
    else continuations.clear();
  };
  try {
    while (run.tasks.length > 0) {
      if (opts.until !== undefined && !run.tasks.some((t) => t.sheetId === opts.until)) break;
      const task = run.tasks[0];
      const binding = findBinding(doc, task.sheetId);
      if (!binding) {
        // Unbound since it was queued.
        run.tasks = run.tasks.filter((t) => t.sheetId !== task.sheetId);
        discardPull(deps.ss, doc, task.sheetId);
        saveRun(doc, run);
        continue;
      }
      if (timeLeft(deps) < MIN_TASK_MS) break;
      try {
        if (task.step === 'push') {
          const pushed = deps.push(binding, deadlineOf(deps) - 10_000);
          updateStats(doc, binding.sheetId, { pushRequests: pushed.requests });
          log.log(`Sync run ${run.id}: ${pushed.message}`);
        } else {
          ctx ??= codecContext(deps.ss);
          const view = opts.prefetchedView?.sheetId === binding.sheetId ? opts.prefetchedView.view : undefined;
          const summary = pullStep(deps, binding, getClient, ctx, ensureWatchdog, view, run);
          if (!summary) break;
          pulled.set(binding.sheetId, summary);
        }
      } catch (e) {
        if (e instanceof Deferred) {
          run.tasks = [];
          deferred = e.message;
          break;
        }
        // The failed tab leaves the queue; the caller decides about the others.
        run.failed = { sheetId: task.sheetId, step: task.step, manual: task.manual === true };
        run.tasks = run.tasks.filter((t) => t.sheetId !== task.sheetId);
        throw e;
      }
      run.tasks.shift();
      run.updatedAt = deps.clock.now();
      saveRun(doc, run);
    }
  } finally {
    settle();
  }
  const requests = requestsSoFar();
  if (deferred !== null) {
    log.log(`Sync run ${run.id} stopped: ${deferred}; the next scheduled run resumes it when it fits.`);
    return { status: 'deferred', reason: deferred, pulled, requests };
  }
  if (run.tasks.length === 0) {
    log.log(`Sync run ${run.id} done in ${run.executions} execution(s), ${fmt(run.requests)} requests.`);
    return { status: 'done', pulled, requests };
  }
  log.log(
    `Sync run ${run.id}: ${run.tasks.length} task(s) left after execution ${run.executions}; continuing in a minute.`,
  );
  return { status: 'continuing', pulled, requests };
}

// ---- one pull, resumable -------------------------------------------------------------------------------------------

/**
 * Advances a binding's pull as far as this execution's budget allows. Returns the summary once the view is complete
 * and applied, or null after checkpointing (the run continues later).
 */
function pullStep(
  deps: RunDeps,
  binding: Binding,
  getClient: () => AffinityClient,
  ctx: CodecContext,
  ensureWatchdog: (force?: boolean) => void,
  prefetched: SavedView | undefined,
  run: RunState,
): PullSummary | null {
  const { ss, doc, clock, log } = deps;
  const sheetId = binding.sheetId;
  sheetOf(ss, binding); // a deleted tab fails before any request
  const now0 = clock.now();
  let cp = loadCheckpoint(doc, sheetId);
  if (cp && (cp.listId !== binding.listId || cp.viewId !== binding.viewId || now0 - cp.updatedAt > CHECKPOINT_TTL_MS)) {
    log.log(
      `Pull of “${binding.viewName}”: the pull left off ${Math.round((now0 - cp.updatedAt) / 60_000)} min ago is stale; starting over.`,
    );
    discardPull(ss, doc, sheetId);
    cp = null;
  }
  for (let attempt = 0; ; attempt++) {
    try {
      return pullFrom(deps, binding, getClient, ctx, ensureWatchdog, prefetched, cp, run);
    } catch (e) {
      // Staged rows gone, or a saved cursor Affinity no longer accepts: start this view over, once.
      const restart = e instanceof StagingLost || (cp !== null && e instanceof AffinityError && e.kind === 'invalid');
      if (!restart || attempt > 0) throw e;
      log.log(
        `Pull of “${binding.viewName}”: cannot resume (${e instanceof Error ? e.message : String(e)}); starting over.`,
      );
      discardPull(ss, doc, sheetId);
      cp = null;
    }
  }
}

function pullFrom(
  deps: RunDeps,
  binding: Binding,
  getClient: () => AffinityClient,
  ctx: CodecContext,
  ensureWatchdog: (force?: boolean) => void,
  prefetched: SavedView | undefined,
  resumed: PullCheckpoint | null,
  run: RunState,
): PullSummary | null {
  const { ss, doc, clock, log } = deps;
  const sheetId = binding.sheetId;
  const client = getClient();
  const startRequests = client.requestsSent;
  const stats = loadStats(doc)[String(sheetId)];
  const execStart = clock.now();
  let pacedNoted = false;
  /** Waits, if need be, so that the next `need` requests leave Affinity's per-minute share for people; false when the wait does not fit the budget. */
  const pace = (need: number, after: number): boolean => {
    const wait = paceDelayMs(client.rateLimit, clock.now(), MINUTE_RESERVE, need);
    if (wait <= 0) return true;
    if (timeLeft(deps) < wait + after) return false;
    if (!pacedNoted)
      log.log(
        `Pull of “${binding.viewName}”: pacing, ${Math.ceil(wait / 1000)} s until Affinity's per-minute window resets.`,
      );
    pacedNoted = true;
    clock.sleep(wait);
    return true;
  };
  deps.progress(
    sheetId,
    resumed ? `Resuming: ${fmt(resumed.rows)} rows fetched so far…` : 'Reading the view from Affinity…',
  );
  let cp: PullCheckpoint;
  if (resumed) {
    cp = { ...resumed, executions: resumed.executions + 1 };
  } else {
    if (!prefetched) pace(2, MIN_TASK_MS);
    const view = prefetched ?? client.savedView(binding.listId, binding.viewId);
    const firstUrl = client.savedViewEntriesUrl(binding.listId, view);
    dropStaging(ss, sheetId); // leftovers of an abandoned pull
    cp = {
      listId: binding.listId,
      viewId: binding.viewId,
      viewName: view.name,
      startedAt: execStart,
      updatedAt: execStart,
      pages: 0,
      rows: 0,
      nextUrl: firstUrl,
      staged: 0,
      requests: 0,
      fetchMs: 0,
      executions: 1,
    };
  }
  const mem: StagedPage[] = [];
  const values: Directory[] = [];
  const rowEntities: Directory[] = [];
  let fields: FieldMetadata[] | null = null;
  let pageMs = stats && stats.pages > 0 && stats.fetchMs ? Math.max(50, stats.fetchMs / stats.pages) : FIRST_PAGE_MS;
  let measured = 0;
  const expectedRows = Math.max(stats?.rows ?? 0, cp.rows);

  /** Writes the pages gathered in this execution to staging and saves the checkpoint. */
  const checkpoint = () => {
    const records: StagedRecord[] = mem.map((p) => ({ k: 'page', ...p }));
    if (values.length + rowEntities.length > 0) {
      records.push({
        k: 'dir',
        v: packDirectory(fitDirectory(mergeDirectories(...values))),
        e: packDirectory(fitDirectory(mergeDirectories(...rowEntities))),
      });
    }
    writeStaged(ss, sheetId, cp.staged, records);
    SpreadsheetApp.flush(); // staged rows are on the sheet before the checkpoint counts them
    cp.staged += records.length;
    cp.requests += client.requestsSent - startRequests;
    cp.fetchMs += clock.now() - execStart;
    cp.updatedAt = clock.now();
    saveCheckpoint(doc, sheetId, cp);
    mem.length = 0;
    values.length = 0;
    rowEntities.length = 0;
  };

  const stop = (why: string): null => {
    const pages = mem.length;
    checkpoint();
    deps.progress(
      sheetId,
      `${fmt(cp.rows)} rows fetched${expectedRows > cp.rows ? ` of about ${fmt(expectedRows)}` : ''}; continuing in a minute…`,
    );
    log.log(
      `Pull of “${cp.viewName}” into its tab: ${why}; checkpoint after ${fmt(cp.pages)} pages (${fmt(cp.rows)} rows, ${pages} pages staged now), ` +
        `execution ${cp.executions} of run ${run.id}.`,
    );
    return null;
  };

  while (cp.nextUrl) {
    const flushReserve = FLUSH_RESERVE_MS + FLUSH_PER_PAGE_MS * (mem.length + 1);
    if (timeLeft(deps) < pageMs * 1.5 + flushReserve) return stop('time budget reached');
    if (!pace(fields ? 1 : 2, pageMs * 1.5 + flushReserve))
      return stop("Affinity's per-minute limit is nearly used up and so is the time budget");
    if (run.kind === 'scheduled' && monthlyReserveReached(client.rateLimit, deps.reserve)) {
      stop("Affinity's monthly allowance is down to the share kept for people");
      throw new Deferred("Affinity's monthly allowance is down to the share kept for people");
    }
    ensureWatchdog();
    fields ??= client.listFields(binding.listId);
    const t0 = clock.now();
    const page = client.entriesPage(cp.nextUrl);
    measured++;
    pageMs = measured === 1 ? clock.now() - t0 : pageMs * 0.8 + (clock.now() - t0) * 0.2;
    mem.push(stagePage(cp.pages, page.entries, fields, binding.listType, ctx));
    values.push(entitiesIn(page.entries, { rows: false }));
    rowEntities.push(entitiesIn(page.entries, { rows: true }));
    cp.pages++;
    cp.rows += page.entries.length;
    cp.nextUrl = page.nextUrl;
    if (cp.pages % 5 === 0)
      deps.progress(
        sheetId,
        `${fmt(cp.rows)} rows fetched${expectedRows > cp.rows ? ` of about ${fmt(expectedRows)}` : ''}…`,
      );
  }

  // Every page is in: apply now if the time left allows, else in a fresh execution.
  const applyEstimate =
    applyMsFor(cp.rows, stats?.applyMs ? { rows: stats.rows, applyMs: stats.applyMs } : undefined) * 1.2 +
    FLUSH_RESERVE_MS +
    cp.staged * 20;
  const fresh = clock.now() - deps.startedAt < MIN_TASK_MS;
  if (!fresh && timeLeft(deps) < applyEstimate)
    return stop(`every page is in; writing ${fmt(cp.rows)} rows needs a fresh execution`);

  // Writing the tab may fetch dropdown options: keep them under the per-minute limit too.
  pace(APPLY_REQUESTS, applyEstimate);
  if (applyEstimate > WATCHDOG_AFTER_MS) ensureWatchdog(true);
  deps.progress(sheetId, `${fmt(cp.rows)} rows fetched; writing them to the tab…`);
  const staged = readStaged<StagedRecord>(ss, sheetId, cp.staged);
  const pages: StagedPage[] = [];
  for (const r of staged) {
    if (r.k === 'page') pages.push(r);
    else {
      const v = unpackDirectory(r.v);
      const e = unpackDirectory(r.e);
      if (v) values.unshift(v);
      if (e) rowEntities.unshift(e);
    }
  }
  for (const p of mem) pages.push(p);
  const remote = viewFromPages(pages, nameColumnSpec(binding.listType));
  const directory = fitDirectory(mergeDirectories(...values, ...rowEntities));
  const fetchMs = cp.fetchMs + (clock.now() - execStart);
  const applyStart = clock.now();
  const summary = applyPulledView(ss, binding, client, log, deps.today, {
    viewName: cp.viewName,
    remote,
    directory,
    ctx,
    requests: () => cp.requests + (client.requestsSent - startRequests),
  });
  const applyMs = clock.now() - applyStart;
  updateStats(doc, sheetId, {
    rows: summary.rows,
    pages: cp.pages,
    pullRequests: summary.requests,
    fetchMs,
    applyMs,
    pendingEdits: summary.pendingEdits,
    at: clock.now(),
  });
  recordOutcome(doc, sheetId, 'lastPull', { at: clock.now(), ok: true, message: pullMessage(summary) }, summary.rows);
  if (cp.staged > 0 || resumed)
    log.log(
      `Pull of “${cp.viewName}” completed over ${cp.executions} execution(s): ${fmt(cp.pages)} pages, ${fmt(summary.requests)} requests.`,
    );
  saveCheckpoint(doc, sheetId, null);
  if (cp.staged > 0) dropStaging(ss, sheetId);
  deps.progress(sheetId, null);
  return summary;
}

/** "25 rows, 2 added, 3 cells updated." (as app.ts words a pull). */
export function pullMessage(s: PullSummary): string {
  if (s.status === 'continuing' && s.message) return s.message;
  const parts = [`${s.rows} rows`];
  if (s.added) parts.push(`${s.added} added`);
  if (s.updatedCells) parts.push(`${s.updatedCells} cells updated`);
  if (s.removed) parts.push(`${s.removed} removed`);
  if (s.pendingEdits) parts.push(`${s.pendingEdits} edits not pushed yet`);
  if (s.conflicts) parts.push(`${s.conflicts} conflicts flagged`);
  return `${parts.join(', ')}.`;
}

/** A new run (its id: start time in base 36). */
export function newRun(kind: RunState['kind'], by: string, tasks: Task[], now: number): RunState {
  return { id: now.toString(36), kind, by, startedAt: now, updatedAt: now, tasks, executions: 0, requests: 0 };
}

/** The tasks a full sync of the bindings makes: each tab's push (when asked) then its pull. */
export function syncTasks(bindings: Binding[], pushFirst: boolean, manual: boolean): Task[] {
  const tasks: Task[] = [];
  for (const b of bindings) {
    if (pushFirst) tasks.push({ sheetId: b.sheetId, step: 'push', manual: manual || undefined });
    tasks.push({ sheetId: b.sheetId, step: 'pull', manual: manual || undefined });
  }
  return tasks;
}

/** Rows gathered so far by the pulls of a run in progress (for the panel). */
export function rowsGathered(doc: KeyValueStore, run: RunState): number {
  let n = 0;
  for (const id of new Set(run.tasks.map((t) => t.sheetId))) n += loadCheckpoint(doc, id)?.rows ?? 0;
  return n;
}
