/**
 * AppsScriptHarness: runs the built bundle (dist/Code.js, exactly what clasp pushes) in a bare
 * node:vm context per execution, with in-memory Apps Script services whose state persists across
 * executions, a virtual clock, call counting, and the platform's limits.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { types } from 'node:util';
import * as vm from 'node:vm';
import { type CostModel, DEFAULT_COSTS } from './costs';
import type { AuthModeName } from './env';
import { EXCEEDED_TIME, HarnessExecutionError, ScriptError, UserEditRejected } from './errors';
import { emptyMetrics, type ExecutionKind, type ExecutionMetrics } from './metrics';
import { resolveMemoryLimit } from './memory';
import { type NetworkModel, type NetworkOption, resolveNetwork } from './network';
import type { PropertyStore } from './properties';
import { DEFAULT_QUOTAS, type Quotas, TRIGGER_RUNTIME_MESSAGE } from './quotas';
import { ExecutionRuntime, HostEnv } from './runtime';
import { nextFiring, type TriggerModel } from './script-app';
import { UserApi } from './session';
import { parseA1 } from './spreadsheet/a1';
import { passesValidation, RangeApi, SheetApi, SpreadsheetApi } from './spreadsheet/api';
import { displayValue, type FormulaEvaluator, interpret, type Interpreted } from './spreadsheet/values';
import { type HarnessState, HarnessState as State, type LogEntry, type Manifest } from './state';
import { unsupportedSyntax } from './syntax-check';
import type { CacheStore } from './cache';
import type { UiState } from './ui';
import type { FetchLogEntry } from './url-fetch';

/** The real-time watchdog's allowance when memory is measured (forced collections take real time: see watchdogMs). */
const GC_WATCHDOG_ALLOWANCE = 4;

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface HarnessOptions {
  /** Default <repo>/dist/Code.js. */
  codePath?: string;
  /** Script source to run instead of codePath. */
  code?: string;
  /** Where HtmlService.createHtmlOutputFromFile(name) reads <name>.html (default <repo>/dist). */
  htmlDir?: string;
  /** Default: <repo>/appsscript.json. Fetches outside urlFetchWhitelist throw as in Apps Script. */
  manifest?: { urlFetchWhitelist?: string[]; timeZone?: string; oauthScopes?: string[] };
  /** URL prefix → real target, e.g. {'https://api.affinity.co/': 'http://127.0.0.1:5123/'}. */
  routes?: Record<string, string>;
  /** Default 'America/New_York'. */
  spreadsheetTimeZone?: string;
  /** Active user email, default 'owner@example.com'. */
  user?: string;
  /** Owner of the spreadsheet and script (default: `user`). */
  owner?: string;
  /** Virtual epoch ms at start (default 2026-01-05T14:00:00Z). */
  startTime?: number;
  costs?: Partial<CostModel>;
  /**
   * Network model (network.ts): 'fast' (120 ms a request, unbounded fetchAll) or 'realistic' (Affinity's latency by
   * page size, UrlFetchApp's overhead, fetchAll 10 at a time), or a model with some figures changed. Default: the
   * environment variable HARNESS_NETWORK, else 'realistic'.
   */
  network?: NetworkOption;
  /**
   * Memory ceiling per execution (memory.ts): true = 256 MB of heap growth, a number of MB, false = measured only.
   * Default: the environment variable HARNESS_MEMORY_LIMIT_MB ("on", "off" or MB), else measured only.
   */
  memoryLimitMB?: number | boolean;
  /** Force a full GC before each execution so its heap baseline is the live heap (default: when a ceiling is set). */
  gcBeforeExecution?: boolean;
  /** Default 360,000 (6 minutes); simple triggers get 30,000. */
  executionLimitMs?: number;
  /** Echo Logger/console lines to stdout. */
  verbose?: boolean;
  /** Daily quotas (defaults: consumer account). */
  quotas?: Partial<Quotas>;
  /** Real per-request HTTP timeout (default 60,000 ms, UrlFetchApp's). */
  fetchTimeoutMs?: number;
  /** A fixed answer for every formula cell instead of the formula engine (e.g. `() => '#NAME?'`). */
  formulaValue?: FormulaEvaluator;
  /**
   * A deliberately divergent Google, only to test that *Affinity › Check this spreadsheet* reports each difference:
   * Plain-text cells drop a leading apostrophe, the active user's email is always empty, there is no trigger limit,
   * and property values are limited in characters instead of UTF-8 bytes (docs/harness.md, "Divergent mode").
   */
  divergent?: boolean;
  /** Remove one-shot (after/at) clock triggers once they fired (default false: they stay listed, as the harness assumes Apps Script does). */
  deleteFiredOneShotTriggers?: boolean;
  /** Refuse a bundle using syntax Apps Script cannot parse (#private members, static class fields/blocks). Default true. */
  checkSyntax?: boolean;
}

