import type { FieldValueUpdate } from '../../src/server/affinity/types';
import { AffinityEmulator, OTHER_USER } from '../../tools/emulator/emulator';
import { generateSeed } from '../../tools/emulator/generate';
import type { EmulatorSeed } from '../../tools/emulator/seed';
import { ENTRY, LIST, OPP_LIST, call, errorOf, get, getAll } from './helpers';

const base = generateSeed({ entries: 40 });
let em: AffinityEmulator;
beforeEach(() => {
  em = new AffinityEmulator(base, { clock: () => Date.UTC(2026, 10, 20, 12) });
});

const fieldUrl = (fieldId: string, entry = ENTRY, list = LIST) =>
  `/v2/lists/${list}/list-entries/${entry}/fields/${fieldId}`;
const write = (fieldId: string, value: unknown, entry = ENTRY, list = LIST) =>
  call(em, 'POST', fieldUrl(fieldId, entry, list), { body: { value } });
const read = (fieldId: string, entry = ENTRY) => get(em, fieldUrl(fieldId, entry)).json.value;
const patch = (updates: unknown[], entry = ENTRY) =>
  call(em, 'PATCH', `/v2/lists/${LIST}/list-entries/${entry}/fields`, {
    body: { operation: 'update-fields', updates },
  });

describe('every writable type is applied and read back', () => {
  const person = base.persons!.find((p) => p.id === 71005)!;
  const company = base.companies!.find((c) => c.id === 80007)!;
  const nyc = {
    streetAddress: null,
    city: 'New York',
    state: 'New York',
    country: 'United States',
    continent: 'North America',
  };
  const cases: [string, FieldValueUpdate, unknown][] = [
    ['field-1005', { type: 'text', data: 'Señor 🚀, "quoted"; =1+1' }, 'Señor 🚀, "quoted"; =1+1'],
    ['field-2003', { type: 'filterable-text', data: 'TICK' }, 'TICK'],
    ['field-2002', { type: 'filterable-text-multi', data: ['a', 'b,c'] }, ['a', 'b,c']],
    ['field-1003', { type: 'number', data: 1234.5 }, 1234.5],
    ['field-1012', { type: 'number-multi', data: [1, 2, 3] }, [1, 2, 3]],
    ['field-1008', { type: 'location', data: nyc }, nyc],
    ['field-1013', { type: 'location-multi', data: [nyc] }, [nyc]],
    ['field-1006', { type: 'dropdown', data: { dropdownOptionId: 30102 } }, { dropdownOptionId: 30102, text: 'Santé' }],
    [
      'field-1001',
      { type: 'ranked-dropdown', data: { dropdownOptionId: 30003 } },
      { dropdownOptionId: 30003, text: 'Diligence', rank: 3, color: 'purple' },
    ],
    [
      'field-1007',
      { type: 'dropdown-multi', data: [{ dropdownOptionId: 30203 }, { dropdownOptionId: 30201 }] },
      [
        { dropdownOptionId: 30203, text: 'cold' },
        { dropdownOptionId: 30201, text: 'hot' },
      ],
    ],
    ['field-1002', { type: 'person', data: { id: 71005 } }, person],
    ['field-1011', { type: 'person-multi', data: [{ id: 71005 }, { id: 70001 }] }, [person, base.persons![0]]],
    ['field-1009', { type: 'company', data: { id: 80007 } }, company],
    ['field-1010', { type: 'company-multi', data: [{ id: 80007 }] }, [company]],
    [
      'field-2001',
      { type: 'dropdown', data: { dropdownOptionId: 30305 } },
      { dropdownOptionId: 30305, text: 'Energy' },
    ],
  ];

  test.each(cases)('POST %s', (fieldId, value, expected) => {
    const res = write(fieldId, value);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect(read(fieldId).data).toEqual(expected);
    expect(em.getFieldValue(LIST, ENTRY, fieldId)!.data).toEqual(expected);
    // ...and in the row read.
    const row = get(em, `/v2/lists/${LIST}/list-entries/${ENTRY}?fieldIds=${fieldId}`).json;
    expect(row.entity.fields[0].value.data).toEqual(expected);
  });

  test.each(cases)('null clears %s', (fieldId, value) => {
    write(fieldId, value);
    expect(write(fieldId, { type: value.type, data: null }).status).toBe(204);
    expect(read(fieldId).data).toBeNull();
  });

  test('the same through one PATCH', () => {
    const res = patch(cases.map(([id, value]) => ({ id, value })));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ operation: 'update-fields' });
    for (const [fieldId, , expected] of cases) expect(read(fieldId).data).toEqual(expected);
  });
});

