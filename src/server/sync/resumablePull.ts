/**
 * One pull over as many executions as it takes (docs/schedules.md): fetches the view page by page, checkpoints where
 * it is (the next page's URL, pages and rows gathered, in a document property) and stages the pages it gathered in a
 * hidden sheet when the execution's budget runs out, and merges the whole view into the tab once every page is in
 * (sync/pull.ts applyPulledView), so the tab never shows half a view. Entries served twice are kept once. A killed
 * execution loses at most the pages gathered since its last checkpoint; a stale checkpoint (an hour) or lost staged
 * rows start the view over. Requests are paced to stay under Affinity's per-minute limit (engine/quota.ts).
 */
import type { AffinityClient } from '../affinity/client';
import { AffinityError } from '../affinity/errors';
import type { FieldMetadata, ListEntryWithEntity, SavedView } from '../affinity/types';
import type { CodecContext } from '../engine/codecs';
import {
  entitiesIn,
  fitDirectory,
  mergeDirectories,
  packDirectory,
  unpackDirectory,
  type Directory,
} from '../engine/directory';
import { nameColumnSpec } from '../engine/layout';
import { BUFFERED_CELLS, holdsWhole, tabColumnsOf } from '../engine/memoryBudget';
import { MINUTE_RESERVE, PAGE_SIZE, applyMsFor, monthlyReserveReached, paceDelayMs } from '../engine/quota';
import { stagePage, viewFromPages, type StagedPage } from '../engine/staged';
import { flushSheets } from '../gas/platform';
import {
  StagingLost,
  readKeptPages,
  readStaged,
  readStagedRange,
  writeStaged,
  type KeptPage,
  type StagedLine,
} from '../gas/stagingStore';
import { pageSeed, type PageReuse, type ReadPage } from '../engine/pageDigest';
import type { PullSummary } from '../../shared/types';
import type { Clock, KeyValueStore, LogPort } from '../ports';
import { recordOutcome, type Binding } from './bindings';
import { applyPulledView, pullMessage } from './pull';
import { applyStreamedView, windowRows } from './streamedPull';
import {
  discardPull,
  loadCheckpoint,
  loadStats,
  saveCheckpoint,
  updateStats,
  type PullCheckpoint,
  type RunState,
} from './runStore';
import { sheetOf } from './tabContext';
import { columnsOfPull, fetchViewColumns } from './viewColumns';
import type { CachePort } from '../gas/cache';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** A checkpoint not touched for this long is not resumed: the pull starts over. */
export const CHECKPOINT_TTL_MS = 60 * 60_000;
/** An execution that has run this long makes sure a continuation will follow even if it is killed. */
export const WATCHDOG_AFTER_MS = 60_000;
/** Least time worth starting a task with. */
export const MIN_TASK_MS = 15_000;
/** Time kept for writing a checkpoint: a fixed part and a part per page staged. */
const FLUSH_RESERVE_MS = 5_000;
const FLUSH_PER_PAGE_MS = 25;
/** First guess of a page's time, before one is measured. */
const FIRST_PAGE_MS = 800;
/**
 * Memory (issue 10; engine/memoryBudget.ts): pages gathered in one execution are staged once they hold
 * BUFFERED_CELLS cells and more are to come, and a view past the rows or cells held whole is merged into its tab a
 * window at a time (sync/streamedPull.ts).
 */
/** Staged pages' directories held before they are merged into one (and cut to the cache's budget). */
const DIRECTORY_PAGES = 40;
/** Requests an apply may make (dropdown options of the view's columns). */
const APPLY_REQUESTS = 10;

/** A staged page with the people and companies it mentions (packed directories). */
type StagedRecord = { k: 'page'; v?: unknown; e?: unknown } & StagedPage;

/** A scheduled run that must wait for a budget to come back: it ends (its pulls keep their checkpoints). */
export class Deferred extends Error {}

