/**
 * Push: sends a bound tab's edits to Affinity (engine/push/ has the rules: scan, read, plan, batch, settle,
 * preview; docs/push.md says them in words).
 *
 * Requests: none when nothing was edited (column types come from the last pull). Otherwise the conflict check
 * reads Affinity's current values (the view's pages when more entries were edited than the view has pages, else
 * one GET per edited entry, in parallel), dropdown options of edited dropdown columns when not cached, then one
 * PATCH per edited entry, sent with fetchAll in batches no larger than Affinity's remaining per-minute quota.
 */
import type { AffinityClient, Outcome, RequestSpec } from '../affinity/client';
import { AffinityError, userMessage } from '../affinity/errors';
import type { DropdownOption, FieldMetadata, ListEntryWithEntity, SavedView } from '../affinity/types';
import type { ParseContext } from '../engine/codecs';
import { NAME_COLUMN, type ColumnSpec } from '../engine/layout';
import { entitiesIn, mergeDirectories, unpackDirectory, type Directory } from '../engine/directory';
import { POLICY_LABELS, type ConflictChoice, type ConflictPolicy } from '../engine/policy';
import { nextBatch } from '../engine/push/batch';
import { planPush, type PushPlan } from '../engine/push/plan';
import { previewOf } from '../engine/push/preview';
import {
  ReadDoesNotFit,
  readStrategy,
  remoteEntryOf,
  type ReadCosts,
  DEFAULT_READ_COSTS,
  type ReadStrategy,
  type RemoteState,
  type MinuteNow,
  FRESH_MINUTE,
} from '../engine/push/read';
import { leftEditsForPreview } from '../engine/leftFields';
import { adoptIfCopied, withoutOriginalEdits } from './copiedSpreadsheet';
import { findEdits, pushColumns, type EditScan } from '../engine/push/scan';
import { settlePush, type RequestResult } from '../engine/push/settle';
import { settledCells, type FormulaMode } from '../engine/push/formulas';
import type { TabCodec } from '../engine/tabState';
import type { CachePort } from '../gas/cache';
import { appendChangeLog } from '../gas/changeLog';
import { clearPendingMarks, writeBlocks } from '../gas/pushSheet';
import { readSnapshot, writeSnapshot, type StoredSnapshot } from '../gas/snapshotStore';
import { readTab, type TabRead } from '../gas/tab';
import type { Clock, KeyValueStore, LogPort } from '../ports';
import type { PushPreview, PushSummary } from '../../shared/push';
import { recordOutcome, type Binding } from './bindings';
import {
  directoryKey,
  dropdownOptionsOf,
  getCachedJson,
  loadColumnSpecs,
  pendingMarksOn,
  saveColumnSpecs,
} from './pushStore';
import { formulaStep, rememberFormulas, type FormulaStep } from './pushFormulas';
import { loadStats } from './runStore';
import { codecContext, sheetOf, tabCodec } from './tabContext';
import { commitBase, explainUnknown, guardedBase, stageBase, withUnverifiedRows } from './baseGuard';
import type { PushGate } from './attributionGate';
import { heldText, heldEdits, previewEditors } from './attributionReport';
import type { BaseCheck } from '../engine/baseDigest';
import { applyNewRows, knownRemote, newRowsHeld, type NewRowsStep } from './newRowsStep';
import { copyRows } from '../engine/packedRows';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export interface PushDeps {
  /** Made only when a request is needed (a tab with no edits pushes without a connection). */
  client: () => AffinityClient;
  clock: Clock;
  log: LogPort;
  doc: KeyValueStore;
  cache: CachePort | null;
}

export interface PushRunOptions {
  policy: ConflictPolicy;
  choices?: ConflictChoice[];
  /** Who pushes, for the change log. */
  user: string;
  /** Time text for the change log. */
  timestamp: () => string;
  /** Clock time after which no more requests are started (Apps Script stops an execution at 6 minutes). */
  deadline?: number;
  /** 'confirm' when a person pushes (formulas' values are sent); unattended runs hold them ('hold', the default). */
  formulas?: FormulaMode;
  /** Holds back edits this push must not send, and credits each edit's editor (sync/attributionGate.ts). */
  gate?: PushGate;
}