export interface RunOptions {
  kind?: ExecutionKind;
  user?: string;
  /** Kill the execution after this many service calls (the next call fails as a timeout would). */
  abortAfterCalls?: number;
  /** Record the execution's service calls in order (`metrics.callTrace`), to pick kill points. */
  traceCalls?: boolean;
  /** Override the time limit for this execution. */
  limitMs?: number;
  /** For kind 'installable-trigger': which event started it (default 'CLOCK', where getUi() is refused). */
  eventType?: 'CLOCK' | 'ON_OPEN' | 'ON_EDIT' | 'ON_CHANGE' | 'ON_FORM_SUBMIT';
}

export interface UserEditOptions {
  user?: string;
}

export interface ProtectionWarning {
  sheet: string;
  a1: string;
  user: string;
  description: string;
  at: number;
}

type EventFactory = (rt: ExecutionRuntime) => unknown[];

interface ExecOptions {
  fn: string;
  kind: ExecutionKind;
  user: string;
  authMode: AuthModeName;
  limitMs: number;
  args?: unknown[];
  makeArgs?: EventFactory;
  triggerUid?: string;
  triggerEventType?: string | null;
  abortAfterCalls?: number;
  traceCalls?: boolean;
  /** Skip silently (no record) when the function does not exist (simple triggers). */
  optional?: boolean;
  /** Record failures without throwing (triggers fired by the harness). */
  quiet?: boolean;
  rpc?: boolean;
}

const FN_NAME = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
const NOT_FOUND = Symbol('not-found');
const DEFAULT_START = Date.UTC(2026, 0, 5, 14, 0, 0);

function readManifest(): Manifest {
  const file = path.join(REPO_ROOT, 'appsscript.json');
  try {
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
    return { timeZone: m.timeZone ?? 'Etc/UTC', urlFetchWhitelist: m.urlFetchWhitelist, oauthScopes: m.oauthScopes };
  } catch {
    return { timeZone: 'Etc/UTC' };
  }
}

export class AppsScriptHarness {
  /** Kill the next execution after this many service calls (consumed by that execution). */
  abortAfterCalls?: number;
  /** Executions in order (runs, triggers fired by advance/userEdit/openSpreadsheet). */
  readonly executions: ExecutionMetrics[] = [];
  /** Edits that went through a warning-only protection. */
  readonly protectionWarnings: ProtectionWarning[] = [];
  /** The spreadsheet, through the Apps Script API, without counting or virtual time. */
  readonly spreadsheet: SpreadsheetApi;
  readonly properties: {
    user(email?: string): PropertyStore;
    readonly document: PropertyStore;
    readonly script: PropertyStore;
  };
  readonly cache: { user(email?: string): CacheStore; readonly document: CacheStore; readonly script: CacheStore };
  readonly clock: { now(): number };
  /** Active user for the next executions and edits. */
  user: string;
  /** Record the calls (and the CPU at each) of executions fired by triggers too (`metrics.callTrace`, `callCpuMs`). */
  traceTriggers = false;
  readonly state: HarnessState;
  private readonly script: vm.Script;
  private readonly limitMs: number;
  private readonly host: HostEnv;
  private readonly callScripts = new Map<string, vm.Script>();
  private readonly callKey = `__harness_call_${Math.random().toString(36).slice(2)}`;
  private readonly deleteFiredOneShots: boolean;

