import { AffinityEmulator } from '../../tools/emulator/emulator';
import { GENERATED, generateSeed } from '../../tools/emulator/generate';
import { DEALFLOW, dealflowSeed } from '../../tools/emulator/seeds/dealflow';
import { ENTRY, LIST, OPP_LIST, VIEW, errorOf, get, getAll } from './helpers';

const seed = generateSeed({ entries: 250, fieldsInView: 12 });
let em: AffinityEmulator;
beforeEach(() => {
  em = new AffinityEmulator(seed);
});

describe('metadata', () => {
  test('whoami, lists, list, fields, dropdown options, saved views', () => {
    expect(get(em, '/v2/auth/whoami').json.user.firstName).toBe('Ada');
    const lists = get(em, '/v2/lists').json;
    expect(lists.data.map((l: any) => l.id)).toEqual([LIST, OPP_LIST]);
    expect(lists.pagination).toEqual({ prevUrl: null, nextUrl: null });
    expect(get(em, '/v2/lists?term=OPPORT').json.data.map((l: any) => l.id)).toEqual([OPP_LIST]);
    expect(get(em, `/v2/lists/${LIST}`).json.name).toBe('Generated Companies');
    expect(get(em, `/v2/lists/${LIST}/fields`).json.data).toHaveLength(30);
    const options = get(em, `/v2/lists/${LIST}/fields/field-1001/dropdown-options`).json.data;
    expect(options[0]).toEqual({ type: 'ranked-dropdown', id: 30001, text: 'Sourced', rank: 1, color: 'blue' });
    expect(get(em, `/v2/lists/${LIST}/fields/field-1001/dropdown-options/30002`).json.text).toBe('Qualified');
    expect(get(em, `/v2/lists/${OPP_LIST}/fields/field-3001/dropdown-options`).json.data[0].type).toBe(
      'status-dropdown',
    );
    const views = get(em, `/v2/lists/${LIST}/saved-views`).json.data;
    expect(views.map((v: any) => v.type)).toEqual(['sheet', 'board', 'dashboard', 'sheet']);
    expect(Object.keys(views[0]).sort()).toEqual(['createdAt', 'id', 'name', 'type']);
    expect(get(em, `/v2/lists/${LIST}/saved-views/${VIEW}`).json.name).toBe('All Companies');
  });

  test('not found and bad ids', () => {
    expect(errorOf(get(em, '/v2/lists/999'))).toMatchObject({ code: 'not-found' });
    expect(get(em, `/v2/lists/${LIST}/saved-views/1`).status).toBe(404);
    expect(get(em, `/v2/lists/${LIST}/list-entries/1`).status).toBe(404);
    expect(get(em, `/v2/lists/${LIST}/fields/field-1003/dropdown-options`).status).toBe(400); // a number field
    expect(errorOf(get(em, '/v2/lists/abc'))).toMatchObject({ code: 'validation', param: 'listId' });
    expect(get(em, '/v2/nothing-here', { validate: false }).status).toBe(404);
    expect(errorOf(get(em, '/v2/nothing-here', { validate: false })).code).toBe('not-found');
  });

  test('a known path with another method is 405', () => {
    const del = em.handle({
      method: 'DELETE',
      url: '/v2/auth/whoami',
      headers: { authorization: 'Bearer gen-key-0001' },
    });
    expect(del.status).toBe(405);
    expect(JSON.parse(del.body).errors[0].code).toBe('method-not-allowed');
  });
});