const DROPDOWN_TYPES = new Set(['dropdown', 'ranked-dropdown', 'dropdown-multi']);
const SEND_DEADLINE_MS = 4.5 * 60 * 1000;
/** Cached options older than this are fetched again when a typed option is not among them. */
const OPTIONS_RECHECK_MS = 5 * 60 * 1000;

// ---- batched sending -------------------------------------------------------------------------------------------

/**
 * Sends requests in fetchAll batches sized by the rate-limit headers: never more than the minute's remaining
 * requests, waiting for the reset when none remain. Requests left when the deadline passes, the monthly quota is
 * spent, or the key was rejected are answered with an error without being sent.
 */
export function sendInBatches<S, T>(
  client: AffinityClient,
  clock: Clock,
  items: S[],
  send: (batch: S[]) => Outcome<T>[],
  deadline?: number,
): { outcomes: Outcome<T>[]; batches: number; unsent: number } {
  const outcomes: Outcome<T>[] = [];
  let batches = 0;
  let unsent = 0;
  const stop = (error: AffinityError) => {
    unsent = items.length - outcomes.length;
    while (outcomes.length < items.length) outcomes.push({ ok: false, error });
  };
  while (outcomes.length < items.length) {
    const now = clock.now();
    if (deadline !== undefined && now > deadline) {
      stop(new AffinityError('network', 'The push ran out of time before reaching this row. Push again to send it.'));
      break;
    }
    const next = nextBatch(client.rateLimit, now, items.length - outcomes.length);
    if (next.blocked) {
      stop(new AffinityError('rate-limit', next.blocked));
      break;
    }
    if (next.size === 0) {
      if (deadline !== undefined && now + next.waitMs > deadline) {
        stop(
          new AffinityError(
            'rate-limit',
            "Affinity's per-minute limit is used up and the push ran out of time. Push again in a minute.",
          ),
        );
        break;
      }
      clock.sleep(next.waitMs);
      continue;
    }
    const batch = items.slice(outcomes.length, outcomes.length + next.size);
    const got = send(batch);
    batches++;
    for (const o of got) outcomes.push(o);
    const fatal = got.find((o) => !o.ok && o.error.kind === 'auth');
    if (fatal && !fatal.ok) stop(fatal.error);
  }
  return { outcomes, batches, unsent };
}

// ---- reading Affinity --------------------------------------------------------------------------------------------

/** Errors that concern one entry (reported at its cells); any other read error stops the push before it sends. */
const PER_ENTRY_ERRORS = new Set(['not-found', 'merged', 'permission', 'invalid']);

function entryReadSpec(listId: number, entryId: number, fieldIds: string[]): RequestSpec {
  const query = fieldIds.map((id) => `fieldIds=${encodeURIComponent(id)}`).join('&');
  return {
    method: 'get',
    path: `/v2/lists/${listId}/list-entries/${entryId}${query ? `?${query}` : ''}`,
    purpose: 'read-entries',
    what: 'list entry',
  };
}

interface RemoteRead {
  state: RemoteState;
  strategy: ReadStrategy;
  requests: number;
  batches: number;
  seen: Directory;
  /** Edited entries left for the next execution (the part that fits is checked and sent now), in row order. */
  waiting: number[];
}

/** Time kept back from the check and the send for writing the tab, its base and the log. */
const SETTLE_MARGIN_MS = 10_000;

/** Affinity's per-minute allowance as the client last saw it (a fresh minute when it has seen none). */
function minuteOf(client: AffinityClient, now: number): MinuteNow {
  const r = client.rateLimit;
  if (r.userRemaining === undefined) return FRESH_MINUTE;
  const resetAt = (r.observedAt ?? now) + (r.userResetSec ?? 60) * 1000;
  if (now >= resetAt) return { remaining: r.userLimit ?? FRESH_MINUTE.remaining, resetInMs: 60_000 };
  return { remaining: r.userRemaining, resetInMs: resetAt - now };
}