/** What a pull works with in this execution (sync/runs.ts makes one per execution). */
export interface PullContext {
  ss: Spreadsheet;
  doc: KeyValueStore;
  clock: Clock;
  log: LogPort;
  /** The execution's one client (made on first use). */
  client: () => AffinityClient;
  /** The spreadsheet's time zone for the codecs. */
  codec: CodecContext;
  /** Clock time when the execution started, and the time left of its budget. */
  startedAt: number;
  timeLeft: () => number;
  /** Share of Affinity's monthly allowance a scheduled run leaves to people. */
  reserve: number;
  today: string;
  /** Progress for the panel (never throws). */
  progress: (sheetId: number, message: string | null) => void;
  /** Several tabs' progress in one write (never throws); without it, `progress` for each. */
  progressEach?: (items: { sheetId: number; message: string }[]) => void;
  /** Makes sure a continuation follows if this execution is killed; `force`: about to do something long in one go. */
  ensureWatchdog: (force?: boolean) => void;
  run: RunState;
  /** The document cache: a pull's view columns, read once for all its executions (sync/viewColumns.ts). */
  cache?: CachePort | null;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** The binding's checkpoint if it can be resumed; a stale one (or one of another view) is discarded. */
export function usableCheckpoint(pc: PullContext, binding: Binding): PullCheckpoint | null {
  const { ss, doc, clock, log } = pc;
  const now0 = clock.now();
  const cp = loadCheckpoint(doc, binding.sheetId);
  if (cp && (cp.listId !== binding.listId || cp.viewId !== binding.viewId || now0 - cp.updatedAt > CHECKPOINT_TTL_MS)) {
    log.log(
      `Pull of “${binding.viewName}”: the pull left off ${Math.round((now0 - cp.updatedAt) / 60_000)} min ago is stale; starting over.`,
    );
    discardPull(ss, doc, binding.sheetId);
    return null;
  }
  return cp;
}

/**
 * A new pull of the binding's view: reads the view (unless given). Pages staged before (the last pull's, or an
 * abandoned pull's) stay: each row's digest says which page body it was made from (engine/pageDigest.ts).
 */
export function beginCheckpoint(pc: PullContext, binding: Binding, prefetched?: SavedView): PullCheckpoint {
  const client = pc.client();
  const view = prefetched ?? client.savedView(binding.listId, binding.viewId);
  const firstUrl = client.savedViewEntriesUrl(binding.listId, view);
  const now = pc.clock.now();
  return {
    listId: binding.listId,
    viewId: binding.viewId,
    viewName: view.name,
    startedAt: now,
    updatedAt: now,
    pages: 0,
    rows: 0,
    nextUrl: firstUrl,
    staged: 0,
    requests: 0,
    fetchMs: 0,
    executions: 1,
  };
}

/** A page gathered in this execution: made from its entries, or (page null) the page staged at its place before. */
interface BufferedPage {
  i: number;
  page: StagedPage | null;
  digest: string | null;
  rows: number;
  values: Directory | null;
  rowEntities: Directory | null;
}

/**
 * The pages of one view gathered in this execution, not yet staged: compact pages and the people and companies they
 * mention, or only the digest of a page that is the one staged at its place (engine/pageDigest.ts). `stage` writes
 * them to the staging sheet and saves the checkpoint; the buffer is empty after.
 */
export class PageBuffer {
  readonly pages: BufferedPage[] = [];

  /** What the pull knows of the pages staged at their places when the execution began (null: no staging sheet). */
  constructor(private readonly kept: KeptPage[] | null = null) {}

  /** Rows of the pages held in the buffer (a page kept in staging holds none). */
  rows(): number {
    let n = 0;
    for (const p of this.pages) if (p.page) n += p.page.rows.length;
    return n;
  }

  /** Whether a page of the buffer is the one staged at its place (the pull then reads its pages from staging). */
  reused(): boolean {
    return this.pages.some((p) => !p.page);
  }

  /** How the next page of the pull is read: the digest of the page staged at its place, if any. */
  reuseFor(cp: PullCheckpoint, seed: number | null): PageReuse {
    const kept = seed === null ? undefined : this.kept?.[cp.pages];
    return { seed: seed ?? 0, kept: kept?.digest ?? null };
  }

  add(
    cp: PullCheckpoint,
    page: ReadPage<ListEntryWithEntity>,
    fields: FieldMetadata[],
    binding: Binding,
    ctx: CodecContext,
  ): void {
    if (page.same) {
      const rows = this.kept?.[cp.pages]?.rows ?? 0;
      this.pages.push({ i: cp.pages, page: null, digest: page.digest, rows, values: null, rowEntities: null });
      cp.rows += rows;
      cp.reused = (cp.reused ?? 0) + 1;
    } else {
      this.pages.push({
        i: cp.pages,
        page: stagePage(cp.pages, page.entries, fields, binding.listType, ctx),
        digest: page.digest,
        rows: page.entries.length,
        values: entitiesIn(page.entries, { rows: false }),
        rowEntities: entitiesIn(page.entries, { rows: true }),
      });
      cp.rows += page.entries.length;
    }
    cp.pages++;
    cp.nextUrl = page.nextUrl;
  }