describe('pagination', () => {
  test('limit pages, nextUrl is absolute and ends with null, prevUrl goes back', () => {
    const first = get(em, `/v2/lists/${LIST}/list-entries?limit=100`);
    expect(first.json.data).toHaveLength(100);
    expect(first.json.pagination.prevUrl).toBeNull();
    const next = first.json.pagination.nextUrl as string;
    expect(next).toMatch(
      new RegExp(`^https://api\\.affinity\\.co/v2/lists/${LIST}/list-entries\\?cursor=[^&]+&limit=100$`),
    );
    const all = getAll(em, `/v2/lists/${LIST}/list-entries?limit=100`);
    expect(all.pages).toBe(3);
    expect(all.items.map((e) => e.id)).toEqual(seed.entries[LIST].map((e) => e.id));
    const second = get(em, next);
    const back = get(em, second.json.pagination.prevUrl);
    expect(back.json.data.map((e: any) => e.id)).toEqual(first.json.data.map((e: any) => e.id));
  });

  test('default limit is 100; other query parameters are carried to nextUrl', () => {
    const res = get(em, `/v2/lists/${LIST}/list-entries?fieldIds=field-1001&fieldTypes=global`);
    expect(res.json.data).toHaveLength(100);
    const next = new URL(res.json.pagination.nextUrl);
    expect(next.searchParams.get('limit')).toBe('100');
    expect(next.searchParams.getAll('fieldIds')).toEqual(['field-1001']);
    expect(next.searchParams.getAll('fieldTypes')).toEqual(['global']);
    const page2 = get(em, res.json.pagination.nextUrl);
    expect(page2.json.data[0].entity.fields.map((f: any) => f.id)).toEqual([
      'field-1001',
      'field-2001',
      'field-2002',
      'field-2003',
      'lists',
      'notes',
      'reminders',
    ]);
  });

  test.each(['0', '101', 'abc', '-1', '1.5'])('limit=%s is a validation error', (limit) => {
    const res = get(em, `/v2/lists?limit=${limit}`);
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'validation', param: 'limit' });
  });

  test('a bad or foreign cursor is a 400', () => {
    expect(errorOf(get(em, `/v2/lists/${LIST}/list-entries?cursor=garbage`))).toMatchObject({
      code: 'validation',
      param: 'cursor',
    });
    const next = get(em, `/v2/lists/${LIST}/list-entries?limit=1`).json.pagination.nextUrl as string;
    const cursor = new URL(next).searchParams.get('cursor');
    expect(get(em, `/v2/lists/${LIST}/saved-views/${VIEW}/list-entries?cursor=${cursor}`).status).toBe(400);
  });

  test('a page boundary survives deletions before it', () => {
    const first = get(em, `/v2/lists/${LIST}/list-entries?limit=10`);
    for (const e of first.json.data.slice(0, 5)) em.deleteEntry(LIST, e.id);
    const second = get(em, first.json.pagination.nextUrl);
    expect(second.json.data[0].id).toBe(ENTRY + 10);
  });

  test('base URL is configurable', () => {
    const local = new AffinityEmulator(seed, { baseUrl: 'http://127.0.0.1:9999/' });
    expect(get(local, `/v2/lists/${LIST}/list-entries?limit=5`).json.pagination.nextUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:9999\/v2\/lists\//,
    );
  });
});