function readRemote(
  client: AffinityClient,
  binding: Binding,
  scan: EditScan,
  viewEntries: number,
  ctx: ReturnType<typeof codecContext>,
  clock: Clock,
  deadline: number,
  costs: ReadCosts,
  known: RemoteState['entries'] = new Map(),
): RemoteRead {
  const state: RemoteState = { entries: new Map(known), unreadable: new Map() };
  const pending = [...scan.entries.keys()].filter((id) => !known.has(id));
  const timeLeft = deadline - clock.now();
  const strategy = readStrategy(
    pending.length,
    viewEntries,
    timeLeft - SETTLE_MARGIN_MS,
    costs,
    minuteOf(client, clock.now()),
  );
  const seen: Directory = { persons: [], companies: [] };
  if (pending.length === 0) return { state, strategy, requests: 0, batches: 0, seen, waiting: [] };
  // Never start a read that cannot finish: only the part that fits is checked and sent; the rest stays pending and
  // the push goes on in a later execution.
  if (!strategy.fits) throw new ReadDoesNotFit(strategy, timeLeft);
  const ids = pending.slice(0, strategy.portion);
  const waiting = pending.slice(strategy.portion);
  const start = client.requestsSent;
  const fieldsOf = (id: number) => [
    ...new Set(
      scan.entries
        .get(id)!
        .edits.map((e) => e.columnId)
        .filter((c) => c !== NAME_COLUMN),
    ),
  ];
  const found: ListEntryWithEntity[] = [];
  let batches = 0;
  let individual = ids;

  if (strategy.mode === 'pages') {
    const wanted = new Set(ids);
    const view: SavedView = { id: binding.viewId, name: binding.viewName, type: 'sheet', createdAt: '' };
    let url: string | null = client.savedViewEntriesUrl(binding.listId, view);
    const dirs: Directory[] = [];
    while (url) {
      const page = client.entriesPage(url);
      batches++;
      for (const e of page.entries) if (wanted.has(e.id)) found.push(e);
      dirs.push(entitiesIn(page.entries));
      url = page.nextUrl;
    }
    Object.assign(seen, mergeDirectories(...dirs));
    const complete = new Set<number>();
    for (const e of found) {
      const have = new Set((e.entity.fields ?? []).map((f) => f.id));
      if (fieldsOf(e.id).every((f) => have.has(f))) complete.add(e.id);
    }
    // Entries that left the view (or whose edited field it no longer shows) are read one by one.
    individual = ids.filter((id) => !complete.has(id));
    for (let i = found.length - 1; i >= 0; i--) if (!complete.has(found[i].id)) found.splice(i, 1);
  }

  if (individual.length > 0) {
    const sent = sendInBatches(
      client,
      clock,
      individual,
      (batch) =>
        client.sendAll<ListEntryWithEntity>(batch.map((id) => entryReadSpec(binding.listId, id, fieldsOf(id)))),
      deadline - SETTLE_MARGIN_MS,
    );
    batches += sent.batches;
    const got: ListEntryWithEntity[] = [];
    // Entries the time (or the minute's allowance) did not reach are not checked: they wait, with their edits.
    const first = sent.outcomes[individual.length - sent.unsent];
    const reached = first && !first.ok && first.error.kind !== 'auth' ? individual.length - sent.unsent : Infinity;
    if (reached < individual.length) waiting.unshift(...individual.slice(reached));
    sent.outcomes.forEach((o, i) => {
      const id = individual[i];
      if (i >= reached) return;
      if (o.ok) {
        got.push(o.value);
        return;
      }
      if (!PER_ENTRY_ERRORS.has(o.error.kind)) throw o.error;
      state.unreadable.set(id, o.error.message);
    });
    found.push(...got);
    Object.assign(seen, mergeDirectories(seen, entitiesIn(got)));
  }
  for (const e of found) state.entries.set(e.id, remoteEntryOf(e, ctx));
  return { state, strategy, requests: client.requestsSent - start, batches, seen, waiting };
}

/** The view's own page time when a pull measured it (sync/runStore.ts), else the default figures. */
function readCostsOf(doc: KeyValueStore, binding: Binding): ReadCosts {
  const s = loadStats(doc)[String(binding.sheetId)];
  if (!s || !s.pages || !s.fetchMs) return DEFAULT_READ_COSTS;
  return { ...DEFAULT_READ_COSTS, pageMs: Math.max(DEFAULT_READ_COSTS.pageMs, s.fetchMs / s.pages) };
}

// ---- metadata ----------------------------------------------------------------------------------------------------

