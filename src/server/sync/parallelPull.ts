/**
 * Several views paged together (docs/schedules.md): pages of one view are cursor-chained, but pages of different
 * views are independent, so a run with several pulls due fetches one page of each view per round in one `fetchAll`.
 * k views of p pages take about max(p) round trips instead of Σp. Each view keeps its own checkpoint and staging
 * (sync/resumablePull.ts); once a view's last page is in, its pull step only has to write the tab. Requests are the
 * same as paging each view alone (the view, its list's fields, its pages), paced under Affinity's per-minute limit.
 */
import type { FieldMetadata } from '../affinity/types';
import { BUFFERED_CELLS, tabColumnsOf } from '../engine/memoryBudget';
import { MINUTE_RESERVE, PAGE_SIZE, paceDelayMs } from '../engine/quota';
import type { Binding } from './bindings';
import { loadStats, type PullCheckpoint } from './runStore';
import { MIN_TASK_MS, PageBuffer, beginCheckpoint, seedOf, usableCheckpoint, type PullContext } from './resumablePull';
import { readKeptPages } from '../gas/stagingStore';
import { flushSheets } from '../gas/platform';
import { sheetOf } from './tabContext';
import { cachedColumnsOfPull, fetchViewColumnsOf, keepColumnsOfPull } from './viewColumns';

/** Time kept for staging what a round gathered: a fixed part and a part per buffered page. */
const FLUSH_RESERVE_MS = 5_000;
const FLUSH_PER_PAGE_MS = 25;
/** First guess of a round's time, before one is measured. */
const FIRST_ROUND_MS = 1_000;