describe('value semantics', () => {
  test('multi writes replace; an empty array reads back as null', () => {
    write('field-1012', { type: 'number-multi', data: [1, 2] });
    write('field-1012', { type: 'number-multi', data: [3] });
    expect(read('field-1012').data).toEqual([3]);
    write('field-1012', { type: 'number-multi', data: [] });
    expect(read('field-1012').data).toBeNull();
    write('field-1007', { type: 'dropdown-multi', data: null });
    expect(read('field-1007').data).toBeNull();
  });

  test.each([
    ['2024-04-02T03:00:00Z', '2024-04-01T07:00:00.000Z'], // evening of Apr 1 in Los Angeles
    ['2024-03-10T12:00:00Z', '2024-03-10T08:00:00.000Z'], // spring-forward day: midnight was still PST
    ['2024-03-11T12:00:00Z', '2024-03-11T07:00:00.000Z'],
    ['2024-11-03T12:00:00Z', '2024-11-03T07:00:00.000Z'], // fall-back day: midnight was still PDT
    ['2024-11-04T12:00:00Z', '2024-11-04T08:00:00.000Z'],
    ['2024-07-04T23:30:00-07:00', '2024-07-04T07:00:00.000Z'],
    ['2024-12-31T23:59:59.999+09:00', '2024-12-31T08:00:00.000Z'],
    ['2024-01-15', '2024-01-14T08:00:00.000Z'], // a bare date is UTC midnight: the day before in Los Angeles
    ['2006-04-02T12:00:00Z', '2006-04-02T08:00:00.000Z'], // pre-2007 rules: DST began at 02:00 that day
  ])('datetime %s is stored as %s', (input, stored) => {
    expect(write('field-1004', { type: 'datetime', data: input }).status).toBe(204);
    expect(read('field-1004').data).toBe(stored);
  });

  test('a global field changes on every list holding the entity', () => {
    const seed: EmulatorSeed = structuredClone(base);
    const other = { ...seed.lists[0], id: 10009, name: 'Second company list' };
    seed.lists.push(other);
    seed.fields[other.id] = seed.fields[LIST].filter((f) => f.id === 'field-2001' || f.id === 'field-1005');
    const twin = structuredClone(seed.entries[LIST][0]);
    Object.assign(twin, { id: 5555, listId: other.id });
    twin.entity.fields = twin.entity.fields!.filter((f) => f.id === 'field-2001' || f.id === 'field-1005');
    seed.entries[other.id] = [twin];
    seed.savedViews[other.id] = [];
    em = new AffinityEmulator(seed);
    write('field-2001', { type: 'dropdown', data: { dropdownOptionId: 30301 } });
    write('field-1005', { type: 'text', data: 'list-only' });
    expect(em.getFieldValue(other.id, 5555, 'field-2001')!.data).toEqual({ dropdownOptionId: 30301, text: 'Software' });
    expect(em.getFieldValue(other.id, 5555, 'field-1005')!.data).not.toBe('list-only');
  });

  test('writes never mutate the seed objects', () => {
    const before = JSON.stringify(base.entries[LIST][0]);
    write('field-1005', { type: 'text', data: 'changed' });
    patch([{ id: 'field-1003', value: { type: 'number', data: 1 } }]);
    expect(JSON.stringify(base.entries[LIST][0])).toBe(before);
  });
});