  constructor(opts: HarnessOptions = {}) {
    const code = opts.code ?? fs.readFileSync(opts.codePath ?? path.join(REPO_ROOT, 'dist', 'Code.js'), 'utf8');
    const filename = opts.codePath ? path.basename(opts.codePath) : 'Code.js';
    this.script = new vm.Script(code, { filename });
    if (opts.checkSyntax !== false) {
      const problems = unsupportedSyntax(code);
      if (problems.length > 0) {
        throw new SyntaxError(
          `${filename} uses syntax Apps Script's V8 runtime cannot parse: ` +
            problems.map((p) => `${p.what} at ${p.line}:${p.column}`).join('; '),
        );
      }
    }
    const fileManifest = opts.manifest ? undefined : readManifest();
    const manifest: Manifest = opts.manifest
      ? {
          timeZone: opts.manifest.timeZone ?? 'Etc/UTC',
          urlFetchWhitelist: opts.manifest.urlFetchWhitelist,
          oauthScopes: opts.manifest.oauthScopes,
        }
      : fileManifest!;
    const routes = Object.entries(opts.routes ?? {}).sort((a, b) => b[0].length - a[0].length);
    this.user = opts.user ?? 'owner@example.com';
    const owner = opts.owner ?? this.user;
    this.limitMs = opts.executionLimitMs ?? 360_000;
    this.deleteFiredOneShots = opts.deleteFiredOneShotTriggers === true;
    this.state = new State(
      { ...DEFAULT_COSTS, ...(opts.costs ?? {}) },
      manifest,
      routes,
      owner,
      opts.spreadsheetTimeZone ?? 'America/New_York',
      opts.startTime ?? DEFAULT_START,
      { ...DEFAULT_QUOTAS, ...(opts.quotas ?? {}) },
      opts.htmlDir ?? path.join(REPO_ROOT, 'dist'),
      opts.fetchTimeoutMs ?? 60_000,
      opts.formulaValue ?? null,
      opts.verbose === true,
    );
    this.state.network = resolveNetwork(opts.network);
    this.state.divergent = opts.divergent === true;
    for (const store of [this.state.scriptProperties, this.state.documentProperties])
      store.divergent = this.state.divergent;
    this.state.memoryLimitBytes = resolveMemoryLimit(opts.memoryLimitMB);
    this.state.gcBeforeExecution = opts.gcBeforeExecution ?? this.state.memoryLimitBytes !== null;
    this.host = new HostEnv(this.state, () => this.user);
    this.spreadsheet = new SpreadsheetApi(this.host, this.state.spreadsheet);
    const st = this.state;
    this.properties = {
      user: (email?: string) => st.userProperties(email ?? this.user),
      document: st.documentProperties,
      script: st.scriptProperties,
    };
    this.cache = {
      user: (email?: string) => st.userCache(email ?? this.user),
      document: st.documentCache,
      script: st.scriptCache,
    };
    this.clock = { now: () => st.clock };
  }

  // ---- inspection --------------------------------------------------------------------------

  get lastExecution(): ExecutionMetrics {
    const e = this.executions[this.executions.length - 1];
    if (!e) throw new Error('No execution has run yet.');
    return e;
  }
  get ui(): UiState {
    return this.state.ui;
  }
  get logs(): string[] {
    return this.state.logs;
  }
  get logEntries(): LogEntry[] {
    return this.state.logEntries;
  }
  get fetchLog(): FetchLogEntry[] {
    return this.state.fetchLog;
  }
  get triggers(): readonly TriggerModel[] {
    return this.state.triggers;
  }
  get costs(): Readonly<CostModel> {
    return this.state.costs;
  }
  /** The network model in use. */
  get network(): Readonly<NetworkModel> {
    return this.state.network;
  }
  /** The memory ceiling in bytes, or null when heap growth is only measured. */
  get memoryLimitBytes(): number | null {
    return this.state.memoryLimitBytes;
  }
  /** A sheet through the uncounted host API. */
  sheet(name: string): SheetApi {
    const s = this.spreadsheet.getSheetByName(name);
    if (!s) throw new Error(`No sheet named ${name}`);
    return s;
  }

  // ---- executions --------------------------------------------------------------------------

