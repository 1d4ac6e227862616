/** A base snapshot's rows packed one string each (engine/packedRows.ts) read as the Map they stand for. */
import { digestBase } from '../../src/server/engine/baseDigest';
import { PackedRows } from '../../src/server/engine/packedRows';

describe('PackedRows', () => {
  const rows: [number, string[]][] = [
    [7, ['Acme', '', 'a "quoted" text']],
    [3, ['Beta', '2026-01-05', 'line\nbreak']],
    [12, ['Ünïcode ✓', '42', '']],
  ];

  it('reads as a Map of texts: size, keys in insertion order, get, has, iteration, delete', () => {
    const packed = new PackedRows();
    for (const [id, texts] of rows) packed.set(id, texts);
    expect(packed.size).toBe(3);
    expect([...packed.keys()]).toEqual([7, 3, 12]);
    expect(packed.get(3)).toEqual(['Beta', '2026-01-05', 'line\nbreak']);
    expect(packed.has(12)).toBe(true);
    expect(packed.get(99)).toBeUndefined();
    expect([...packed]).toEqual(rows);
    expect(new Map(packed)).toEqual(new Map(rows));
    // a read is a copy: changing it changes nothing stored
    packed.get(7)![0] = 'changed';
    expect(packed.get(7)![0]).toBe('Acme');
    expect(packed.delete(7)).toBe(true);
    expect(packed.size).toBe(2);
  });

  it('digests as the same rows held as arrays', () => {
    const packed = new PackedRows();
    for (const [id, texts] of rows) packed.set(id, texts);
    const hash = (t: string) => `${t.length}:${t}`;
    const columns = ['name', 'date', 'note'];
    expect(digestBase({ columns, rows: packed }, hash)).toEqual(digestBase({ columns, rows: new Map(rows) }, hash));
  });
});