describe('writes are validated as Affinity does', () => {
  test('PATCH with more than 100 updates is a validation error and applies nothing', () => {
    const updates = Array.from({ length: 101 }, () => ({ id: 'field-1005', value: { type: 'text', data: 'x' } }));
    const res = patch(updates);
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'validation', param: 'updates' });
    expect(read('field-1005').data).not.toBe('x');
    expect(patch(updates.slice(0, 100)).status).toBe(200);
  });

  test('PATCH is all-or-nothing', () => {
    const old = read('field-1005').data;
    const res = patch([
      { id: 'field-1005', value: { type: 'text', data: 'applied?' } },
      { id: 'field-1006', value: { type: 'dropdown', data: { dropdownOptionId: 1 } } },
    ]);
    expect(res.status).toBe(400);
    expect(errorOf(res).param).toBe('updates[1].value.data.dropdownOptionId');
    expect(read('field-1005').data).toBe(old);
  });

  test('PATCH body shape: operation, unknown field id, missing value', () => {
    const url = `/v2/lists/${LIST}/list-entries/${ENTRY}/fields`;
    expect(errorOf(call(em, 'PATCH', url, { body: { operation: 'nope', updates: [] } })).param).toBe('operation');
    expect(errorOf(patch([{ id: 'field-4040', value: { type: 'text', data: 'x' } }])).param).toBe('updates[0].id');
    expect(errorOf(patch([{ id: 'field-1005' }])).param).toBe('updates[0].value');
    expect(patch([]).status).toBe(200);
  });

  test.each([
    ['field-1015', { type: 'formula-number', data: { calculatedValue: 1 } }],
    ['first-email', { type: 'interaction', data: null }],
    ['lists', { type: 'list-multi', data: null }],
    ['notes', { type: 'note', data: null }],
    ['reminders', { type: 'reminder', data: null }],
    ['affinity-data-description', { type: 'text', data: 'x' }],
    ['dealroom-number-of-employees', { type: 'number', data: 5 }],
    ['source-of-introduction', { type: 'person', data: { id: 71001 } }],
  ])('%s is read-only: 400 validation', (fieldId, value) => {
    const res = write(fieldId, value);
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('validation');
    expect(errorOf(patch([{ id: fieldId, value }])).code).toBe('validation');
  });

  test('value.type must equal the field value type', () => {
    const res = write('field-1005', { type: 'number', data: 5 });
    expect(errorOf(res)).toMatchObject({ code: 'validation', param: 'value.type' });
  });

  test.each([
    ['field-1005', { type: 'text', data: 5 }, 'value.data'],
    ['field-1003', { type: 'number', data: '5' }, 'value.data'],
    ['field-1012', { type: 'number-multi', data: [1, 'x'] }, 'value.data[1]'],
    ['field-1004', { type: 'datetime', data: 'next tuesday' }, 'value.data'],
    ['field-1008', { type: 'location', data: { city: 'Paris' } }, 'value.data.streetAddress'],
    ['field-1006', { type: 'dropdown', data: { dropdownOptionId: 30001 } }, 'value.data.dropdownOptionId'], // another field's option
    ['field-1006', { type: 'dropdown', data: 'Fintech' }, 'value.data'], // text instead of id
    ['field-1002', { type: 'person', data: { id: 123 } }, 'value.data.id'],
    ['field-1010', { type: 'company-multi', data: [{ id: 80001 }, { id: 1 }] }, 'value.data[1].id'],
    [
      'field-1011',
      { type: 'person-multi', data: Array.from({ length: 101 }, (_, i) => ({ id: 71001 + i })) },
      'value.data',
    ],
    ['field-1005', { type: 'text' }, 'value.data'],
  ])('%s %j is refused (param %s)', (fieldId, value, param) => {
    const res = write(fieldId, value);
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'validation', param });
  });

  test('a merged person or company is a 422 naming the target', () => {
    const p = write('field-1002', { type: 'person', data: { id: 79001 } });
    expect(p.status).toBe(422);
    expect(errorOf(p).code).toBe('unprocessable-entity');
    expect(errorOf(p).message).toMatch(/merged into person 71001/);
    const c = patch([{ id: 'field-1010', value: { type: 'company-multi', data: [{ id: 89002 }] } }]);
    expect(c.status).toBe(422);
    expect(errorOf(c).message).toMatch(/80002/);
  });

  test('a restricted opportunity is a 403 for writes', () => {
    const restricted = base.entries[OPP_LIST].find((e) => e.type === 'opportunity' && e.entity.isRestricted)!;
    const res = write('field-3006', { type: 'text', data: 'x' }, restricted.id, OPP_LIST);
    expect(res.status).toBe(403);
    expect(errorOf(res).code).toBe('authorization');
    const batch = call(em, 'PATCH', `/v2/lists/${OPP_LIST}/list-entries/${restricted.id}/fields`, {
      body: { operation: 'update-fields', updates: [{ id: 'field-3006', value: { type: 'text', data: 'x' } }] },
    });
    expect(batch.status).toBe(403);
    const open = base.entries[OPP_LIST].find((e) => e.type === 'opportunity' && !e.entity.isRestricted)!;
    expect(write('field-3006', { type: 'text', data: 'x' }, open.id, OPP_LIST).status).toBe(204);
  });

  test('unknown list, entry or field is a 404', () => {
    expect(write('field-1005', { type: 'text', data: 'x' }, 1).status).toBe(404);
    expect(write('field-1005', { type: 'text', data: 'x' }, ENTRY, 4).status).toBe(404);
    expect(write('field-4040', { type: 'text', data: 'x' }).status).toBe(404);
    expect(patch([], 1).status).toBe(404);
  });

  test('malformed bodies', () => {
    const url = fieldUrl('field-1005');
    expect(errorOf(call(em, 'POST', url, { body: '{not json' })).code).toBe('bad-request');
    expect(errorOf(call(em, 'POST', url, { body: {} })).param).toBe('value');
    const noType = em.handle({
      method: 'POST',
      url,
      headers: { authorization: 'Bearer gen-key-0001' },
      body: '{"value":{"type":"text","data":"x"}}',
    });
    expect(noType.status).toBe(415);
  });
});