function columnsFor(
  binding: Binding,
  stored: StoredSnapshot,
  deps: PushDeps,
  client: () => AffinityClient,
): { columns: Map<string, ColumnSpec>; requests: number } {
  const known = loadColumnSpecs(deps.doc, binding.sheetId);
  if (known && stored.columns.every((id) => known.has(id))) {
    return { columns: new Map(stored.columns.map((id) => [id, known.get(id)!])), requests: 0 };
  }
  const c = client();
  const before = c.requestsSent;
  const fields: FieldMetadata[] = c.listFields(binding.listId);
  const columns = pushColumns(stored.columns, fields, binding.listType);
  saveColumnSpecs(deps.doc, binding.sheetId, [...columns.values()]);
  return { columns, requests: c.requestsSent - before };
}

// ---- planning ------------------------------------------------------------------------------------------------------

interface Prepared {
  sheet: GoogleAppsScript.Spreadsheet.Sheet;
  tab: TabRead;
  stored: StoredSnapshot;
  check: BaseCheck;
  scan: EditScan;
  plan: PushPlan;
  columns: Map<string, ColumnSpec>;
  codec: TabCodec;
  strategy: ReadStrategy;
  reads: number;
  readBatches: number;
  client: AffinityClient | null;
  formulas: FormulaStep;
  /** New rows: added to the list (or, in a preview, to be added), or noted. */
  added: NewRowsStep;
  /** Edited entries (and their edits) left pending for the next execution: the part that fits is sent now. */
  waiting: { entries: number; edits: number };
}