  /** One execution of a top-level function, as if run from the editor (full authorization). */
  run(fn: string, ...args: unknown[]): unknown {
    return this.runWith({}, fn, ...args);
  }

  runAs(kind: 'menu' | 'simple-trigger' | 'installable-trigger' | 'rpc', fn: string, ...args: unknown[]): unknown {
    return this.runWith({ kind }, fn, ...args);
  }

  runWith(options: RunOptions, fn: string, ...args: unknown[]): unknown {
    const kind = options.kind ?? 'direct';
    const simple = kind === 'simple-trigger';
    if (kind === 'rpc') {
      if (fn.endsWith('_'))
        throw new Error(`google.script.run cannot call ${fn}: functions whose names end in "_" are private.`);
      for (const a of args) checkRpcValue(a, 'argument');
    }
    const abort = options.abortAfterCalls ?? this.abortAfterCalls;
    this.abortAfterCalls = undefined;
    return this.execute({
      fn,
      kind,
      user: options.user ?? this.user,
      authMode: simple ? 'LIMITED' : 'FULL',
      limitMs: options.limitMs ?? (simple ? 30_000 : this.limitMs),
      args,
      abortAfterCalls: abort,
      traceCalls: options.traceCalls,
      triggerEventType: kind === 'installable-trigger' ? (options.eventType ?? 'CLOCK') : null,
      rpc: kind === 'rpc',
    });
  }

  /** Clicks a menu item added by the script (runs its function as a menu execution). */
  clickMenu(menuName: string, caption: string): unknown {
    const menu = this.state.ui.menus.find((m) => m.name === menuName);
    const item = menu?.items.find((i) => i.caption === caption);
    if (!item) throw new Error(`No menu item "${menuName} > ${caption}"`);
    return this.runWith({ kind: 'menu' }, item.fn);
  }

  private execute(o: ExecOptions): unknown {
    if (!FN_NAME.test(o.fn)) throw new Error(`Not a function name: ${o.fn}`);
    const st = this.state;
    const rt = new ExecutionRuntime(st, {
      fn: o.fn,
      kind: o.kind,
      user: o.user,
      authMode: o.authMode,
      limitMs: o.limitMs,
      triggerUid: o.triggerUid,
      triggerEventType: o.triggerEventType,
      abortAfterCalls: o.abortAfterCalls,
      traceCalls: o.traceCalls,
    });
    st.activeNow = () => rt.now();
    st.currentFn = o.fn;
    let result: unknown;
    let failure: { value: unknown } | null = null;
    let notFound = false;
    try {
      rt.beginScript();
      this.script.runInContext(rt.ctx, { timeout: this.watchdogMs(rt) });
      const args = o.makeArgs ? o.makeArgs(rt) : (o.args ?? []).map((a) => rt.toRealm(a));
      const r = this.invokeEntry(rt, o.fn, args);
      if (r === NOT_FOUND) notFound = true;
      else result = r;
    } catch (e) {
      failure = { value: e };
    } finally {
      rt.finish();
      st.activeNow = null;
      st.currentFn = null;
    }
    if (notFound && o.optional) return undefined;
    const m = rt.metrics;
    let message: string | undefined;
    let name = 'Error';
    if (rt.killedBy || (failure && isWatchdog(failure.value))) {
      if (failure && isWatchdog(failure.value)) rt.killedByWatchdog();
      m.killed ??= rt.killedBy?.reason ?? 'time-limit';
      message = rt.killedBy?.message ?? EXCEEDED_TIME;
    } else if (notFound) {
      message = `Script function not found: ${o.fn}`;
      name = 'Exception';
    } else if (failure) {
      const e = failure.value;
      if (rt.isRealmError(e) || e instanceof Error) {
        message = String((e as Error).message);
        name = String((e as Error).name ?? 'Error');
        if (e instanceof Error && !(e instanceof ScriptError) && !rt.isRealmError(e))
          m.internalErrors.push(e.stack ?? e.message);
      } else {
        message = String(e);
      }
    }
    if (message !== undefined) m.error = message;
    this.executions.push(m);
    if (message !== undefined) {
      if (o.quiet) return undefined;
      throw new HarnessExecutionError(message, m, failure?.value, name);
    }
    const out = toHost(result);
    if (o.rpc) {
      const bad = findIllegalRpc(out);
      if (bad) return null;
    }
    return out;
  }

