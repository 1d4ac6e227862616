import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { EmulatorAdmin } from '../../tools/emulator/admin';
import { AffinityEmulator } from '../../tools/emulator/emulator';
import { generateSeed } from '../../tools/emulator/generate';
import { startEmulatorServer, type EmulatorServer } from '../../tools/emulator/server';
import { startEmulatorWorker } from '../../tools/emulator/worker';
import { ENTRY, KEY, LIST, VIEW, expectValid } from './helpers';

const seed = generateSeed({ entries: 120 });
let em: AffinityEmulator;
let server: EmulatorServer;
let admin: EmulatorAdmin;

beforeAll(async () => {
  em = new AffinityEmulator(seed);
  server = await startEmulatorServer(em, { port: 0 });
  admin = new EmulatorAdmin(server.url);
});
afterAll(() => server.close());
beforeEach(async () => {
  em.loadSeed(seed);
  await admin.clearFaults();
  await admin.clearRequests();
});

const headers = { authorization: `Bearer ${KEY}`, 'x-affinity-api-version': '2026-09-17' };
async function http(method: string, pathAndQuery: string, body?: unknown) {
  const res = await fetch(server.url + pathAndQuery, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: Object.fromEntries(res.headers), body: text };
}

describe('over HTTP', () => {
  test('serves the API with lower-case headers; every answer validates', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const url of [
      '/v2/auth/whoami',
      `/v2/lists/${LIST}/saved-views/${VIEW}/list-entries?limit=7`,
      '/v2/lists/999',
    ]) {
      const res = await http('GET', url);
      expectValid('GET', url, res);
      expect(res.headers['x-affinity-api-version']).toBe('2026-09-17');
      expect(res.headers['x-ratelimit-limit-user-remaining']).toEqual(expect.any(String));
    }
    const write = await http('POST', `/v2/lists/${LIST}/list-entries/${ENTRY}/fields/field-1005`, {
      value: { type: 'text', data: 'over http' },
    });
    expect(write.status).toBe(204);
    expectValid('POST', `/v2/lists/${LIST}/list-entries/${ENTRY}/fields/field-1005`, write);
    expect(em.getFieldValue(LIST, ENTRY, 'field-1005')!.data).toBe('over http');
  });

  test("a status fault answers the next N matching requests with Affinity's error body", async () => {
    await admin.injectFault({ status: 503, count: 2, match: { pathIncludes: '/list-entries' } });
    const url = `/v2/lists/${LIST}/list-entries?limit=1`;
    const other = await http('GET', `/v2/lists/${LIST}`);
    expect(other.status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await http('GET', url);
      expect(res.status).toBe(503);
      expectValid('GET', url, res);
      expect(JSON.parse(res.body).errors[0].code).toBe('server');
    }
    expect((await http('GET', url)).status).toBe(200);
  });

  test('a 429 fault carries the rate-limit headers; a method filter applies', async () => {
    await admin.injectFault({ status: 429, match: { method: 'PATCH' } });
    expect((await http('GET', '/v2/auth/whoami')).status).toBe(200);
    const url = `/v2/lists/${LIST}/list-entries/${ENTRY}/fields`;
    const res = await http('PATCH', url, { operation: 'update-fields', updates: [] });
    expect(res.status).toBe(429);
    expectValid('PATCH', url, res);
    expect(res.headers['x-ratelimit-limit-user-remaining']).toBe('0');
    expect(Number(res.headers['x-ratelimit-limit-user-reset'])).toBeGreaterThan(0);
  });

  test('latency delays the answer', async () => {
    await admin.injectFault({ latencyMs: 300 });
    const t0 = Date.now();
    const res = await http('GET', '/v2/auth/whoami');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect(res.status).toBe(200);
  });

  test('truncated, non-JSON and empty bodies', async () => {
    const url = `/v2/lists/${LIST}/saved-views`;
    const whole = (await http('GET', url)).body;
    await admin.injectFault({ body: 'truncated' });
    const cut = await http('GET', url);
    expect(cut.status).toBe(200);
    expect(whole.startsWith(cut.body)).toBe(true);
    expect(cut.body.length).toBeLessThan(whole.length);
    expect(() => JSON.parse(cut.body)).toThrow();

    await admin.injectFault({ body: 'non-json', status: 502 });
    const html = await http('GET', url);
    expect(html.status).toBe(502);
    expect(html.headers['content-type']).toBe('text/html');
    expect(html.body).toMatch(/<html>/);

    await admin.injectFault({ body: 'empty' });
    const empty = await http('GET', url);
    expect(empty).toMatchObject({ status: 200, body: '' });
  });

  test('a network error destroys the socket', async () => {
    await admin.injectFault({ networkError: true, count: Infinity, match: { pathIncludes: 'whoami' } });
    await expect(fetch(`${server.url}/v2/auth/whoami`, { headers })).rejects.toThrow();
    await expect(fetch(`${server.url}/v2/auth/whoami`, { headers })).rejects.toThrow();
    expect((await http('GET', '/v2/rate-limit')).status).toBe(200);
    await admin.clearFaults();
    expect((await http('GET', '/v2/auth/whoami')).status).toBe(200);
    const log = await admin.requests();
    expect(log.filter((r) => r.path === '/v2/auth/whoami').map((r) => r.status)).toEqual([0, 0, 200]);
  });
});

