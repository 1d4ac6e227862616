/**
 * One execution: a fresh vm context holding only Apps Script globals, the facades through which the
 * script reaches the services (every call counted and charged), the virtual clock and the limit.
 * Also the host view (`HostEnv`) that tests use to inspect state without counting.
 */
import { performance } from 'node:perf_hooks';
import { types } from 'node:util';
import * as vm from 'node:vm';
import { ApiObject, type ApiClass, apiMethodNames, type ClassMeta } from './api-base';
import { CacheServiceApi } from './cache';
import { baseCallCost } from './costs';
import { ENUMS } from './enums';
import type { AuthModeName, Env } from './env';
import { type KillReason, KillSignal, ScriptError } from './errors';
import { HtmlServiceApi, HtmlTemplateApi } from './html';
import { LockServiceApi } from './lock';
import { forceGc, memoryMessage, settleHeap, usedHeap } from './memory';
import { consoleLine, LoggerApi } from './logger';
import { emptyMetrics, type ExecutionKind, type ExecutionMetrics } from './metrics';
import { PropertiesServiceApi } from './properties';
import { DATE_SETUP } from './realm-date';
import { ScriptAppApi } from './script-app';
import { SessionApi } from './session';
import { SpreadsheetAppApi } from './spreadsheet/api';
import type { HarnessState } from './state';
import { UrlFetchAppApi } from './url-fetch';
import { isValidTimeZone, tzOffset } from './tz';
import { UtilitiesApi } from './utilities';

const SCOPE = {
  external: 'https://www.googleapis.com/auth/script.external_request',
  scriptapp: 'https://www.googleapis.com/auth/script.scriptapp',
  ui: 'https://www.googleapis.com/auth/script.container.ui',
  sheets: 'https://www.googleapis.com/auth/spreadsheets',
  sheetsCurrent: 'https://www.googleapis.com/auth/spreadsheets.currentonly',
  email: 'https://www.googleapis.com/auth/userinfo.email',
};

/** Session methods that need the userinfo.email scope (Session reference, "Authorization"). */
const SESSION_USER_METHODS = new Set(['getActiveUser', 'getEffectiveUser', 'getUser']);

const TRIGGER_METHODS = new Set([
  'newTrigger',
  'getProjectTriggers',
  'getScriptTriggers',
  'getUserTriggers',
  'deleteTrigger',
]);

/** Scopes (any one suffices) a call needs; null when none. */
function requiredScopes(meta: ClassMeta, method: string): string[] | null {
  if (meta.service === 'UrlFetchApp' && meta.name === '') return [SCOPE.external];
  if (meta.service === 'Session' && meta.name === '' && SESSION_USER_METHODS.has(method)) return [SCOPE.email];
  if (meta.service === 'ScriptApp' && meta.name === '' && TRIGGER_METHODS.has(method)) return [SCOPE.scriptapp];
  if (meta.service === 'SpreadsheetApp') {
    if (meta.name === 'Ui' && /^show/.test(method)) return [SCOPE.ui];
    if (meta.name === '' && (method === 'openById' || method === 'openByUrl')) return [SCOPE.sheets];
    return [SCOPE.sheetsCurrent, SCOPE.sheets];
  }
  return null;
}

/** Calls a simple trigger (AuthMode.LIMITED) may not make: method → scope named in the error. */
function limitedForbidden(meta: ClassMeta, method: string): string | null | undefined {
  if (meta.service === 'UrlFetchApp' && meta.name === '') return SCOPE.external;
  if (meta.service === 'ScriptApp' && meta.name === '' && TRIGGER_METHODS.has(method)) return SCOPE.scriptapp;
  if (meta.service === 'SpreadsheetApp' && meta.name === '' && (method === 'openById' || method === 'openByUrl'))
    return SCOPE.sheets;
  return undefined;
}

interface Realm {
  Array: ArrayConstructor;
  Object: ObjectConstructor;
  Date: DateConstructor;
  Error: ErrorConstructor;
  global: Record<string, unknown>;
}

let executionSeq = 0;

