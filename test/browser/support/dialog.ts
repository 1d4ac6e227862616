/** A menu's dialog in headless Chromium: the dialog the harness recorded, served with the google.script.run shim. */
import type { Product } from '../../../tools/cli/product';
import { launchBrowser, type Browser } from './browser';
import { startSidebarServer, type SidebarServer } from './server';

export interface OpenDialog {
  b: Browser;
  close(): Promise<void>;
}

/** Clicks Affinity › `item`, serves the dialog it opened and loads it in a browser page of `height` pixels. */
export async function openDialog(product: Product, item: string, height: number): Promise<OpenDialog> {
  product.harness.clickMenu('Affinity', item);
  const server: SidebarServer = await startSidebarServer(product.harness, {
    html: product.harness.ui.dialogs.at(-1)!.html,
  });
  const b = await launchBrowser({ height });
  await b.goto(server.url);
  return {
    b,
    close: async () => {
      await b.close();
      await server.close();
      await product.close();
    },
  };
}
