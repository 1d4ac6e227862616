/** The settings sidebar opened as Affinity › Schedule… shows it (at its Schedule section), served to Chromium. */
import type { AppsScriptHarness } from '../../../tools/harness';
import { launchBrowser, type Browser } from './browser';
import { startSidebarServer, type SidebarServer } from './server';

export async function openSchedulePanel(h: AppsScriptHarness): Promise<{ server: SidebarServer; b: Browser }> {
  h.openSpreadsheet();
  h.clickMenu('Affinity', 'Schedule…');
  const server = await startSidebarServer(h, { html: h.ui.sidebars.at(-1)!.html });
  const b = await launchBrowser({ height: 900 });
  await b.open(server.url);
  await b.page.locator('#section-schedule').locator('select').first().waitFor();
  await b.settle();
  return { server, b };
}