export interface ExecutionSpec {
  fn: string;
  kind: ExecutionKind;
  user: string;
  authMode: AuthModeName;
  limitMs: number;
  triggerUid?: string;
  triggerEventType?: string | null;
  abortAfterCalls?: number;
  traceCalls?: boolean;
}

export class ExecutionRuntime implements Env {
  readonly host = false;
  readonly executionId = ++executionSeq;
  readonly metrics: ExecutionMetrics;
  readonly ctx: vm.Context;
  readonly authMode: AuthModeName;
  readonly kind: ExecutionKind;
  readonly triggerEventType: string | null;
  private realm!: Realm;
  private readonly start: number;
  private virtualNow: number;
  private readonly limitMs: number;
  private lastMark = 0;
  private depth = 0;
  private pendingWrites = false;
  private killed: KillSignal | null = null;
  private readonly heapBase: number;
  /** Largest growth charged to the script (the heap's growth less the spreadsheet's storage growth), and the raw one. */
  private heapPeak: number;
  private rawPeak: number;
  private readonly storageTracked: boolean;
  private readonly storageBase: number;
  private readonly protos = new Map<ApiClass, object>();
  private readonly implOf = new WeakMap<object, ApiObject>();
  private readonly facadeOf = new WeakMap<ApiObject, object>();
  private readonly enumCache = new Map<string, object>();
  private readonly enumObjects = new Map<string, object>();

  constructor(
    readonly state: HarnessState,
    readonly spec: ExecutionSpec,
  ) {
    this.authMode = spec.authMode;
    this.kind = spec.kind;
    this.triggerEventType = spec.triggerEventType ?? null;
    this.start = state.clock;
    this.virtualNow = state.clock;
    this.limitMs = spec.limitMs;
    this.metrics = emptyMetrics(spec.fn, spec.kind, spec.user, this.start);
    if (spec.triggerUid) this.metrics.triggerUid = spec.triggerUid;
    if (state.gcBeforeExecution) settleHeap();
    // The spreadsheet model's cells are Google's storage, not the script's memory: measured apart (docs/harness.md).
    this.storageTracked = state.gcBeforeExecution || state.memoryLimitBytes !== null;
    if (this.storageTracked) state.spreadsheet.copyStrings = true;
    state.spreadsheet.removedBytes = 0;
    this.storageBase = this.storageTracked ? state.spreadsheet.storageBytes() : 0;
    this.heapBase = usedHeap();
    this.heapPeak = 0;
    this.rawPeak = 0;
    this.ctx = vm.createContext({}, { name: `apps-script:${spec.fn}`, microtaskMode: 'afterEvaluate' });
    this.install();
  }

  // ---- Env ---------------------------------------------------------------------------------

  user(): string {
    return this.spec.user;
  }

  now(): number {
    if (this.depth === 0 && this.lastMark > 0) {
      return Math.floor(this.virtualNow + (performance.now() - this.lastMark) * this.state.costs.cpuFactor);
    }
    return Math.floor(this.virtualNow);
  }

  charge(ms: number): void {
    if (!(ms > 0)) {
      if (this.virtualNow - this.start > this.limitMs) this.kill('time-limit');
      return;
    }
    this.virtualNow += ms;
    if (this.virtualNow - this.start > this.limitMs) this.kill('time-limit');
  }

  read(cells: number, what: 'values' | 'attributes' = 'values'): void {
    if (this.pendingWrites) {
      this.pendingWrites = false;
      this.charge(this.state.costs.spreadsheetFlushMs);
    }
    if (what === 'values') this.metrics.cellsRead += cells;
    else this.metrics.attributeCellsRead += cells;
    this.charge(cells * this.state.costs.spreadsheetReadPerCellMs);
  }

  write(cells: number, what: 'values' | 'attributes' = 'values'): void {
    this.pendingWrites = true;
    if (what === 'values') this.metrics.cellsWritten += cells;
    else this.metrics.attributeCellsWritten += cells;
    this.charge(cells * this.state.costs.spreadsheetWritePerCellMs);
  }

  structure(): void {
    this.pendingWrites = true;
    this.charge(this.state.costs.spreadsheetStructureMs);
  }

