/**
 * `npm start`: the product end to end with no Google and no Affinity. Starts the emulator on the bundled venture
 * deal-flow seed, runs dist/Code.js in the Apps Script harness, opens the spreadsheet (Affinity menu), connects,
 * binds a tab to the "Active Pipeline" view, pulls it, and prints the tab.
 */
import { DEALFLOW } from '../emulator/seeds/dealflow';
import { formatTable, startProduct, tabDisplay } from './product';

async function main(): Promise<void> {
  const product = await startProduct();
  const { harness } = product;
  try {
    harness.openSpreadsheet();
    const menu = harness.ui.menus.find((m) => m.name === 'Affinity');
    console.log(`Spreadsheet opened. Menu “Affinity”: ${menu?.items.map((i) => i.caption).join(' · ')}`);

    const who = harness.run('connect', DEALFLOW.apiKey) as { userName: string; tenantName: string; keyHint: string };
    console.log(`Connected as ${who.userName} · ${who.tenantName} (key …${who.keyHint})`);

    const summary = harness.run('bindTab', DEALFLOW.listId, DEALFLOW.views.activePipeline) as {
      tabName: string;
      rows: number;
      requests: number;
    };
    const m = harness.lastExecution;
    console.log(
      `Bound and pulled “${summary.tabName}”: ${summary.rows} rows; ${m.urlFetches} Affinity requests, ` +
        `${m.callsByService.SpreadsheetApp ?? 0} SpreadsheetApp calls, ${m.cellsWritten} cells written, ${Math.round(m.virtualMs)} ms virtual time\n`,
    );
    console.log(formatTable(tabDisplay(harness, summary.tabName)));

    harness.run('pullTab', harness.spreadsheet.getSheetByName(summary.tabName)!.getSheetId());
    console.log(`\nPulled again: nothing changed in Affinity, ${harness.lastExecution.cellsWritten} cells written.`);
  } finally {
    await product.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
