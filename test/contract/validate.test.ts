import fc from 'fast-check';
import {
  matchOperation,
  subset,
  validateRequest,
  validateResponse,
  validateSchema,
} from '../../tools/contract/validate';
import * as f from './fixtures';

const API = 'https://api.affinity.co';
const clone = <T>(v: T): T => structuredClone(v);
const expectOk = (r: { ok: boolean; errors: string[] }) => expect(r).toEqual({ ok: true, errors: [] });
const expectFail = (r: { ok: boolean; errors: string[] }, pattern?: RegExp) => {
  expect(r.ok).toBe(false);
  expect(r.errors.length).toBeGreaterThan(0);
  if (pattern) expect(r.errors.join('\n')).toMatch(pattern);
};

describe('matchOperation', () => {
  it('matches absolute URLs, paths with queries and Nango proxy paths', () => {
    const want = { key: 'GET /v2/lists/{listId}/list-entries', pathParams: { listId: '101' } };
    expect(matchOperation('GET', `${API}/v2/lists/101/list-entries?limit=100&cursor=x`)).toEqual(want);
    expect(matchOperation('get', '/v2/lists/101/list-entries')).toEqual(want);
    expect(matchOperation('GET', '/proxy/v2/lists/101/list-entries?limit=5')).toEqual(want);
    expect(matchOperation('GET', 'https://api.nango.dev/proxy/v2/lists/101/list-entries')).toEqual(want);
    expect(matchOperation('PATCH', '/v2/lists/1/list-entries/2/fields')).toEqual({
      key: 'PATCH /v2/lists/{listId}/list-entries/{listEntryId}/fields',
      pathParams: { listId: '1', listEntryId: '2' },
    });
  });

  it('prefers literal segments and rejects unknown paths and methods', () => {
    expect(matchOperation('POST', '/v2/lists/1/list-entries/search')?.key).toBe(
      'POST /v2/lists/{listId}/list-entries/search',
    );
    expect(matchOperation('GET', '/v2/lists/1/list-entries/search')?.key).toBe(
      'GET /v2/lists/{listId}/list-entries/{listEntryId}',
    );
    expect(matchOperation('GET', '/v2/notes')?.key).toBe('GET /v2/notes'); // the full 2026-09-17 spec
    expect(matchOperation('GET', '/v2/no-such-thing')).toBeNull();
    expect(matchOperation('DELETE', '/v2/lists/1')).toBeNull();
    expect(matchOperation('GET', '/v1/lists')).toBeNull();
    expect(matchOperation('GET', '/v2/lists//list-entries')).toBeNull();
  });

  it('matches every operation of the subset from its own template', () => {
    for (const key of Object.keys(subset.operations)) {
      const [method, template] = key.split(' ');
      const url = template.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'fieldId' ? 'field-1' : '7'));
      expect(matchOperation(method, url)?.key).toBe(key);
    }
  });
});

describe('valid bodies pass', () => {
  it.each([
    ['GET', '/v2/lists', 200, f.listsPage],
    ['GET', '/v2/lists/101/list-entries', 200, f.entriesPage()],
    ['GET', '/v2/lists/101/saved-views/11/list-entries', 200, f.entriesPage()],
    ['POST', '/v2/lists/101/list-entries/search', 201, f.entriesPage()],
    ['GET', '/v2/auth/whoami', 200, f.whoAmI],
    ['GET', '/v2/lists/101/fields', 200, f.fieldsPage],
    ['GET', '/v2/lists/101/fields/field-1/dropdown-options', 200, f.dropdownOptionsPage],
    ['GET', '/v2/lists/101/saved-views', 200, f.savedViewsPage],
    ['PATCH', '/v2/lists/101/list-entries/1/fields', 200, f.updateFieldsResponse],
    ['GET', '/v2/lists/999', 404, f.errorBodies.notFound],
    ['GET', '/v2/lists/101/list-entries?limit=1000', 400, f.errorBodies.validation],
    ['GET', '/v2/lists', 429, f.errorBodies.rateLimit],
    ['GET', '/v2/lists', 503, f.errorBodies.server],
  ])('%s %s → %i', (method, url, status, body) => {
    expectOk(validateResponse(method, url, status, body));
  });

  it('accepts a JSON text body, and a 204 with an empty body', () => {
    expectOk(validateResponse('GET', '/v2/auth/whoami', 200, JSON.stringify(f.whoAmI)));
    expectOk(validateResponse('DELETE', '/v2/lists/1/fields/field-1/dropdown-options/3', 204, ''));
    expectOk(validateResponse('DELETE', '/v2/lists/1/fields/field-1/dropdown-options/3', 204, undefined));
  });

  it('accepts valid requests', () => {
    expectOk(
      validateRequest(
        'GET',
        `${API}/v2/lists/101/list-entries?limit=100&cursor=abc&fieldTypes=list&fieldTypes=enriched`,
      ),
    );
    expectOk(validateRequest('GET', '/v2/lists/101/list-entries?fieldIds=field-1&fieldIds=affinity-data-location'));
    expectOk(validateRequest('GET', '/v2/companies?ids=1&ids=2'));
    expectOk(
      validateRequest('POST', '/v2/lists/101/list-entries/search?totalCount=true', {
        filters: { operator: 'and', filters: [] },
      }),
    );
    expectOk(validateRequest('POST', '/v2/lists/101/list-entries/search'));
    expectOk(validateRequest('PATCH', '/proxy/v2/lists/101/list-entries/1/fields', f.updateFieldsRequest));
    expectOk(validateRequest('PATCH', '/v2/lists/101/list-entries/1/fields', JSON.stringify(f.updateFieldsRequest)));
    expectOk(validateRequest('DELETE', '/v2/lists/1/fields/field-1/dropdown-options/3'));
  });

  it('accepts any integer ids and limits (property)', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(),
        fc.string(),
        (listId, limit, cursor) =>
          validateRequest('GET', `/v2/lists/${listId}/list-entries?limit=${limit}&cursor=${encodeURIComponent(cursor)}`)
            .ok,
      ),
    );
  });
});