describe('admin routes', () => {
  test('request log with since, and clearing it', async () => {
    await http('GET', '/v2/auth/whoami');
    await http('GET', `/v2/lists/${LIST}/list-entries?limit=2&fieldIds=field-1001&fieldIds=field-1002`);
    const log = await admin.requests();
    expect(log).toHaveLength(2);
    expect(log[1]).toMatchObject({
      method: 'GET',
      path: `/v2/lists/${LIST}/list-entries`,
      query: { limit: '2', fieldIds: ['field-1001', 'field-1002'] },
      status: 200,
      via: 'direct',
    });
    expect(log[1].headers.authorization).toBe(`Bearer ${KEY}`);
    expect(await admin.requests(log[0].seq)).toHaveLength(1);
    await admin.clearRequests();
    expect(await admin.requests()).toEqual([]);
  });

  test('edit a field as another user, read the entry, change a view, delete an entry', async () => {
    await admin.editField(LIST, ENTRY, 'field-1005', { type: 'text', data: 'edited in Affinity' });
    const entry = await admin.getEntry(LIST, ENTRY);
    expect(entry!.entity.fields!.find((f) => f.id === 'field-1005')!.value.data).toBe('edited in Affinity');
    expect((await admin.changes()).at(-1)).toMatchObject({ changer: { id: 990001 }, value: 'edited in Affinity' });
    await expect(
      admin.editField(LIST, ENTRY, 'field-1006', { type: 'dropdown', data: { dropdownOptionId: 1 } }),
    ).rejects.toThrow(/400/);

    const view = await admin.setView(LIST, VIEW, { entryIds: [ENTRY + 2, ENTRY], fieldIds: ['field-1005'] });
    expect(view.entryIds).toEqual([ENTRY + 2, ENTRY]);
    expect((await admin.getView(LIST, VIEW)).fieldIds).toEqual(['field-1005']);
    const rows = JSON.parse((await http('GET', `/v2/lists/${LIST}/saved-views/${VIEW}/list-entries`)).body).data;
    expect(rows.map((r: any) => r.id)).toEqual([ENTRY + 2, ENTRY]);

    await admin.deleteEntry(LIST, ENTRY);
    expect(await admin.getEntry(LIST, ENTRY)).toBeNull();
    expect((await http('GET', `/v2/lists/${LIST}/list-entries/${ENTRY}`)).status).toBe(404);
  });

  test('replace the seed, given or generated', async () => {
    await admin.loadSeed({ generate: { entries: 3 } });
    expect(JSON.parse((await http('GET', `/v2/lists/${LIST}/list-entries`)).body).data).toHaveLength(3);
    await admin.loadSeed(generateSeed({ entries: 4 }));
    expect(JSON.parse((await http('GET', `/v2/lists/${LIST}/list-entries`)).body).data).toHaveLength(4);
  });
});

describe('worker', () => {
  test('runs the server in a worker thread (from jest); reachable while the main thread blocks', async () => {
    const worker = await startEmulatorWorker({ generate: { entries: 20 } });
    try {
      // execFileSync blocks this thread while a child process talks to the worker over HTTP.
      const script = `fetch(${JSON.stringify(`${worker.url}/v2/lists/${LIST}/list-entries?limit=100`)}, { headers: { authorization: 'Bearer ${KEY}' } }).then((r) => r.json()).then((b) => console.log(b.data.length))`;
      expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim()).toBe('20');
      await worker.admin.editField(LIST, ENTRY, 'field-1003', { type: 'number', data: 7 });
      expect(
        (await worker.admin.getEntry(LIST, ENTRY))!.entity.fields!.find((f) => f.id === 'field-1003')!.value.data,
      ).toBe(7);
    } finally {
      await worker.close();
    }
  });

  test('the admin client keeps working when the main thread blocks between calls (keep-alive never races)', async () => {
    // The harness blocks the main thread (Atomics.wait) while a script fetches; the worker's server runs on. A server
    // that closes idle keep-alive sockets on its own timer (Node's default: 5 s, announced as `keep-alive: timeout=5`)
    // races the client's own expiry, which starts only when the blocked thread reads the answer: the next admin call
    // then reuses a socket the server closed and fails with `fetch failed … other side closed`. The server leaves idle
    // sockets to the client instead.
    const worker = await startEmulatorWorker({ generate: { entries: 2 } });
    const block = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    try {
      const first = worker.admin.requests();
      await new Promise((resolve) => setTimeout(resolve, 50)); // the request is on the socket
      block(2_500); // the answer waits, unread, while the server's idle clock runs
      await expect(first).resolves.toEqual([]);
      block(3_600);
      await expect(worker.admin.requests()).resolves.toEqual([]);
    } finally {
      await worker.close();
    }
  });

  test('defaults to the deal-flow seed; a given seed and base URL are used', async () => {
    const demo = await startEmulatorWorker();
    const whoami = await fetch(`${demo.url}/v2/auth/whoami`, { headers: { authorization: 'Bearer demo-key-0001' } });
    expect(((await whoami.json()) as any).tenant.name).toBe('Analytical Ventures');
    await demo.close();
    const custom = await startEmulatorWorker({ seed: generateSeed({ entries: 2 }), baseUrl: 'http://affinity.test' });
    const page = await fetch(`${custom.url}/v2/lists/${LIST}/list-entries?limit=1`, { headers });
    expect(((await page.json()) as any).pagination.nextUrl).toMatch(/^http:\/\/affinity\.test\/v2\//);
    await custom.close();
  });

  test('runs from TypeScript under tsx too', () => {
    const root = path.resolve(__dirname, '../..');
    const out = execFileSync(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(__dirname, 'fixtures/worker-smoke.ts')],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ status: 200, firstName: 'Ada', logged: 1 });
  });
});