  fetched(requests: number, batch: boolean): void {
    this.metrics.urlFetches += requests;
    if (batch) this.metrics.fetchAllBatches++;
  }

  newArray(n: number): unknown[] {
    return new this.realm.Array(n);
  }

  array<T>(items: readonly T[]): T[] {
    const out = new this.realm.Array(items.length) as T[];
    for (let i = 0; i < items.length; i++) out[i] = this.wrap(items[i]) as T;
    return out;
  }

  object(): Record<string, unknown> {
    return new this.realm.Object() as Record<string, unknown>;
  }

  date(ms: number): Date {
    return new this.realm.Date(ms);
  }

  toRealm(v: unknown): unknown {
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof ApiObject) return this.wrap(v);
    if (types.isDate(v)) return this.date(v.getTime());
    if (Array.isArray(v)) {
      const out = this.newArray(v.length);
      for (let i = 0; i < v.length; i++) out[i] = this.toRealm(v[i]);
      return out;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) {
      const out = this.object();
      for (const k of Object.keys(v)) out[k] = this.toRealm((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  }

  wrap(v: unknown): unknown {
    if (!(v instanceof ApiObject)) return v;
    let f = this.facadeOf.get(v);
    if (!f) {
      f = Object.create(this.protoFor(v.constructor as ApiClass)) as object;
      this.facadeOf.set(v, f);
      this.implOf.set(f, v);
    }
    return f;
  }

  unwrap(v: unknown): unknown {
    if (v !== null && typeof v === 'object') {
      const impl = this.implOf.get(v);
      if (impl) return impl;
    }
    return v;
  }

  enumValue(enumName: string, member: string): unknown {
    const key = `${enumName}.${member}`;
    let o = this.enumCache.get(key);
    if (!o) {
      const members = ENUMS[enumName] ?? [];
      const ordinal = members.indexOf(member);
      o = this.realm.Object.create(this.realm.Object.prototype) as object;
      Object.defineProperties(o, {
        toString: { value: () => member },
        toJSON: { value: () => member },
        name: { value: () => member },
        ordinal: { value: () => ordinal },
        compareTo: { value: (other: unknown) => ordinal - members.indexOf(String(other)) },
      });
      Object.freeze(o);
      this.enumCache.set(key, o);
    }
    return o;
  }

  /** Define a (non-enumerable) global of the script's realm. */
  setGlobal(name: string, value: unknown): void {
    Object.defineProperty(this.realm.global, name, { value, writable: true, configurable: true, enumerable: false });
  }

  evalInRealm(code: string): unknown {
    return vm.runInContext(code, this.ctx);
  }

  // ---- facades -----------------------------------------------------------------------------

  private protoFor(cls: ApiClass): object {
    let proto = this.protos.get(cls);
    if (proto) return proto;
    const meta = cls.meta;
    proto = this.realm.Object.create(this.realm.Object.prototype) as Record<string, unknown>;
    const invoke = this.invoke.bind(this);
    for (const name of apiMethodNames(cls)) {
      const key = meta.name ? `${meta.service}.${meta.name}.${name}` : `${meta.service}.${name}`;
      const fn = function (this: object, ...args: unknown[]) {
        return invoke(meta, key, name, this, args);
      };
      Object.defineProperty(fn, 'name', { value: name });
      Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true, enumerable: false });
    }
    const label = meta.name || meta.service;
    Object.defineProperty(proto, 'toString', {
      value: () => label,
      writable: true,
      configurable: true,
      enumerable: false,
    });
    for (const [prop, enumName] of Object.entries(meta.enums ?? {})) {
      Object.defineProperty(proto, prop, { value: this.enumObject(enumName), enumerable: false });
    }
    this.protos.set(cls, proto);
    return proto;
  }

  private enumObject(enumName: string): object {
    let o = this.enumObjects.get(enumName);
    if (!o) {
      o = this.realm.Object.create(this.realm.Object.prototype) as object;
      for (const m of ENUMS[enumName] ?? [])
        Object.defineProperty(o, m, { value: this.enumValue(enumName, m), enumerable: true });
      Object.freeze(o);
      this.enumObjects.set(enumName, o);
    }
    return o;
  }

