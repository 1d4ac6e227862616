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

/** Holds the calls of one function until released (Apps Script runs each call as its own execution, in parallel). */
export interface Gate {
  /** Resolves when a held call has arrived. */
  arrived: Promise<void>;
  release(): void;
}

export interface SidebarServer {
  url: string;
  calls: RpcRecord[];
  /**
   * The next calls of `fn` wait (the others are answered meanwhile) until `release()`: what a long server call looks
   * like to the page, since the harness itself runs one execution at a time.
   */
  gate(fn: string): Gate;
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

export async function startSidebarServer(
  harness: AppsScriptHarness,
  opts: { html?: string } = {},
): Promise<SidebarServer> {
  const html = opts.html ?? openSidebar(harness);
  const page = html.replace(/<head>/i, '<head>\n<script src="/__shim.js"></script>');
  if (page === html) throw new Error('the sidebar HTML has no <head>');
  const calls: RpcRecord[] = [];
  const gates = new Map<string, { opened: Promise<void>; arrive: () => void }>();
  const gate = (fn: string): Gate => {
    let release!: () => void;
    let arrive!: () => void;
    const opened = new Promise<void>((r) => (release = r));
    const arrived = new Promise<void>((r) => (arrive = r));
    gates.set(fn, { opened, arrive });
    return {
      arrived,
      release: () => {
        gates.delete(fn);
        release();
      },
    };
  };

  const server: Server = createServer((req, res) => {
    const send = (status: number, type: string, text: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(text);
    };
    if (req.method === 'GET' && (req.url === '/' || req.url === '/index.html'))
      return send(200, 'text/html; charset=utf-8', page);
    if (req.method === 'GET' && req.url === '/__shim.js') return send(200, 'text/javascript; charset=utf-8', SHIM);
    if (req.method === 'POST' && req.url === '/__rpc') {
      const answer = (text: string) => {
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
        send(
          200,
          'application/json',
          JSON.stringify(record.ok ? { ok: true, value: record.value } : { ok: false, error: record.error }),
        );
      };
      body(req)
        .then(async (text) => {
          const held = gates.get(/"fn":"([^"]*)"/.exec(text)?.[1] ?? '');
          if (held) {
            held.arrive();
            await held.opened;
          }
          answer(text);
        })
        .catch((e: Error) => send(500, 'text/plain', e.message));
      return;
    }
    send(404, 'text/plain', 'not found');
  });
  // Idle keep-alive sockets are Chromium's to close (see tools/emulator/server.ts): no server timer to race.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    gate,
    html,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
