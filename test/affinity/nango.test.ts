/**
 * The client against the in-process emulator, directly and through its Nango proxy mode (which forwards only
 * `Nango-Proxy-` headers and drops Affinity's headers from successful replies): the version pin, the version check
 * at connect, and usage read from `GET /v2/rate-limit` at a bounded cost.
 */
import { AffinityClient, NANGO_USAGE_EVERY, type Connection } from '../../src/server/affinity/client';
import { AffinityError } from '../../src/server/affinity/errors';
import type { HttpPort, HttpResponse } from '../../src/server/ports';
import { connectWithKey, connectWithNango, NANGO_PROPERTY } from '../../src/server/sync/settings';
import { AffinityEmulator } from '../../tools/emulator/emulator';
import { GENERATED, generateSeed } from '../../tools/emulator/generate';
import type { EmulatorSeed } from '../../tools/emulator/seed';
import { memoryStore } from '../support/memoryStore';

const NANGO: Connection = { mode: 'nango', ...GENERATED.nango };
const DIRECT: Connection = { mode: 'direct', apiKey: GENERATED.apiKey };

function setup(seed: EmulatorSeed) {
  let now = Date.UTC(2026, 10, 20, 12);
  const em = new AffinityEmulator(seed, { clock: () => now });
  const http: HttpPort = {
    fetchAll: (requests) =>
      requests.map((r): HttpResponse => {
        const url = r.url.replace(/^https:\/\/api\.(affinity\.co|nango\.dev)/, '');
        const res = em.handle({ method: r.method, url, headers: r.headers, body: r.payload });
        return { status: res.status, headers: res.headers, body: res.body };
      }),
  };
  const logs: string[] = [];
  const clock = { now: () => now, sleep: (ms: number) => void (now += ms) };
  const client = (c: Connection) => new AffinityClient(http, c, { clock, log: { log: (m) => logs.push(m) } });
  return { em, http, clock, logs, client, advance: (ms: number) => void (now += ms) };
}

const withDefault = (version: '2024-01-01' | '2026-09-17'): EmulatorSeed => {
  const base = generateSeed({ entries: 30 });
  return { ...base, users: base.users.map((u) => ({ ...u, defaultApiVersion: version })) };
};

describe('the version pin through Nango', () => {
  it('sends Nango-Proxy-X-Affinity-Api-Version (and Nango-Proxy-Content-Type with a body): 2026-09-17 is served', () => {
    const { em, client } = setup(withDefault('2024-01-01'));
    const c = client(NANGO);
    const options = c.dropdownOptions(GENERATED.companyListId, 'field-1001'); // absent at 2024-01-01
    expect(options.length).toBeGreaterThan(0);
    const [r] = em.requests;
    expect(r.headers['nango-proxy-x-affinity-api-version']).toBe('2026-09-17');
    expect(r.headers['x-affinity-api-version']).toBeUndefined();
    c.updateEntries([
      {
        listId: GENERATED.companyListId,
        listEntryId: GENERATED.firstEntryId,
        updates: [{ id: 'field-1005', value: { type: 'text', data: 'x' } }],
      },
    ]);
    expect(em.requests.at(-1)).toMatchObject({ method: 'PATCH', status: 200 });
    expect(em.requests.at(-1)!.headers['nango-proxy-content-type']).toBe('application/json');
  });
});

