/**
 * What a run keeps in document properties between executions: the run in progress (its queue of tasks), each pull's
 * checkpoint, and each view's last figures (for the planner's estimates). Also how a run's queue is made.
 */
import type { ViewStats } from '../engine/quota';
import { dropStaging } from '../gas/stagingStore';
import type { KeyValueStore } from '../ports';
import type { Binding } from './bindings';
import { readJson } from './json';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const RUN_KEY = 'affinity.run';
const CHECKPOINT_PREFIX = 'affinity.pull.';
const STATS_KEY = 'affinity.stats';

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
  /** Rows of the staging sheet that hold this pull's pages (row r: page r − 1). */
  staged: number;
  /** Pages that were the ones staged at their places (not read again, engine/pageDigest.ts). */
  reused?: number;
  requests: number;
  fetchMs: number;
  executions: number;
}

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

export function saveCheckpoint(doc: KeyValueStore, sheetId: number, cp: PullCheckpoint | null): void {
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

export function updateStats(doc: KeyValueStore, sheetId: number, change: Partial<StoredStats>): void {
  const all = loadStats(doc);
  all[String(sheetId)] = { ...(all[String(sheetId)] ?? { rows: 0, pages: 0, at: 0 }), ...change };
  doc.set(STATS_KEY, JSON.stringify(all));
}

/** Forgets a binding's pull in progress (checkpoint and staged rows). */
export function discardPull(ss: Spreadsheet, doc: KeyValueStore, sheetId: number): void {
  saveCheckpoint(doc, sheetId, null);
  dropStaging(ss, sheetId);
}

/** A new run (its id: start time in base 36). */
export function newRun(kind: RunState['kind'], by: string, tasks: Task[], now: number): RunState {
  return { id: now.toString(36), kind, by, startedAt: now, updatedAt: now, tasks, executions: 0, requests: 0 };
}

/** The tasks a full sync of the bindings makes: each tab's push (when asked), then each tab's pull. */
export function syncTasks(bindings: Binding[], pushFirst: boolean, manual: boolean): Task[] {
  const tasks: Task[] = [];
  // Every push first, so that the pulls can page their views together (sync/parallelPull.ts).
  if (pushFirst)
    for (const b of bindings) tasks.push({ sheetId: b.sheetId, step: 'push', manual: manual || undefined });
  for (const b of bindings) tasks.push({ sheetId: b.sheetId, step: 'pull', manual: manual || undefined });
  return tasks;
}

/** Rows gathered so far by the pulls of a run in progress (for the panel). */
export function rowsGathered(doc: KeyValueStore, run: RunState): number {
  let n = 0;
  for (const id of new Set(run.tasks.map((t) => t.sheetId))) n += loadCheckpoint(doc, id)?.rows ?? 0;
  return n;
}
