/**
 * Serves the settings sidebar to a real browser as Apps Script would, with the server side running for real:
 *   GET  /        the HTML that Affinity › Settings… showed in the harness (dist/sidebar.html through HtmlService),
 *                 with the google.script.run shim (shim.js) put first in <head>
 *   POST /__rpc   {fn, args} → runs `fn` in the Apps Script harness as google.script.run does (`runAs('rpc')`:
 *                 plain data only, a Date result arrives as null) against the Affinity emulator → {ok, value|error}
 * Every call and answer is kept in `calls`, so tests can look at everything the page received.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { HarnessExecutionError, type AppsScriptHarness } from '../../../tools/harness';

export interface RpcRecord {
  fn: string;
  args: unknown[];
  ok: boolean;
  value?: unknown;
  error?: string;
}

export interface SidebarServer {
  url: string;
  calls: RpcRecord[];
  /** The HTML the harness showed (what GET / serves, before the shim goes in). */
  html: string;
  close(): Promise<void>;
}

const SHIM = readFileSync(join(__dirname, 'shim.js'), 'utf8');

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Opens the sidebar from the menu (as a user would) and returns the HTML Apps Script would serve. */
export function openSidebar(harness: AppsScriptHarness): string {
  harness.openSpreadsheet();
  const before = harness.ui.sidebars.length;
  harness.clickMenu('Affinity', 'Settings…');
  const shown = harness.ui.sidebars[harness.ui.sidebars.length - 1];
  if (harness.ui.sidebars.length !== before + 1 || !shown) throw new Error('Affinity › Settings… showed no sidebar');
  return shown.html;
}

export async function startSidebarServer(harness: AppsScriptHarness, opts: { html?: string } = {}): Promise<SidebarServer> {
  const html = opts.html ?? openSidebar(harness);
  const page = html.replace(/<head>/i, '<head>\n<script src="/__shim.js"></script>');
  if (page === html) throw new Error('the sidebar HTML has no <head>');
  const calls: RpcRecord[] = [];

  const server: Server = createServer((req, res) => {
    const send = (status: number, type: string, text: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(text);
    };
    if (req.method === 'GET' && (req.url === '/' || req.url === '/index.html')) return send(200, 'text/html; charset=utf-8', page);
    if (req.method === 'GET' && req.url === '/__shim.js') return send(200, 'text/javascript; charset=utf-8', SHIM);
    if (req.method === 'POST' && req.url === '/__rpc') {
      body(req).then(
        (text) => {
          let record: RpcRecord;
          try {
            const { fn, args } = JSON.parse(text) as { fn: string; args: unknown[] };
            record = { fn, args, ok: true };
            try {
              record.value = harness.runAs('rpc', fn, ...(args ?? []));
            } catch (e) {
              record.ok = false;
              record.error = e instanceof HarnessExecutionError ? e.message : e instanceof Error ? e.message : String(e);
            }
          } catch (e) {
            record = { fn: '?', args: [], ok: false, error: `bad request: ${(e as Error).message}` };
          }
          calls.push(record);
          send(200, 'application/json', JSON.stringify(record.ok ? { ok: true, value: record.value } : { ok: false, error: record.error }));
        },
        (e: Error) => send(500, 'text/plain', e.message),
      );
      return;
    }
    send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    html,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
