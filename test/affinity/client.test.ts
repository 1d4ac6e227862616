import { AffinityClient, assertSheetView } from '../../src/server/affinity/client';
import { AffinityError } from '../../src/server/affinity/errors';
import type { HttpPort, HttpRequest, HttpResponse } from '../../src/server/ports';
import { validateRequest } from '../../tools/contract/validate';

const KEY = 'sk_test_SECRET_1234';

/** An HttpPort answering from a script of responses, recording what was sent and how long the client slept. */
function scripted(responses: (HttpResponse | ((r: HttpRequest) => HttpResponse))[]) {
  const sent: HttpRequest[] = [];
  const batches: number[] = [];
  const slept: number[] = [];
  let now = 1_700_000_000_000;
  const http: HttpPort = {
    fetchAll(requests) {
      batches.push(requests.length);
      return requests.map((r) => {
        sent.push(r);
        const next = responses.shift();
        if (!next) throw new Error(`unexpected request ${r.method} ${r.url}`);
        return typeof next === 'function' ? next(r) : next;
      });
    },
  };
  const clock = {
    now: () => now,
    sleep: (ms: number) => {
      slept.push(ms);
      now += ms;
    },
  };
  const logs: string[] = [];
  const client = new AffinityClient(
    http,
    { mode: 'direct', apiKey: KEY },
    { clock, log: { log: (m) => logs.push(m) }, random: () => 0.5 },
  );
  return { client, sent, batches, slept, logs };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  body: JSON.stringify(body),
});
const err = (status: number, code: string, message: string) => json(status, { errors: [{ code, message }] });
const whoami = {
  tenant: { id: 1, name: 'Analytical Ventures', subdomain: 'av' },
  user: { id: 7, firstName: 'Ada', lastName: 'Lovelace', emailAddress: 'ada@av.example' },
  grant: { type: 'api-key', scopes: ['api'], createdAt: '2024-01-01T00:00:00Z' },
};

