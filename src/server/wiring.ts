/**
 * The composition root: the one place that builds the ports and dependencies the actions use (the HTTP port over
 * UrlFetch with its usage ledger, the Affinity client, the property stores and the document cache, the push and the
 * run wiring). Action files take them from here and never from each other.
 */
import type { AffinityClient } from './affinity/client';
import { documentCache } from './gas/cache';
import { activeEditor } from './gas/editor';
import {
  documentStore,
  effectiveUserEmail,
  gasClock,
  gasLog,
  timestampIn,
  todayIn,
  urlFetchHttp,
  userStore,
} from './gas/platform';
import { pushGate, type Pusher } from './sync/attributionGate';
import type { HttpPort } from './ports';
import type { Binding } from './sync/bindings';
import { ProgressStore } from './sync/progress';
import { pushAndRecord, type PushDeps } from './sync/push';
import { loadPolicy } from './sync/pushStore';
import type { RunDeps } from './sync/runs';
import { budgetOf, loadSettings, reserveOf, type ScheduleSettings } from './sync/schedule';
import { clientFor, connectionStatus, type Deps } from './sync/settings';
import { UsageLedger } from './sync/usage';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/**
 * When this execution started. Apps Script evaluates the bundle afresh for every execution, so this module's load time
 * is the execution's start: every entry point measures its one budget from it (issue 10: one deadline per execution).
 */
const EXECUTION_START = Date.now();

/** Time kept after the deadline for what must still happen (saving the run, writing the outcome). */
const DEADLINE_MARGIN_MS = 10_000;

export function executionStart(): number {
  return EXECUTION_START;
}

/** The one deadline of this execution: its start plus the budget (schedule settings, default 5 of the 6 minutes). */
export function executionDeadline(settings: ScheduleSettings = loadSettings(documentStore())): number {
  return EXECUTION_START + budgetOf(settings) - DEADLINE_MARGIN_MS;
}

/** UrlFetch calls and Affinity's rate-limit headers, counted for the settings panel (sync/usage.ts). */
export const usageLedger = new UsageLedger(
  () => userStore(),
  () => Date.now(),
);

/** Every request the product makes goes through this port, and through the ledger. */
export const http: HttpPort = urlFetchHttp((calls, responses, sentAt, requests) =>
  usageLedger.record(calls, responses, sentAt, requests),
);

/** What connecting and the Affinity client need: HTTP, clock, log and the user's properties. */
export function deps(): Deps {
  return { http, clock: gasClock, log: gasLog, user: userStore() };
}

/** A client over the user's stored connection (a config error when there is none). */
export function affinityClient(): AffinityClient {
  return clientFor(deps());
}

/** What a push needs; `client` defaults to a new client made on first use. */
export function pushDeps(client?: () => AffinityClient, doc = documentStore()): PushDeps {
  if (!client) {
    const d = deps();
    client = () => clientFor(d);
  }
  return { client, clock: gasClock, log: gasLog, doc, cache: documentCache() };
}

/** The progress a pull writes for the panel (document cache). */
export function progressStore(): ProgressStore {
  return new ProgressStore(documentCache(), () => Date.now());
}

/** Who pushes, as the change log shows it: "Name <email>" (a scheduled push says so). */
export function whoIsPushing(scheduled: boolean): string {
  const s = connectionStatus(userStore());
  if (!s.connected) return scheduled ? '(scheduled)' : '';
  if (scheduled)
    return `${[s.userName, s.userEmail ? `<${s.userEmail}>` : ''].filter(Boolean).join(' ')} (scheduled)`.trim();
  if (s.userName && s.userEmail) return `${s.userName} <${s.userEmail}>`;
  return s.userName ?? s.userEmail ?? '';
}

/** Who is pushing now (a person at the keyboard): their email and per-user key. */
export function pusherNow(): Pusher {
  const me = activeEditor();
  return { email: effectiveUserEmail() || me.email, key: me.key };
}

/**
 * Who a run's push acts for: the user whose execution this is; when that is the schedule's owner, the per-user key
 * they had when saving the schedule (a trigger may not know it).
 */
function runPusher(settings: ScheduleSettings): Pusher {
  const email = effectiveUserEmail();
  const now = activeEditor();
  const owner = !!settings.owner && email.toLowerCase() === settings.owner.toLowerCase();
  return { email, key: owner && settings.ownerKey ? settings.ownerKey : now.key };
}

/**
 * What a run's executions need (sync/runs.ts): one client for the execution (or the one a bind already made), the
 * budget and reserve of the schedule's settings, progress, and the push of a tab as a scheduled run does it.
 */
export function runDeps(
  ss: Spreadsheet,
  settings: ScheduleSettings,
  startedAt: number,
  client?: AffinityClient,
): RunDeps {
  const progress = progressStore();
  let made: AffinityClient | undefined = client;
  const getClient = () => (made ??= affinityClient());
  const tz = ss.getSpreadsheetTimeZone();
  return {
    ss,
    doc: documentStore(),
    clock: gasClock,
    log: gasLog,
    client: getClient,
    cache: documentCache(),
    // Whoever calls, the budget counts from the execution's start.
    startedAt: Math.min(startedAt, EXECUTION_START),
    budgetMs: budgetOf(settings),
    reserve: reserveOf(settings),
    today: todayIn(ss.getSpreadsheetTimeZone()),
    progress: (sheetId, text) => (text === null ? progress.clear(sheetId) : progress.set(sheetId, text)),
    progressEach: (items) => progress.setEach(items),
    push: (binding: Binding, deadline: number) => {
      const doc = documentStore();
      const c = getClient();
      const before = c.requestsSent;
      const user = whoIsPushing(true);
      const summary = pushAndRecord(ss, binding, pushDeps(getClient, doc), {
        policy: loadPolicy(userStore()),
        user,
        timestamp: timestampIn(tz),
        deadline,
        // A run sends only its own user's edits; others' wait for a manual push (docs/sharing.md).
        gate: pushGate(doc, binding.sheetId, runPusher(settings), 'own'),
      });
      return { requests: c.requestsSent - before, message: summary.message, waiting: summary.waiting?.entries };
    },
  };
}