  clear(): void {
    this.pages.length = 0;
  }

  /** Writes the buffered pages to staging, then the checkpoint (requests and fetch time of this execution added). */
  stage(
    ss: Spreadsheet,
    doc: KeyValueStore,
    sheetId: number,
    cp: PullCheckpoint,
    requests: number,
    fetchMs: number,
    now: number,
  ): void {
    const written = this.write(ss, sheetId, cp);
    flushSheets(); // staged rows are on the sheet before the checkpoint counts them
    PageBuffer.commit(doc, sheetId, cp, written, requests, fetchMs, now);
  }

  /**
   * Writes the buffered pages to staging, each at its place (a page that is the one staged there is not written
   * again), and empties the buffer; returns how many pages it staged. The checkpoint may count them (commit) only
   * once the writes are flushed: several views' buffers are written, then flushed once.
   */
  write(ss: Spreadsheet, sheetId: number, cp: PullCheckpoint): number {
    let run: StagedLine[] = [];
    let runStart = cp.staged;
    const flushRun = () => {
      writeStaged(ss, sheetId, runStart, run);
      run = [];
    };
    for (const b of this.pages) {
      if (!b.page) {
        flushRun();
        continue;
      }
      if (run.length === 0) runStart = b.i;
      const record: StagedRecord = { k: 'page', ...b.page };
      if (b.values) record.v = packDirectory(fitDirectory(b.values));
      if (b.rowEntities) record.e = packDirectory(fitDirectory(b.rowEntities));
      run.push({ record, digest: b.digest, rows: b.rows });
    }
    flushRun();
    const written = this.pages.length;
    this.pages.length = 0;
    return written;
  }