  private watchdogMs(rt: ExecutionRuntime): number {
    // A safety net for CPU loops that make no service call: the remaining budget in real time.
    // (Real waits inside services also count here; with cpuFactor > 1 that can end a run early.)
    const f = this.state.costs.cpuFactor > 0 ? this.state.costs.cpuFactor : 1;
    // Measuring memory, the harness's own full collections run inside the execution's real time (each one traces the
    // spreadsheet model too: about a second at 60,000 × 32 cells); they are the harness's time, not the script's.
    const measuring = this.state.gcBeforeExecution ? GC_WATCHDOG_ALLOWANCE : 1;
    return Math.max(1000, Math.ceil((Math.max(0, rt.remainingMs()) / f) * measuring) + 1000);
  }

  private invokeEntry(rt: ExecutionRuntime, fn: string, args: unknown[]): unknown {
    let script = this.callScripts.get(fn);
    if (!script) {
      const parts = fn.split('.');
      const owner = parts.length > 1 ? parts.slice(0, -1).join('.') : 'undefined';
      script = new vm.Script(
        `(function () {
  var c = globalThis[${JSON.stringify(this.callKey)}];
  delete globalThis[${JSON.stringify(this.callKey)}];
  var f, self;
  try { self = ${owner}; f = ${fn}; } catch (e) { f = undefined; }
  if (typeof f !== 'function') return c.notFound;
  var r = f.apply(self, c.args);
  if (r !== null && typeof r === 'object' && typeof r.then === 'function') {
    r.then(function (v) { c.settle(true, v); }, function (e) { c.settle(false, e); });
    return c.pending;
  }
  return r;
})()`,
        { filename: 'apps-script-entry.js' },
      );
      this.callScripts.set(fn, script);
    }
    const pending = {};
    let settled: { ok: boolean; value: unknown } | null = null;
    const box = rt.object();
    box.args = rt.array(args);
    box.notFound = NOT_FOUND;
    box.pending = pending;
    box.settle = (ok: boolean, value: unknown) => {
      settled = { ok, value };
    };
    rt.setGlobal(this.callKey, box);
    const r = script.runInContext(rt.ctx, { timeout: this.watchdogMs(rt) });
    if (r === pending) {
      const s = settled as { ok: boolean; value: unknown } | null;
      if (!s) return undefined;
      if (!s.ok) throw s.value;
      return s.value;
    }
    return r;
  }

  // ---- user actions ------------------------------------------------------------------------

  /** Opens the spreadsheet: menus reset, the simple onOpen (if the bundle defines one) and installable onOpen triggers fire. */
  openSpreadsheet(options: UserEditOptions = {}): void {
    const user = options.user ?? this.user;
    this.state.ui.menus = [];
    const ss = this.state.spreadsheet;
    const event = (rt: ExecutionRuntime, mode: AuthModeName, uid?: string) => {
      const e = rt.object();
      e.authMode = rt.enumValue('AuthMode', mode);
      e.source = rt.wrap(new SpreadsheetApi(rt, ss));
      e.user = rt.wrap(new UserApi(rt, mode === 'LIMITED' && user !== this.state.owner ? '' : user));
      if (uid) e.triggerUid = uid;
      return [e];
    };
    this.execute({
      fn: 'onOpen',
      kind: 'simple-trigger',
      user,
      authMode: 'LIMITED',
      limitMs: 30_000,
      makeArgs: (rt) => event(rt, 'LIMITED'),
      optional: true,
      quiet: true,
    });
    for (const t of this.spreadsheetTriggers('ON_OPEN')) {
      this.fireInstallable(t, (rt) => event(rt, 'FULL', t.uid));
    }
  }