describe('AffinityClient requests', () => {
  it('sends Bearer auth and pins the API version on every request, to api.affinity.co only', () => {
    const { client, sent } = scripted([json(200, whoami)]);
    expect(client.whoami().user.firstName).toBe('Ada');
    expect(sent[0].url).toBe('https://api.affinity.co/v2/auth/whoami');
    expect(sent[0].headers.Authorization).toBe(`Bearer ${KEY}`);
    expect(sent[0].headers['X-Affinity-Api-Version']).toBe('2026-09-17');
  });

  it('follows nextUrl until null with limit=100 and tolerates data: null pages', () => {
    const page = (ids: number[], next: string | null) =>
      json(200, {
        data: ids.map((id) => ({
          id,
          name: `L${id}`,
          type: 'company',
          isPublic: true,
          ownerId: 1,
          creatorId: 1,
          createdAt: '2024-01-01T00:00:00Z',
        })),
        pagination: { nextUrl: next, prevUrl: null },
      });
    const { client, sent } = scripted([
      page([1, 2], 'https://api.affinity.co/v2/lists?cursor=abc&limit=100'),
      json(200, { data: null, pagination: { nextUrl: 'https://api.affinity.co/v2/lists?cursor=def&limit=100' } }),
      page([3], null),
    ]);
    expect(client.lists().map((l) => l.id)).toEqual([1, 2, 3]);
    expect(sent.map((s) => s.url)).toEqual([
      'https://api.affinity.co/v2/lists?limit=100',
      'https://api.affinity.co/v2/lists?cursor=abc&limit=100',
      'https://api.affinity.co/v2/lists?cursor=def&limit=100',
    ]);
    for (const s of sent) expect(validateRequest(s.method, s.url).ok).toBe(true);
  });

  it('refuses to follow a page link to another host, so the key goes nowhere else', () => {
    const { client, sent } = scripted([
      json(200, { data: [], pagination: { nextUrl: 'https://evil.example/v2/lists?cursor=x' } }),
    ]);
    expect(() => client.lists()).toThrow(/another address/);
    expect(sent).toHaveLength(1);
  });

  it('reads rate-limit headers case-insensitively and exposes them', () => {
    const { client } = scripted([
      json(200, whoami, {
        'X-Ratelimit-Limit-User': '900',
        'x-ratelimit-limit-user-remaining': '812',
        'x-ratelimit-limit-user-reset': '41',
        'x-ratelimit-limit-org': '100000',
        'x-ratelimit-limit-org-remaining': '99000',
        'x-ratelimit-limit-org-reset': '86400',
      }),
    ]);
    client.whoami();
    expect(client.rateLimit).toMatchObject({
      userLimit: 900,
      userRemaining: 812,
      userResetSec: 41,
      orgLimit: 100000,
      orgRemaining: 99000,
      orgResetSec: 86400,
    });
  });

  it('on 429 waits for the reset (bounded, with jitter) and retries', () => {
    const { client, slept, sent } = scripted([
      {
        status: 429,
        headers: { 'x-ratelimit-limit-user-reset': '12' },
        body: JSON.stringify({ errors: [{ code: 'rate-limit', message: 'slow down' }] }),
      },
      json(200, whoami),
    ]);
    expect(client.whoami().tenant.name).toBe('Analytical Ventures');
    expect(sent).toHaveLength(2);
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThanOrEqual(12_000);
    expect(slept[0]).toBeLessThanOrEqual(13_000);
  });

  it('caps a 429 wait even when the reset is far away', () => {
    const { client, slept } = scripted([
      { status: 429, headers: { 'x-ratelimit-limit-user-reset': '3600' }, body: '' },
      json(200, whoami),
    ]);
    client.whoami();
    expect(slept[0]).toBeLessThanOrEqual(65_000);
  });

  it('retries 5xx with exponential backoff, then succeeds', () => {
    const { client, slept } = scripted([err(500, 'server', 'oops'), err(503, 'server', 'busy'), json(200, whoami)]);
    expect(client.whoami().user.id).toBe(7);
    expect(slept).toHaveLength(2);
    expect(slept[1]).toBeGreaterThan(slept[0]);
  });

  it('gives up after a bounded number of 5xx with a message the user can act on', () => {
    const { client, sent } = scripted([
      err(500, 'server', 'a'),
      err(500, 'server', 'b'),
      err(500, 'server', 'c'),
      err(500, 'server', 'd'),
    ]);
    expect(() => client.whoami()).toThrow(/Affinity is having trouble \(500\)/);
    expect(sent).toHaveLength(4);
  });

  it('retries network errors and unreadable bodies, then reports them plainly', () => {
    const net = { status: 0, headers: {}, body: '', error: 'Address unavailable' };
    const a = scripted([net, net, net, net]);
    expect(() => a.client.whoami()).toThrow(/Could not reach Affinity after 4 attempts/);
    const b = scripted([{ status: 200, headers: {}, body: '{"tenant": {' }, json(200, whoami)]);
    expect(b.client.whoami().user.id).toBe(7);
    const c = scripted(Array.from({ length: 4 }, () => ({ status: 200, headers: {}, body: '<html>' })));
    expect(() => c.client.whoami()).toThrow(/could not be read/);
  });

  it.each([
    [
      401,
      'authentication',
      'bad key',
      'metadata',
      /rejected the API key \(401\)\. Open Settings and enter a valid key\./,
    ],
    [403, 'authorization', 'Forbidden', 'read-entries', /lacks the 'Export data from Lists' permission \(403\)/],
    [403, 'authorization', 'Your plan does not include API access', 'metadata', /no API access \(403\)/],
    [404, 'not-found', 'Not found', 'metadata', /could not find this saved view \(404\)/],
    [
      400,
      'validation',
      'limit must be at most 100',
      'metadata',
      /refused the request \(400\)\. Affinity said: “limit must be at most 100”/,
    ],
  ])('never retries a %i and explains it', (status, code, message, purpose, expected) => {
    const { client, sent } = scripted([err(status, code, message)]);
    let thrown: unknown;
    try {
      client.send({ method: 'get', path: '/v2/lists/1/saved-views/2', purpose: purpose as never, what: 'saved view' });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AffinityError);
    expect((thrown as Error).message).toMatch(expected);
    expect(sent).toHaveLength(1);
  });

  it('never puts the key in an error message or a log line', () => {
    const { client, logs } = scripted([
      err(500, 'server', KEY),
      err(500, 'server', KEY),
      err(500, 'server', KEY),
      err(401, 'authentication', `bad ${KEY}`),
    ]);
    let message = '';
    try {
      client.whoami();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toContain(KEY);
    expect(logs.join('\n')).not.toContain(KEY);
  });

  it('refuses board and dashboard views before any request', () => {
    const { client, sent } = scripted([]);
    expect(() => client.savedViewEntries(1, { id: 2, name: 'Pipeline Board', type: 'board', createdAt: '' })).toThrow(
      /“Pipeline Board” is a board view; only sheet-type views can be synced/,
    );
    expect(() => assertSheetView({ name: 'KPIs', type: 'dashboard' })).toThrow(/dashboard view/);
    expect(sent).toHaveLength(0);
  });

  it('sends one update-fields PATCH per entry, split above 100 updates, in one parallel batch', () => {
    const updates = Array.from({ length: 150 }, (_, i) => ({
      id: `field-${i + 1}`,
      value: { type: 'text' as const, data: `v${i}` },
    }));
    const { client, sent, batches } = scripted([
      json(200, { operation: 'update-fields' }),
      json(200, { operation: 'update-fields' }),
      err(404, 'not-found', 'entry gone'),
    ]);
    const outcomes = client.updateEntries([
      { listId: 1, listEntryId: 10, updates },
      { listId: 1, listEntryId: 11, updates: updates.slice(0, 1) },
    ]);
    expect(batches).toEqual([3]);
    expect(sent.map((s) => JSON.parse(s.payload!).updates.length)).toEqual([100, 50, 1]);
    for (const s of sent)
      expect(validateRequest(s.method, s.url, JSON.parse(s.payload!))).toEqual({ ok: true, errors: [] });
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false]);
    expect(!outcomes[2].ok && outcomes[2].error.kind).toBe('not-found');
  });

  it('goes through the Nango proxy with its three headers and never the Affinity key', () => {
    const sent: HttpRequest[] = [];
    const http: HttpPort = {
      fetchAll: (reqs) =>
        reqs.map((r) => {
          sent.push(r);
          return sent.length === 1
            ? json(200, { data: [], pagination: { nextUrl: 'https://api.affinity.co/v2/lists?cursor=n2&limit=100' } })
            : json(200, { data: [], pagination: { nextUrl: null } });
        }),
    };
    const client = new AffinityClient(
      http,
      { mode: 'nango', secretKey: 'nango-secret', providerConfigKey: 'affinity-v2', connectionId: 'team-1' },
      { clock: { now: () => 0, sleep: () => undefined } },
    );
    client.lists();
    expect(sent.map((s) => s.url)).toEqual([
      'https://api.nango.dev/proxy/v2/lists?limit=100',
      'https://api.nango.dev/proxy/v2/lists?cursor=n2&limit=100',
    ]);
    expect(sent[0].headers).toMatchObject({
      Authorization: 'Bearer nango-secret',
      'Provider-Config-Key': 'affinity-v2',
      'Connection-Id': 'team-1',
    });
  });
});
