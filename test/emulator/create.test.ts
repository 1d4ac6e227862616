/**
 * Issue 11's endpoints: company and person search and list-entry creation (2026-09-17 beta shapes, requests and
 * responses checked against the spec), and API v1 opportunity creation with the v1 read that shows it.
 */
import { AffinityEmulator } from '../../tools/emulator/emulator';
import { GENERATED, generateSeed } from '../../tools/emulator/generate';
import type { EmulatorSeed } from '../../tools/emulator/seed';
import { KEY, LIST, OPP_LIST, call, errorOf, get, getAll } from './helpers';

const base = generateSeed({ entries: 30 });
const seed: EmulatorSeed = {
  ...base,
  users: [
    ...base.users,
    {
      apiKey: 'no-export',
      whoami: { ...base.users[0].whoami, user: { ...base.users[0].whoami.user, id: 70009 } },
      canExport: false,
    },
  ],
};
let em: AffinityEmulator;
beforeEach(() => {
  em = new AffinityEmulator(seed, { clock: () => Date.UTC(2026, 10, 20) });
});

const ids = (res: { json: { data: { id: number }[] } }) => res.json.data.map((x) => x.id);

describe('POST /v2/companies/search, /v2/persons/search (beta)', () => {
  it('finds a company by its domain, also given as a URL; 201 with a page of companies without fields', () => {
    const byDomain = call(em, 'POST', '/v2/companies/search', { body: { search: { term: 'company3.example.com' } } });
    expect(byDomain.status).toBe(201);
    expect(ids(byDomain)).toEqual([80003]);
    expect(byDomain.json.data[0]).toEqual({
      id: 80003,
      name: 'Alpha; Beta & Co 3',
      domain: 'company3.example.com',
      domains: ['company3.example.com'],
      isGlobal: false,
    });
    const byUrl = call(em, 'POST', '/v2/companies/search', {
      body: { search: { term: 'https://www.company3.example.com/about' } },
    });
    expect(ids(byUrl)).toEqual([80003]);
  });

  it('finds by name (case-insensitive, substring: an exact name can match several), and nothing when nothing matches', () => {
    const several = ids(call(em, 'POST', '/v2/companies/search', { body: { search: { term: 'acme 1' } } }));
    expect(several.length).toBeGreaterThan(1);
    expect(ids(call(em, 'POST', '/v2/companies/search', { body: { search: { term: 'no such company zz' } } }))).toEqual(
      [],
    );
  });

  it('finds a person by email or name', () => {
    expect(ids(call(em, 'POST', '/v2/persons/search', { body: { search: { term: 'P70002@generated.vc' } } }))).toEqual([
      70002,
    ]);
    expect(ids(call(em, 'POST', '/v2/persons/search', { body: { search: { term: 'ada lovelace' } } }))).toContain(
      70001,
    );
  });

  it('pages with limit and a nextUrl', () => {
    const first = call(em, 'POST', '/v2/companies/search?limit=2', { body: { search: { term: 'example.com' } } });
    expect(first.json.data).toHaveLength(2);
    expect(first.json.pagination.nextUrl).toMatch(/^https:\/\/api\.affinity\.co\/v2\/companies\/search\?/);
  });

  it('refuses a body the spec refuses (400 validation naming the param); filters and sorts are not modelled (501)', () => {
    const bad = call(em, 'POST', '/v2/companies/search', { body: { search: { term: 7 } } });
    expect(bad.status).toBe(400);
    expect(errorOf(bad)).toMatchObject({ code: 'validation', param: 'search.term' });
    const filtered = call(em, 'POST', '/v2/companies/search', {
      body: { filters: { operator: 'and', filters: [] } },
    });
    expect(filtered.status).toBe(501);
  });

  it('does not exist at API version 2024-01-01', () => {
    const res = call(em, 'POST', '/v2/companies/search', {
      body: { search: { term: 'x' } },
      headers: { 'X-Affinity-Api-Version': '2024-01-01' },
    });
    expect(res.status).toBe(404);
  });
});