  /**
   * A person types or pastes `values` at `a1` of `sheetName`: user-entered semantics, data
   * validation that rejects input and protections are enforced (UserEditRejected), then the simple
   * onEdit (if defined) and installable onEdit/onChange triggers fire with real event objects.
   */
  userEdit(sheetName: string, a1: string, values: unknown[][], options: UserEditOptions = {}): void {
    const st = this.state;
    const ss = st.spreadsheet;
    const user = options.user ?? this.user;
    const sheet = ss.sheetByName(sheetName);
    if (!sheet) throw new Error(`No sheet named ${sheetName}`);
    if (
      !Array.isArray(values) ||
      values.length === 0 ||
      !values.every((r) => Array.isArray(r) && r.length === values[0].length && r.length > 0)
    ) {
      throw new Error('userEdit values must be a non-empty rectangular 2-D array');
    }
    const ref = parseA1(a1);
    const r1 = ref.r1 ?? 1;
    const c1 = ref.c1 ?? 1;
    const nr = values.length;
    const nc = values[0].length;
    const single = ref.r2 === ref.r1 && ref.c2 === ref.c1;
    if (!single && ref.r2 !== null && ref.c2 !== null && (ref.r2 - r1 + 1 !== nr || ref.c2 - c1 + 1 !== nc)) {
      throw new Error(`userEdit: ${a1} is ${ref.r2 - r1 + 1}x${ref.c2 - c1 + 1} but values are ${nr}x${nc}`);
    }
    sheet.checkBounds(r1, c1, nr, nc);
    const blocking = ss.blockingProtection(sheet, r1 - 1, c1 - 1, nr, nc, user);
    if (blocking) {
      throw new UserEditRejected(
        'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.',
      );
    }
    for (const p of ss.protectionsOver(sheet, r1 - 1, c1 - 1, nr, nc)) {
      if (p.warningOnly)
        this.protectionWarnings.push({ sheet: sheet.name, a1, user, description: p.description, at: st.clock });
    }
    // data validation that rejects input
    const scratch: Interpreted = { v: '', f: undefined, nf: undefined };
    for (let i = 0; i < nr; i++) {
      for (let j = 0; j < nc; j++) {
        const x = sheet.extra(r1 - 1 + i, c1 - 1 + j);
        if (!x?.dv || x.dv.allowInvalid) continue;
        interpret(values[i][j], x.nf, ss.timeZone, st.clock, st.formulaEvaluator, scratch);
        if (!passesValidation(x.dv, scratch.v, displayValue(scratch.v, scratch.nf ?? x.nf))) {
          const cell = new RangeApi(this.host, sheet, r1 + i, c1 + j, 1, 1).getA1Notation();
          throw new UserEditRejected(
            `There was a problem\nThe data you entered in cell ${cell} violates the data validation rules set on this cell.`,
          );
        }
      }
    }
    const oldValue = nr === 1 && nc === 1 ? sheet.value(r1 - 1, c1 - 1) : undefined;
    sheet.writeValues(r1 - 1, c1 - 1, values, { tz: ss.timeZone, now: st.clock, evaluate: st.formulaEvaluator });
    const newValue = nr === 1 && nc === 1 ? values[0][0] : undefined;

    const event = (rt: ExecutionRuntime, mode: AuthModeName, uid?: string) => {
      const e = rt.object();
      e.authMode = rt.enumValue('AuthMode', mode);
      e.range = rt.wrap(new RangeApi(rt, sheet, r1, c1, nr, nc));
      e.source = rt.wrap(new SpreadsheetApi(rt, ss));
      e.user = rt.wrap(new UserApi(rt, mode === 'LIMITED' && user !== st.owner ? '' : user));
      e.rowStart = r1;
      e.columnStart = c1;
      e.rowEnd = r1 + nr - 1;
      e.columnEnd = c1 + nc - 1;
      if (nr === 1 && nc === 1) {
        if (newValue !== null && newValue !== undefined && newValue !== '')
          e.value = types.isDate(newValue) ? String(newValue) : String(newValue);
        if (oldValue !== '' && oldValue !== undefined) e.oldValue = String(oldValue);
      }
      if (uid) e.triggerUid = uid;
      return [e];
    };
    this.execute({
      fn: 'onEdit',
      kind: 'simple-trigger',
      user,
      authMode: 'LIMITED',
      limitMs: 30_000,
      makeArgs: (rt) => event(rt, 'LIMITED'),
      optional: true,
      quiet: true,
    });
    for (const t of this.spreadsheetTriggers('ON_EDIT')) this.fireInstallable(t, (rt) => event(rt, 'FULL', t.uid));
    for (const t of this.spreadsheetTriggers('ON_CHANGE')) {
      this.fireInstallable(t, (rt) => {
        const e = rt.object();
        e.authMode = rt.enumValue('AuthMode', 'FULL');
        e.changeType = 'EDIT';
        e.source = rt.wrap(new SpreadsheetApi(rt, ss));
        e.user = rt.wrap(new UserApi(rt, user));
        e.triggerUid = t.uid;
        return [e];
      });
    }
  }

