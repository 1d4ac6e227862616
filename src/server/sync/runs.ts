/**
 * Resumable runs (docs/schedules.md). A run is a queue of tasks (push then pull of each bound tab for a scheduled run
 * with push-first on; a pull of one tab for a manual pull) worked through by one or more executions:
 *
 * - Every execution takes the script lock (and the document lock, which manual pushes take); one that finds another
 *   running skips (the callers, with gas/locks.ts).
 * - An execution stops cleanly before its budget (default 5 of the 6 minutes); a one-off continuation trigger
 *   resumes the run a minute later, and a watchdog continuation is set once an execution has run a minute, so a
 *   killed execution is resumed too.
 * - Each pull is resumable on its own (sync/resumablePull.ts); the run's state is in sync/runStore.ts.
 */
import type { AffinityClient } from '../affinity/client';
import type { SavedView } from '../affinity/types';
import { ReadDoesNotFit } from '../engine/push/read';
import { CONTINUATION_DELAY_MS, EXECUTION_LIMIT_MS } from '../engine/quota';
import { clearContinuations, scheduleContinuation } from '../gas/triggers';
import type { PullSummary } from '../../shared/types';
import type { Clock, KeyValueStore, LogPort } from '../ports';
import type { CachePort } from '../gas/cache';
import { findBinding, type Binding } from './bindings';
import { gatherTogether } from './parallelPull';
import { Deferred, MIN_TASK_MS, WATCHDOG_AFTER_MS, pullStep, type PullContext } from './resumablePull';
import { discardPull, saveRun, updateStats, type RunState } from './runStore';
import { codecContext } from './tabContext';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

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
  /** Several tabs' progress in one write (never throws); without it, `progress` for each. */
  progressEach?: (items: { sheetId: number; message: string }[]) => void;
  /** Pushes a tab's edits (sync/push.ts through the caller), returning the requests it made. */
  /** `waiting`: edited entries left for the next execution (the push did the part that fit). */
  push: (binding: Binding, deadline: number) => { requests: number; message: string; waiting?: number };
  /** The document cache (a pull's view columns for its later executions); none in some tests. */
  cache?: CachePort | null;
  /** Creates and removes continuation triggers (tests replace it). */
  continuations?: { schedule(delayMs: number): void; clear(): void };
}

export interface ExecutionResult {
  /** 'deferred': a scheduled run stopped for a budget (`reason`); the next scheduled run checks again. */
  status: 'done' | 'continuing' | 'deferred';
  reason?: string;
  /** Pull summaries of the tabs completed in this execution. */
  pulled: Map<number, PullSummary>;
  /** Requests this execution made. */
  requests: number;
}

/** The bound tabs whose pull is queued and whose push (if any) is done, in queue order. */
function pullsDue(doc: KeyValueStore, run: RunState): Binding[] {
  const out: Binding[] = [];
  for (const t of run.tasks) {
    if (t.step !== 'pull' || run.tasks.some((x) => x.sheetId === t.sheetId && x.step === 'push')) continue;
    const b = findBinding(doc, t.sheetId);
    if (b && !out.some((x) => x.sheetId === b.sheetId)) out.push(b);
  }
  return out;
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
  /** Requests of pushes made before the run had its client (the push makes its own from the same source). */
  let pushedBeforeClient = 0;
  const requestsSoFar = () => (client ? client.requestsSent : pushedBeforeClient);
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
  let pc: PullContext | null = null;
  let pagedTogether = false;
  const pullContext = (): PullContext => ({
    ss: deps.ss,
    doc,
    clock: deps.clock,
    log,
    client: getClient,
    codec: codecContext(deps.ss),
    startedAt: deps.startedAt,
    timeLeft: () => timeLeft(deps),
    reserve: deps.reserve,
    today: deps.today,
    progress: deps.progress,
    progressEach: deps.progressEach,
    ensureWatchdog,
    run,
    cache: deps.cache,
  });
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
        if (task.step === 'pull' && !pagedTogether && opts.until === undefined) {
          // Several pulls due (their pushes done): page their views together, then write each tab in turn.
          pagedTogether = true;
          const due = pullsDue(doc, run);
          if (due.length > 1) gatherTogether((pc ??= pullContext()), due);
        }
        if (task.step === 'push') {
          const pushed = deps.push(binding, deadlineOf(deps) - 10_000);
          updateStats(doc, binding.sheetId, { pushRequests: pushed.requests });
          if (!client) pushedBeforeClient += pushed.requests;
          log.log(`Sync run ${run.id}: ${pushed.message}`);
          if (pushed.waiting) {
            // The part that fit was sent; the push stays first in the queue for the rest.
            deps.progress(
              binding.sheetId,
              `Push: ${fmt(pushed.waiting)} edited entries left, continuing in the background…`,
            );
            break;
          }
          deps.progress(binding.sheetId, null);
        } else {
          pc ??= pullContext();
          const view = opts.prefetchedView?.sheetId === binding.sheetId ? opts.prefetchedView.view : undefined;
          const summary = pullStep(pc, binding, view);
          if (!summary) break;
          pulled.set(binding.sheetId, summary);
        }
      } catch (e) {
        if (e instanceof ReadDoesNotFit && deps.clock.now() - deps.startedAt >= MIN_TASK_MS) {
          // Nothing read or sent; the push stays first in the queue and starts a fresh execution.
          log.log(`Sync run ${run.id}: push of “${binding.viewName}” continues in the next execution (${e.message}).`);
          deps.progress(binding.sheetId, 'Push: continuing in the background…');
          break;
        }
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
