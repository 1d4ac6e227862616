import { AffinityEmulator } from '../../tools/emulator/emulator';
import { GENERATED, generateSeed } from '../../tools/emulator/generate';
import type { EmulatorSeed } from '../../tools/emulator/seed';
import { ENTRY, KEY, LIST, VIEW, call, errorOf, get } from './helpers';

const base = generateSeed({ entries: 30 });
const whoami = base.users[0].whoami;
const seed: EmulatorSeed = {
  ...base,
  users: [
    ...base.users,
    {
      apiKey: 'no-export',
      whoami: { ...whoami, user: { ...whoami.user, id: 70002, firstName: 'Charles' } },
      canExport: false,
    },
    {
      apiKey: 'trial',
      whoami: { ...whoami, tenant: { id: 2, name: 'Trial Co', subdomain: 'trial' } },
      apiAccess: false,
    },
  ],
};
let em: AffinityEmulator;
beforeEach(() => {
  em = new AffinityEmulator(seed);
});

describe('authentication', () => {
  test('a missing or unknown key is a 401 authentication error', () => {
    for (const key of [null, 'wrong-key']) {
      const res = get(em, '/v2/auth/whoami', { key });
      expect(res.status).toBe(401);
      expect(errorOf(res).code).toBe('authentication');
      expect(res.headers['x-ratelimit-limit-user']).toBeUndefined();
    }
    expect(
      get(em, '/v2/auth/whoami', {
        key: null,
        headers: { Authorization: `Basic ${Buffer.from(`:${KEY}`).toString('base64')}` },
      }).status,
    ).toBe(401);
    expect(get(em, '/v2/auth/whoami', { key: null, headers: { authorization: `bearer ${KEY}` } }).status).toBe(200);
  });

  test('a plan without API access is a 403 on every call, whoami included', () => {
    for (const url of ['/v2/auth/whoami', `/v2/lists/${LIST}`]) {
      const res = get(em, url, { key: 'trial' });
      expect(res.status).toBe(403);
      expect(errorOf(res)).toMatchObject({ code: 'authorization' });
      expect(errorOf(res).message).toMatch(/plan does not include API access/);
    }
  });

  test("without 'Export data from Lists': 403 on list-entry reads and writes, not on metadata or single rows", () => {
    const opts = { key: 'no-export' };
    const refused = [
      get(em, `/v2/lists/${LIST}/list-entries`, opts),
      get(em, `/v2/lists/${LIST}/saved-views/${VIEW}/list-entries`, opts),
      call(em, 'POST', `/v2/lists/${LIST}/list-entries/${ENTRY}/fields/field-1005`, {
        ...opts,
        body: { value: { type: 'text', data: 'x' } },
      }),
      call(em, 'PATCH', `/v2/lists/${LIST}/list-entries/${ENTRY}/fields`, {
        ...opts,
        body: { operation: 'update-fields', updates: [] },
      }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect(errorOf(res).code).toBe('authorization');
      expect(errorOf(res).message).toMatch(/Export data from Lists/);
    }
    for (const url of [
      '/v2/auth/whoami',
      `/v2/lists/${LIST}/saved-views`,
      `/v2/lists/${LIST}/fields`,
      `/v2/lists/${LIST}/list-entries/${ENTRY}`,
      `/v2/lists/${LIST}/list-entries/${ENTRY}/fields`,
    ]) {
      expect(get(em, url, opts).status).toBe(200);
    }
  });
});

describe('X-Affinity-Api-Version', () => {
  test.each(['2024-01-01', '2026-07-15', '2026-09-17'])('%s is accepted and echoed', (version) => {
    const res = get(em, '/v2/auth/whoami', { headers: { 'X-Affinity-Api-Version': version } });
    expect(res.status).toBe(200);
    expect(res.headers['x-affinity-api-version']).toBe(version);
  });

  test('current is accepted; the header name is case-insensitive; absent means the current version', () => {
    expect(
      get(em, '/v2/auth/whoami', { headers: { 'X-Affinity-Api-Version': 'current' } }).headers[
        'x-affinity-api-version'
      ],
    ).toBe('2026-09-17');
    const lower = em.handle({
      method: 'GET',
      url: '/v2/auth/whoami',
      headers: { authorization: `Bearer ${KEY}`, 'x-affinity-api-version': '2026-07-15' },
    });
    expect(lower.headers['x-affinity-api-version']).toBe('2026-07-15');
    const none = em.handle({ method: 'GET', url: '/v2/auth/whoami', headers: { authorization: `Bearer ${KEY}` } });
    expect(none.status).toBe(200);
    expect(none.headers['x-affinity-api-version']).toBe('2026-09-17');
  });

  test('an unsupported version is a validation error on that header; errors echo the version too', () => {
    const res = get(em, '/v2/auth/whoami', { headers: { 'X-Affinity-Api-Version': '2025-01-01' } });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toEqual({
      code: 'validation',
      param: 'X-Affinity-Api-Version',
      message: "The provided version: '2025-01-01' is not valid.",
    });
    expect(res.headers['x-affinity-api-version']).toBeDefined();
    expect(get(em, '/v2/lists/1').headers['x-affinity-api-version']).toBe('2026-09-17');
  });
});

describe('Nango proxy mode', () => {
  const nango = {
    Authorization: `Bearer ${GENERATED.nango.secretKey}`,
    'Provider-Config-Key': GENERATED.nango.providerConfigKey,
    'Connection-Id': GENERATED.nango.connectionId,
  };

  test('serves /proxy/v2/... as the mapped user; page links stay on Affinity', () => {
    const res = get(em, `/proxy/v2/lists/${LIST}/list-entries?limit=5`, { key: null, headers: nango });
    expect(res.status).toBe(200);
    expect(res.json.pagination.nextUrl).toMatch(
      new RegExp(`^https://api\\.affinity\\.co/v2/lists/${LIST}/list-entries\\?`),
    );
    expect(get(em, '/proxy/v2/auth/whoami', { key: null, headers: nango }).json.user.id).toBe(70001);
    const logged = em.requests.at(-1)!;
    expect(logged).toMatchObject({ via: 'nango', path: '/proxy/v2/auth/whoami', userId: 70001 });
    expect(logged.headers).toMatchObject({
      'provider-config-key': 'affinity',
      'connection-id': GENERATED.nango.connectionId,
      'x-affinity-api-version': '2026-09-17',
    });
  });

  test('writes go through', () => {
    const res = call(em, 'POST', `/proxy/v2/lists/${LIST}/list-entries/${ENTRY}/fields/field-1005`, {
      key: null,
      headers: nango,
      body: { value: { type: 'text', data: 'via nango' } },
    });
    expect(res.status).toBe(204);
    expect(em.getFieldValue(LIST, ENTRY, 'field-1005')!.data).toBe('via nango');
  });

  test('Nango-Proxy- headers reach Affinity without their prefix', () => {
    const res = get(em, '/proxy/v2/auth/whoami', {
      key: null,
      headers: { ...nango, 'X-Affinity-Api-Version': '', 'Nango-Proxy-X-Affinity-Api-Version': 'bogus' },
      validate: false,
    });
    expect(errorOf(res).param).toBe('X-Affinity-Api-Version');
  });

  test('a successful reply keeps only content-type (no rate-limit or version headers); a 204 none; errors keep all', () => {
    const ok = get(em, `/proxy/v2/lists/${LIST}`, { key: null, headers: nango });
    expect(ok.status).toBe(200);
    expect(ok.headers).toEqual({ 'content-type': 'application/json' });
    const direct = get(em, `/v2/lists/${LIST}`);
    expect(direct.headers['x-ratelimit-limit-user']).toBe('900');
    expect(direct.headers['x-affinity-api-version']).toBe('2026-09-17');
    const written = call(em, 'POST', `/proxy/v2/lists/${LIST}/list-entries/${ENTRY}/fields/field-1005`, {
      key: null,
      headers: nango,
      body: { value: { type: 'text', data: 'x' } },
    });
    expect(written.status).toBe(204);
    expect(written.headers).toEqual({});
    const missing = get(em, '/proxy/v2/lists/999999', { key: null, headers: nango });
    expect(missing.status).toBe(404);
    expect(missing.headers).toMatchObject({ 'x-affinity-api-version': '2026-09-17', 'x-ratelimit-limit-user': '900' });
  });

  test('only Nango-Proxy- headers reach Affinity: a plain version header is dropped, the key default applies', () => {
    const plain = get(em, '/proxy/v2/lists/999999', {
      key: null,
      headers: { ...nango, 'X-Affinity-Api-Version': 'bogus' },
    });
    expect(plain.status).toBe(404); // not the 400 that 'bogus' would earn had it arrived
    expect(plain.headers['x-affinity-api-version']).toBe('2026-09-17');
  });

  test.each([
    ['a wrong secret', { ...nango, Authorization: 'Bearer nope' }],
    ['an Affinity key instead of the secret', { ...nango, Authorization: `Bearer ${KEY}` }],
    ['no connection id', { Authorization: nango.Authorization, 'Provider-Config-Key': 'affinity' }],
    ['an unknown connection', { ...nango, 'Connection-Id': 'other' }],
    ['another integration', { ...nango, 'Provider-Config-Key': 'hubspot' }],
  ])('%s is a 401 with a Nango error body', (_what, headers) => {
    const res = get(em, '/proxy/v2/auth/whoami', { key: null, headers, validate: false });
    expect(res.status).toBe(401);
    expect(res.json.error.message).toEqual(expect.any(String));
    expect(res.json.errors).toBeUndefined();
  });
});

describe('routing', () => {
  test('an operation of the full 2026-09-17 spec that the emulator does not model is 501; an unknown path 404', () => {
    const notes = get(em, '/v2/notes');
    expect(notes.status).toBe(501);
    expect(errorOf(notes)).toMatchObject({
      code: 'not-implemented',
      message: expect.stringContaining('GET /v2/notes'),
    });
    expect(get(em, '/v2/no-such-thing', { validate: false }).status).toBe(404);
    expect(call(em, 'DELETE', `/v2/lists/${LIST}`, { validate: false }).status).toBe(405);
  });
});

describe("a key's default API version", () => {
  const old: EmulatorSeed = {
    ...seed,
    users: [{ ...seed.users[0], defaultApiVersion: '2024-01-01' }],
  };
  const nango = {
    Authorization: `Bearer ${GENERATED.nango.secretKey}`,
    'Provider-Config-Key': GENERATED.nango.providerConfigKey,
    'Connection-Id': GENERATED.nango.connectionId,
  };
  const options = `/v2/lists/${LIST}/fields/field-1001/dropdown-options`;

  test('applies when no version header arrives, and is echoed; operations newer than it are 404 there', () => {
    const e = new AffinityEmulator(old);
    const bare = e.handle({ method: 'GET', url: '/v2/auth/whoami', headers: { authorization: `Bearer ${KEY}` } });
    expect(bare.headers['x-affinity-api-version']).toBe('2024-01-01');
    const gone = e.handle({ method: 'GET', url: options, headers: { authorization: `Bearer ${KEY}` } });
    expect(gone.status).toBe(404);
    expect(e.handle({ method: 'GET', url: '/v2/rate-limit', headers: { authorization: `Bearer ${KEY}` } }).status).toBe(
      404,
    );
    expect(get(e, options).status).toBe(200); // the header pins 2026-09-17
  });

  test('through Nango: a plain version header is lost (2024-01-01 served), Nango-Proxy-X-Affinity-Api-Version pins it', () => {
    const e = new AffinityEmulator(old);
    const plain = get(e, `/proxy${options}`, { key: null, headers: nango, validate: false });
    expect(plain.status).toBe(404);
    expect(plain.headers['x-affinity-api-version']).toBe('2024-01-01');
    const pinned = get(e, `/proxy${options}`, {
      key: null,
      headers: { ...nango, 'Nango-Proxy-X-Affinity-Api-Version': '2026-09-17' },
    });
    expect(pinned.status).toBe(200);
  });
});
