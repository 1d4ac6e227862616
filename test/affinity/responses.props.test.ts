/**
 * Property test: the client reads any response the 2026-09-17 spec allows for each operation it calls, returning the
 * data as sent (pages: their `data`; a last page's `nextUrl` is null). Bodies are generated from the spec's own
 * schemas (test/support/schemaArbitrary.ts) and checked against the spec before use.
 */
import fc from 'fast-check';
import { AffinityClient, type Connection } from '../../src/server/affinity/client';
import type { HttpPort, HttpRequest } from '../../src/server/ports';
import { validateResponse } from '../../tools/contract/validate';
import { arbitraryFor, responseSchema } from '../support/schemaArbitrary';

const DIRECT: Connection = { mode: 'direct', apiKey: 'k' };
const NANGO: Connection = { mode: 'nango', secretKey: 's', providerConfigKey: 'affinity', connectionId: 'c' };
const RUNS = 40;

/** A client whose every request is answered with `status` and `body`; records what it sent. */
function clientAnswering(body: unknown, status = 200, connection: Connection = DIRECT) {
  const sent: HttpRequest[] = [];
  const http: HttpPort = {
    fetchAll: (requests) =>
      requests.map((r) => {
        sent.push(r);
        return { status, headers: {}, body: body === undefined ? '' : JSON.stringify(body) };
      }),
  };
  const clock = { now: () => 0, sleep: () => undefined };
  return { client: new AffinityClient(http, connection, { clock }), sent };
}

/** A generated body for an operation, valid against the spec (asserted), pages ending here. */
function bodies(operation: string, status = '200', lastPage = false) {
  return arbitraryFor(responseSchema(operation, status)).map((v) => {
    const body =
      lastPage && v && typeof v === 'object'
        ? { ...v, pagination: { ...((v as { pagination?: object }).pagination ?? {}), nextUrl: null } }
        : v;
    const [method, path] = operation.split(' ');
    const url = path.replace(/\{(\w+)\}/g, (_, n: string) => (n === 'fieldId' ? 'field-1' : '7'));
    const check = validateResponse(method, url, Number(status), JSON.stringify(body));
    if (!check.ok) throw new Error(`generated body is not valid for ${operation}: ${check.errors.join('; ')}`);
    return body as Record<string, unknown>;
  });
}

const dataOf = (page: Record<string, unknown>) => (page.data as unknown[] | null | undefined) ?? [];

describe('the client reads every schema-valid response of the operations it calls', () => {
  it('GET /v2/auth/whoami', () => {
    fc.assert(
      fc.property(bodies('GET /v2/auth/whoami'), (body) => {
        expect(clientAnswering(body).client.whoami()).toEqual(body);
      }),
      { numRuns: RUNS },
    );
  });

  it.each([
    ['GET /v2/lists', (c: AffinityClient) => c.lists()],
    ['GET /v2/lists/{listId}/fields', (c: AffinityClient) => c.listFields(7)],
    [
      'GET /v2/lists/{listId}/fields/{fieldId}/dropdown-options',
      (c: AffinityClient) => c.dropdownOptions(7, 'field-1'),
    ],
    ['GET /v2/lists/{listId}/saved-views', (c: AffinityClient) => c.savedViews(7)],
  ])('%s (every item of the page)', (operation, read) => {
    fc.assert(
      fc.property(bodies(operation, '200', true), (page) => {
        const { client, sent } = clientAnswering(page);
        expect(read(client)).toEqual(dataOf(page));
        expect(sent).toHaveLength(1);
      }),
      { numRuns: RUNS },
    );
  });

  it.each([
    ['GET /v2/lists/{listId}', (c: AffinityClient) => c.list(7)],
    ['GET /v2/lists/{listId}/saved-views/{viewId}', (c: AffinityClient) => c.savedView(7, 8)],
    ['GET /v2/lists/{listId}/list-entries/{listEntryId}', (c: AffinityClient) => c.listEntry(7, 9, ['field-1'])],
  ])('%s', (operation, read) => {
    fc.assert(
      fc.property(bodies(operation), (body) => {
        expect(read(clientAnswering(body).client)).toEqual(body);
      }),
      { numRuns: RUNS },
    );
  });

  it('GET /v2/lists/{listId}/saved-views/{viewId}/list-entries (a page of rows, any value types)', () => {
    fc.assert(
      fc.property(bodies('GET /v2/lists/{listId}/saved-views/{viewId}/list-entries', '200', true), (page) => {
        const { client } = clientAnswering(page);
        const read = client.entriesPage('/v2/lists/7/saved-views/8/list-entries?limit=100');
        expect(read).toEqual({ entries: dataOf(page), nextUrl: null });
      }),
      { numRuns: RUNS },
    );
  });

  it('GET /v2/lists/{listId}/list-entries (the export check at connect)', () => {
    fc.assert(
      fc.property(bodies('GET /v2/lists/{listId}/list-entries', '200', true), (page) => {
        const { client } = clientAnswering(page);
        expect(
          client.send({ method: 'get', path: '/v2/lists/7/list-entries?limit=1', purpose: 'read-entries' }),
        ).toEqual(page);
      }),
      { numRuns: RUNS },
    );
  });

  it('PATCH /v2/lists/{listId}/list-entries/{listEntryId}/fields', () => {
    fc.assert(
      fc.property(bodies('PATCH /v2/lists/{listId}/list-entries/{listEntryId}/fields'), (body) => {
        const update = { listId: 7, listEntryId: 9, updates: [{ id: 'field-1', value: { type: 'text', data: 'x' } }] };
        const [outcome] = clientAnswering(body).client.updateEntries([update as never]);
        expect(outcome).toEqual({ ok: true, value: update });
      }),
      { numRuns: RUNS },
    );
  });

  it('GET /v2/rate-limit (usage in Nango mode)', () => {
    fc.assert(
      fc.property(bodies('GET /v2/rate-limit'), (usage) => {
        const { client, sent } = clientAnswering(usage, 200, NANGO);
        client.send({ method: 'get', path: '/v2/rate-limit', purpose: 'metadata' }); // one request sent: usage is due
        const minute = usage.callerPerMinute as { limit: number; remaining: number; reset: number };
        const month = usage.orgPerMonth as { limit: number; remaining: number } | undefined;
        const seen = client.rateLimit;
        expect(sent.at(-1)!.url).toBe('https://api.nango.dev/proxy/v2/rate-limit');
        expect(seen).toMatchObject({
          userLimit: minute.limit,
          userRemaining: Math.max(0, minute.remaining),
          userResetSec: minute.reset,
        });
        expect(seen.orgLimit).toBe(month?.limit);
      }),
      { numRuns: RUNS },
    );
  });
});