  private spreadsheetTriggers(type: TriggerModel['eventType']): TriggerModel[] {
    return this.state.triggers.filter((t) => t.eventType === type && t.sourceId === this.state.spreadsheet.id);
  }

  /** Runs an installable trigger as its owner (failures are recorded, not thrown). */
  private fireInstallable(t: TriggerModel, makeArgs: EventFactory): ExecutionMetrics | undefined {
    const st = this.state;
    if (st.quotas.triggerRuntimeExhausted(t.owner, st.clock)) {
      const m: ExecutionMetrics = {
        ...emptyMetrics(t.handler, 'installable-trigger', t.owner, st.clock),
        triggerUid: t.uid,
        error: TRIGGER_RUNTIME_MESSAGE,
      };
      this.executions.push(m);
      return m;
    }
    const before = this.executions.length;
    this.execute({
      fn: t.handler,
      kind: 'installable-trigger',
      user: t.owner,
      authMode: 'FULL',
      limitMs: this.limitMs,
      makeArgs,
      triggerUid: t.uid,
      triggerEventType: t.eventType,
      traceCalls: this.traceTriggers,
      quiet: true,
    });
    const m = this.executions.length > before ? this.executions[this.executions.length - 1] : undefined;
    if (m) st.quotas.addTriggerRuntime(t.owner, st.clock, m.virtualMs);
    return m;
  }

  /**
   * Moves the virtual clock forward, firing due time-driven triggers in time order, each as its
   * own execution (which itself takes virtual time). Returns the executions that ran.
   */
  /**
   * File › Make a copy, from the copy's side: after this call the harness IS the copy, and the original is left
   * behind. What a copy keeps and loses follows Google's documentation: copying a container copies its bound script
   * ("Container-bound scripts": a copy of the file gets a copy of the script, a new project), and with it the tabs
   * (hidden ones too), their developer metadata and protections, and the document properties (stored with the
   * document); it does not copy installable triggers ("Installable triggers": they belong to the project and user
   * that created them) nor user properties or caches (per user and per script project: the copy is a new project).
   * Script properties are kept (ASSUMED: stored with the project's content; docs/harness.md). The copy gets a new
   * spreadsheet id and script id, and the name "Copy of …".
   */
  makeCopy(): void {
    const st = this.state as unknown as {
      scriptId: string;
      userProps: Map<string, unknown>;
      userCaches: Map<string, unknown>;
      triggers: unknown[];
    };
    const model = this.state.spreadsheet;
    model.id = `${model.id.slice(0, 20)}copy${createHash('sha1').update(`${model.id}:${this.state.clock}`).digest('hex').slice(0, 16)}`;
    model.name = `Copy of ${model.name}`;
    st.scriptId = `${this.state.scriptId}Copy`;
    st.triggers = [];
    st.userProps.clear();
    st.userCaches.clear();
    this.state.scriptCache.entries.clear();
    this.state.documentCache.entries.clear();
  }