describe('field value changes', () => {
  test('every write records changes with action, changer, field, entry and value', () => {
    em = new AffinityEmulator(base, { clock: () => Date.UTC(2026, 0, 1) });
    write('field-1005', { type: 'text', data: null });
    write('field-1005', { type: 'text', data: 'first' }, ENTRY);
    call(em, 'POST', fieldUrl('field-1005'), {
      body: { value: { type: 'text', data: 'second' } },
      headers: { 'x-emulator-now': String(Date.UTC(2026, 0, 2)) },
    });
    write('field-1005', { type: 'text', data: null });
    expect(write('field-1005', { type: 'text', data: null }).status).toBe(204); // no change, no record
    write('field-1007', { type: 'dropdown-multi', data: [{ dropdownOptionId: 30201 }, { dropdownOptionId: 30202 }] });
    write('field-1007', { type: 'dropdown-multi', data: [{ dropdownOptionId: 30202 }, { dropdownOptionId: 30203 }] });
    const changes = getAll(em, `/v2/lists/${LIST}/list-entries/${ENTRY}/field-value-changes`).items;
    const text = changes.filter((c) => c.field.id === 'field-1005');
    expect(text.slice(-3).map((c) => [c.actionType, c.value])).toEqual([
      ['add', 'first'],
      ['update', 'second'],
      ['delete', 'second'],
    ]);
    expect(text.at(-2)).toMatchObject({
      type: 'text',
      changedAt: '2026-01-02T00:00:00.000Z',
      changer: { id: 70001, firstName: 'Ada' },
      entity: { id: 2_000_001 },
      field: { id: 'field-1005', name: 'Description', type: 'list', entityType: 'company' },
      listEntry: { id: ENTRY, listId: LIST },
    });
    const tags = changes.filter((c) => c.field.id === 'field-1007').slice(-2);
    expect(tags.map((c) => [c.actionType, c.value.dropdownOptionId, c.value.referenceType])).toEqual([
      ['delete', 30201, 'entity'],
      ['add', 30203, 'entity'],
    ]);
  });

  test('edits made in Affinity by another user show in the change feed and in reads', () => {
    const current = (em.getFieldValue(LIST, ENTRY + 2, 'field-1001')!.data as { dropdownOptionId: number } | null)
      ?.dropdownOptionId;
    const [id, text] = current === 30005 ? [30004, 'IC Review'] : [30005, 'Term Sheet'];
    em.editField(LIST, ENTRY + 2, 'field-1001', { type: 'ranked-dropdown', data: { dropdownOptionId: id } });
    expect(read('field-1001', ENTRY + 2).data.text).toBe(text);
    const feed = get(em, `/v2/field-value-changes?filter=changer.id=${OTHER_USER.id}`).json.data;
    expect(feed).toHaveLength(1);
    expect(feed[0]).toMatchObject({ type: 'ranked-dropdown', changer: OTHER_USER, value: { text, rank: id - 30000 } });
    expect(get(em, '/v2/field-value-changes?filter=field.id=field-1001&orderBy=-changedAt').json.data).toHaveLength(1);
    expect(get(em, '/v2/field-value-changes?filter=changedAt>2030-01-01T00:00:00Z').json.data).toHaveLength(0);
    expect(errorOf(get(em, '/v2/field-value-changes?filter=nonsense'))).toMatchObject({ param: 'filter' });
    expect(() => em.editField(LIST, ENTRY, 'field-1015', { type: 'number', data: 1 })).toThrow(/cannot be updated/);
  });

  test('setFieldValue sets read-only values verbatim for tests', () => {
    em.setFieldValue(LIST, ENTRY, 'field-1015', { type: 'formula-number', data: { calculatedValue: 42 } });
    expect(read('field-1015').data).toEqual({ calculatedValue: 42 });
  });
});