function prepare(
  ss: Spreadsheet,
  binding: Binding,
  deps: PushDeps,
  opts: {
    policy: ConflictPolicy;
    choices?: ConflictChoice[];
    formulas?: FormulaMode;
    deadline?: number;
    gate?: PushGate;
    dryRun?: boolean;
  },
): Prepared {
  adoptIfCopied(ss, deps.doc); // a copy never sends the original's pending edits (sync/copiedSpreadsheet.ts)
  const sheet = sheetOf(ss, binding);
  // A large tab and its base are read packed, a slice at a time (issue 10, memory: docs/push.md, "Large tabs").
  const stored = readSnapshot(ss, binding.sheetId, { packed: 'large' });
  if (!stored) {
    throw new AffinityError(
      'config',
      `“${sheet.getName()}” has not been pulled yet. Pull it first; edits are found by comparing with the last pull.`,
    );
  }
  let client: AffinityClient | null = null;
  const getClient = () => (client ??= deps.client());
  const base = guardedBase(deps.doc, binding.sheetId, stored.snapshot, sheet.getName());
  const tab = readTab(sheet, { packed: 'large' });
  const ctx = codecContext(ss);
  const codec = tabCodec(ctx);
  const { columns, requests: fieldRequests } = columnsFor(binding, stored, deps, getClient);
  // The base as this push sees it: the verified one, plus the rows of entries that new rows are bound to. New rows
  // are added only in a push a person starts (a scheduled run never creates entries: docs/sharing.md).
  const seen = { columns: base.snapshot.columns, rows: copyRows(base.snapshot.rows) };
  const byPerson = opts.formulas === 'confirm';
  const added = !byPerson
    ? newRowsHeld({ snapshot: seen })
    : applyNewRows({
        sheet,
        tab,
        snapshot: seen,
        binding,
        doc: deps.doc,
        client: getClient,
        send: (items, send) => sendInBatches(getClient(), deps.clock, items, send, opts.deadline),
        dryRun: opts.dryRun ?? false,
      });
  const edits = explainUnknown(
    findEdits({ tab, snapshot: seen, columns, codec, viewName: binding.viewName }),
    tab,
    base.check,
  );
  added.noteRows(edits);
  withoutOriginalEdits(deps.doc, binding.sheetId, edits);
  opts.gate?.apply(edits, tab, new Set([...added.result.added.map((a) => a.entryId), ...added.result.adopted]));
  const mode = opts.formulas ?? 'hold';
  const formulas = formulaStep(sheet, tab, edits, columns, codec, deps.doc, binding.sheetId, mode);
  let { scan } = formulas;
  if (scan.entries.size === 0) {
    const empty: RemoteState = { entries: new Map(), unreadable: new Map() };
    const plan = planPush({
      listId: binding.listId,
      scan,
      remote: empty,
      columns,
      parse: emptyParse,
      policy: opts.policy,
    });
    return {
      sheet,
      tab,
      stored,
      check: base.check,
      scan,
      plan,
      columns,
      codec,
      strategy: readStrategy(0, 0),
      reads: fieldRequests + added.result.requests - added.result.creates,
      readBatches: added.result.batches,
      client,
      formulas,
      added,
      waiting: { entries: 0, edits: 0 },
    };
  }

  const c = getClient();
  const remote = readRemote(
    c,
    binding,
    scan,
    stored.snapshot.rows.size,
    ctx,
    deps.clock,
    opts.deadline ?? deps.clock.now() + SEND_DEADLINE_MS,
    readCostsOf(deps.doc, binding),
    knownRemote(added.result, scan, columns, ctx),
  );
  // Entries whose check did not fit this execution wait, with their edits pending, for the next one.
  const waiting = { entries: remote.waiting.length, edits: 0 };
  if (remote.waiting.length > 0) {
    const entries = new Map(scan.entries);
    for (const id of remote.waiting) {
      waiting.edits += entries.get(id)?.edits.length ?? 0;
      entries.delete(id);
    }
    scan = { ...scan, entries };
  }
  const dropdownFields = [
    ...new Set(
      [...scan.entries.values()]
        .flatMap((e) => e.edits.map((x) => x.columnId))
        .filter((id) => DROPDOWN_TYPES.has(columns.get(id)?.valueType ?? '')),
    ),
  ];
  const opt = dropdownOptionsOf(getClient, deps.cache, binding.listId, dropdownFields, deps.clock.now());
  const cachedDir = deps.cache
    ? unpackDirectory(getCachedJson(deps.cache, [directoryKey(binding.listId)]).get(directoryKey(binding.listId)))
    : null;
  const dir = mergeDirectories(remote.seen, cachedDir);
  const parseWith = (options: Map<string, DropdownOption[]>): ParseContext => ({
    dropdownOptions: (fieldId) => options.get(fieldId) ?? [],
    knownPersons: dir.persons,
    knownCompanies: dir.companies,
  });
  const input = {
    listId: binding.listId,
    scan,
    remote: remote.state,
    columns,
    policy: opts.policy,
    choices: opts.choices,
  };
  let plan = planPush({ ...input, parse: parseWith(opt.options) });
  let optionRequests = opt.requests;

  // An option may have been added in Affinity since the options were cached: fetch those fields' options again.
  const now = deps.clock.now();
  const isStale = (fieldId: string) => {
    const at = opt.cachedAt.get(fieldId);
    return at !== undefined && now - at > OPTIONS_RECHECK_MS;
  };
  const stale = [
    ...new Set(plan.decisions.filter((d) => d.status === 'invalid' && isStale(d.columnId)).map((d) => d.columnId)),
  ];
  if (stale.length > 0) {
    const fresh = dropdownOptionsOf(getClient, deps.cache, binding.listId, stale, now, true);
    optionRequests += fresh.requests;
    for (const [f, list] of fresh.options) opt.options.set(f, list);
    plan = planPush({ ...input, parse: parseWith(opt.options) });
  }
  return {
    sheet,
    tab,
    stored,
    check: base.check,
    scan,
    plan,
    columns,
    codec,
    strategy: remote.strategy,
    reads: fieldRequests + remote.requests + optionRequests + added.result.requests - added.result.creates,
    readBatches: remote.batches + added.result.batches,
    client,
    formulas,
    added,
    waiting,
  };
}

const emptyParse: ParseContext = { dropdownOptions: () => [], knownPersons: [], knownCompanies: [] };

// ---- preview ---------------------------------------------------------------------------------------------------------

export function previewBinding(
  ss: Spreadsheet,
  binding: Binding,
  deps: PushDeps,
  opts: { policy: ConflictPolicy; deadline?: number; gate?: PushGate },
): PushPreview {
  const p = prepare(ss, binding, deps, { ...opts, formulas: 'confirm', dryRun: true });
  const data = { ...previewOf(p.plan), additions: p.added.additions(p.columns, p.codec) };
  data.notSent.push(
    ...leftEditsForPreview(p.tab, p.stored.snapshot, loadColumnSpecs(deps.doc, binding.sheetId), p.codec),
  );
  if (opts.gate) previewEditors(data, opts.gate, p.columns);
  const waiting = p.waiting.entries > 0 ? { waiting: p.waiting } : {};
  // Pushing reads Affinity again (the check must be fresh), then writes.
  const reads = p.scan.entries.size === 0 ? 0 : readStrategy(p.scan.entries.size, p.stored.snapshot.rows.size).requests;
  // New rows: the push searches and checks again, then creates each new entry (its values go in the PATCHes).
  const creates = (data.additions ?? []).filter((a) => a.entryId === 0);
  const writes = p.plan.requests.length + creates.length + creates.filter((a) => a.values.length > 0).length;
  const readsNew = p.added.result.requests;
  return {
    ...data,
    sheetId: binding.sheetId,
    tabName: p.sheet.getName(),
    viewName: binding.viewName,
    policy: opts.policy,
    policyLabel: POLICY_LABELS[opts.policy],
    cost: { reads: reads + readsNew, writes, total: reads + readsNew + writes },
    ...waiting,
  };
}

