import type { CachePort } from '../../src/server/gas/cache';
import type { KeyValueStore } from '../../src/server/ports';
import { chunkText } from '../../src/server/engine/chunks';
import {
  getCachedJson,
  loadColumnSpecs,
  loadPolicy,
  packOptions,
  putCachedJson,
  saveColumnSpecs,
  savePolicy,
  unpackOptions,
} from '../../src/server/sync/pushStore';
import { retireSharedSettings, retiredNotice } from '../../src/server/sync/retiredSettings';
import { packDirectory, unpackDirectory } from '../../src/server/engine/directory';
import type { ColumnSpec } from '../../src/server/engine/layout';

function memoryCache(): CachePort & { values: Map<string, string>; calls: number } {
  const values = new Map<string, string>();
  const c = {
    values,
    calls: 0,
    getAll(keys: string[]) {
      c.calls++;
      const out: Record<string, string> = {};
      for (const k of keys) if (values.has(k)) out[k] = values.get(k)!;
      return out;
    },
    putAll(v: Record<string, string>) {
      c.calls++;
      for (const [k, x] of Object.entries(v)) {
        if (Buffer.byteLength(x, 'utf8') > 100 * 1024) throw new Error('Argument too large: value');
        values.set(k, x);
      }
    },
    removeAll(keys: string[]) {
      for (const k of keys) values.delete(k);
    },
  };
  return c;
}

function memoryStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get: (k) => map.get(k) ?? null,
    set: (k, v) => {
      if (v.length > 9000) throw new Error('value too large for a property');
      map.set(k, v);
    },
    delete: (k) => {
      map.delete(k);
    },
    keys: () => [...map.keys()],
  };
}

describe('push store', () => {
  it('chunks never split a surrogate pair', () => {
    const text = '😀'.repeat(10);
    const chunks = chunkText(text, 3);
    expect(chunks.join('')).toBe(text);
    for (const c of chunks) expect(c).toBe(c.normalize()); // whole code points
    expect(chunks.every((c) => !/[\uD800-\uDBFF]$/.test(c))).toBe(true);
  });

  it('cache values over 100 KB are spread over several keys and read back in one call', () => {
    const cache = memoryCache();
    const big = { items: Array.from({ length: 20_000 }, (_, i) => `名前 ${i} 😀`) };
    putCachedJson(cache, { big, small: [1, 2, 3] });
    cache.calls = 0;
    const got = getCachedJson(cache, ['big', 'small', 'missing']);
    expect(cache.calls).toBe(1);
    expect(got.get('big')).toEqual(big);
    expect(got.get('small')).toEqual([1, 2, 3]);
    expect(got.has('missing')).toBe(false);
    // A lost chunk makes the value missing, not wrong.
    cache.values.delete('big#1');
    expect(getCachedJson(cache, ['big']).has('big')).toBe(false);
  });

  it('dropdown options and the directory survive the cache round trip', () => {
    const opts = unpackOptions(
      JSON.parse(
        JSON.stringify(
          packOptions(
            [
              { type: 'dropdown', id: 1, text: 'Seed' },
              { type: 'ranked-dropdown', id: 2, text: 'A', rank: 1, color: null },
            ],
            1234,
          ),
        ),
      ),
    );
    expect(opts).toEqual({
      fetchedAt: 1234,
      options: [{ type: 'dropdown', id: 1, text: 'Seed' }, expect.objectContaining({ id: 2, text: 'A' })],
    });
    const dir = {
      persons: [{ id: 5, firstName: 'Jane', lastName: null, primaryEmailAddress: 'j@x.co', type: 'external' as const }],
      companies: [{ id: 9, name: 'Acme', domain: null }],
    };
    expect(unpackDirectory(JSON.parse(JSON.stringify(packDirectory(dir))))).toEqual(dir);
    expect(unpackDirectory(null)).toBeNull();
  });

  it('column types are kept per tab in document properties, split under the 9 KB limit, rewritten only when changed', () => {
    const doc = memoryStore();
    const specs: ColumnSpec[] = Array.from({ length: 300 }, (_, i) => ({
      id: `field-${i}`,
      name: `A rather long field name number ${i}`,
      valueType: 'text',
      kind: 'list',
      editable: i % 2 === 0,
    }));
    saveColumnSpecs(doc, 42, specs);
    expect(doc.map.size).toBeGreaterThan(2);
    expect(loadColumnSpecs(doc, 42)).toEqual(new Map(specs.map((s) => [s.id, s])));
    const sets = jest.spyOn(doc, 'set');
    saveColumnSpecs(doc, 42, specs);
    expect(sets).not.toHaveBeenCalled();
    saveColumnSpecs(doc, 42, specs.slice(0, 2));
    expect(loadColumnSpecs(doc, 42)!.size).toBe(2);
    // small enough for one value: stored as is, the pieces removed
    expect([...doc.map.keys()].filter((k) => k.startsWith('affinity.columns.42.'))).toHaveLength(0);
    expect(loadColumnSpecs(doc, 7)).toBeNull();
    // non-Latin names: pieces measured in UTF-8 bytes, each under 9 KB
    const japanese = specs.map((s, i) => ({ ...s, name: `評価額と算定根拠 ${i}` }));
    saveColumnSpecs(doc, 43, japanese);
    expect(loadColumnSpecs(doc, 43)).toEqual(new Map(japanese.map((s) => [s.id, s])));
    for (const v of doc.map.values()) expect(Buffer.byteLength(v, 'utf8')).toBeLessThanOrEqual(9216);
  });

  it('the conflict policy defaults to flag and ignores unknown values', () => {
    const doc = memoryStore();
    expect(loadPolicy(doc)).toBe('flag');
    savePolicy(doc, 'sheet-wins');
    expect(loadPolicy(doc)).toBe('sheet-wins');
    doc.set('affinity.conflictPolicy', 'whatever');
    expect(loadPolicy(doc)).toBe('flag');
  });
});