  /** Facade of a service object (its enums, e.g. SpreadsheetApp.ProtectionType, live on its prototype). */
  serviceFacade(api: ApiObject): object {
    return this.wrap(api) as object;
  }

  private install(): void {
    const setup = DATE_SETUP.runInContext(this.ctx) as (
      nowFn: () => number,
      offsetFn: (ms: number) => number,
      tz: string,
    ) => {
      RealDate: DateConstructor;
      Array: ArrayConstructor;
      Object: ObjectConstructor;
      Error: ErrorConstructor;
      global: Record<string, unknown>;
    };
    const tz = isValidTimeZone(this.state.scriptTimeZone) ? this.state.scriptTimeZone : 'Etc/UTC';
    const r = setup(
      () => this.now(),
      (ms: number) => tzOffset(tz, ms),
      tz,
    );
    this.realm = { Array: r.Array, Object: r.Object, Date: r.RealDate, Error: r.Error, global: r.global };
    const g = r.global;
    const define = (name: string, value: unknown) =>
      Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
    define('SpreadsheetApp', this.serviceFacade(new SpreadsheetAppApi(this)));
    define('PropertiesService', this.serviceFacade(new PropertiesServiceApi(this)));
    define('CacheService', this.serviceFacade(new CacheServiceApi(this)));
    define('LockService', this.serviceFacade(new LockServiceApi(this)));
    define('ScriptApp', this.serviceFacade(new ScriptAppApi(this)));
    define('UrlFetchApp', this.serviceFacade(new UrlFetchAppApi(this)));
    define('Utilities', this.serviceFacade(new UtilitiesApi(this)));
    define('Session', this.serviceFacade(new SessionApi(this)));
    define('HtmlService', this.serviceFacade(new HtmlServiceApi(this)));
    define('Logger', this.serviceFacade(new LoggerApi(this)));
    // console: a global of the runtime, not a service (not counted)
    const c = this.object();
    const state = this.state;
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      c[level] = (...args: unknown[]) => state.log(level, consoleLine(args), this);
    }
    const timers = new Map<string, number>();
    c.time = (label = 'default') => void timers.set(String(label), this.now());
    c.timeEnd = (label = 'default') => {
      const t = timers.get(String(label));
      if (t !== undefined) state.log('log', `${label}: ${this.now() - t}ms`, this);
      timers.delete(String(label));
    };
    c.trace = (...args: unknown[]) => state.log('debug', consoleLine(args), this);
    c.assert = (cond: unknown, ...args: unknown[]) => {
      if (!cond) state.log('error', 'Assertion failed' + (args.length ? ': ' + consoleLine(args) : ''), this);
    };
    define('console', c);
  }

  // ---- calls -------------------------------------------------------------------------------

  /** Begin script code (after setup): CPU time is measured from here. */
  beginScript(): void {
    this.lastMark = performance.now();
  }

  private accountCpu(): void {
    if (this.lastMark === 0) return;
    const t = performance.now();
    const d = t - this.lastMark;
    this.lastMark = t;
    this.metrics.cpuMs += d;
    this.virtualNow += d * this.state.costs.cpuFactor;
  }

  /** Stop measuring (end of the script). */
  endScript(): void {
    if (this.depth === 0) this.accountCpu();
    this.lastMark = 0;
  }

  kill(reason: KillReason, message?: string): never {
    if (!this.killed) {
      this.killed = new KillSignal(reason, message);
      if (reason === 'time-limit') this.virtualNow = Math.min(this.virtualNow, this.start + this.limitMs);
    }
    throw this.killed;
  }

  get killedBy(): KillSignal | null {
    return this.killed;
  }

  /** Samples the heap; true when the growth passed the ceiling. */
  private sampleHeap(at = 'end'): boolean {
    let raw = usedHeap() - this.heapBase;
    let script = raw - this.storageGrowth();
    if (this.state.gcBeforeExecution) {
      // Past the peak by more than the slack: is it live memory or garbage V8 has not collected yet? V8 fails an
      // allocation only once a full collection cannot make room, so the figure is the live heap (docs/harness.md).
      if (script <= this.heapPeak + LIVE_SLACK_BYTES) {
        if (raw > this.rawPeak) this.rawPeak = raw;
        return this.overLimit();
      }
      if (forceGc()) {
        raw = usedHeap() - this.heapBase;
        script = raw - this.storageGrowth();
      }
    }
    if (raw > this.rawPeak) this.rawPeak = raw;
    if (script > this.heapPeak) {
      this.heapPeak = script;
      this.metrics.peakHeapAt = `${at} #${this.metrics.totalCalls}`;
    }
    return this.overLimit();
  }

  private overLimit(): boolean {
    const limit = this.state.memoryLimitBytes;
    return limit !== null && this.heapPeak > limit;
  }

  /** Growth of the spreadsheet model's estimated storage since the execution started (0 when not tracked). */
  private storageGrowth(): number {
    return this.storageTracked ? this.state.spreadsheet.storageBytes() - this.storageBase : 0;
  }

  private memoryKillMessage(): string {
    return memoryMessage(this.heapPeak, this.state.memoryLimitBytes ?? 0);
  }

  invoke(meta: ClassMeta, key: string, method: string, self: object, args: unknown[]): unknown {
    const outer = this.depth === 0;
    if (outer) this.accountCpu();
    const before = this.virtualNow;
    this.depth++;
    try {
      if (this.killed) throw this.killed;
      if (this.virtualNow - this.start > this.limitMs) this.kill('time-limit');
      if (this.spec.abortAfterCalls !== undefined && this.metrics.totalCalls >= this.spec.abortAfterCalls)
        this.kill('abort-after-calls');
      const impl = this.implOf.get(self);
      if (!impl) throw new ScriptError(`Cannot call ${key} on this object.`);
      const m = this.metrics;
      m.calls[key] = (m.calls[key] ?? 0) + 1;
      m.callsByService[meta.service] = (m.callsByService[meta.service] ?? 0) + 1;
      m.totalCalls++;
      if (this.spec.traceCalls) {
        (m.callTrace ??= []).push(key);
        (m.callCpuMs ??= []).push(m.cpuMs);
      }
      if (this.sampleHeap(key)) this.kill('memory-limit', this.memoryKillMessage());
      const qualified = `${meta.name || meta.service}.${method}`;
      if (this.authMode === 'LIMITED' || this.authMode === 'NONE') {
        const scope = limitedForbidden(meta, method);
        if (scope !== undefined) {
          throw new ScriptError(
            `You do not have permission to call ${meta.name ? qualified : `${meta.service}.${method}`}. Required permissions: ${scope}`,
          );
        }
      }
      const scopes = this.state.manifest.oauthScopes;
      if (scopes) {
        const need = requiredScopes(meta, method);
        if (need && !need.some((s) => scopes.includes(s))) {
          // Session's wording differs: "You do not have permission to call Session.getActiveUser. ..."
          // (reported verbatim in hijonathan/google-scripts#14, Elijas/auto-youtube-subscription-playlist-2#121).
          const lead =
            meta.service === 'Session'
              ? 'You do not have permission to call'
              : 'Specified permissions are not sufficient to call';
          throw new ScriptError(`${lead} ${qualified}. Required permissions: ${need[0]}`);
        }
      }
      this.charge(baseCallCost(this.state.costs, meta.costAs ?? meta.service));
      const unwrapped = args.map((a) => this.unwrap(a));
      if (impl instanceof HtmlTemplateApi && method === 'evaluate') {
        (impl as unknown as { _vars: Record<string, unknown> })._vars = Object.assign({}, self) as Record<
          string,
          unknown
        >;
      }
      const result = (impl as unknown as Record<string, (...a: unknown[]) => unknown>)[method](...unwrapped);
      return this.wrapResult(result);
    } catch (e) {
      throw this.toScriptError(e, key);
    } finally {
      this.depth--;
      if (outer) {
        const by = this.metrics.virtualMsByService;
        by[meta.service] = (by[meta.service] ?? 0) + (this.virtualNow - before);
        this.lastMark = performance.now();
      }
    }
  }

  private wrapResult(r: unknown): unknown {
    if (r === null || typeof r !== 'object') return r;
    if (r instanceof ApiObject) return this.wrap(r);
    if (Array.isArray(r) && !(r instanceof this.realm.Array)) return this.array(r);
    if (types.isDate(r) && !(r instanceof this.realm.Date)) return this.date((r as Date).getTime());
    return r;
  }

  private toScriptError(e: unknown, key: string): unknown {
    if (e instanceof KillSignal) {
      const err = new this.realm.Error(e.message);
      return err;
    }
    if (e instanceof ScriptError) {
      const err = new this.realm.Error(e.message);
      Object.defineProperty(err, 'name', {
        value: e.scriptName,
        writable: true,
        configurable: true,
        enumerable: false,
      });
      return err;
    }
    if (e instanceof this.realm.Error) return e; // thrown by script code run from a service (templates)
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    this.metrics.internalErrors.push(`${key}: ${detail}`);
    const err = new this.realm.Error(
      `Unexpected error while calling ${key}: ${e instanceof Error ? e.message : String(e)}`,
    );
    Object.defineProperty(err, 'name', { value: 'Exception', writable: true, configurable: true, enumerable: false });
    return err;
  }

  /** Close the books: release locks, final CPU, limit check, metrics; advances the harness clock. */
  finish(): void {
    this.endScript();
    if (!this.killed && this.virtualNow - this.start > this.limitMs) this.killed = new KillSignal('time-limit');
    // the platform ends a timed-out execution at the limit, whatever the script did after
    if (this.killed?.reason === 'time-limit') this.virtualNow = this.start + this.limitMs;
    for (const l of this.state.allLocks()) if (l.holder === this.executionId) l.holder = null;
    if (this.sampleHeap() && !this.killed) this.killed = new KillSignal('memory-limit', this.memoryKillMessage());
    const m = this.metrics;
    m.virtualMs = this.virtualNow - this.start;
    m.endedAt = Math.floor(this.virtualNow);
    m.peakHeapBytes = Math.max(0, this.heapPeak);
    m.peakRawHeapBytes = Math.max(0, this.rawPeak);
    m.storageGrowthBytes = this.storageGrowth();
    if (this.killed) m.killed = this.killed.reason;
    this.state.clock = Math.max(this.state.clock, Math.floor(this.virtualNow));
  }

  /** Mark the execution killed by the real-time watchdog (a CPU loop without service calls). */
  killedByWatchdog(): void {
    this.killed ??= new KillSignal('time-limit');
    this.virtualNow = Math.max(this.virtualNow, this.start + this.limitMs);
  }

  remainingMs(): number {
    return this.start + this.limitMs - this.virtualNow;
  }

  isRealmError(e: unknown): boolean {
    return e instanceof this.realm.Error;
  }
}