// ---- push ---------------------------------------------------------------------------------------------------------

/** The change log's User cell: who pushed, and who made the edit. */
function creditLine(
  pusher: string,
  gate: PushGate,
  entryId: number,
  field: string,
  columns: Map<string, ColumnSpec>,
): string {
  const id = [...columns.values()].find((c) => c.name === field)?.id;
  const editor = id === undefined ? undefined : gate.editorOf(entryId, id);
  return editor ? `edited by ${editor}; pushed by ${pusher || 'unknown'}` : pusher;
}

export function pushBinding(ss: Spreadsheet, binding: Binding, deps: PushDeps, opts: PushRunOptions): PushSummary {
  const started = deps.clock.now();
  const p = prepare(ss, binding, deps, { ...opts, deadline: opts.deadline ?? started + SEND_DEADLINE_MS });
  const { plan } = p;
  let results: RequestResult[] = [];
  let writeBatches = 0;
  if (plan.requests.length > 0) {
    const client = p.client ?? deps.client();
    const sent = sendInBatches(
      client,
      deps.clock,
      plan.requests,
      (batch) => client.updateEntries(batch),
      opts.deadline ?? started + SEND_DEADLINE_MS,
    );
    writeBatches = sent.batches;
    results = sent.outcomes.map((o) => (o.ok ? { ok: true } : { ok: false, message: o.error.message }));
  }
  const out = settlePush({
    plan,
    results,
    scan: p.scan,
    tab: p.tab,
    snapshot: p.added.base,
    columns: p.columns,
    codec: p.codec,
  });

  writeBlocks(p.sheet, out.valueBlocks, out.noteBlocks);
  rememberFormulas(deps.doc, binding.sheetId, p.formulas, settledCells(plan, results));
  const baseMoved =
    out.counts.sent + out.counts.alreadyInAffinity + out.counts.takenFromAffinity + p.added.result.added.length > 0;
  if (baseMoved) {
    const next = withUnverifiedRows(out.snapshot, p.stored.snapshot, p.check);
    const digest = stageBase(deps.doc, binding.sheetId, next, p.check);
    writeSnapshot(ss, binding.sheetId, next, p.stored);
    commitBase(deps.doc, binding.sheetId, digest);
  }
  const tabName = p.sheet.getName();
  if (out.log.length + p.added.result.added.length > 0) {
    const time = opts.timestamp();
    appendChangeLog(
      ss,
      [...p.added.logLines(), ...out.log].map((l) => ({
        time,
        user: opts.gate ? creditLine(opts.user, opts.gate, l.entryId, l.field, p.columns) : opts.user,
        tab: tabName,
        entryId: l.entryId,
        entity: l.entityName,
        field: l.field,
        old: l.old,
        new: l.new,
        result: l.result,
      })),
    );
  }
  if (out.resolved.length > 0 && pendingMarksOn(deps.doc))
    clearPendingMarks(p.sheet, out.resolved, p.tab.width, p.tab.values.length);

  const c = out.counts;
  const writes = results.length + p.added.result.creates;
  const summary: PushSummary = {
    tabName,
    policy: opts.policy,
    sent: c.sent,
    failed: c.failed,
    alreadyInAffinity: c.alreadyInAffinity,
    conflicts: c.conflicts,
    takenFromAffinity: c.takenFromAffinity,
    invalid: c.invalid,
    notSent: c.readOnly + c.locked + c.unreadable,
    notSynced: c.unsynced,
    heldFormulas: p.formulas.held.length,
    added: p.added.result.added.filter((a) => a.created).length,
    bound: p.added.result.added.filter((a) => !a.created).length,
    requests: { reads: p.reads, writes, total: p.reads + writes, batches: p.readBatches + writeBatches },
    failures: out.failures.map((f) => ({ entryId: f.entryId, entity: f.entityName, message: f.message })),
    message: '',
  };
  if (opts.gate && opts.gate.held().length > 0) summary.heldForOthers = heldEdits(opts.gate, p.scan, p.columns);
  if (p.waiting.entries > 0) summary.waiting = p.waiting;
  summary.message = pushMessage(summary);
  deps.log.log(
    `Pushed “${tabName}”: ${c.sent} sent, ${c.failed} failed, ${c.alreadyInAffinity} already in Affinity, ${c.conflicts} conflicts, ` +
      `${c.takenFromAffinity} taken from Affinity, ${c.invalid} invalid, ${summary.notSent} not sendable, ${c.unsynced} rows not synced; ` +
      `${p.reads} reads (${p.strategy.mode}), ${writes} writes in ${writeBatches} batches` +
      (p.waiting.entries > 0 ? `; ${p.waiting.entries} edited entries wait for the next execution` : ''),
  );
  return summary;
}

