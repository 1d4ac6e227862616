/** Everything that persists across executions: the "Google side" of the harness. */
import { createHash } from 'node:crypto';
import { CacheStore } from './cache';
import type { CostModel } from './costs';
import type { Env } from './env';
import { FetchBridge } from './fetch-bridge';
import { LockState } from './lock';
import { FAST_NETWORK, type NetworkModel } from './network';
import { PropertyStore } from './properties';
import { QuotaTracker, type Quotas } from './quotas';
import type { TriggerModel } from './script-app';
import { SpreadsheetModel } from './spreadsheet/model';
import { type FormulaEvaluator } from './spreadsheet/values';
import { UiState } from './ui';
import type { FetchLogEntry } from './url-fetch';

export interface Manifest {
  timeZone: string;
  urlFetchWhitelist?: string[];
  oauthScopes?: string[];
}

export interface LogEntry {
  level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  message: string;
  /** Virtual time. */
  at: number;
  fn: string | null;
}

export class HarnessState {
  clock: number;
  readonly scriptId: string;
  readonly spreadsheet: SpreadsheetModel;
  readonly spreadsheetEditors = new Set<string>();
  readonly scriptProperties = new PropertyStore('script');
  readonly documentProperties = new PropertyStore('document');
  private readonly userProps = new Map<string, PropertyStore>();
  readonly scriptCache: CacheStore;
  readonly documentCache: CacheStore;
  private readonly userCaches = new Map<string, CacheStore>();
  readonly scriptLock = new LockState('script');
  readonly documentLock = new LockState('document');
  private readonly userLocks = new Map<string, LockState>();
  triggers: TriggerModel[] = [];
  readonly ui = new UiState();
  readonly logs: string[] = [];
  readonly logEntries: LogEntry[] = [];
  loggerBuffer: string[] = [];
  readonly fetchLog: FetchLogEntry[] = [];
  readonly quotas: QuotaTracker;
  /** How long requests take (network.ts). */
  network: NetworkModel = { ...FAST_NETWORK };
  /** Executions whose heap grows past this many bytes fail (memory.ts); null: measured, not limited. */
  memoryLimitBytes: number | null = null;
  /** Force a full GC before each execution's heap baseline (memory.ts). */
  gcBeforeExecution = false;
  /** HarnessOptions.divergent. */
  divergent = false;
  /** Function of the execution in progress (for logs). */
  currentFn: string | null = null;
  private triggerSeq = 0;
  private uuidSeq = 0;
  private fetchBridge: FetchBridge | null = null;

  constructor(
    readonly costs: CostModel,
    readonly manifest: Manifest,
    /** [prefix, replacement], longest prefix first */
    readonly routes: [string, string][],
    readonly owner: string,
    spreadsheetTimeZone: string,
    startTime: number,
    quotas: Quotas,
    readonly htmlDir: string,
    readonly fetchTimeoutMs: number,
    readonly formulaEvaluator: FormulaEvaluator | null = null,
    readonly verbose = false,
  ) {
    this.clock = startTime;
    this.scriptId = '1HarnessScript' + createHash('sha1').update(owner).digest('base64url').slice(0, 40);
    this.spreadsheet = new SpreadsheetModel(
      '1HarnessSheet' +
        createHash('sha1')
          .update('ss:' + owner)
          .digest('base64url')
          .slice(0, 31),
      'Affinity Sync (harness)',
      spreadsheetTimeZone,
      'en_US',
      owner,
    );
    this.quotas = new QuotaTracker(quotas);
    this.scriptCache = new CacheStore('script', () => this.now());
    this.documentCache = new CacheStore('document', () => this.now());
    this.spreadsheet.now = () => this.now();
    this.spreadsheet.formulaOverride = formulaEvaluator;
  }

  /** Virtual now: the running execution's clock while one runs, else the harness clock. */
  activeNow: (() => number) | null = null;
  now(): number {
    return this.activeNow ? this.activeNow() : this.clock;
  }

  get scriptTimeZone(): string {
    return this.manifest.timeZone;
  }

  userProperties(email: string): PropertyStore {
    let s = this.userProps.get(email);
    if (!s) {
      s = new PropertyStore(`user:${email}`);
      s.divergent = this.divergent;
      this.userProps.set(email, s);
    }
    return s;
  }

  userCache(email: string): CacheStore {
    let s = this.userCaches.get(email);
    if (!s) {
      s = new CacheStore(`user:${email}`, () => this.now());
      this.userCaches.set(email, s);
    }
    return s;
  }

  userLock(email: string): LockState {
    let s = this.userLocks.get(email);
    if (!s) {
      s = new LockState(`user:${email}`);
      this.userLocks.set(email, s);
    }
    return s;
  }

  allLocks(): LockState[] {
    return [this.scriptLock, this.documentLock, ...this.userLocks.values()];
  }

  nextTriggerUid(): string {
    this.triggerSeq++;
    const h = createHash('sha1').update(`trigger:${this.triggerSeq}`).digest();
    return String(
      (BigInt('0x' + h.subarray(0, 8).toString('hex')) % 9_000_000_000_000_000_000n) + 1_000_000_000_000_000_000n,
    );
  }

  /** Deterministic v4-shaped UUIDs. */
  nextUuid(): string {
    this.uuidSeq++;
    const h = createHash('sha256').update(`uuid:${this.scriptId}:${this.uuidSeq}`).digest('hex');
    const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  bridge(): FetchBridge {
    this.fetchBridge ??= new FetchBridge();
    return this.fetchBridge;
  }

  async close(): Promise<void> {
    if (this.fetchBridge) await this.fetchBridge.close();
    this.fetchBridge = null;
  }

  log(level: LogEntry['level'], message: string, env?: Env): void {
    const at = env ? env.now() : this.clock;
    this.logs.push(message);
    this.logEntries.push({ level, message, at, fn: this.currentFn });
    if (level === 'log' && env && !env.host) this.loggerBuffer.push(message);
    if (this.verbose) process.stdout.write(`[apps-script ${level}] ${message}\n`);
  }
}
