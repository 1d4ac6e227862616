/**
 * The network model (docs/harness.md, "Network model"): `fast` prices every request the same; `realistic` prices a
 * page of list entries by its entries × fields, adds UrlFetchApp's overhead, and runs a fetchAll at most 10 at a time.
 * Virtual time only: the real latency of the local server and the script's CPU are left out.
 */
import { type AppsScriptHarness, REALISTIC_NETWORK, resolveNetwork } from '../../tools/harness';
import { harnessFor, startTestServer, type TestServer } from './helpers';

const code = `
function one(url) { return UrlFetchApp.fetch(url).getResponseCode(); }
function all(urls) { return UrlFetchApp.fetchAll(urls).map(function (r) { return r.getResponseCode(); }); }
`;

describe('network model', () => {
  let server: TestServer;
  const harnesses: AppsScriptHarness[] = [];
  const make = (network: 'fast' | 'realistic') => {
    const h = harnessFor(code, {
      routes: { 'https://api.affinity.co/': `${server.baseUrl}/` },
      costs: { urlFetchRealLatency: false, cpuFactor: 0 },
      network,
    });
    harnesses.push(h);
    return h;
  };
  const page = (entries: number, fields: number) => `https://api.affinity.co/page/${entries}/${fields}`;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await Promise.all(harnesses.map((h) => h.close()));
    await server.close();
  });

  it('realistic: a 100-entry page of 30 fields takes about a second, a page of 10 fields about half, a small request a quarter', () => {
    const h = make('realistic');
    h.run('one', page(100, 30));
    const big = h.lastExecution.virtualMs;
    h.run('one', page(100, 10));
    const narrow = h.lastExecution.virtualMs;
    h.run('one', 'https://api.affinity.co/echo');
    const small = h.lastExecution.virtualMs;
    expect(big).toBeGreaterThanOrEqual(900);
    expect(big).toBeLessThanOrEqual(1_100);
    expect(narrow / big).toBeGreaterThan(0.45);
    expect(narrow / big).toBeLessThan(0.65);
    expect(small).toBeGreaterThanOrEqual(REALISTIC_NETWORK.urlFetchOverheadMs + REALISTIC_NETWORK.affinityBaseMs);
    expect(small / big).toBeLessThan(0.3);
  });

  it('fast: every request costs the same flat 120 ms whatever the page holds', () => {
    const h = make('fast');
    h.run('one', page(100, 30));
    const big = h.lastExecution.virtualMs;
    h.run('one', 'https://api.affinity.co/echo');
    const small = h.lastExecution.virtualMs;
    expect(big).toBeGreaterThanOrEqual(120);
    expect(big).toBeLessThan(150); // 120 ms + the bytes
    expect(small).toBeGreaterThanOrEqual(120);
    expect(small).toBeLessThan(125);
  });

  it('realistic: a fetchAll of 25 pages runs 10 at a time (3 waves); fast runs them all at once', () => {
    const urls = Array.from({ length: 25 }, () => page(100, 30));
    const r = make('realistic');
    r.run('one', urls[0]);
    const single = r.lastExecution.virtualMs;
    r.run('all', urls);
    expect(r.lastExecution.fetchAllBatches).toBe(1);
    expect(r.lastExecution.urlFetches).toBe(25);
    const waves = r.lastExecution.virtualMs / single;
    expect(waves).toBeGreaterThan(2.9);
    expect(waves).toBeLessThan(3.2);

    const f = make('fast');
    f.run('one', urls[0]);
    const fastSingle = f.lastExecution.virtualMs;
    f.run('all', urls);
    expect(f.lastExecution.virtualMs / fastSingle).toBeLessThan(1.6); // the slowest + overheads, not 3 waves
  });

  it("realistic: the local server's own time is not added to Affinity's modelled time; a real delay longer than the model counts", () => {
    const withReal = harnessFor(code, {
      routes: { 'https://api.affinity.co/': `${server.baseUrl}/` },
      costs: { cpuFactor: 0 }, // urlFetchRealLatency on (the default)
      network: 'realistic',
    });
    harnesses.push(withReal);
    const without = make('realistic');
    // the same page, priced with and without the real latency: the local server answers in far less than the model
    withReal.run('one', page(100, 30));
    without.run('one', page(100, 30));
    expect(withReal.lastExecution.virtualMs).toBe(without.lastExecution.virtualMs);
    // a fetchAll of 10 pages: the local server answering them one after another does not lengthen the batch
    const urls = Array.from({ length: 10 }, () => page(100, 30));
    withReal.run('all', urls);
    without.run('all', urls);
    expect(withReal.lastExecution.virtualMs).toBe(without.lastExecution.virtualMs);
    // a server slower than the model (400 ms for a small request the model prices at 150 ms) costs its real time
    withReal.run('one', 'https://api.affinity.co/delay/400');
    const slow = withReal.lastExecution.virtualMs;
    expect(slow).toBeGreaterThanOrEqual(REALISTIC_NETWORK.urlFetchOverheadMs + 400);
    expect(slow).toBeLessThan(REALISTIC_NETWORK.urlFetchOverheadMs + 400 + 300);
  });

  it('is chosen per harness, else by HARNESS_NETWORK, else realistic', () => {
    expect(resolveNetwork(undefined, '').name).toBe('realistic');
    expect(resolveNetwork(undefined, 'fast').name).toBe('fast');
    expect(resolveNetwork(undefined, 'realistic').name).toBe('realistic');
    expect(resolveNetwork('fast', 'realistic').name).toBe('fast');
    expect(resolveNetwork({ name: 'realistic', fetchAllConcurrency: 4 }).fetchAllConcurrency).toBe(4);
    expect(() => resolveNetwork(undefined, 'slow')).toThrow(/Unknown network model/);
    const h = harnessFor(code, { network: 'realistic' });
    harnesses.push(h);
    expect(h.network.name).toBe('realistic');
  });
});