/** A push whose outcome shows on the tab's card (sync/bindings.ts); a failure is recorded, then thrown on. */
export function pushAndRecord(ss: Spreadsheet, binding: Binding, deps: PushDeps, opts: PushRunOptions): PushSummary {
  try {
    const summary = pushBinding(ss, binding, deps, opts);
    recordOutcome(deps.doc, binding.sheetId, 'lastPush', {
      at: Date.now(),
      ok: summary.failed === 0,
      message: summary.message,
    });
    return summary;
  } catch (e) {
    // A check that does not fit this execution is no failure: the edits stay pending and the push goes on later.
    if (!(e instanceof ReadDoesNotFit))
      recordOutcome(deps.doc, binding.sheetId, 'lastPush', { at: Date.now(), ok: false, message: userMessage(e) });
    throw e;
  }
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function pushMessage(s: PushSummary): string {
  const parts: string[] = [];
  if (s.added) parts.push(`${plural(s.added, 'entry', 'entries')} added to the list`);
  if (s.bound) parts.push(`${plural(s.bound, 'new row', 'new rows')} matched to entries already on the list`);
  if (s.sent > 0) parts.push(`${plural(s.sent, 'change', 'changes')} sent to Affinity`);
  if (s.alreadyInAffinity > 0)
    parts.push(`${plural(s.alreadyInAffinity, 'edit was', 'edits were')} already in Affinity`);
  if (s.failed > 0) parts.push(`${plural(s.failed, 'change', 'changes')} refused by Affinity`);
  if (s.conflicts > 0)
    parts.push(`${plural(s.conflicts, 'conflict', 'conflicts')} flagged (changed in Affinity too), not sent`);
  if (s.takenFromAffinity > 0)
    parts.push(`${plural(s.takenFromAffinity, 'edit', 'edits')} replaced by Affinity's newer value`);
  if (s.invalid > 0) parts.push(`${plural(s.invalid, 'value', 'values')} that can't be sent as typed`);
  if (s.notSent > 0) parts.push(`${plural(s.notSent, 'edit', 'edits')} in cells that can't be changed from the sheet`);
  if (s.notSynced > 0) parts.push(`${plural(s.notSynced, 'row', 'rows')} not synced`);
  if (s.heldFormulas)
    parts.push(
      `${plural(s.heldFormulas, 'formula waits', 'formulas wait')} for a push from the menu (a scheduled run never sends a formula's value)`,
    );
  if (s.heldForOthers?.length) parts.push(heldText(s.heldForOthers));
  if (s.waiting)
    parts.push(
      `${plural(s.waiting.edits, 'edit', 'edits')} of ${plural(s.waiting.entries, 'entry', 'entries')} not checked yet ` +
        `(more than one execution's time): they stay pending for the next part of the push`,
    );
  if (parts.length === 0) return `${s.tabName}: nothing to push.`;
  const seeNotes =
    s.failed + s.conflicts + s.invalid + s.notSent + s.notSynced + s.takenFromAffinity > 0
      ? ' See the notes on those cells.'
      : '';
  return `${s.tabName}: ${parts.join('; ')}.${seeNotes}`;
}
