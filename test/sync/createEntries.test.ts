/**
 * New rows: when the lookup of the list's entries runs (sync/createEntries.ts). The search asks for each record's
 * Lists field; a record on no list is created without a lookup, unless a push of this tab sent a create for it
 * before (killed before recording the answer; Affinity's reads may lag a write): then the entity's list entries are
 * read and the row binds to the entry found, nothing is created. A fake client answers, so the order of requests
 * is exact.
 */
import type { AffinityClient, Outcome, RequestSpec } from '../../src/server/affinity/client';
import { KEY_COLUMN, NAME_COLUMN } from '../../src/server/engine/layout';
import { addNewRows, type BatchSender } from '../../src/server/sync/createEntries';
import type { Binding } from '../../src/server/sync/bindings';
import type { KeyValueStore } from '../../src/server/ports';

const LIST = 7001;
const SHEET = 11;
const company = (id: number, onList: boolean) => ({
  id,
  name: `Co ${id}`,
  domain: `co${id}.com`,
  domains: [`co${id}.com`],
  isGlobal: false,
  fields: [
    {
      id: 'lists',
      name: 'Lists',
      type: 'global',
      enrichmentSource: null,
      value: {
        type: 'list-multi',
        data: onList ? [{ id: LIST, name: 'Deal Flow', type: 'company', entityCount: 3 }] : null,
      },
    },
  ],
});

function fakeClient(answer: (spec: RequestSpec) => unknown): { client: AffinityClient; sent: string[] } {
  const sent: string[] = [];
  const client = {
    requestsSent: 0,
    sendAll<T>(specs: RequestSpec[]): Outcome<T>[] {
      return specs.map((s) => {
        sent.push(`${s.method.toUpperCase()} ${s.path}`);
        this.requestsSent++;
        return { ok: true, value: answer(s) as T };
      });
    },
    send<T>(spec: RequestSpec): T {
      return this.sendAll<T>([spec])[0].ok ? (answer(spec) as T) : (undefined as T);
    },
  };
  return { client: client as unknown as AffinityClient, sent };
}

function store(initial: Record<string, string> = {}): KeyValueStore {
  const m = new Map(Object.entries(initial));
  return {
    get: (k) => m.get(k) ?? null,
    set: (k, v) => void m.set(k, v),
    delete: (k) => void m.delete(k),
    keys: () => [...m.keys()],
  };
}

const send: BatchSender = (items, fn) => ({ outcomes: fn(items), batches: 1 });

function run(doc: KeyValueStore, onList: boolean, entriesOfEntity: { id: number; listId: number }[]) {
  const { client, sent } = fakeClient((spec) => {
    if (spec.path.includes('/search')) return { data: [company(501, onList)], pagination: { nextUrl: null } };
    if (spec.path.startsWith('/v2/companies/501/list-entries')) return { data: entriesOfEntity, pagination: {} };
    if (spec.method === 'post')
      return { id: 9001, listId: LIST, type: 'company', createdAt: '', creatorId: 1, entity: company(501, true) };
    throw new Error(`unexpected ${spec.path}`);
  });
  const result = addNewRows({
    tab: {
      values: [
        [101, 'Old Co'],
        ['', 'co501.com'],
      ],
      notes: [
        ['', ''],
        ['', ''],
      ],
      width: 2,
      columnOf: new Map([
        [KEY_COLUMN, 0],
        [NAME_COLUMN, 1],
      ]),
    },
    snapshot: { columns: [KEY_COLUMN, NAME_COLUMN], rows: new Map([[101, ['101', 'Old Co']]]) },
    binding: { listId: LIST, listType: 'company', listName: 'Deal Flow', sheetId: SHEET } as Binding,
    client: () => client,
    send,
    doc,
    dryRun: false,
  });
  return { result, sent };
}

describe('new rows: the lookup of the list before creating', () => {
  it('a record the search says is on no list is created without a lookup; its create is journalled first', () => {
    const doc = store();
    const { result, sent } = run(doc, false, []);
    expect(sent).toEqual(['POST /v2/companies/search?limit=100&fieldIds=lists', `POST /v2/lists/${LIST}/list-entries`]);
    expect(result.added).toEqual([{ row: 1, entryId: 9001, entity: 'Co 501', created: true }]);
    expect(JSON.parse(doc.get(`affinity.creating.${SHEET}`)!)).toEqual([501]);
  });

  it('a record the search says is on the list: its entry is looked up and the row binds to it', () => {
    const { result, sent } = run(store(), true, [{ id: 77, listId: LIST }]);
    expect(sent).toEqual([
      'POST /v2/companies/search?limit=100&fieldIds=lists',
      'GET /v2/companies/501/list-entries?limit=100',
    ]);
    expect(result.added).toEqual([{ row: 1, entryId: 77, entity: 'Co 501', created: false }]);
  });

  it('a create sent before (killed push) is looked up even when the search does not show it yet: bound, not created twice', () => {
    const doc = store({ [`affinity.creating.${SHEET}`]: '[501]' });
    const { result, sent } = run(doc, false, [{ id: 9001, listId: LIST }]);
    expect(sent).toEqual([
      'POST /v2/companies/search?limit=100&fieldIds=lists',
      'GET /v2/companies/501/list-entries?limit=100',
    ]);
    expect(result.added).toEqual([{ row: 1, entryId: 9001, entity: 'Co 501', created: false }]);
    expect(result.creates).toBe(0);
  });

  it('an answer without the Lists field (Affinity did not say) is looked up', () => {
    const { client, sent } = fakeClient((spec) => {
      if (spec.path.includes('/search')) {
        const { fields: _f, ...plain } = company(501, false);
        return { data: [plain], pagination: { nextUrl: null } };
      }
      if (spec.path.startsWith('/v2/companies/501/list-entries')) return { data: [], pagination: {} };
      return { id: 9002, listId: LIST, type: 'company', createdAt: '', creatorId: 1, entity: company(501, true) };
    });
    const result = addNewRows({
      tab: {
        values: [['', 'co501.com']],
        notes: [['', '']],
        width: 2,
        columnOf: new Map([
          [KEY_COLUMN, 0],
          [NAME_COLUMN, 1],
        ]),
      },
      snapshot: { columns: [KEY_COLUMN, NAME_COLUMN], rows: new Map() },
      binding: { listId: LIST, listType: 'company', listName: 'Deal Flow', sheetId: SHEET } as Binding,
      client: () => client,
      send,
      doc: store(),
      dryRun: false,
    });
    expect(sent).toEqual([
      'POST /v2/companies/search?limit=100&fieldIds=lists',
      'GET /v2/companies/501/list-entries?limit=100',
      `POST /v2/lists/${LIST}/list-entries`,
    ]);
    expect(result.added[0]).toMatchObject({ entryId: 9002, created: true });
  });
});
