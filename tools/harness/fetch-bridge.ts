/**
 * Synchronous HTTP for the synchronous script: a worker thread performs the requests (in parallel
 * for a batch) over real HTTP while the main thread blocks on Atomics.wait; the results come back
 * through a MessagePort read with receiveMessageOnPort.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

export interface BridgeRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  followRedirects: boolean;
  validateHttpsCertificates: boolean;
  timeoutMs: number;
}

export interface BridgeResult {
  status?: number;
  /** [name, value, name, value, ...] with the server's casing */
  rawHeaders?: string[];
  body?: Uint8Array;
  /** 'timeout', a Node error code (ECONNREFUSED, ENOTFOUND, ...), or 'invalid-url' */
  error?: string;
  message?: string;
  elapsedMs: number;
  finalUrl?: string;
}

const WORKER_SOURCE = String.raw`
const { workerData } = require('node:worker_threads');
const http = require('node:http');
const https = require('node:https');
const { port, sab } = workerData;
const flag = new Int32Array(sab);
port.on('message', (msg) => {
  Promise.all(msg.requests.map(run)).then((results) => {
    port.postMessage({ id: msg.id, results });
    Atomics.store(flag, 0, msg.id);
    Atomics.notify(flag, 0);
  });
});
function run(req) {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    let current = null;
    const done = (r) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      r.elapsedMs = Date.now() - started;
      resolve(r);
    };
    const timer = setTimeout(() => {
      if (current) current.destroy();
      done({ error: 'timeout', message: 'timed out after ' + req.timeoutMs + ' ms' });
    }, req.timeoutMs);
    let hops = 0;
    const go = (url, method, body) => {
      let u;
      try { u = new URL(url); } catch (e) { return done({ error: 'invalid-url', message: String(e && e.message) }); }
      const isHttps = u.protocol === 'https:';
      if (!isHttps && u.protocol !== 'http:') return done({ error: 'invalid-url', message: 'unsupported protocol ' + u.protocol });
      const headers = Object.assign({}, req.headers);
      if (body && body.length) headers['Content-Length'] = String(body.length);
      const opts = { method, headers, agent: false };
      if (isHttps) opts.rejectUnauthorized = req.validateHttpsCertificates !== false;
      let r;
      try {
        r = (isHttps ? https : http).request(u, opts, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('error', (e) => done({ error: e.code || 'ERR', message: e.message }));
          res.on('end', () => {
            const status = res.statusCode;
            if (req.followRedirects && [301, 302, 303, 307, 308].includes(status) && res.headers.location && hops < 10) {
              hops++;
              let next;
              try { next = new URL(res.headers.location, u).toString(); } catch (e) { return done({ error: 'invalid-url', message: e.message }); }
              const m = status === 303 || ((status === 301 || status === 302) && method !== 'GET' && method !== 'HEAD') ? 'GET' : method;
              return go(next, m, m === 'GET' ? undefined : body);
            }
            const buf = Buffer.concat(chunks);
            done({ status, rawHeaders: res.rawHeaders, body: new Uint8Array(buf), finalUrl: u.toString() });
          });
        });
      } catch (e) {
        return done({ error: (e && e.code) || 'ERR', message: String(e && e.message) });
      }
      current = r;
      r.on('error', (e) => done({ error: e.code || 'ERR', message: e.message }));
      if (body && body.length) r.write(Buffer.from(body));
      r.end();
    };
    go(req.url, req.method, req.body);
  });
}
`;

export class FetchBridge {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag: Int32Array;
  private seq = 0;
  private failure: Error | null = null;

  constructor() {
    const sab = new SharedArrayBuffer(4);
    this.flag = new Int32Array(sab);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, sab }, transferList: [port2] });
    this.worker.on('error', (e) => {
      this.failure = e;
    });
    this.worker.on('exit', (code) => {
      this.failure ??= new Error(`fetch worker exited with code ${code}`);
    });
    this.worker.unref();
    (this.port as unknown as { unref?: () => void }).unref?.();
  }

  /** Perform the requests (concurrently) and block until all are answered or failed. */
  requestAll(requests: BridgeRequest[]): BridgeResult[] {
    if (this.failure) throw this.failure;
    this.seq = (this.seq % 2_000_000_000) + 1;
    const id = this.seq;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ id, requests });
    const longest = Math.max(0, ...requests.map((r) => r.timeoutMs));
    const deadline = Date.now() + longest + 10_000;
    for (;;) {
      const m = receiveMessageOnPort(this.port);
      if (m) {
        if (m.message.id === id) return m.message.results;
        continue; // a late answer to an abandoned batch
      }
      if (this.failure) throw this.failure;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('The harness fetch worker did not answer in time.');
      const seen = Atomics.load(this.flag, 0);
      if (seen !== 0 && seen !== id) Atomics.store(this.flag, 0, 0);
      Atomics.wait(this.flag, 0, 0, Math.min(remaining, 200));
    }
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}
