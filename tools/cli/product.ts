/**
 * The product end to end without Google or Affinity: the local Affinity emulator (in a worker, over real HTTP)
 * and the built bundle dist/Code.js running in the Apps Script harness, with api.affinity.co routed to the
 * emulator. Used by npm start, npm run sim, npm run bench and the end-to-end tests.
 */
import { AppsScriptHarness, type HarnessOptions } from '../harness';
import type { GenerateOptions } from '../emulator/generate';
import type { EmulatorSeed } from '../emulator/seed';
import { startEmulatorWorker, type EmulatorWorker } from '../emulator/worker';

export interface Product {
  emulator: EmulatorWorker;
  harness: AppsScriptHarness;
  close(): Promise<void>;
}

export async function startProduct(
  opts: {
    seed?: EmulatorSeed;
    generate?: GenerateOptions;
    harness?: Partial<HarnessOptions>;
    /** How the emulator's rows carry their fields (`EmulatorOptions.rows`). */
    rows?: 'complete' | 'sparse';
  } = {},
): Promise<Product> {
  const emulator = await startEmulatorWorker({ seed: opts.seed, generate: opts.generate, rows: opts.rows });
  const harness = new AppsScriptHarness({
    ...opts.harness,
    routes: {
      'https://api.affinity.co/': `${emulator.url}/`,
      'https://api.nango.dev/': `${emulator.url}/`,
      ...opts.harness?.routes,
    },
  });
  return {
    emulator,
    harness,
    close: async () => {
      await harness.close();
      await emulator.close();
    },
  };
}

/** The tab's cells as the user sees them (display values), header included. */
export function tabDisplay(harness: AppsScriptHarness, name: string): string[][] {
  const sheet = harness.spreadsheet.getSheetByName(name);
  if (!sheet) throw new Error(`no tab named ${name}`);
  const rows = sheet.getLastRow();
  const cols = sheet.getLastColumn();
  if (rows === 0 || cols === 0) return [];
  return sheet.getRange(1, 1, rows, cols).getDisplayValues();
}

/** Visible tabs (the hidden snapshot tabs are the product's own). */
export function visibleTabs(harness: AppsScriptHarness): string[] {
  return harness.spreadsheet
    .getSheets()
    .filter((s) => !s.isSheetHidden())
    .map((s) => s.getName());
}

/** A fixed-width text table, cells cut to `width` characters. */
export function formatTable(rows: string[][], width = 22): string {
  if (rows.length === 0) return '(empty tab)';
  const cols = Math.max(...rows.map((r) => r.length));
  const cut = (s: string) => {
    const one = s.replace(/\s+/g, ' ');
    return one.length > width ? `${one.slice(0, width - 1)}…` : one;
  };
  const widths = Array.from({ length: cols }, (_, c) => Math.max(...rows.map((r) => cut(r[c] ?? '').length)));
  const line = (r: string[]) => widths.map((w, c) => cut(r[c] ?? '').padEnd(w)).join(' │ ');
  const sep = widths.map((w) => '─'.repeat(w)).join('─┼─');
  return [line(rows[0]), sep, ...rows.slice(1).map(line)].join('\n');
}
