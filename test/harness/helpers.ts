/** Test helpers for the harness: a harness over a hand-written script, and a real HTTP server in a worker. */
import { Worker } from 'node:worker_threads';
import { AppsScriptHarness, type HarnessOptions } from '../../tools/harness';

export function harnessFor(code: string, opts: HarnessOptions = {}): AppsScriptHarness {
  return new AppsScriptHarness({ manifest: { timeZone: 'Etc/UTC' }, ...opts, code });
}

export interface TestServer {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * A node:http server in a worker thread (the main thread blocks on Atomics.wait while a script
 * fetches, so the server cannot live there). Routes:
 *   /echo           → 200 JSON {method, url, headers, body}
 *   /status/<code>  → that status with a 300-character text body
 *   /delay/<ms>     → waits, then 200 {"delayed": ms}
 *   /peak           → 200 {"peakInFlight"}: most /delay requests open at once since the last /peak
 *   /redirect       → 302 to /echo
 *   /headers        → 200 with a repeated Set-Cookie header and X-Custom
 *   /page/<n>/<f>   → 200 JSON like Affinity's list-entries page: n entries of f fields each
 */
export function startTestServer(): Promise<TestServer> {
  const source = String.raw`
    const { parentPort } = require('node:worker_threads');
    const http = require('node:http');
    let inFlight = 0;
    let peakInFlight = 0;
    const server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const u = new URL(req.url, 'http://x');
        let m;
        if (u.pathname === '/echo' || u.pathname.startsWith('/v2/')) {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
        } else if ((m = /^\/status\/(\d+)$/.exec(u.pathname))) {
          res.writeHead(Number(m[1]), { 'Content-Type': 'text/plain' });
          res.end('E'.repeat(100) + 'F'.repeat(100) + 'G'.repeat(100));
        } else if ((m = /^\/delay\/(\d+)$/.exec(u.pathname))) {
          inFlight++;
          peakInFlight = Math.max(peakInFlight, inFlight);
          setTimeout(() => {
            inFlight--;
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ delayed: Number(m[1]) }));
          }, Number(m[1]));
        } else if ((m = /^\/page\/(\d+)\/(\d+)$/.exec(u.pathname))) {
          const fields = Array.from({ length: Number(m[2]) }, (_, j) => ({ id: 'field-' + j, name: 'F' + j, type: 'list', value: { type: 'text', data: 'v' } }));
          const data = Array.from({ length: Number(m[1]) }, (_, i) => ({ id: i + 1, type: 'company', entity: { id: i + 1, name: 'C' + i, fields } }));
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ data, pagination: { nextUrl: null } }));
        } else if (u.pathname === '/peak') {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ peakInFlight }));
          peakInFlight = 0;
        } else if (u.pathname === '/redirect') {
          res.writeHead(302, { Location: '/echo' });
          res.end();
        } else if (u.pathname === '/headers') {
          res.setHeader('Set-Cookie', ['a=1', 'b=2']);
          res.setHeader('X-Custom', 'yes');
          res.writeHead(200);
          res.end('ok');
        } else {
          res.writeHead(404);
          res.end('not found');
        }
      });
    });
    // Idle keep-alive sockets are the client's to close (see tools/emulator/server.ts): no server timer to race.
    server.keepAliveTimeout = 0;
    server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
    parentPort.on('message', (m) => { if (m === 'close') server.close(() => process.exit(0)); });
  `;
  const worker = new Worker(source, { eval: true });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: { port: number }) => {
      resolve({
        baseUrl: `http://127.0.0.1:${m.port}`,
        close: async () => {
          await worker.terminate();
        },
      });
    });
  });
}
