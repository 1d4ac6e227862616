/**
 * What the settings sidebar shows, as one plain-data snapshot (google.script.run carries no Dates: times are epoch
 * ms). Built by getSettingsState() in src/server/sidebar.ts.
 */
import type { BindingInfo, ConnectionStatus } from './types';

/** What the Nango mode needs: the Nango secret key (sent as Bearer) and the two headers naming the connection. */
export interface NangoConnectionInput {
  secretKey: string;
  /** Nango's integration id (the `Provider-Config-Key` header), e.g. "affinity". */
  providerConfigKey: string;
  /** Nango's connection id (the `Connection-Id` header). */
  connectionId: string;
}

/** Affinity's rate-limit headers as last seen (undefined where Affinity did not send one). */
export interface AffinityLimits {
  perMinuteLimit?: number;
  perMinuteRemaining?: number;
  perMinuteResetSec?: number;
  /** Monthly quota of the account: only on plans that have one. */
  monthlyLimit?: number;
  monthlyRemaining?: number;
  monthlyResetSec?: number;
  /** Epoch ms of the response they came from. */
  observedAt: number;
}

export interface UsageStatus {
  /** UrlFetch calls this script made for the user in the current quota window (24 h from its first call). */
  urlFetch: { used: number; since: number | null; consumerLimit: number; workspaceLimit: number };
  affinity: AffinityLimits | null;
}

/** A pull or push of a bound tab, as the bindings recorded it. */
export interface RunRecord {
  kind: 'pull' | 'push';
  sheetId: number;
  tabName: string;
  viewName: string;
  at: number;
  ok: boolean;
  message: string;
}

/** Progress of a long pull, written by the pull as it goes (pages fetched, rows written). */
export interface ProgressInfo {
  sheetId: number;
  message: string;
  at: number;
}

/** A visible tab of the spreadsheet, for "bind to an existing tab". */
export interface TabInfo {
  sheetId: number;
  name: string;
  /** The view it is already bound to. */
  boundTo?: string;
}

export interface SettingsState {
  /** Server clock, epoch ms: the panel shows times relative to it. */
  now: number;
  connection: ConnectionStatus;
  bindings: BindingInfo[];
  /** The tab the user is on. */
  activeSheetId: number | null;
  progress: ProgressInfo[];
  usage: UsageStatus;
  /** Latest first. */
  lastRuns: RunRecord[];
  /** In a copied spreadsheet, what to do before it syncs (connect, save the schedule again); null otherwise. */
  copyNotice?: string | null;
}