/**
 * With forced collections available, a sample past the peak by more than this is taken again after a full collection
 * (and only then counts): the figure is live memory, and may miss a live peak by up to this much.
 */
const LIVE_SLACK_BYTES = 4 * 1048576;

/** The uncounted view of the services for tests (`harness.spreadsheet`, `harness.properties`...). */
export class HostEnv implements Env {
  readonly host = true;
  readonly authMode = 'FULL' as const;
  readonly kind = 'host' as const;
  readonly triggerEventType = null;
  readonly executionId = -1;
  constructor(
    readonly state: HarnessState,
    private readonly userFn: () => string,
  ) {}
  user(): string {
    return this.userFn();
  }
  now(): number {
    return this.state.now();
  }
  charge(): void {}
  read(): void {}
  write(): void {}
  structure(): void {}
  fetched(): void {}
  newArray(n: number): unknown[] {
    return new Array(n);
  }
  array<T>(items: readonly T[]): T[] {
    return [...items];
  }
  object(): Record<string, unknown> {
    return {};
  }
  date(ms: number): Date {
    return new Date(ms);
  }
  toRealm(v: unknown): unknown {
    return v;
  }
  wrap(v: unknown): unknown {
    return v;
  }
  unwrap(v: unknown): unknown {
    return v;
  }
  enumValue(_enumName: string, member: string): unknown {
    return member;
  }
}