interface ViewInProgress {
  binding: Binding;
  cp: PullCheckpoint;
  fields: FieldMetadata[];
  buf: PageBuffer;
  /** Seed of the view's page digests (null: pages are not compared). */
  seed: number | null;
  expectedRows: number;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * Pages every given view that still has pages to fetch, one page of each per round, until all are in or the budget
 * is spent; stages each view's pages and saves its checkpoint either way. Views whose tab is gone are left to their
 * own pull step (which reports it). Returns the views that have every page in.
 */
export function gatherTogether(pc: PullContext, bindings: Binding[]): number {
  const { ss, doc, clock, log } = pc;
  const client = pc.client();
  const execStart = clock.now();
  const startRequests = client.requestsSent;
  const stats = loadStats(doc);
  const due: { binding: Binding; resumed: PullCheckpoint | null }[] = [];
  for (const binding of bindings) {
    try {
      sheetOf(ss, binding);
    } catch {
      continue;
    }
    const resumed = usableCheckpoint(pc, binding);
    if (resumed && resumed.nextUrl === null) continue;
    due.push({ binding, resumed });
  }
  if (due.length === 0 || pc.timeLeft() < MIN_TASK_MS) return 0;
  // The metadata of every view in one round each: the views starting afresh, then the columns not cached yet.
  const fresh = due.filter((d) => !d.resumed);
  const savedViews = client.savedViewsOf(fresh.map(({ binding: b }) => ({ listId: b.listId, viewId: b.viewId })));
  const started = due.map(({ binding, resumed }) => {
    if (resumed) return { binding, resumed, cp: { ...resumed } };
    const got = savedViews[fresh.findIndex((f) => f.binding === binding)];
    // A view that failed is asked again on its own, which says why.
    const cp = beginCheckpoint(pc, binding, got.ok ? got.value : undefined);
    // The pull step counts the execution when it resumes.
    return { binding, resumed, cp: { ...cp, executions: 0 } };
  });
  const columns = columnsOfPulls(pc, started);
  const views: ViewInProgress[] = started.map(({ binding, cp }, i) => {
    const s = stats[String(binding.sheetId)];
    const fields = columns[i] ?? client.listFields(binding.listId);
    return {
      binding,
      cp,
      fields,
      // The pages staged at their places (the last pull's are reused where the page's body is unchanged).
      buf: new PageBuffer(readKeptPages(pc.ss, binding.sheetId)),
      seed: seedOf(binding, fields, pc.codec),
      expectedRows: Math.max(s?.rows ?? 0, cp.rows),
    };
  });
  say(
    pc,
    started.map(({ binding, resumed }) => ({
      sheetId: binding.sheetId,
      message: resumed ? `Resuming: ${fmt(resumed.rows)} rows fetched so far…` : 'Reading the view from Affinity…',
    })),
  );
  log.log(`Paging ${views.length} views together: ${views.map((v) => `“${v.cp.viewName}”`).join(', ')}.`);
  // Requests and fetch time since the last staging, shared among the views by the pages each buffered.
  let stagedRequests = startRequests;
  let stagedAt = execStart;
  const stageAll = () => {
    const totalPages = views.reduce((n, v) => n + v.buf.pages.length, 0) || 1;
    const requests = client.requestsSent - stagedRequests;
    const elapsed = clock.now() - stagedAt;
    // Every view's pages written, one flush, then each checkpoint counts its own (not a flush per view).
    const written = views.map((v) => ({
      v,
      share: v.buf.pages.length / totalPages,
      n: v.buf.write(pc.ss, v.binding.sheetId, v.cp),
    }));
    flushSheets();
    for (const { v, share, n } of written) {
      PageBuffer.commit(
        pc.doc,
        v.binding.sheetId,
        v.cp,
        n,
        Math.round(requests * share),
        Math.round(elapsed * share),
        pc.clock.now(),
      );
    }
    stagedRequests = client.requestsSent;
    stagedAt = clock.now();
  };
  let roundMs = FIRST_ROUND_MS;
  let rounds = 0;
  let stopped = '';
  for (;;) {
    const active = views.filter((v) => v.cp.nextUrl !== null);
    if (active.length === 0) break;
    let buffered = views.reduce((n, v) => n + v.buf.pages.length, 0);
    // Memory (engine/memoryBudget.ts): the pages held, all views together, with the round about to come, in cells.
    const cells = (v: ViewInProgress, rows: number) => rows * tabColumnsOf(v.fields.length);
    const held = views.reduce((n, v) => n + cells(v, v.buf.rows()), 0);
    const coming = active.reduce((n, v) => n + cells(v, PAGE_SIZE), 0);
    if (buffered > 0 && held + coming > BUFFERED_CELLS) {
      stageAll();
      buffered = 0;
    }
    const reserve = FLUSH_RESERVE_MS + FLUSH_PER_PAGE_MS * (buffered + active.length);
    if (pc.timeLeft() < roundMs * 1.5 + reserve) {
      stopped = 'time budget reached';
      break;
    }
    const wait = paceDelayMs(client.rateLimit, clock.now(), MINUTE_RESERVE, active.length);
    if (wait > 0) {
      if (pc.timeLeft() < wait + roundMs * 1.5 + reserve) {
        stopped = "Affinity's per-minute limit is nearly used up and so is the time budget";
        break;
      }
      clock.sleep(wait);
    }
    pc.ensureWatchdog();
    const t0 = clock.now();
    const outcomes = client.pullPages(
      active.map((v) => ({ url: v.cp.nextUrl as string, reuse: v.buf.reuseFor(v.cp, v.seed) })),
    );
    rounds++;
    roundMs = rounds === 1 ? clock.now() - t0 : roundMs * 0.8 + (clock.now() - t0) * 0.2;
    const said: { sheetId: number; message: string }[] = [];
    outcomes.forEach((o, i) => {
      const v = active[i];
      if (!o.ok) {
        // This view's pull step fetches the page again on its own and reports the failure.
        log.log(`Pull of “${v.cp.viewName}”: a page failed while paging views together (${o.error.message}).`);
        views.splice(views.indexOf(v), 1);
        stageView(pc, v, 0, 0);
        return;
      }
      v.buf.add(v.cp, o.value, v.fields, v.binding, pc.codec);
      if (v.cp.pages % 5 === 0)
        said.push({
          sheetId: v.binding.sheetId,
          message: `${fmt(v.cp.rows)} rows fetched${v.expectedRows > v.cp.rows ? ` of about ${fmt(v.expectedRows)}` : ''}…`,
        });
    });
    say(pc, said);
  }
  stageAll();
  for (const v of views) {
    if (v.cp.nextUrl !== null)
      pc.progress(
        v.binding.sheetId,
        `${fmt(v.cp.rows)} rows fetched${v.expectedRows > v.cp.rows ? ` of about ${fmt(v.expectedRows)}` : ''}; continuing in a minute…`,
      );
  }
  const done = views.filter((v) => v.cp.nextUrl === null).length;
  log.log(
    `Paged ${views.length} views together in ${rounds} rounds: ${done} complete` +
      (stopped ? `; ${stopped}, the others continue from their checkpoints.` : '.'),
  );
  return done;
}

/**
 * Each view's columns for its pull: from the document cache when an earlier execution of the pull read them, the
 * others read together (sync/viewColumns.ts); null for a view whose columns Affinity did not answer.
 */
function columnsOfPulls(
  pc: PullContext,
  started: { binding: Binding; cp: PullCheckpoint }[],
): (FieldMetadata[] | null)[] {
  const cached = started.map(({ binding, cp }) => cachedColumnsOfPull(pc.cache, binding.sheetId, cp.startedAt));
  const missing = started.filter((_, i) => !cached[i]);
  const read = fetchViewColumnsOf(
    pc.client(),
    missing.map(({ binding }) => ({ listId: binding.listId, viewId: binding.viewId })),
    pc.log,
  );
  return started.map(({ binding, cp }, i) => {
    if (cached[i]) return cached[i];
    const got = read[missing.findIndex((m) => m.binding === binding)];
    return keepColumnsOfPull(pc.cache, binding.sheetId, cp.startedAt, got);
  });
}

/** The views page in step: their progress goes out in one write. */
function say(pc: PullContext, items: { sheetId: number; message: string }[]): void {
  if (pc.progressEach) pc.progressEach(items);
  else for (const { sheetId, message } of items) pc.progress(sheetId, message);
}

function stageView(pc: PullContext, v: ViewInProgress, requests: number, fetchMs: number): void {
  v.buf.stage(pc.ss, pc.doc, v.binding.sheetId, v.cp, requests, fetchMs, pc.clock.now());
}
