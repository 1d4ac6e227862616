/**
 * Apps Script harness: runs dist/Code.js in node:vm with in-memory Apps Script services.
 * See docs/harness.md.
 */
export { AppsScriptHarness, REPO_ROOT, toHost } from './harness';
export type { HarnessOptions, ProtectionWarning, RunOptions, UserEditOptions } from './harness';
export { DEFAULT_COSTS } from './costs';
export type { CostModel } from './costs';
export { DEFAULT_QUOTAS } from './quotas';
export { FAST_NETWORK, REALISTIC_NETWORK, resolveNetwork } from './network';
export type { NetworkModel, NetworkModelName, NetworkOption } from './network';
export { DEFAULT_MEMORY_LIMIT_MB, EXCEEDED_MEMORY, resolveMemoryLimit } from './memory';
export type { Quotas } from './quotas';
export { EXCEEDED_TIME, HarnessExecutionError, ScriptError, UserEditRejected } from './errors';
export type { ExecutionKind, ExecutionMetrics } from './metrics';
export type { FetchLogEntry } from './url-fetch';
export type {
  AlertRecord,
  DialogRecord,
  MenuEntry,
  MenuItemRecord,
  MenuRecord,
  SidebarRecord,
  ToastRecord,
  UiState,
} from './ui';
export type { TriggerModel } from './script-app';
export type { LogEntry } from './state';
export type { PropertyStore as FakeProperties } from './properties';
export type { CacheStore as FakeCache } from './cache';
export type {
  SpreadsheetApi as FakeSpreadsheet,
  SheetApi as FakeSheet,
  RangeApi as FakeRange,
} from './spreadsheet/api';