describe('violations fail', () => {
  it('unknown operations and undeclared statuses', () => {
    expectFail(validateResponse('GET', '/v2/no-such-thing', 200, {}), /unknown operation/);
    expectFail(validateRequest('GET', '/v2/no-such-thing'), /unknown operation/);
    expectFail(validateRequest('GET', '/v1/opportunities'), /unknown operation/);
    expectFail(validateResponse('GET', '/v2/lists', 201, f.listsPage), /not a response/);
    expectFail(validateResponse('GET', '/v2/lists', 302, ''), /not a response/);
  });

  it('a missing required property', () => {
    const page = clone(f.listsPage) as { data: Record<string, unknown>[] };
    delete page.data[1].ownerId;
    expectFail(validateResponse('GET', '/v2/lists', 200, page), /\/data\/1 must have required property 'ownerId'/);
    expectFail(validateResponse('GET', '/v2/lists', 200, { data: [] }), /pagination/);
    expectFail(validateResponse('GET', '/v2/auth/whoami', 200, { ...f.whoAmI, tenant: undefined }), /tenant/);
  });

  it('a wrong discriminator', () => {
    const page = f.entriesPage(1, 2);
    (page.data[1] as { type: string }).type = 'organization';
    expectFail(
      validateResponse('GET', '/v2/lists/101/list-entries', 200, page),
      /\/data\/1\/type must be a mapped discriminator value, got "organization"/,
    );

    const mismatched = f.entriesPage(1, 1);
    mismatched.data[0].type = 'person'; // a company entity under the person tag
    expectFail(validateResponse('GET', '/v2/lists/101/list-entries', 200, mismatched), /\/data\/0\/entity/);

    const value = f.entriesPage(1, 1);
    value.data[0].entity.fields[0].value = { type: 'dropdown', data: 'Won' };
    expectFail(validateResponse('GET', '/v2/lists/101/list-entries', 200, value), /fields\/0\/value\/data/);

    expectFail(validateSchema('FieldValue', { type: 'number', data: 'twelve' }), /\/data must be/);
  });

  it('a dropdown value given as text instead of an id in an update', () => {
    const req = clone(f.updateFieldsRequest);
    req.updates[0].value = { type: 'dropdown', data: { text: 'Won' } } as never;
    expectFail(
      validateRequest('PATCH', '/v2/lists/101/list-entries/1/fields', req),
      /updates\/0\/value\/data must have required property 'dropdownOptionId'/,
    );
  });

  it('more than 100 updates in one batch, or a wrong operation', () => {
    const updates = Array.from({ length: 101 }, (_, i) => ({ id: `field-${i}`, value: { type: 'text', data: 'x' } }));
    expectFail(
      validateRequest('PATCH', '/v2/lists/101/list-entries/1/fields', { operation: 'update-fields', updates }),
      /updates must NOT have more than 100 items/,
    );
    expectOk(
      validateRequest('PATCH', '/v2/lists/101/list-entries/1/fields', {
        operation: 'update-fields',
        updates: updates.slice(1),
      }),
    );
    expectFail(
      validateRequest('PATCH', '/v2/lists/101/list-entries/1/fields', { operation: 'delete', updates: [] }),
      /operation/,
    );
    expectFail(validateRequest('PATCH', '/v2/lists/101/list-entries/1/fields'), /required/);
    expectFail(validateRequest('PATCH', '/v2/lists/101/list-entries/1/fields', '{not json'), /not JSON/);
  });

  it('bad query and path parameters', () => {
    expectFail(validateRequest('GET', '/v2/lists/101/list-entries?limit=abc'), /query \/limit must be integer/);
    expectFail(validateRequest('GET', '/v2/lists/101/list-entries?limit=1.5'), /limit must be integer/);
    expectFail(validateRequest('GET', '/v2/lists/101/list-entries?limit=5&limit=6'), /repeated/);
    expectFail(validateRequest('GET', '/v2/lists/101/list-entries?pageSize=5'), /additional properties: pageSize/);
    expectFail(
      validateRequest('GET', '/v2/lists/101/list-entries?fieldTypes=custom'),
      /fieldTypes\/0 must be equal to one of/,
    );
    expectFail(validateRequest('GET', '/v2/companies?ids=abc'), /ids\/0 must be integer/);
    expectFail(
      validateRequest('POST', '/v2/lists/101/list-entries/search?totalCount=yes'),
      /totalCount must be boolean/,
    );
    expectFail(validateRequest('GET', '/v2/lists/abc/list-entries'), /path \/listId must be integer/);
    expectFail(validateRequest('GET', '/v2/lists/101', { unexpected: true }), /takes none/);
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^-?\d+$/.test(s)),
        (limit) => !validateRequest('GET', `/v2/lists/1/list-entries?limit=${encodeURIComponent(limit)}`).ok,
      ),
    );
  });

  it('a 204 with a body, an empty 200, and bad error bodies', () => {
    expectFail(
      validateResponse('DELETE', '/v2/lists/1/fields/field-1/dropdown-options/3', 204, { ok: true }),
      /empty body/,
    );
    expectFail(validateResponse('GET', '/v2/auth/whoami', 200, ''), /empty/);
    expectFail(validateResponse('GET', '/v2/lists', 404, { error: 'not found' }), /errors/);
    expectFail(
      validateResponse('GET', '/v2/lists', 404, { errors: [{ code: 'missing', message: 'x' }] }),
      /code must be equal to one of/,
    );
    expectFail(validateResponse('GET', '/v2/lists', 500, { errors: [{ code: 'server' }] }), /message/);
    expectFail(validateResponse('GET', '/v2/lists', 500, 'Internal Server Error'), /not JSON/);
  });
});

