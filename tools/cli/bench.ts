/**
 * `npm run bench`: figures, not pass/fail. For pulls of 1,000, 10,000 and 50,000 entries × 30 fields through the
 * real bundle in the Apps Script harness against the emulator: Affinity requests made and the minimum possible
 * (pages + metadata), SpreadsheetApp calls, cells written, CPU ms, virtual time, peak memory; then a second pull
 * with nothing changed; a push; and a 60,000-entry pull resumed over several executions under a schedule, one row per
 * execution (docs/schedules.md). Later features add their cases to CASES.
 */
import { GENERATED } from '../emulator/generate';
import { startProduct, type Product } from './product';

export interface BenchRow {
  case: string;
  requests: number;
  minimumRequests: number | string;
  fetchAllBatches: number;
  sheetsCalls: number;
  cellsWritten: number;
  cpuMs: number;
  virtualMs: number;
  peakHeapMB: number;
  note?: string;
}

function row(product: Product, name: string, minimumRequests: number | string, note?: string): BenchRow {
  const m = product.harness.lastExecution;
  if (m.error) throw new Error(`${name}: ${m.error}`);
  return {
    case: name,
    requests: m.urlFetches,
    minimumRequests,
    fetchAllBatches: m.fetchAllBatches,
    sheetsCalls: m.callsByService.SpreadsheetApp ?? 0,
    cellsWritten: m.cellsWritten,
    cpuMs: Math.round(m.cpuMs),
    virtualMs: Math.round(m.virtualMs),
    peakHeapMB: Math.round((m.peakHeapBytes / 1048576) * 10) / 10,
    note,
  };
}

async function pullCase(entries: number): Promise<BenchRow[]> {
  const product = await startProduct({ generate: { entries, fieldsInView: 30 } });
  try {
    const { harness } = product;
    harness.run('connect', GENERATED.apiKey);
    const pages = Math.ceil(entries / 100);
    const summary = harness.run('bindTab', GENERATED.companyListId, GENERATED.sheetViewId) as { tabName: string };
    const first = row(
      product,
      `first pull, ${entries.toLocaleString('en-US')} entries × 30 fields`,
      pages + 3,
      'bind: list + view + fields metadata, then pages',
    );
    const sheetId = harness.spreadsheet.getSheetByName(summary.tabName)!.getSheetId();
    harness.run('pullTab', sheetId);
    const second = row(product, `second pull, nothing changed (${entries.toLocaleString('en-US')})`, pages + 2);
    return [first, second];
  } finally {
    await product.close();
  }
}

/**
 * Push (docs/push.md): 500 edited cells over 200 entries of a 10,000-entry tab. The minimum is one PATCH per edited
 * entry plus the conflict check's cheapest read (the view's 100 pages, fewer than the 200 entries); then the same
 * push again and a push after sorting the tab, which must cost nothing.
 */
async function pushCase(): Promise<BenchRow[]> {
  const entries = 10_000;
  const product = await startProduct({ generate: { entries, fieldsInView: 30 } });
  try {
    const { harness } = product;
    harness.run('connect', GENERATED.apiKey);
    const summary = harness.run('bindTab', GENERATED.companyListId, GENERATED.sheetViewId) as { tabName: string };
    const sheet = harness.spreadsheet.getSheetByName(summary.tabName)!;
    const sheetId = sheet.getSheetId();
    const header = sheet.getRange(1, 1, 1, sheet.getLastColumn()).getValues()[0].map(String);
    const col = (name: string) => header.indexOf(name) + 1;
    const huge = new Set(GENERATED.hugeTextIndexes(entries).map((i) => i + 2));
    const rows = Array.from({ length: entries }, (_, i) => i + 2)
      .filter((r) => !huge.has(r) && r % 49 === 7)
      .slice(0, 200);
    rows.forEach((r, i) => {
      sheet.getRange(r, col('Description')).setValue(`Edited ${r}`);
      sheet.getRange(r, col('Amount')).setValue(1000 + i);
      if (i % 2 === 0) sheet.getRange(r, col('Source Notes')).setValue(`Note ${i}`);
    });
    harness.run('pushTab', sheetId);
    const pushed = row(
      product,
      'push 500 cells / 200 entries of 10,000',
      `${200 + Math.ceil(entries / 100)}`,
      '200 PATCH + 100 page reads',
    );
    harness.run('pushTab', sheetId);
    const again = row(product, 'same push again', 0);
    sheet.getRange(2, 1, entries, sheet.getLastColumn()).sort({ column: col('Amount'), ascending: false });
    harness.run('pushTab', sheetId);
    const sorted = row(product, 'push after sorting the tab', 0);
    return [pushed, again, sorted];
  } finally {
    await product.close();
  }
}

