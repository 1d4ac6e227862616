/**
 * `npm run bench`: figures, not pass/fail. For pulls of 1,000, 10,000 and 50,000 entries × 30 fields through the
 * real bundle in the Apps Script harness against the emulator: Affinity requests made and the minimum possible
 * (pages + metadata), SpreadsheetApp calls, cells written, CPU ms, virtual time, peak memory; then a second pull
 * with nothing changed. Later features add their cases to CASES.
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
    const first = row(product, `first pull, ${entries.toLocaleString('en-US')} entries × 30 fields`, pages + 3, 'bind: list + view + fields metadata, then pages');
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
    const rows = Array.from({ length: entries }, (_, i) => i + 2).filter((r) => !huge.has(r) && r % 49 === 7).slice(0, 200);
    rows.forEach((r, i) => {
      sheet.getRange(r, col('Description')).setValue(`Edited ${r}`);
      sheet.getRange(r, col('Amount')).setValue(1000 + i);
      if (i % 2 === 0) sheet.getRange(r, col('Source Notes')).setValue(`Note ${i}`);
    });
    harness.run('pushTab', sheetId);
    const pushed = row(product, 'push 500 cells / 200 entries of 10,000', `${200 + Math.ceil(entries / 100)}`, '200 PATCH + 100 page reads');
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

export const CASES: { name: string; run: () => Promise<BenchRow[]> }[] = [
  { name: 'push 500 cells of 10,000', run: () => pushCase() },
  { name: 'pull 1,000', run: () => pullCase(1_000) },
  { name: 'pull 10,000', run: () => pullCase(10_000) },
  { name: 'pull 50,000', run: () => pullCase(50_000) },
];

function print(rows: BenchRow[]): void {
  const headers: (keyof BenchRow)[] = ['case', 'requests', 'minimumRequests', 'fetchAllBatches', 'sheetsCalls', 'cellsWritten', 'cpuMs', 'virtualMs', 'peakHeapMB'];
  const text = (r: BenchRow, h: keyof BenchRow) => (typeof r[h] === 'number' ? (r[h] as number).toLocaleString('en-US') : String(r[h] ?? ''));
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => text(r, h).length)));
  console.log(headers.map((h, i) => h.padEnd(widths[i])).join('  '));
  for (const r of rows) console.log(headers.map((h, i) => (i === 0 ? text(r, h).padEnd(widths[i]) : text(r, h).padStart(widths[i]))).join('  '));
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