describe('list entries', () => {
  test('without fieldIds/fieldTypes entities carry no fields', () => {
    const e = get(em, `/v2/lists/${LIST}/list-entries?limit=3`).json.data[0];
    expect(e).toMatchObject({ id: ENTRY, listId: LIST, type: 'company' });
    expect(e.entity.fields).toBeUndefined();
    expect(get(em, `/v2/lists/${LIST}/list-entries/${ENTRY}`).json.entity.fields).toBeUndefined();
  });

  test('fieldIds and fieldTypes select fields; unknown ones are refused', () => {
    const e = get(em, `/v2/lists/${LIST}/list-entries/${ENTRY}?fieldIds=field-1003&fieldIds=field-1001`).json;
    expect(e.entity.fields.map((f: any) => f.id)).toEqual(['field-1001', 'field-1003']);
    const enriched = get(em, `/v2/lists/${LIST}/list-entries/${ENTRY}?fieldTypes=enriched`).json.entity.fields;
    expect(enriched.every((f: any) => f.type === 'enriched')).toBe(true);
    expect(enriched).toHaveLength(4);
    expect(errorOf(get(em, `/v2/lists/${LIST}/list-entries?fieldTypes=bogus`))).toMatchObject({ param: 'fieldTypes' });
    expect(errorOf(get(em, `/v2/lists/${LIST}/list-entries?fieldIds=field-9`))).toMatchObject({ param: 'fieldIds' });
  });

  test('entry fields: all by default, 20 a page, ids/types filter; one field', () => {
    const first = get(em, `/v2/lists/${LIST}/list-entries/${ENTRY}/fields`);
    expect(first.json.data).toHaveLength(20);
    const all = getAll(em, `/v2/lists/${LIST}/list-entries/${ENTRY}/fields`);
    expect(all.items).toHaveLength(30);
    expect(get(em, `/v2/lists/${LIST}/list-entries/${ENTRY}/fields?limit=100`).json.data).toHaveLength(30);
    expect(
      get(em, `/v2/lists/${LIST}/list-entries/${ENTRY}/fields?ids=field-1005&types=relationship-intelligence`).json
        .data,
    ).toHaveLength(6);
    const one = get(em, `/v2/lists/${LIST}/list-entries/${ENTRY}/fields/field-1005`).json;
    expect(one).toMatchObject({ id: 'field-1005', name: 'Description', type: 'list', enrichmentSource: null });
    expect(get(em, `/v2/lists/${LIST}/list-entries/${ENTRY}/fields/field-404`).status).toBe(404);
  });

  test('multi values are served at most 100 with totalCount; /values pages the rest', () => {
    const big = seed.entries[LIST].find(
      (e) => (e.entity.fields!.find((f) => f.id === 'field-1010')!.value.data as unknown[] | null)?.length === 105,
    )!;
    expect(big).toBeDefined();
    const field = get(em, `/v2/lists/${LIST}/list-entries/${big.id}/fields/field-1010`).json;
    expect(field.value.data).toHaveLength(100);
    expect(field.value.totalCount).toBe(105);
    const values = getAll(em, `/v2/lists/${LIST}/list-entries/${big.id}/fields/field-1010/values?limit=40`);
    expect(values.pages).toBe(3);
    expect(values.items).toHaveLength(105);
  });

  test('restricted opportunities serve hidden fields with null data', () => {
    const entries = getAll(em, `/v2/lists/${OPP_LIST}/list-entries?fieldTypes=list`).items;
    const restricted = entries.filter((e) => e.entity.isRestricted);
    expect(restricted.length).toBeGreaterThan(0);
    for (const e of restricted) {
      expect(e.entity.fields.every((f: any) => f.type === 'hidden' && f.value.data === null)).toBe(true);
    }
    expect(
      entries.filter((e) => !e.entity.isRestricted).every((e) => e.entity.fields.every((f: any) => f.type === 'list')),
    ).toBe(true);
    const id = restricted[0].id;
    expect(get(em, `/v2/lists/${OPP_LIST}/list-entries/${id}/fields/field-3001`).json.type).toBe('hidden');
    expect(
      get(em, `/v2/lists/${OPP_LIST}/saved-views/${GENERATED.opportunityViewId}/list-entries`).json.data.find(
        (e: any) => e.id === id,
      ).entity.fields[0].type,
    ).toBe('hidden');
  });

  test('persons, companies and opportunities', () => {
    expect(get(em, '/v2/persons?ids=70001').json.data).toEqual([
      {
        id: 70001,
        firstName: 'Ada',
        lastName: 'Lovelace',
        primaryEmailAddress: 'ada@generated.vc',
        emailAddresses: ['ada@generated.vc'],
        type: 'internal',
      },
    ]);
    expect(get(em, '/v2/persons/71001').status).toBe(200);
    expect(get(em, '/v2/companies/80001').json.domains).toBeDefined();
    expect(get(em, `/v2/companies/${2_000_001}`).json.name).toMatch(/ 1$/);
    expect(get(em, '/v2/companies?limit=10').json.pagination.nextUrl).toContain('/v2/companies?cursor=');
    expect(get(em, '/v2/opportunities?limit=100').json.data).toHaveLength(24);
    expect(get(em, '/v2/opportunities/1').status).toBe(404);
  });
});

