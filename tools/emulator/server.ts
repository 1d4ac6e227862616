/**
 * Real HTTP in front of an AffinityEmulator: applies latency and network-error faults, and serves the JSON admin
 * routes under /__emulator/ (documented in docs/emulator.md).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FieldValueUpdate, User } from '../../src/server/affinity/types';
import type { AffinityEmulator, Fault } from './emulator';
import { ApiError } from './errors';
import { generateSeed, type GenerateOptions } from './generate';
import type { EmulatorSeed } from './seed';

export interface EmulatorServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

/** Admin routes (/__emulator/...): test-side control of the emulator's state. */
function admin(emulator: AffinityEmulator, method: string, url: URL, body: string, res: ServerResponse): void {
  const p = url.pathname.slice('/__emulator'.length);
  const json = () => (body ? JSON.parse(body) : {});
  let m: RegExpExecArray | null;
  if (p === '/health' && method === 'GET') return send(res, 200, { ok: true });
  if (p === '/faults' && method === 'POST') {
    emulator.injectFault(json() as Fault);
    return send(res, 204);
  }
  if (p === '/faults' && method === 'DELETE') {
    emulator.clearFaults();
    return send(res, 204);
  }
  if (p === '/requests' && method === 'GET') {
    const since = Number(url.searchParams.get('since') ?? 0);
    return send(
      res,
      200,
      emulator.requests.filter((r) => r.seq > since),
    );
  }
  if (p === '/requests' && method === 'DELETE') {
    emulator.clearRequests();
    return send(res, 204);
  }
  if (p === '/changes' && method === 'GET') return send(res, 200, emulator.fieldValueChanges());
  if (p === '/seed' && method === 'POST') {
    const input = json() as EmulatorSeed | { generate: GenerateOptions };
    emulator.loadSeed('generate' in input ? generateSeed(input.generate) : input);
    return send(res, 204);
  }
  if ((m = /^\/lists\/(\d+)\/entries\/(\d+)$/.exec(p))) {
    const [listId, entryId] = [Number(m[1]), Number(m[2])];
    if (method === 'GET') {
      const entry = emulator.getEntry(listId, entryId);
      return entry ? send(res, 200, entry) : send(res, 404, { error: `no entry ${entryId} on list ${listId}` });
    }
    if (method === 'DELETE') {
      emulator.deleteEntry(listId, entryId);
      return send(res, 204);
    }
  }
  if ((m = /^\/lists\/(\d+)\/entries\/(\d+)\/fields\/([^/]+)$/.exec(p)) && method === 'POST') {
    const { value, changer, at } = json() as { value: FieldValueUpdate; changer?: User | null; at?: number };
    emulator.editField(Number(m[1]), Number(m[2]), decodeURIComponent(m[3]), value, { changer, at });
    return send(res, 204);
  }
  if ((m = /^\/lists\/(\d+)\/fields\/([^/]+)$/.exec(p)) && method === 'POST') {
    const { name } = json() as { name: string };
    return send(res, 200, emulator.renameField(Number(m[1]), decodeURIComponent(m[2]), name));
  }
  if ((m = /^\/lists\/(\d+)\/views\/(\d+)$/.exec(p))) {
    const [listId, viewId] = [Number(m[1]), Number(m[2])];
    if (method === 'GET') {
      const view = emulator.getView(listId, viewId);
      return view ? send(res, 200, view) : send(res, 404, { error: `no view ${viewId} on list ${listId}` });
    }
    if (method === 'POST') return send(res, 200, emulator.setView(listId, viewId, json()));
  }
  return send(res, 404, { error: `no admin route ${method} ${url.pathname}` });
}

export function startEmulatorServer(
  emulator: AffinityEmulator,
  opts: { port?: number; host?: string } = {},
): Promise<EmulatorServer> {
  const host = opts.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    readBody(req).then(
      (body) => {
        const url = new URL(req.url ?? '/', 'http://emulator.invalid');
        const method = (req.method ?? 'GET').toUpperCase();
        if (url.pathname.startsWith('/__emulator/')) {
          try {
            admin(emulator, method, url, body, res);
          } catch (err) {
            if (err instanceof ApiError) send(res, err.status, err.body());
            else send(res, 400, { error: (err as Error).message });
          }
          return;
        }
        const out = emulator.handle({
          method,
          url: req.url ?? '/',
          headers: req.headers as Record<string, string>,
          body: body === '' ? undefined : body,
        });
        const answer = () => {
          if (out.networkError) {
            req.socket.destroy();
            return;
          }
          const length = out.status === 204 ? {} : { 'content-length': String(Buffer.byteLength(out.body)) };
          res.writeHead(out.status, { ...out.headers, ...length }).end(out.body);
        };
        if (out.delayMs) setTimeout(answer, out.delayMs);
        else answer();
      },
      () => req.socket.destroy(),
    );
  });
  // Idle keep-alive sockets are the client's to close: a server timer (Node's default closes them after 5 s) races the
  // client's own expiry, which starts only when a blocked client thread reads the answer, and the loser reuses a dead
  // socket (`fetch failed … other side closed`). close() below ends every connection.
  server.keepAliveTimeout = 0;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // Idle keep-alive sockets stay open until the client or close() ends them: a test's main thread blocked in a long
    // synchronous run cannot see a server-side idle close, and would reuse the dead socket ("other side closed").
    server.keepAliveTimeout = 0;
    server.listen(opts.port ?? 0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