describe('the version check at connect', () => {
  it('direct: whoami reports the version in its header; no further request', () => {
    const { em, client } = setup(withDefault('2024-01-01'));
    const c = client(DIRECT);
    c.whoami();
    c.assertApiVersion();
    expect(c.servedVersion).toBe('2026-09-17');
    expect(em.requests).toHaveLength(1);
  });

  it('through Nango whoami’s reply has no version header: one request that answers 404 reads it', () => {
    const { em, client } = setup(withDefault('2024-01-01'));
    const c = client(NANGO);
    c.whoami();
    expect(c.servedVersion).toBeUndefined();
    c.assertApiVersion();
    expect(c.servedVersion).toBe('2026-09-17');
    expect(em.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/proxy/v2/auth/whoami 200',
      '/proxy/v2/lists/9007199254740991 404',
    ]);
  });

  it('refuses a connection served at another version, with a plain message, and stores nothing', () => {
    const { http, clock, logs } = setup(withDefault('2024-01-01'));
    // A proxy that loses even the prefixed header: Affinity answers at the key's default version.
    const lossy: HttpPort = {
      fetchAll: (requests) =>
        http.fetchAll(
          requests.map((r) => ({
            ...r,
            headers: Object.fromEntries(Object.entries(r.headers).filter(([k]) => !/api-version/i.test(k))),
          })),
        ),
    };
    const user = memoryStore();
    const deps = { http: lossy, clock, log: { log: (m: string) => logs.push(m) }, user };
    let thrown: unknown;
    try {
      connectWithNango(deps, GENERATED.nango);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AffinityError);
    expect((thrown as Error).message).toBe(
      'Affinity answered with API version 2024-01-01, but this add-on needs 2026-09-17. Nango did not pass the ' +
        'version on to Affinity: the connection must send headers prefixed "Nango-Proxy-". Nothing was saved.',
    );
    expect(user.data.has(NANGO_PROPERTY)).toBe(false);
    expect(() => connectWithKey(deps, GENERATED.apiKey)).toThrow(/API version 2024-01-01/);
    expect(user.data.size).toBe(0);
  });

  it('connects when the version is right, directly and through Nango', () => {
    const { http, clock, logs } = setup(withDefault('2024-01-01'));
    const user = memoryStore();
    const deps = { http, clock, log: { log: (m: string) => logs.push(m) }, user };
    expect(connectWithNango(deps, GENERATED.nango).connected).toBe(true);
    expect(connectWithKey(deps, GENERATED.apiKey).connected).toBe(true);
  });
});

describe('usage through Nango', () => {
  it('direct: from the headers, never from GET /v2/rate-limit', () => {
    const { em, client } = setup(withDefault('2026-09-17'));
    const c = client(DIRECT);
    c.list(GENERATED.companyListId);
    expect(c.rateLimit).toMatchObject({ userLimit: 900, userRemaining: 899 });
    expect(em.requests.some((r) => r.path.endsWith('/rate-limit'))).toBe(false);
  });

  it('through Nango: read from GET /v2/rate-limit, less what was sent since; re-read at most every 50 requests', () => {
    const { em, client } = setup(withDefault('2026-09-17'));
    const c = client(NANGO);
    expect(c.rateLimit).toEqual({}); // nothing sent yet: nothing read
    expect(em.requests).toHaveLength(0);
    c.list(GENERATED.companyListId);
    expect(c.rateLimit).toMatchObject({ userLimit: 900, userRemaining: 898 }); // list + the usage read itself
    const usageReads = () => em.requests.filter((r) => r.path === '/proxy/v2/rate-limit').length;
    expect(usageReads()).toBe(1);
    for (let i = 0; i < 3 * NANGO_USAGE_EVERY; i++) {
      c.list(GENERATED.companyListId);
      const seen = c.rateLimit;
      const served = em.requests.length;
      expect(seen.userRemaining).toBe(900 - served); // the estimate equals Affinity's own count
    }
    expect(usageReads()).toBeLessThanOrEqual(1 + (em.requests.length - usageReads()) / NANGO_USAGE_EVERY);
    expect(usageReads()).toBeGreaterThanOrEqual(3);
  });

  it('through Nango: a new minute window is read again after requests', () => {
    const { em, client, advance } = setup(withDefault('2026-09-17'));
    const c = client(NANGO);
    c.list(GENERATED.companyListId);
    expect(c.rateLimit.userRemaining).toBe(898);
    advance(61_000);
    expect(c.rateLimit.userRemaining).toBe(898); // nothing sent since: no request
    c.list(GENERATED.companyListId);
    expect(c.rateLimit.userRemaining).toBe(898); // a new window: list + usage read
    expect(em.requests.filter((r) => r.path === '/proxy/v2/rate-limit')).toHaveLength(2);
  });
});
