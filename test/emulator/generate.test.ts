import { createHash } from 'node:crypto';
import { VALUE_TYPES, type Field } from '../../src/server/affinity/types';
import { AffinityEmulator } from '../../tools/emulator/emulator';
import { GENERATED, generateSeed } from '../../tools/emulator/generate';
import { LIST, OPP_LIST, VIEW, get, getAll } from './helpers';

const hash = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex');
const cells = (seed: ReturnType<typeof generateSeed>, listId: number): Field[] =>
  seed.entries[listId].flatMap((e) => e.entity.fields ?? []);

test('deterministic: same options, same seed; another PRNG seed differs', () => {
  const a = generateSeed({ entries: 500, seed: 7 });
  expect(hash(generateSeed({ entries: 500, seed: 7 }))).toBe(hash(a));
  expect(hash(generateSeed({ entries: 500, seed: 8 }))).not.toBe(hash(a));
});

test('10,000 and 100,000 entries', () => {
  const small = generateSeed({ entries: 10_000 });
  expect(small.entries[LIST]).toHaveLength(10_000);
  const big = generateSeed({ entries: 100_000 });
  expect(big.savedViews[LIST][0].entryIds).toHaveLength(100_000);
});

describe('coverage', () => {
  const seed = generateSeed({ entries: 2_000 });
  const all = [...cells(seed, LIST), ...cells(seed, OPP_LIST)];

  test('every value type has fields and non-null values; restricted opportunities exist', () => {
    const types = new Set(
      Object.values(seed.fields)
        .flat()
        .map((f) => f.valueType),
    );
    expect([...types].sort()).toEqual([...VALUE_TYPES].sort());
    for (const t of VALUE_TYPES) expect(all.some((c) => c.value.type === t && c.value.data !== null)).toBe(true);
    for (const kind of ['email', 'meeting', 'call', 'chat-message']) {
      expect(all.some((c) => c.value.type === 'interaction' && c.value.data?.type === kind)).toBe(true);
    }
    expect(
      new Set(
        Object.values(seed.fields)
          .flat()
          .map((f) => f.type),
      ),
    ).toEqual(new Set(['list', 'global', 'enriched', 'relationship-intelligence']));
    expect(seed.entries[OPP_LIST].some((e) => e.type === 'opportunity' && e.entity.isRestricted)).toBe(true);
    expect(seed.savedViews[LIST].map((v) => v.type)).toEqual(['sheet', 'board', 'dashboard', 'sheet']);
    expect(seed.savedViews[LIST][0].fieldIds).toHaveLength(30);
  });

  test('nulls, empty multis, unicode, long text and formula-like strings', () => {
    expect(all.filter((c) => c.value.data === null).length / all.length).toBeGreaterThan(0.1);
    expect(all.some((c) => Array.isArray(c.value.data) && c.value.data.length === 0)).toBe(true);
    const texts = all
      .filter((c) => c.value.type === 'text' && typeof c.value.data === 'string')
      .map((c) => c.value.data as string);
    const names = [
      ...seed.persons!.map((p) => `${p.firstName} ${p.lastName}`),
      ...seed.companies!.map((c) => c.name),
      ...seed.entries[LIST].map((e) => (e.entity as { name: string }).name),
    ];
    const everything = [...texts, ...names];
    for (const re of [
      /[éüñ]/,
      /[\u4e00-\u9fff\u3040-\u30ff]/,
      /\p{Extended_Pictographic}/u,
      /[\u0590-\u05ff\u0600-\u06ff]/,
      /^=/,
      /^\+/,
      /^-/,
      /^@/,
      /,.*;|;.*,/,
    ]) {
      expect(everything.some((s) => re.test(s))).toBe(true);
    }
    expect(texts).toContain('=HYPERLINK("http://evil","click me")');
    expect(texts.filter((t) => t.length > 1_000).length).toBeGreaterThan(10);
    const huge = texts.filter((t) => t.length > 50_000);
    expect(huge).toHaveLength(GENERATED.hugeTextIndexes(2_000).length);
  });

  test('values are consistent with dropdown options and the person/company directories', () => {
    const persons = new Map(seed.persons!.map((p) => [p.id, p]));
    const companies = new Map(seed.companies!.map((c) => [c.id, c]));
    for (const c of all) {
      const v = c.value;
      const items = (v.data === null ? [] : Array.isArray(v.data) ? v.data : [v.data]) as any[];
      if (v.type === 'dropdown' || v.type === 'dropdown-multi' || v.type === 'ranked-dropdown') {
        const options = seed.dropdownOptions[c.id];
        for (const item of items) expect(options.find((o) => o.id === item.dropdownOptionId)?.text).toBe(item.text);
      }
      if (v.type === 'person' || v.type === 'person-multi')
        for (const item of items) expect(persons.get(item.id)).toEqual(item);
      if (v.type === 'company' || v.type === 'company-multi')
        for (const item of items) expect(companies.get(item.id)).toEqual(item);
    }
    for (const m of seed.mergedEntities!)
      expect((m.type === 'person' ? persons : companies).has(m.mergedInto)).toBe(true);
  });

  test('everything it serves validates against the spec', () => {
    const em = new AffinityEmulator(seed);
    // get()/getAll() check every response against the spec.
    expect(getAll(em, `/v2/lists/${LIST}/saved-views/${VIEW}/list-entries`).items).toHaveLength(2_000);
    expect(
      getAll(
        em,
        `/v2/lists/${LIST}/list-entries?fieldTypes=list&fieldTypes=global&fieldTypes=enriched&fieldTypes=relationship-intelligence`,
      ).pages,
    ).toBe(20);
    expect(
      getAll(em, `/v2/lists/${OPP_LIST}/saved-views/${GENERATED.opportunityViewId}/list-entries`).items,
    ).toHaveLength(24);
    for (const id of [GENERATED.firstEntryId, GENERATED.firstEntryId + 1])
      getAll(em, `/v2/lists/${LIST}/list-entries/${id}/fields`);
    for (const f of seed.fields[LIST])
      if (seed.dropdownOptions[f.id]) get(em, `/v2/lists/${LIST}/fields/${f.id}/dropdown-options`);
    getAll(em, '/v2/persons');
    getAll(em, '/v2/companies?limit=100');
  });

  test('a smaller view keeps the writable list fields; more fields add extra columns', () => {
    const narrow = generateSeed({ entries: 5, fieldsInView: 5 });
    expect(narrow.savedViews[LIST][0].fieldIds).toEqual([
      'field-1001',
      'field-1002',
      'field-1003',
      'field-1004',
      'field-1005',
    ]);
    const wide = generateSeed({ entries: 5, fieldsInView: 40 });
    expect(wide.fields[LIST]).toHaveLength(40);
    expect(wide.entries[LIST][0].entity.fields).toHaveLength(40);
  });
});