describe('speed', () => {
  it('validates 10,000 list entries in a time of the order of a JSON round trip of them', () => {
    // A ratio within this run, not a wall-clock budget: both sides slow down alike on a loaded machine. Validation
    // compiles each schema once (outside the clock) and then walks the data about as JSON.stringify + parse do.
    const pages = Array.from({ length: 100 }, (_, p) => f.entriesPage(p * 100 + 1, 100));
    expectOk(validateResponse('GET', '/v2/lists/101/list-entries', 200, pages[0])); // compile outside the clock
    const t0 = performance.now();
    for (const page of pages) {
      if (!validateResponse('GET', '/v2/lists/101/list-entries?limit=100', 200, page).ok)
        throw new Error('invalid page');
    }
    const validateMs = performance.now() - t0;
    const t1 = performance.now();
    for (const page of pages) JSON.parse(JSON.stringify(page));
    const jsonMs = performance.now() - t1;
    expect(validateMs).toBeLessThan(jsonMs * 5);
  });
});

describe('the view columns operation (documented, not in the digest: spec/README.md)', () => {
  it('a request as the reference page shows it passes; anything else fails', () => {
    expect(validateRequest('GET', 'https://api.affinity.co/v2/lists/7001/saved-views/9001/columns').errors).toEqual([]);
    expect(validateRequest('GET', '/proxy/v2/lists/7001/saved-views/9001/columns').errors).toEqual([]);
    expect(validateRequest('GET', '/v2/lists/x/saved-views/9001/columns').ok).toBe(false);
    expect(validateRequest('GET', '/v2/lists/7001/saved-views/9001/columns?limit=100').ok).toBe(false);
    expect(validateRequest('GET', '/v2/lists/7001/saved-views/9001/columns', { a: 1 }).ok).toBe(false);
    expect(validateRequest('POST', '/v2/lists/7001/saved-views/9001/columns').ok).toBe(false);
  });
});
