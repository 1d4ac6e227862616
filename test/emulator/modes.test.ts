import { AffinityEmulator } from '../../tools/emulator/emulator';
import { generateSeed } from '../../tools/emulator/generate';
import { LIST, VIEW, get, getAll } from './helpers';

const seed = generateSeed({ entries: 40 });

describe("rows: 'sparse'", () => {
  it('leaves out fields without a value and orders each row’s fields differently; same values as complete rows', () => {
    const complete = getAll(new AffinityEmulator(seed), `/v2/lists/${LIST}/saved-views/${VIEW}/list-entries`).items;
    const sparse = getAll(
      new AffinityEmulator(seed, { rows: 'sparse' }),
      `/v2/lists/${LIST}/saved-views/${VIEW}/list-entries`,
    ).items;
    expect(sparse.map((e: { id: number }) => e.id)).toEqual(complete.map((e: { id: number }) => e.id));
    const orders = new Set<string>();
    let nulls = 0;
    sparse.forEach((row: any, i: number) => {
      const full = complete[i].entity.fields as { id: string; value: { data: unknown } }[];
      const got = row.entity.fields as { id: string; value: { data: unknown } }[];
      nulls += full.filter((f) => f.value.data === null).length;
      expect(got.every((f) => f.value.data !== null)).toBe(true);
      const byId = new Map(full.map((f) => [f.id, f]));
      for (const f of got) expect(f).toEqual(byId.get(f.id));
      expect(got.length).toBe(full.filter((f) => f.value.data !== null).length);
      orders.add(got.map((f) => f.id).join(','));
    });
    expect(nulls).toBeGreaterThan(0); // the seed has empty cells, so something was left out
    expect(orders.size).toBeGreaterThan(10); // not one column order
  });
});

describe('GET …/saved-views/{viewId}/columns (shape assumed; not in the digest)', () => {
  const columns = (em: AffinityEmulator, view = VIEW) => {
    const res = get(em, `/v2/lists/${LIST}/saved-views/${view}/columns`, { validate: false });
    expect(res.status).toBe(200);
    return (res.json.data as { id: string }[]).map((f) => f.id);
  };

  it('answers the view’s columns in its order, whatever its rows, zero rows included', () => {
    const em = new AffinityEmulator(seed);
    const view = em.getView(LIST, VIEW)!;
    expect(columns(em)).toEqual(view.fieldIds.slice(0, 100));
    em.setView(LIST, VIEW, { entryIds: [] });
    expect(get(em, `/v2/lists/${LIST}/saved-views/${VIEW}/list-entries`).json.data).toEqual([]);
    expect(columns(em)).toEqual(view.fieldIds.slice(0, 100));
    em.setView(LIST, VIEW, { fieldIds: [view.fieldIds[2], view.fieldIds[0]] });
    expect(columns(em)).toEqual([view.fieldIds[2], view.fieldIds[0]]);
  });

  it('an unknown view is a 404', () => {
    expect(
      get(new AffinityEmulator(seed), `/v2/lists/${LIST}/saved-views/999/columns`, { validate: false }).status,
    ).toBe(404);
  });
});