describe('the Lists field (`fieldIds=lists`) on company and person reads and searches', () => {
  const listsOf = (entity: { fields?: { id: string; value: { data: { id: number }[] | null } }[] }) =>
    (entity.fields?.find((f) => f.id === 'lists')?.value.data ?? []).map((l) => l.id);

  it('says the lists the entity is on now, also right after it was added; without fieldIds, no fields', () => {
    const off = base.companies!.find((c) => get(em, `/v2/companies/${c.id}/list-entries`).json.data.length === 0)!;
    const search = () =>
      call(em, 'POST', '/v2/companies/search?fieldIds=lists', { body: { search: { term: off.domain! } } }).json.data[0];
    expect(search()).toMatchObject({ id: off.id, fields: [{ id: 'lists', type: 'global', value: { data: null } }] });
    call(em, 'POST', `/v2/lists/${LIST}/list-entries`, { body: { entity: { id: off.id } } });
    expect(listsOf(search())).toEqual([LIST]);
    expect(listsOf(get(em, `/v2/companies/${off.id}?fieldIds=lists`).json)).toEqual([LIST]);
    expect(get(em, `/v2/companies/${off.id}`).json.fields).toBeUndefined();
    const unknown = call(em, 'POST', '/v2/companies/search?fieldIds=field-2001', { body: { search: { term: 'x' } } });
    expect(errorOf(unknown)).toMatchObject({ code: 'validation', param: 'fieldIds' });
  });
});

describe('POST /v2/lists/{listId}/list-entries (beta)', () => {
  it('adds a company as a new row with every field empty; 201 with the entry; it reads back', () => {
    const res = call(em, 'POST', `/v2/lists/${LIST}/list-entries`, { body: { entity: { id: 80005 } } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      listId: LIST,
      type: 'company',
      creatorId: 70001,
      createdAt: '2026-11-20T00:00:00.000Z',
      entity: { id: 80005, name: expect.any(String) },
    });
    const stored = em.getEntry(LIST, res.json.id)!;
    expect(
      (stored.entity as { fields: { value: { data: unknown } }[] }).fields.every((f) => f.value.data === null),
    ).toBe(true);
    expect(get(em, `/v2/lists/${LIST}/list-entries/${res.json.id}`).json.entity.id).toBe(80005);
  });

  it('an entity already on the list can be added again (a second row)', () => {
    const a = call(em, 'POST', `/v2/lists/${LIST}/list-entries`, { body: { entity: { id: 80005 } } });
    const b = call(em, 'POST', `/v2/lists/${LIST}/list-entries`, { body: { entity: { id: 80005 } } });
    expect(b.status).toBe(201);
    expect(b.json.id).not.toBe(a.json.id);
  });

  it('refuses: unknown entity (400), merged one (422 naming the target), opportunity list (400), no export (403), bad body (400)', () => {
    const unknown = call(em, 'POST', `/v2/lists/${LIST}/list-entries`, { body: { entity: { id: 99999999 } } });
    expect(errorOf(unknown)).toMatchObject({ code: 'validation', param: 'entity.id' });
    const merged = call(em, 'POST', `/v2/lists/${LIST}/list-entries`, { body: { entity: { id: 89001 } } });
    expect(merged.status).toBe(422);
    expect(errorOf(merged).message).toContain('80001');
    const opp = call(em, 'POST', `/v2/lists/${OPP_LIST}/list-entries`, { body: { entity: { id: 80005 } } });
    expect(opp.status).toBe(400);
    const denied = call(em, 'POST', `/v2/lists/${LIST}/list-entries`, {
      key: 'no-export',
      body: { entity: { id: 80005 } },
    });
    expect(denied.status).toBe(403);
    const bad = call(em, 'POST', `/v2/lists/${LIST}/list-entries`, { body: { entity: {} } });
    expect(errorOf(bad)).toMatchObject({ code: 'validation', param: 'entity' });
    expect(call(em, 'POST', '/v2/lists/999/list-entries', { body: { entity: { id: 80005 } } }).status).toBe(404);
  });

  it('a list with a required field refuses every add: 400 naming the missing field ids (nothing added)', () => {
    const fields = seed.fields[LIST].map((f) => (f.id === 'field-1005' ? { ...f, isRequired: true } : f));
    const strict = new AffinityEmulator({ ...seed, fields: { ...seed.fields, [LIST]: fields } });
    const before = getAll(strict, `/v2/lists/${LIST}/list-entries`).items.length;
    const res = call(strict, 'POST', `/v2/lists/${LIST}/list-entries`, { body: { entity: { id: 80005 } } });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'bad-request', message: expect.stringContaining('field-1005') });
    expect(getAll(strict, `/v2/lists/${LIST}/list-entries`).items.length).toBe(before);
  });
});

