import type { AppsScriptHarness } from '../../tools/harness';
import { harnessFor, startTestServer, type TestServer } from './helpers';

const code = `
function get(url, params) {
  var r = UrlFetchApp.fetch(url, params || {});
  return { code: r.getResponseCode(), text: r.getContentText(), headers: r.getHeaders(), all: r.getAllHeaders() };
}
function tryGet(url, params) { try { return get(url, params); } catch (e) { return { error: e.message, name: e.name }; } }
function post(url, body) {
  var r = UrlFetchApp.fetch(url, { method: 'post', contentType: 'application/json', payload: JSON.stringify(body), headers: { Authorization: 'Bearer k' } });
  return JSON.parse(r.getContentText());
}
function all(urls) {
  return UrlFetchApp.fetchAll(urls.map(function (u) { return { url: u, muteHttpExceptions: true }; })).map(function (r) { return r.getResponseCode(); });
}
function sequential(urls) { return urls.map(function (u) { return UrlFetchApp.fetch(u).getResponseCode(); }); }
function form(url) { return JSON.parse(UrlFetchApp.fetch(url, { method: 'post', payload: { a: '1', b: 'x y' } }).getContentText()); }
`;

describe('UrlFetchApp over real HTTP', () => {
  let server: TestServer;
  const harnesses: AppsScriptHarness[] = [];
  const make = (opts: Parameters<typeof harnessFor>[1] = {}) => {
    const h = harnessFor(code, {
      manifest: { timeZone: 'Etc/UTC', urlFetchWhitelist: ['https://api.affinity.co/', 'https://*.example.org/'] },
      routes: { 'https://api.affinity.co/': `${server.baseUrl}/`, 'https://data.example.org/': `${server.baseUrl}/` },
      ...opts,
    });
    harnesses.push(h);
    return h;
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await Promise.all(harnesses.map((h) => h.close()));
    await server.close();
  });

  it('routes the real URL to the local server and adds x-emulator-now', () => {
    // cpuFactor 0: the virtual clock moves by the cost model only, whatever the machine's speed or load.
    const h = make({ startTime: Date.UTC(2026, 2, 1), costs: { cpuFactor: 0 } });
    const r = h.run('post', 'https://api.affinity.co/v2/lists?limit=5', { hello: 'world' }) as {
      method: string;
      url: string;
      headers: Record<string, string>;
      body: string;
    };
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/v2/lists?limit=5');
    expect(r.body).toBe('{"hello":"world"}');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers.authorization).toBe('Bearer k');
    expect(r.headers['user-agent']).toMatch(/Google-Apps-Script/);
    const now = Number(r.headers['x-emulator-now']);
    expect(now).toBeGreaterThanOrEqual(Date.UTC(2026, 2, 1));
    expect(now).toBeLessThan(Date.UTC(2026, 2, 1) + 10_000);
    // the log records the request as the script sent it
    expect(h.fetchLog).toEqual([
      expect.objectContaining({
        url: 'https://api.affinity.co/v2/lists?limit=5',
        method: 'POST',
        headers: { Authorization: 'Bearer k', 'Content-Type': 'application/json' },
        payload: '{"hello":"world"}',
        status: 200,
        routedTo: `${server.baseUrl}/v2/lists?limit=5`,
      }),
    ]);
    expect(h.lastExecution.urlFetches).toBe(1);
    expect(h.lastExecution.calls['UrlFetchApp.fetch']).toBe(1);
    expect(h.lastExecution.virtualMs).toBeGreaterThanOrEqual(120);
  });

  it('form-encodes object payloads and follows redirects', () => {
    const h = make();
    expect(h.run('form', 'https://api.affinity.co/echo')).toMatchObject({
      body: 'a=1&b=x%20y',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const r = h.run('get', 'https://api.affinity.co/redirect') as { code: number; text: string };
    expect(r.code).toBe(200);
    expect(JSON.parse(r.text).url).toBe('/echo');
    const noFollow = h.run('get', 'https://api.affinity.co/redirect', { followRedirects: false }) as {
      code: number;
      headers: Record<string, string>;
    };
    expect(noFollow.code).toBe(302);
    expect(noFollow.headers.Location).toBe('/echo');
  });

  it('throws for >= 400 unless muteHttpExceptions', () => {
    const h = make();
    const thrown = h.run('tryGet', 'https://api.affinity.co/status/404') as { error: string; name: string };
    expect(thrown.name).toBe('Exception');
    expect(thrown.error).toBe(
      `Request failed for https://api.affinity.co returned code 404. Truncated server response: ${'E'.repeat(100)}${'F'.repeat(47)}... (use muteHttpExceptions option to examine full response)`,
    );
    const muted = h.run('get', 'https://api.affinity.co/status/429', { muteHttpExceptions: true }) as {
      code: number;
      text: string;
    };
    expect(muted.code).toBe(429);
    expect(muted.text).toHaveLength(300);
    expect(h.fetchLog.map((f) => f.status)).toEqual([404, 429]);
  });

  it('refuses URLs outside the manifest allowlist without sending them', () => {
    const h = make();
    const r = h.run('tryGet', 'https://evil.example.com/steal') as { error: string };
    expect(r.error).toBe(
      'Request to https://evil.example.com/steal failed because the URL has not been whitelisted in the script manifest.',
    );
    expect(h.fetchLog).toHaveLength(0);
    // wildcard subdomain entries
    expect((h.run('get', 'https://data.example.org/echo') as { code: number }).code).toBe(200);
  });

  it('reports network failures as Apps Script does', () => {
    const h = make({ routes: { 'https://api.affinity.co/': 'http://127.0.0.1:9/' }, fetchTimeoutMs: 2_000 });
    expect((h.run('tryGet', 'https://api.affinity.co/v2/x') as { error: string }).error).toBe(
      'Address unavailable: https://api.affinity.co/v2/x',
    );
    expect(h.fetchLog[0].status).toBe(0);
    const h2 = make({ routes: { 'https://api.affinity.co/': 'http://no-such-host.invalid/' } });
    expect((h2.run('tryGet', 'https://api.affinity.co/v2/x') as { error: string }).error).toBe(
      'DNS error: https://api.affinity.co/v2/x',
    );
  });

  it('times out slow requests (real timeout) and charges the timeout', () => {
    const h = make({ fetchTimeoutMs: 300 });
    const r = h.run('tryGet', 'https://api.affinity.co/delay/2000') as { error: string };
    expect(r.error).toBe('Timeout: https://api.affinity.co/delay/2000');
    expect(h.lastExecution.virtualMs).toBeGreaterThanOrEqual(300);
  });

  it('fetchAll runs requests in parallel: all three are open at the server at once, virtual time ≈ slowest, not the sum', async () => {
    const h = make();
    const urls = [300, 600, 900].map((ms) => `https://api.affinity.co/delay/${ms}`);
    await fetch(`${server.baseUrl}/peak`);
    expect(h.run('all', urls)).toEqual([200, 200, 200]);
    // Sequential requests would peak at 1 (2 with the earlier timeout test's request still open at the server).
    const { peakInFlight } = (await (await fetch(`${server.baseUrl}/peak`)).json()) as { peakInFlight: number };
    expect(peakInFlight).toBeGreaterThanOrEqual(3);
    const parallel = h.lastExecution;
    expect(parallel.fetchAllBatches).toBe(1);
    expect(parallel.urlFetches).toBe(3);
    expect(parallel.calls['UrlFetchApp.fetchAll']).toBe(1);
    expect(parallel.virtualMs).toBeGreaterThanOrEqual(900 + 120);

    h.run('sequential', urls);
    const seq = h.lastExecution;
    expect(seq.virtualMs).toBeGreaterThanOrEqual(1_800 + 3 * 120);
    expect(seq.urlFetches).toBe(3);
    expect(seq.fetchAllBatches).toBe(0);
    // The upper side in the cost model alone (no CPU time, no measured latency, both of which grow on a busy
    // machine): a batch costs its slowest request plus a little, three requests in a row cost three.
    const model = make({ costs: { cpuFactor: 0, urlFetchRealLatency: false } });
    const quick = [1, 2, 3].map((ms) => `https://api.affinity.co/delay/${ms}`);
    model.run('all', quick);
    const modelParallel = model.lastExecution.virtualMs;
    model.run('sequential', quick);
    expect(modelParallel).toBeGreaterThanOrEqual(120);
    expect(modelParallel).toBeLessThan(model.lastExecution.virtualMs / 2);
  });

  it('returns headers with the server casing and repeated headers as arrays', () => {
    const h = make();
    const r = h.run('get', 'https://api.affinity.co/headers') as {
      headers: Record<string, unknown>;
      all: Record<string, unknown>;
    };
    expect(r.headers['X-Custom']).toBe('yes');
    expect(r.all['Set-Cookie']).toEqual(['a=1', 'b=2']);
  });
});
