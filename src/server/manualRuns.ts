/**
 * Manual runs (docs/schedules.md): a person's pull of one tab and "Run sync now", as resumable runs (sync/runs.ts)
 * under the script and document locks. A pull too large for one execution says so and goes on in the background.
 */
import type { AffinityClient } from './affinity/client';
import { AffinityError, userMessage } from './affinity/errors';
import type { SavedView } from './affinity/types';
import { documentStore, effectiveUserEmail, gasLog, userStore } from './gas/platform';
import { withLocks } from './gas/locks';
import { findBinding, loadBindings, recordOutcome, type Binding } from './sync/bindings';
import { executeRun } from './sync/runs';
import { loadRun, newRun, rowsGathered, saveRun, syncTasks, type RunState } from './sync/runStore';
import { scheduleContinuation } from './gas/triggers';
import { CONTINUATION_DELAY_MS } from './engine/quota';
import { claimRun } from './sync/runOwner';
import { storedConnection } from './sync/settings';
import { loadSettings } from './sync/schedule';
import { loadPushFirst } from './sync/pushFirst';
import { runDeps, usageLedger } from './wiring';
import type { PullSummary } from '../shared/types';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** A person waits this long for another sync to finish. */
const MANUAL_LOCK_WAIT_MS = 30_000;

function busy(): AffinityError {
  const run = loadRun(documentStore());
  const since = run
    ? ` (a ${run.kind} sync started ${Math.max(1, Math.round((Date.now() - run.startedAt) / 60_000))} min ago)`
    : '';
  return new AffinityError('config', `Another sync of this spreadsheet is running${since}; try again in a minute.`);
}

/** The caller's run in progress, or a new one; another user's live run is theirs (busy). */
function ownRun(ss: Spreadsheet, startedAt: number): RunState {
  const me = effectiveUserEmail();
  const claim = claimRun(ss, documentStore(), gasLog, me, !!storedConnection(userStore()), startedAt);
  if (claim.kind === 'theirs') throw busy();
  return claim.kind === 'mine' ? claim.run : newRun('manual', me, [], startedAt);
}

/**
 * Pulls one tab now, as a run: under the locks, resumable. Returns its summary; when the view is too large for one
 * execution the summary says `status: 'continuing'` and the tab is written when every row is in.
 */
export function pullTabRun(sheetId: number, prefetched?: { client: AffinityClient; view: SavedView }): PullSummary {
  const startedAt = Date.now();
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const doc = documentStore();
  const binding = findBinding(doc, sheetId);
  if (!binding) throw new AffinityError('config', 'This tab is not bound to an Affinity view.');
  const settings = loadSettings(doc);
  const got = withLocks(MANUAL_LOCK_WAIT_MS, () =>
    usageLedger.deferWhile((): PullSummary => {
      const run = ownRun(ss, startedAt);
      run.tasks = [
        { sheetId, step: 'pull', manual: true },
        ...run.tasks.filter((t) => !(t.sheetId === sheetId && t.step === 'pull')),
      ];
      try {
        const result = executeRun(runDeps(ss, settings, startedAt, prefetched?.client), run, {
          until: sheetId,
          prefetchedView: prefetched ? { sheetId, view: prefetched.view } : undefined,
        });
        const done = result.pulled.get(sheetId);
        if (done) return done;
        return continuingSummary(ss, binding, result.requests);
      } catch (e) {
        recordOutcome(doc, sheetId, 'lastPull', { at: Date.now(), ok: false, message: userMessage(e) });
        throw e instanceof AffinityError ? e : new Error(userMessage(e));
      }
    }),
  );
  if (!got.ran) throw busy();
  return got.value;
}

function continuingSummary(ss: Spreadsheet, binding: Binding, requests: number): PullSummary {
  const doc = documentStore();
  const run = loadRun(doc);
  const rows = run ? rowsGathered(doc, { ...run, tasks: run.tasks.filter((t) => t.sheetId === binding.sheetId) }) : 0;
  const tabName = ss.getSheetById(binding.sheetId)?.getName() ?? binding.viewName;
  return {
    tabName,
    rows,
    added: 0,
    updatedCells: 0,
    removed: 0,
    keptOutOfView: 0,
    pendingEdits: 0,
    conflicts: 0,
    requests,
    cellsWritten: 0,
    status: 'continuing',
    message: `${rows.toLocaleString('en-US')} rows fetched so far; the pull continues in the background and “${tabName}” is updated once every row is in.`,
  };
}

/**
 * A person's push that sent the part that fit one execution (sync/push.ts): the rest goes on as a task of their run,
 * a continuation a minute later, under their key and sending only their own edits (docs/sharing.md). False when
 * another person's run is in progress: theirs to finish, so this person pushes again. The caller holds the document
 * lock.
 */
export function queueRestOfPush(ss: Spreadsheet, sheetId: number, startedAt: number): boolean {
  const doc = documentStore();
  const me = effectiveUserEmail();
  const claim = claimRun(ss, doc, gasLog, me, !!storedConnection(userStore()), startedAt);
  if (claim.kind === 'theirs') return false;
  const run = claim.kind === 'mine' ? claim.run : newRun('manual', me, [], startedAt);
  run.tasks = [
    { sheetId, step: 'push', manual: true },
    ...run.tasks.filter((t) => !(t.sheetId === sheetId && t.step === 'push')),
  ];
  run.updatedAt = Date.now();
  saveRun(doc, run);
  scheduleContinuation(CONTINUATION_DELAY_MS);
  return true;
}

/**
 * Menu "Pull all tabs": one run that pulls every bound tab under one budget for the execution, paging the views
 * together; what does not fit continues in the background (a continuation), never as a platform error.
 */
export function pullAllRun(): string {
  return syncNow(false);
}

/** Menu "Run sync now": what the schedule does (push first when set, then pull every bound tab), now. */
export function runSyncNow(): string {
  return syncNow(true);
}

function syncNow(withPushes: boolean): string {
  const startedAt = Date.now();
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const doc = documentStore();
  const settings = loadSettings(doc);
  const bindings = loadBindings(doc);
  if (bindings.length === 0) return 'No tab is bound to an Affinity view yet.';
  const got = withLocks(MANUAL_LOCK_WAIT_MS, () =>
    usageLedger.deferWhile((): string => {
      const run = ownRun(ss, startedAt);
      for (const t of syncTasks(bindings, withPushes && loadPushFirst(userStore()), true)) {
        if (!run.tasks.some((x) => x.sheetId === t.sheetId && x.step === t.step)) run.tasks.push(t);
      }
      const result = executeRun(runDeps(ss, settings, startedAt), run);
      const pulled = [...result.pulled.values()].map((s) => `${s.tabName}: ${s.rows.toLocaleString('en-US')} rows`);
      const what = withPushes ? 'Sync' : 'Pull';
      if (result.status === 'done') return `${what} done. ${pulled.join('; ')}`.trim();
      return `${pulled.length > 0 ? `${pulled.join('; ')}. ` : ''}The ${what.toLowerCase()} continues in the background (large views take several executions).`;
    }),
  );
  if (!got.ran) throw busy();
  return got.value;
}