describe('API v1: POST /opportunities, GET /opportunities/{id}', () => {
  const basic = (key: string) => `Basic ${Buffer.from(`:${key}`).toString('base64')}`;
  const v1 = (method: string, url: string, body?: unknown, authorization = basic(KEY)) => {
    const res = em.handle({
      method,
      url,
      headers: { authorization, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { ...res, json: JSON.parse(res.body) };
  };

  it('creates an opportunity on an opportunity list (Basic auth, key as password); the v1 read and v2 list show it', () => {
    const created = v1('POST', '/opportunities', {
      name: 'LedgerLeaf — Seed',
      list_id: OPP_LIST,
      person_ids: [70002],
      organization_ids: [80003],
    });
    expect(created.status).toBe(200);
    const entryId = created.json.list_entries[0].id;
    expect(created.json).toEqual({
      id: expect.any(Number),
      name: 'LedgerLeaf — Seed',
      list_entries: [
        {
          id: entryId,
          creator_id: 70001,
          list_id: OPP_LIST,
          entity_id: created.json.id,
          entity_type: 8,
          created_at: '2026-11-20T00:00:00.000Z',
        },
      ],
    });
    const read = v1('GET', `/opportunities/${created.json.id}`);
    expect(read.json).toMatchObject({ id: created.json.id, person_ids: [70002], organization_ids: [80003] });
    const row = get(em, `/v2/lists/${OPP_LIST}/list-entries/${entryId}`);
    expect(row.json).toMatchObject({ type: 'opportunity', entity: { id: created.json.id, name: 'LedgerLeaf — Seed' } });
    expect(v1('GET', `/opportunities/${created.json.id}`, undefined, `Bearer ${KEY}`).status).toBe(200);
  });

  it('refuses: no or wrong key (401), missing name or list_id (400), a company list (400), unknown list (404) or person (400)', () => {
    const rows = () => getAll(em, `/v2/lists/${OPP_LIST}/list-entries`).items.length;
    const before = rows();
    expect(v1('POST', '/opportunities', { name: 'x', list_id: OPP_LIST }, basic('wrong')).status).toBe(401);
    expect(v1('POST', '/opportunities', { list_id: OPP_LIST }).status).toBe(400);
    expect(v1('POST', '/opportunities', { name: 'x' }).status).toBe(400);
    expect(v1('POST', '/opportunities', { name: 'x', list_id: LIST }).status).toBe(400);
    expect(v1('POST', '/opportunities', { name: 'x', list_id: 999 }).status).toBe(404);
    expect(v1('POST', '/opportunities', { name: 'x', list_id: OPP_LIST, person_ids: [12345678] }).status).toBe(400);
    expect(v1('GET', '/opportunities/12345678').status).toBe(404);
    expect(rows()).toBe(before); // nothing was created
  });

  it('through Nango’s proxy (/proxy/opportunities) as the connection’s user', () => {
    const res = em.handle({
      method: 'POST',
      url: '/proxy/opportunities',
      headers: {
        authorization: `Bearer ${GENERATED.nango.secretKey}`,
        'provider-config-key': GENERATED.nango.providerConfigKey,
        'connection-id': GENERATED.nango.connectionId,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'Via Nango', list_id: OPP_LIST }),
    });
    expect(res.status).toBe(200);
    expect(res.headers).toEqual({ 'content-type': 'application/json' });
  });
});