describe('settings that were the whole spreadsheet’s (sync/retiredSettings.ts)', () => {
  const oldDoc = (policy: string, pushFirst: boolean) => {
    const doc = memoryStore();
    doc.set('affinity.conflictPolicy', policy);
    doc.set('affinity.schedule', JSON.stringify({ schedule: { kind: 'hourly' }, pushFirst, owner: 'a@example.com' }));
    return doc;
  };

  it('defaults are removed without a word: nobody had anything to lose', () => {
    const doc = oldDoc('flag', false);
    retireSharedSettings(doc);
    expect(doc.get('affinity.conflictPolicy')).toBeNull();
    expect(JSON.parse(doc.get('affinity.schedule')!)).toEqual({ schedule: { kind: 'hourly' }, owner: 'a@example.com' });
    const user = memoryStore();
    expect([retiredNotice(doc, user, 'policy'), retiredNotice(doc, user, 'pushFirst')]).toEqual([null, null]);
  });

  it('other values are nobody’s: each user is told once, and nothing is written to their settings', () => {
    const doc = oldDoc('affinity-wins', true);
    retireSharedSettings(doc);
    retireSharedSettings(doc);
    const [a, b] = [memoryStore(), memoryStore()];
    for (const user of [a, b]) {
      expect(retiredNotice(doc, user, 'policy')).toMatch(/It was “Affinity wins.*yours starts at “Flag and skip/);
      expect(retiredNotice(doc, user, 'pushFirst')).toMatch(/It was on for the whole spreadsheet; yours starts off/);
      expect([retiredNotice(doc, user, 'policy'), retiredNotice(doc, user, 'pushFirst')]).toEqual([null, null]);
      expect(loadPolicy(user)).toBe('flag');
      expect([...user.map.keys()]).toEqual(['affinity.retiredSeen']);
    }
  });
});