  advance(ms: number): ExecutionMetrics[] {
    if (!(ms >= 0)) throw new Error('advance: ms must be >= 0');
    const st = this.state;
    const target = st.clock + ms;
    const ran: ExecutionMetrics[] = [];
    for (;;) {
      let next: TriggerModel | null = null;
      for (const t of st.triggers) {
        if (t.eventType !== 'CLOCK' || t.nextAt === null || t.nextAt === undefined || t.nextAt > target) continue;
        if (!next || t.nextAt < next.nextAt! || (t.nextAt === next.nextAt && t.createdAt < next.createdAt)) next = t;
      }
      if (!next) break;
      const t = next;
      const fireAt = t.nextAt!;
      st.clock = Math.max(st.clock, fireAt);
      t.fired++;
      t.nextAt = t.schedule!.kind === 'once' ? null : nextFiring(t.schedule!, fireAt, t.createdAt);
      const m = this.fireInstallable(t, (rt) => [clockEvent(rt, st.clock, t.uid)]);
      if (m) ran.push(m);
      if (t.schedule!.kind === 'once' && this.deleteFiredOneShots) st.triggers = st.triggers.filter((x) => x !== t);
      // an execution that overran its period: the missed firings are skipped
      while (t.nextAt !== null && t.nextAt !== undefined && t.nextAt <= st.clock && t.schedule!.kind !== 'once') {
        t.nextAt = nextFiring(t.schedule!, t.nextAt, t.createdAt);
      }
    }
    st.clock = Math.max(st.clock, target);
    return ran;
  }

  /** Simulates another execution holding a lock until the given virtual time. */
  holdLock(scope: 'script' | 'document' | 'user', untilVirtualMs: number, userEmail?: string): void {
    const st = this.state;
    const lock =
      scope === 'script' ? st.scriptLock : scope === 'document' ? st.documentLock : st.userLock(userEmail ?? this.user);
    lock.externalUntil = untilVirtualMs;
  }

  /** Stops the fetch worker (call in afterAll when UrlFetchApp was used). */
  async close(): Promise<void> {
    await this.state.close();
  }
}

function isWatchdog(e: unknown): boolean {
  return e instanceof Error && (e as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

function clockEvent(rt: ExecutionRuntime, at: number, uid: string): unknown {
  const d = new Date(at);
  const e = rt.object();
  const jan1 = Date.UTC(d.getUTCFullYear(), 0, 1);
  e.authMode = rt.enumValue('AuthMode', 'FULL');
  e.triggerUid = uid;
  e.year = d.getUTCFullYear();
  e.month = d.getUTCMonth() + 1;
  e['day-of-month'] = d.getUTCDate();
  e['day-of-week'] = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  e['week-of-year'] = Math.floor((at - jan1) / (7 * 86_400_000)) + 1;
  e.hour = d.getUTCHours();
  e.minute = d.getUTCMinutes();
  e.second = d.getUTCSeconds();
  e.timezone = 'UTC';
  return e;
}

/** Deep copy of plain data from the script's realm into the host's (arrays, plain objects, dates). */
export function toHost(v: unknown, seen = new Map<object, unknown>()): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (seen.has(v)) return seen.get(v);
  if (types.isDate(v)) return new Date(v.getTime());
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    for (let i = 0; i < v.length; i++) out[i] = toHost(v[i], seen);
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto === null || Object.getPrototypeOf(proto) === null) {
    const o = v as Record<string, unknown>;
    if (typeof o.ordinal === 'function' && typeof o.toJSON === 'function' && Object.keys(o).length === 0)
      return String(v); // an enum member
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const k of Object.keys(v)) out[k] = toHost((v as Record<string, unknown>)[k], seen);
    return out;
  }
  return v;
}

function findIllegalRpc(v: unknown, depth = 0): string | null {
  if (depth > 100) return 'too deep';
  if (v === null || v === undefined) return null;
  if (typeof v === 'function') return 'a function';
  if (typeof v !== 'object') return null;
  if (types.isDate(v)) return 'a Date';
  if (Array.isArray(v)) {
    for (const x of v) {
      const r = findIllegalRpc(x, depth + 1);
      if (r) return r;
    }
    return null;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== null && proto !== Object.prototype) return 'an object that is not plain';
  for (const k of Object.keys(v)) {
    const r = findIllegalRpc((v as Record<string, unknown>)[k], depth + 1);
    if (r) return r;
  }
  return null;
}

function checkRpcValue(v: unknown, what: string): void {
  const bad = findIllegalRpc(v);
  if (bad) throw new Error(`google.script.run refuses this ${what}: it contains ${bad}.`);
}
