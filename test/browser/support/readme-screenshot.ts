/**
 * `npm run screenshot`: takes the README's picture of the settings panel (docs/images/sidebar.png): the built page
 * in headless Chromium, 300 px wide, connected to the local emulator's deal-flow account with two synced tabs.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEALFLOW } from '../../../tools/emulator/seeds/dealflow';
import { startProduct } from '../../../tools/cli/product';
import { launchBrowser } from './browser';
import { startSidebarServer } from './server';

async function main(): Promise<void> {
  const out = resolve(__dirname, '../../../docs/images/sidebar.png');
  const product = await startProduct();
  const h = product.harness;
  h.openSpreadsheet();
  h.run('connect', DEALFLOW.apiKey);
  h.run('bindTab', DEALFLOW.listId, DEALFLOW.views.allDeals, h.sheet('Sheet1').getSheetId());
  h.advance(40 * 60_000);
  h.run('bindTab', DEALFLOW.listId, DEALFLOW.views.activePipeline, null);
  h.sheet('Active Pipeline').activate();
  const server = await startSidebarServer(h);
  const b = await launchBrowser({ height: 600 });
  try {
    await b.open(server.url);
    const card = b.page.locator('#section-tabs .binding').filter({ hasText: 'Active Pipeline' }).first();
    await card.getByRole('button', { name: /^Pull / }).click();
    await card.locator('.message.success').waitFor();
    await b.settle();
    mkdirSync(join(out, '..'), { recursive: true });
    await b.page.screenshot({ path: out, fullPage: true });
    console.log(`wrote ${out}`);
  } finally {
    await b.close();
    await server.close();
    await product.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