describe('saved views', () => {
  test('serve exactly the view entries in entryIds order with exactly its fields, nulls included', () => {
    const view = em.setView(LIST, VIEW, {
      entryIds: [ENTRY + 5, ENTRY + 1, ENTRY + 3],
      fieldIds: ['field-1005', 'notes', 'field-1001'],
    });
    expect(view.entryIds).toHaveLength(3);
    const rows = get(em, `/v2/lists/${LIST}/saved-views/${VIEW}/list-entries`).json.data;
    expect(rows.map((e: any) => e.id)).toEqual([ENTRY + 5, ENTRY + 1, ENTRY + 3]);
    for (const e of rows) expect(e.entity.fields.map((f: any) => f.id)).toEqual(['field-1005', 'notes', 'field-1001']);
    // Values are the stored ones (a null stays a present field with data null).
    const stored = seed.entries[LIST][5].entity.fields!.find((f) => f.id === 'field-1005')!;
    expect(rows[0].entity.fields[0].value).toEqual(stored.value);
  });

  test('an entry without a stored field gets it with data null', () => {
    const entry = structuredClone(seed.entries[LIST][0]);
    entry.id = 42;
    entry.entity.fields = [];
    em.addEntry(LIST, entry, { viewIds: [GENERATED.recentViewId] });
    const rows = getAll(em, `/v2/lists/${LIST}/saved-views/${GENERATED.recentViewId}/list-entries`).items;
    const added = rows.find((e) => e.id === 42);
    expect(added.entity.fields.map((f: any) => f.value.data)).toEqual([null, null, null, null, null, null]);
  });

  test('all rows of the main view page through', () => {
    const all = getAll(em, `/v2/lists/${LIST}/saved-views/${VIEW}/list-entries?limit=100`);
    expect(all.items).toHaveLength(250);
    expect(all.items[0].entity.fields).toHaveLength(12);
  });

  test.each([
    ['board', GENERATED.boardViewId],
    ['dashboard', GENERATED.dashboardViewId],
  ])('%s views are refused with a 400', (_type, viewId) => {
    const res = get(em, `/v2/lists/${LIST}/saved-views/${viewId}/list-entries`);
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('bad-request');
    expect(errorOf(res).message).toMatch(/only sheet-type views are supported/);
  });

  test('view helpers add and remove rows and columns', () => {
    em.setView(LIST, VIEW, { entryIds: [ENTRY], fieldIds: ['field-1001'] });
    em.addToView(LIST, VIEW, { entryIds: [ENTRY + 1, ENTRY], fieldIds: ['field-1002'] });
    expect(em.getView(LIST, VIEW)).toMatchObject({
      entryIds: [ENTRY, ENTRY + 1],
      fieldIds: ['field-1001', 'field-1002'],
    });
    em.removeFromView(LIST, VIEW, { entryIds: [ENTRY], fieldIds: ['field-1001'] });
    expect(em.getView(LIST, VIEW)).toMatchObject({ entryIds: [ENTRY + 1], fieldIds: ['field-1002'] });
    em.deleteEntry(LIST, ENTRY + 1);
    expect(get(em, `/v2/lists/${LIST}/saved-views/${VIEW}/list-entries`).json.data).toEqual([]);
  });
});

describe('dealflow seed', () => {
  test('serves its views and validates', () => {
    const demo = new AffinityEmulator(dealflowSeed());
    const opts = { key: DEALFLOW.apiKey };
    expect(get(demo, '/v2/auth/whoami', opts).json.tenant.name).toBe('Analytical Ventures');
    const views = get(demo, `/v2/lists/${DEALFLOW.listId}/saved-views`, opts).json.data;
    expect(views.map((v: any) => [v.name, v.type])).toEqual([
      ['Active Pipeline', 'sheet'],
      ['All Deals', 'sheet'],
      ['Pipeline Board', 'board'],
      ['Partner Dashboard', 'dashboard'],
    ]);
    const all = getAll(
      demo,
      `/v2/lists/${DEALFLOW.listId}/saved-views/${DEALFLOW.views.allDeals}/list-entries`,
      opts,
    ).items;
    expect(all).toHaveLength(25);
    expect(all[0].entity.fields.map((f: any) => f.name)).toEqual([
      'Stage',
      'Owner',
      'Round',
      'Amount',
      'Valuation',
      'Next Step Date',
      'Last Meeting',
      'Tags',
      'Sector',
      'HQ',
      'Description',
      'Co-investors',
      'Score',
    ]);
    const active = getAll(
      demo,
      `/v2/lists/${DEALFLOW.listId}/saved-views/${DEALFLOW.views.activePipeline}/list-entries`,
      opts,
    ).items;
    expect(active.length).toBeGreaterThan(10);
    expect(active.length).toBeLessThan(25);
    expect(active.every((e) => !['Closed', 'Passed'].includes(e.entity.fields[0].value.data.text))).toBe(true);
    const stages = get(demo, `/v2/lists/${DEALFLOW.listId}/fields/${DEALFLOW.fields.stage}/dropdown-options`, opts).json
      .data;
    expect(stages.map((o: any) => o.text)).toEqual([
      'Sourced',
      'First Meeting',
      'Diligence',
      'IC Review',
      'Term Sheet',
      'Closed',
      'Passed',
    ]);
  });
});