/**
 * Resumable pull (docs/schedules.md): a tab bound while its view held 100 entries, then the view grows to 60,000 × 30
 * fields and the 15-minute schedule refreshes it. One row per execution of the run (each must stay under the 5-minute
 * budget; the tab is written by the last), then the run's total. `pageMs`: the modelled time Affinity takes to serve
 * a page (the harness's default network model is 120 ms a request).
 */
async function resumableCase(entries: number, pageMs?: number): Promise<BenchRow[]> {
  const product = await startProduct({
    generate: { entries, fieldsInView: 30 },
    harness: pageMs ? { costs: { urlFetchMs: pageMs } } : {},
  });
  try {
    const { harness, emulator } = product;
    const L = GENERATED.companyListId;
    const V = GENERATED.sheetViewId;
    const all = await emulator.admin.getView(L, V);
    await emulator.admin.setView(L, V, { entryIds: all.entryIds.slice(0, 100) });
    harness.run('connect', GENERATED.apiKey);
    harness.run('bindTab', L, V);
    harness.run('saveSchedule', { schedule: { kind: 'minutes', every: 15 }, acceptOverBudget: true });
    await emulator.admin.setView(L, V, { entryIds: all.entryIds });
    const from = harness.executions.length;
    for (let minute = 0; minute < 90; minute++) {
      harness.advance(60_000);
      const s = harness.run('getScheduleState') as { running: unknown; lastRun: { ok: boolean } | null };
      if (s.running === null && s.lastRun?.ok) break;
    }
    const runs = harness.executions.slice(from).filter((m) => m.fn === 'scheduledSync' || m.fn === 'continueSync');
    const label = `resumable pull, ${entries.toLocaleString('en-US')} entries${pageMs ? `, ${pageMs / 1000} s a page` : ''}`;
    const rows: BenchRow[] = runs.map((m, i) => {
      if (m.error) throw new Error(`${label}: ${m.error}`);
      return {
        case: `${label}: execution ${i + 1} of ${runs.length} (${m.fn})`,
        requests: m.urlFetches,
        minimumRequests: '',
        fetchAllBatches: m.fetchAllBatches,
        sheetsCalls: m.callsByService.SpreadsheetApp ?? 0,
        cellsWritten: m.cellsWritten,
        cpuMs: Math.round(m.cpuMs),
        virtualMs: Math.round(m.virtualMs),
        peakHeapMB: Math.round((m.peakHeapBytes / 1048576) * 10) / 10,
      };
    });
    const sum = (k: 'requests' | 'fetchAllBatches' | 'sheetsCalls' | 'cellsWritten' | 'cpuMs' | 'virtualMs') =>
      rows.reduce((n, r) => n + r[k], 0);
    const peak = Math.max(...rows.map((r) => r.peakHeapMB));
    rows.push({
      case: `${label}: whole run, ${runs.length} executions`,
      requests: sum('requests'),
      minimumRequests: Math.ceil(entries / 100) + 2,
      fetchAllBatches: sum('fetchAllBatches'),
      sheetsCalls: sum('sheetsCalls'),
      cellsWritten: sum('cellsWritten'),
      cpuMs: sum('cpuMs'),
      virtualMs: sum('virtualMs'),
      peakHeapMB: peak,
    });
    return rows;
  } finally {
    await product.close();
  }
}

export const CASES: { name: string; run: () => Promise<BenchRow[]> }[] = [
  { name: 'push 500 cells of 10,000', run: () => pushCase() },
  { name: 'pull 1,000', run: () => pullCase(1_000) },
  { name: 'pull 10,000', run: () => pullCase(10_000) },
  { name: 'pull 50,000', run: () => pullCase(50_000) },
  { name: 'resumable pull 60,000', run: () => resumableCase(60_000, 1000) },
  { name: 'resumable pull 60,000, default network', run: () => resumableCase(60_000) },
];

function print(rows: BenchRow[]): void {
  const headers: (keyof BenchRow)[] = [
    'case',
    'requests',
    'minimumRequests',
    'fetchAllBatches',
    'sheetsCalls',
    'cellsWritten',
    'cpuMs',
    'virtualMs',
    'peakHeapMB',
  ];
  const text = (r: BenchRow, h: keyof BenchRow) =>
    typeof r[h] === 'number' ? r[h].toLocaleString('en-US') : String(r[h] ?? '');
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => text(r, h).length)));
  console.log(headers.map((h, i) => h.padEnd(widths[i])).join('  '));
  for (const r of rows)
    console.log(
      headers.map((h, i) => (i === 0 ? text(r, h).padEnd(widths[i]) : text(r, h).padStart(widths[i]))).join('  '),
    );
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const rows: BenchRow[] = [];
  for (const c of CASES) {
    if (only.length > 0 && !only.some((o) => c.name.includes(o))) continue;
    process.stderr.write(`running ${c.name}…\n`);
    rows.push(...(await c.run()));
  }
  print(rows);
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
