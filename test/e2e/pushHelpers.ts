/** Helpers for the push end-to-end tests: the product (harness + emulator), cells by entry and field, requests made. */
import { validateRequest } from '../../tools/contract/validate';
import { startProduct, type Product } from '../../tools/cli/product';
import type { GenerateOptions } from '../../tools/emulator/generate';
import type { EmulatorSeed } from '../../tools/emulator/seed';
import type { FetchLogEntry, HarnessOptions } from '../../tools/harness';
import { KEY_COLUMN, METADATA_KEY } from '../../src/server/engine/layout';
import { DEALFLOW, dealflowSeed } from '../../tools/emulator/seeds/dealflow';

export interface World {
  product: Product;
  tab: string;
  sheetId: number;
  /** 1-based column of a field id (or KEY_COLUMN / '@name'), by developer metadata. */
  col(fieldId: string): number;
  /** 1-based row of an entry, by the key column. */
  row(entryId: number): number;
  a1(entryId: number, fieldId: string): string;
  /** What the user sees in a cell. */
  shown(entryId: number, fieldId: string): string;
  note(entryId: number, fieldId: string): string;
  /** The user types into a cell (user-entered semantics, triggers fire). */
  type(entryId: number, fieldId: string, value: string | number): void;
  run(fn: string, ...args: unknown[]): unknown;
  /** Requests to Affinity made since `from` (an index into the fetch log). */
  requestsSince(from: number): FetchLogEntry[];
  close(): Promise<void>;
}

export function letters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** The deal-flow seed's Active Pipeline view, connected and bound to a tab: the world most e2e tests start from. */
export function activePipelineWorld(): Promise<World> {
  return bindWorld({
    seed: dealflowSeed(),
    apiKey: DEALFLOW.apiKey,
    listId: DEALFLOW.listId,
    viewId: DEALFLOW.views.activePipeline,
  });
}

export async function bindWorld(opts: {
  seed?: EmulatorSeed;
  generate?: GenerateOptions;
  apiKey: string;
  listId: number;
  viewId: number;
  executionLimitMs?: number;
  /** More harness options (a slower network, Workspace quotas...). */
  harness?: Partial<HarnessOptions>;
}): Promise<World> {
  const product = await startProduct({
    seed: opts.seed,
    generate: opts.generate,
    harness: { executionLimitMs: opts.executionLimitMs, ...opts.harness },
  });
  const h = product.harness;
  h.openSpreadsheet();
  h.run('connect', opts.apiKey);
  const summary = h.run('bindTab', opts.listId, opts.viewId) as { tabName: string };
  const sheet = h.sheet(summary.tabName);
  const sheetId = sheet.getSheetId();
  const col = (fieldId: string): number => {
    for (const md of sheet.createDeveloperMetadataFinder().withKey(METADATA_KEY).find()) {
      if (md.getValue() === fieldId) return md.getLocation().getColumn()!.getColumn();
    }
    throw new Error(`no column ${fieldId}`);
  };
  const row = (entryId: number): number => {
    const keyCol = col(KEY_COLUMN);
    const keys = sheet.getRange(1, keyCol, sheet.getLastRow(), 1).getValues();
    const i = keys.findIndex((r) => Number(r[0]) === entryId);
    if (i < 0) throw new Error(`no row for entry ${entryId}`);
    return i + 1;
  };
  const a1 = (entryId: number, fieldId: string) => `${letters(col(fieldId))}${row(entryId)}`;
  return {
    product,
    tab: summary.tabName,
    sheetId,
    col,
    row,
    a1,
    shown: (entryId, fieldId) => sheet.getRange(a1(entryId, fieldId)).getDisplayValue(),
    note: (entryId, fieldId) => sheet.getRange(a1(entryId, fieldId)).getNote(),
    type: (entryId, fieldId, value) => h.userEdit(summary.tabName, a1(entryId, fieldId), [[value]]),
    run: (fn, ...args) => h.run(fn, ...args),
    requestsSince: (from) => h.fetchLog.slice(from).filter((r) => r.url.startsWith('https://api.affinity.co/')),
    close: () => product.close(),
  };
}

/** Every request body and URL validates against Affinity's spec. */
export function expectValidRequests(requests: FetchLogEntry[]): void {
  const problems: string[] = [];
  for (const r of requests) {
    const body = r.payload === undefined ? undefined : JSON.parse(r.payload);
    const result = validateRequest(r.method, r.url, body);
    if (!result.ok) problems.push(`${r.method} ${r.url}: ${result.errors.join('; ')}`);
  }
  expect(problems).toEqual([]);
}

export const patches = (requests: FetchLogEntry[]) => requests.filter((r) => r.method.toLowerCase() === 'patch');
export const reads = (requests: FetchLogEntry[]) => requests.filter((r) => r.method.toLowerCase() === 'get');
