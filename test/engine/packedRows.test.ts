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

  it('sealed into compressed batches, reads the same, in order, and digests the same a group of buckets at a time', () => {
    let unzips = 0;
    const compressor = {
      zip: (t: string) => [...t].reverse().join(''),
      unzip: (z: string) => (unzips++, [...z].reverse().join('')),
    };
    const many: [number, string[]][] = Array.from({ length: 20_000 }, (_, i) => [
      1000 + i * 7,
      [`name ${i}`, `${i % 13}`, 'é✓'],
    ]);
    const packed = new PackedRows(compressor);
    many.forEach(([id, texts], i) => {
      packed.set(id, texts);
      if (i % 2500 === 2499) packed.seal();
    });
    expect(packed.sealed).toBe(true);
    expect(packed.size).toBe(20_000);
    expect(packed.get(1000 + 7 * 12_345)).toEqual(['name 12345', '8', 'é✓']);
    unzips = 0;
    expect([...packed]).toEqual(many);
    expect(unzips).toBe(8); // each batch opened once
    const hash = (t: string) => `${t.length}:${t.slice(0, 40)}:${t.slice(-40)}`;
    const columns = ['name', 'n', 'mark'];
    expect(digestBase({ columns, rows: packed }, hash)).toEqual(digestBase({ columns, rows: new Map(many) }, hash));
  });

  it('digests as the same rows held as arrays', () => {
    const packed = new PackedRows();
    for (const [id, texts] of rows) packed.set(id, texts);
    const hash = (t: string) => `${t.length}:${t}`;
    const columns = ['name', 'date', 'note'];
    expect(digestBase({ columns, rows: packed }, hash)).toEqual(digestBase({ columns, rows: new Map(rows) }, hash));
  });
});