  /** Counts `written` staged pages (flushed) in the checkpoint, with this execution's requests and fetch time. */
  static commit(
    doc: KeyValueStore,
    sheetId: number,
    cp: PullCheckpoint,
    written: number,
    requests: number,
    fetchMs: number,
    now: number,
  ): void {
    cp.staged += written;
    cp.requests += requests;
    cp.fetchMs += fetchMs;
    cp.updatedAt = now;
    saveCheckpoint(doc, sheetId, cp);
  }
}

/** The seed of a view's page digests in this execution (null: the pages are not compared, engine/pageDigest.ts). */
export function seedOf(binding: Binding, fields: FieldMetadata[], ctx: CodecContext): number | null {
  if (!ctx.zone) return null;
  return pageSeed({ fields, listType: binding.listType, zone: ctx.zone, viewId: binding.viewId });
}

/**
 * Advances a binding's pull as far as this execution's budget allows. Returns the summary once the view is complete
 * and applied, or null after checkpointing (the run continues later).
 */
export function pullStep(pc: PullContext, binding: Binding, prefetched?: SavedView): PullSummary | null {
  const { ss, doc, log } = pc;
  const sheetId = binding.sheetId;
  sheetOf(ss, binding); // a deleted tab fails before any request
  let cp = usableCheckpoint(pc, binding);
  for (let attempt = 0; ; attempt++) {
    try {
      return pullFrom(pc, binding, prefetched, cp);
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
  pc: PullContext,
  binding: Binding,
  prefetched: SavedView | undefined,
  resumed: PullCheckpoint | null,
): PullSummary | null {
  const { ss, doc, clock, log, codec: ctx, ensureWatchdog, run } = pc;
  const sheetId = binding.sheetId;
  const client = pc.client();
  const startRequests = client.requestsSent;
  const stats = loadStats(doc)[String(sheetId)];
  const execStart = clock.now();
  let pacedNoted = false;
  /** Waits, if need be, so that the next `need` requests leave Affinity's per-minute share for people; false when the wait does not fit the budget. */
  const pace = (need: number, after: number): boolean => {
    const wait = paceDelayMs(client.rateLimit, clock.now(), MINUTE_RESERVE, need);
    if (wait <= 0) return true;
    if (pc.timeLeft() < wait + after) return false;
    if (!pacedNoted)
      log.log(
        `Pull of “${binding.viewName}”: pacing, ${Math.ceil(wait / 1000)} s until Affinity's per-minute window resets.`,
      );
    pacedNoted = true;
    clock.sleep(wait);
    return true;
  };
  pc.progress(
    sheetId,
    resumed ? `Resuming: ${fmt(resumed.rows)} rows fetched so far…` : 'Reading the view from Affinity…',
  );
  let cp: PullCheckpoint;
  if (resumed) {
    cp = { ...resumed, executions: resumed.executions + 1 };
  } else {
    if (!prefetched) pace(2, MIN_TASK_MS);
    cp = beginCheckpoint(pc, binding, prefetched);
    cp.startedAt = execStart;
    cp.updatedAt = execStart;
  }
  // The pages staged at their places, this pull's or the last pull's (those whose body is unchanged are reused).
  const kept = cp.nextUrl !== null ? readKeptPages(ss, sheetId) : null;
  // Pages this pull staged in earlier executions are gone: start over now rather than after fetching the rest.
  if (cp.nextUrl !== null && cp.staged > 0 && (kept === null || kept.length < cp.staged))
    throw new StagingLost('the staged rows of this sync are gone');
  const buf = new PageBuffer(kept);
  const mem = buf.pages;
  const values: Directory[] = [];
  const rowEntities: Directory[] = [];
  let fields: FieldMetadata[] | null = null;
  let seed: number | null = null;
  /** The view's columns as read in this execution (undefined: not read yet; null: Affinity did not answer them). */
  let viewColumns: FieldMetadata[] | null | undefined;
  const readColumns = (): FieldMetadata[] | null => {
    if (viewColumns === undefined)
      viewColumns = columnsOfPull(pc.cache, sheetId, cp.startedAt, () =>
        fetchViewColumns(client, binding.listId, binding.viewId, log),
      );
    return viewColumns;
  };
  let pageMs = stats && stats.pages > 0 && stats.fetchMs ? Math.max(50, stats.fetchMs / stats.pages) : FIRST_PAGE_MS;
  let measured = 0;
  const expectedRows = Math.max(stats?.rows ?? 0, cp.rows);

  /** Writes the pages gathered in this execution to staging and saves the checkpoint. */
  let stagedRequests = startRequests;
  let stagedAt = execStart;
  const checkpoint = () => {
    buf.stage(ss, doc, sheetId, cp, client.requestsSent - stagedRequests, clock.now() - stagedAt, clock.now());
    stagedRequests = client.requestsSent;
    stagedAt = clock.now();
  };

  const stop = (why: string): null => {
    const pages = mem.length;
    checkpoint();
    pc.progress(
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
    if (pc.timeLeft() < pageMs * 1.5 + flushReserve) return stop('time budget reached');
    if (!pace(fields ? 1 : 2, pageMs * 1.5 + flushReserve))
      return stop("Affinity's per-minute limit is nearly used up and so is the time budget");
    if (run.kind === 'scheduled' && monthlyReserveReached(client.rateLimit, pc.reserve)) {
      stop("Affinity's monthly allowance is down to the share kept for people");
      throw new Deferred("Affinity's monthly allowance is down to the share kept for people");
    }
    ensureWatchdog();
    // The view's columns carry the field metadata of every column: the list's fields only when they are unknown.
    if (!fields) {
      fields = readColumns() ?? client.listFields(binding.listId);
      seed = seedOf(binding, fields, ctx);
    }
    const t0 = clock.now();
    const page = client.pullPage(cp.nextUrl, buf.reuseFor(cp, seed));
    measured++;
    pageMs = measured === 1 ? clock.now() - t0 : pageMs * 0.8 + (clock.now() - t0) * 0.2;
    buf.add(cp, page, fields, binding, ctx);
    // Memory: a long execution does not hold all its pages until it stops.
    if (cp.nextUrl && buf.rows() * tabColumnsOf(fields.length) >= BUFFERED_CELLS) checkpoint();
    if (cp.pages % 5 === 0)
      pc.progress(
        sheetId,
        `${fmt(cp.rows)} rows fetched${expectedRows > cp.rows ? ` of about ${fmt(expectedRows)}` : ''}…`,
      );
  }

  // Every page is in: apply now if the time left allows, else in a fresh execution.
  const applyEstimate =
    applyMsFor(cp.rows, stats?.applyMs ? { rows: stats.rows, applyMs: stats.applyMs } : undefined) * 1.2 +
    FLUSH_RESERVE_MS +
    cp.staged * 20;
  const fresh = clock.now() - pc.startedAt < MIN_TASK_MS;
  if (!fresh && pc.timeLeft() < applyEstimate)
    return stop(`every page is in; writing ${fmt(cp.rows)} rows needs a fresh execution`);
  // Memory: views are written one after another, each merge's memory released before the next (a view past the
  // rows or cells held whole a window at a time), so one execution writes as many as its time allows (issue 10).

  // Writing the tab may fetch dropdown options: keep them under the per-minute limit too.
  pace(APPLY_REQUESTS, applyEstimate);
  if (applyEstimate > WATCHDOG_AFTER_MS) ensureWatchdog(true);
  pc.progress(sheetId, `${fmt(cp.rows)} rows fetched; writing them to the tab…`);
  // What this execution fetched since its last checkpoint (the checkpoints hold the rest).
  const fetchMs = cp.fetchMs + (clock.now() - stagedAt);
  const requests = () => cp.requests + (client.requestsSent - stagedRequests);
  let summary: PullSummary;
  let applyStart: number;
  // The view's columns (read once per pull, kept in the document cache): a wide view is held whole only if small.
  const width = tabColumnsOf((readColumns() ?? fields ?? []).length);
  // Pages reused from staging are read from there with the others. A tab that has staged pages has them all
  // staged, so that the next pull can reuse them (a view small enough for one execution stages none).
  if (buf.reused() || ((kept !== null || cp.staged > 0) && mem.length > 0)) checkpoint();
  // The people and companies of each staged page, the later pages first; merged and cut to the cache's budget every
  // DIRECTORY_PAGES pages, so that a large view's pages, each naming the same people, are not all held (memory).
  const collect = (r: StagedRecord) => {
    const v = unpackDirectory(r.v);
    const e = unpackDirectory(r.e);
    delete r.v;
    delete r.e;
    if (v) values.unshift(v);
    if (e) rowEntities.unshift(e);
    if (values.length + rowEntities.length > DIRECTORY_PAGES) {
      for (const dirs of [values, rowEntities]) dirs.splice(0, dirs.length, fitDirectory(mergeDirectories(...dirs)));
    }
  };
  if (!holdsWhole(cp.rows, width)) {
    // A large view: its pages are all staged first, then walked a window at a time (memory, issue 10).
    if (mem.length > 0) checkpoint();
    applyStart = clock.now();
    // Staged pages read at a time: the merge's window of rows (25 pages of 100 entries at 32 columns).
    const windowPages = Math.max(1, Math.round(windowRows(width) / PAGE_SIZE));
    let walked = false;
    summary = applyStreamedView(ss, binding, client, log, pc.today, {
      viewName: cp.viewName,
      walk: (visit) => {
        for (let from = 0; from < cp.staged; from += windowPages) {
          for (const r of readStagedRange<StagedRecord>(ss, sheetId, from, Math.min(windowPages, cp.staged - from))) {
            visit(r);
            if (!walked) collect(r);
          }
        }
        walked = true;
      },
      columns: readColumns(),
      directory: () => fitDirectory(mergeDirectories(...values, ...rowEntities)),
      ctx,
      requests,
    });
  } else {
    const staged = readStaged<StagedRecord>(ss, sheetId, cp.staged);
    const pages: StagedPage[] = [];
    for (const r of staged) {
      pages.push(r);
      collect(r);
    }
    for (const b of mem) {
      if (b.page) pages.push(b.page);
      if (b.values) values.push(b.values);
      if (b.rowEntities) rowEntities.push(b.rowEntities);
    }
    const remote = viewFromPages(pages, nameColumnSpec(binding.listType));
    const directory = fitDirectory(mergeDirectories(...values, ...rowEntities));
    // The staged records are in the view now: let them go before the tab is written (memory, issue 10).
    staged.length = 0;
    pages.length = 0;
    buf.clear();
    applyStart = clock.now();
    summary = applyPulledView(ss, binding, client, log, pc.today, {
      viewName: cp.viewName,
      remote,
      columns: readColumns(),
      directory,
      ctx,
      requests,
    });
  }
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
      `Pull of “${cp.viewName}” completed over ${cp.executions} execution(s): ${fmt(cp.pages)} pages` +
        (cp.reused ? ` (${fmt(cp.reused)} as the last pull had them, not read again)` : '') +
        `, ${fmt(summary.requests)} requests.`,
    );
  // Every page is staged now (or none is, and there is no staging sheet): they stay for the next pull.
  saveCheckpoint(doc, sheetId, null);
  pc.progress(sheetId, null);
  return summary;
}
