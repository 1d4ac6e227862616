/** A base snapshot's rows packed one string each (engine/packedRows.ts) read as the Map they stand for. */
import { digestBase, trustedBase, verifyBase } from '../../src/server/engine/baseDigest';
import { PackedRows, copyRows, eachLineWithBase } from '../../src/server/engine/packedRows';
import { countingCompressor } from './countingCompressor';

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
  describe('read in an order that is not the stored one (a tab the user sorted: sync/streamedPull.ts)', () => {
    const setup = () => {
      let unzips = 0;
      const compressor = {
        zip: (t: string) => [...t].reverse().join(''),
        unzip: (z: string) => (unzips++, [...z].reverse().join('')),
      };
      const many: [number, string[]][] = Array.from({ length: 10_000 }, (_, i) => [5000 + i, [`row ${i}`, `${i % 7}`]]);
      const packed = new PackedRows(compressor);
      many.forEach(([id, texts], i) => {
        packed.set(id, texts);
        if (i % 1000 === 999) packed.seal();
      });
      return { packed, many, unzips: () => unzips, reset: () => (unzips = 0) };
    };

    it('prefetch opens each batch holding a wanted row once; the rows then read in any order without opening one', () => {
      const { packed, unzips, reset } = setup();
      const wanted = Array.from({ length: 2500 }, (_, i) => 5000 + ((i * 7919) % 10_000)); // scattered over every batch
      reset();
      packed.prefetch(wanted);
      expect(unzips()).toBe(10);
      reset();
      for (const id of [...wanted].reverse())
        expect(packed.get(id)).toEqual([`row ${id - 5000}`, `${(id - 5000) % 7}`]);
      expect(unzips()).toBe(0);
      // The next window lets the last one go: rows outside it open their batch again.
      packed.prefetch([5000]);
      reset();
      expect(packed.get(5000 + 9999)).toEqual(['row 9999', '3']);
      expect(unzips()).toBe(1);
      // A row set since is read as set, not as fetched ahead.
      packed.prefetch([5001]);
      packed.set(5001, ['new']);
      expect(packed.get(5001)).toEqual(['new']);
    });

    it('counts the batch moves of an order: the stored order moves once a batch, a scattered one nearly once a row', () => {
      const { packed, many } = setup();
      expect(packed.batchCount).toBe(10);
      expect(packed.batchMoves(many.map(([id]) => id))).toBe(10);
      expect(packed.batchMoves(many.map(([id]) => id).reverse())).toBe(10);
      const scattered = many.map(([id], i) => (i % 2 ? id : many[many.length - 1 - i][0]));
      expect(packed.batchMoves(scattered)).toBeGreaterThan(9000);
    });

    it('unsealed, holds the same rows, each read without opening a batch', () => {
      const { packed, many, unzips, reset } = setup();
      const plain = packed.unsealed();
      expect(plain.sealed).toBe(false);
      expect([...plain]).toEqual(many);
      reset();
      expect(plain.get(5000 + 4321)).toEqual(['row 4321', '2']);
      expect(unzips()).toBe(0);
    });

    it('verifies and trusts the same way sealed and as arrays; a trusted packed base stays packed and sealed', () => {
      const { packed, many } = setup();
      const hash = (t: string) => `${t.length}:${t.slice(0, 30)}:${t.slice(-30)}`;
      const columns = ['name', 'n'];
      const digest = digestBase({ columns, rows: new Map(many) }, hash);
      const check = verifyBase({ columns, rows: packed }, digest, hash);
      expect(check).toEqual(verifyBase({ columns, rows: new Map(many) }, digest, hash));
      expect(check.ok).toBe(true);
      const forged = new Map(many);
      forged.set(5007, ['forged', '0']);
      const bad = verifyBase({ columns, rows: forged }, digest, hash);
      expect(bad.unknown.has(5007)).toBe(true);
      const now = new Map([
        [
          5007,
          new Map([
            ['name', 'from Affinity'],
            ['n', '0'],
          ]),
        ],
      ]);
      const trusted = trustedBase({ columns, rows: packed }, bad, now);
      expect(trusted.rows).toBeInstanceOf(PackedRows);
      expect((trusted.rows as PackedRows).sealed).toBe(true);
      expect(trusted.rows.get(5007)).toEqual(['from Affinity', '0']);
      expect(trusted.rows.get(5000)).toEqual(['row 0', '0']);
    });
  });

  describe('a copy changed apart (a push: the next base)', () => {
    const counting = countingCompressor;
    const sealedRows = (n: number, compressor: { zip(t: string): string; unzip(z: string): string }) => {
      const packed = new PackedRows(compressor);
      for (let i = 0; i < n; i++) {
        packed.set(100 + i, [`name ${i}`, `${i}`]);
        if (i % 1000 === 999) packed.seal();
      }
      packed.seal();
      return packed;
    };

    it('leaves the original as it was, stays packed and sealed, and lists only the rows it changed or added', () => {
      const { compressor } = counting();
      const stored = sealedRows(5_000, compressor);
      const next = copyRows(stored) as PackedRows;
      expect(next).toBeInstanceOf(PackedRows);
      expect(next.sealed).toBe(true);
      expect(next.changedFrom(stored)).toEqual([]);
      next.set(2_100, ['renamed', '2000']);
      next.set(9_999, ['new entry', '']);
      next.delete(4_000);
      expect(next.get(2_100)).toEqual(['renamed', '2000']);
      expect(stored.get(2_100)).toEqual(['name 2000', '2000']);
      expect(stored.has(9_999)).toBe(false);
      expect(stored.get(4_000)).toEqual(['name 3900', '3900']);
      expect(next.size).toBe(5_000);
      expect(next.changedFrom(stored)).toEqual([2_100, 9_999]);
      // a copy of a copy shares the batches too; rows of another base are no copy
      const again = next.copy();
      again.set(150, ['x', 'y']);
      expect(again.changedFrom(stored)?.sort((a, b) => a - b)).toEqual([150, 2_100, 9_999]);
      expect(again.changedFrom(sealedRows(4_000, compressor))).toBeNull();
      // rows held as arrays are copied as a Map, sharing the arrays
      const plain = new Map([[1, ['a']]]);
      const copied = copyRows(plain);
      copied.set(2, ['b']);
      expect(plain.size).toBe(1);
      expect(copied.get(1)).toBe(plain.get(1));
    });

    it('visits tab rows in the tab order, reading the base ahead a window at a time: a shuffled tab opens each batch once a window, not once a row', () => {
      const { compressor, unzips } = counting();
      const stored = sealedRows(20_000, compressor);
      const seen = stored.copy();
      // the tab's order: the base's reversed in blocks of 7, so that no window follows the base's batches
      const order = Array.from({ length: 20_000 }, (_, i) => 100 + ((i * 7919) % 20_000));
      const lines = order.map((id) => [id, 'tab text']);
      const before = unzips();
      const visited: number[] = [];
      eachLineWithBase(
        lines,
        seen,
        (line) => Number(line[0]),
        (line, r) => {
          const base = seen.get(Number(line[0]))!;
          expect(base[1]).toBe(String(Number(line[0]) - 100));
          visited.push(r);
        },
      );
      expect(visited).toEqual(order.map((_, i) => i));
      // 2 windows of 10,000 rows, each touching all 20 batches: 40 batches opened (a batch per row would be 20,000)
      expect(unzips() - before).toBeLessThanOrEqual(40);
      // an unsealed base is read as it is
      const plain = new Map(order.map((id) => [id, ['x']]));
      let n = 0;
      eachLineWithBase(
        lines,
        plain,
        (line) => Number(line[0]),
        () => n++,
      );
      expect(n).toBe(20_000);
    });

    it('reads a wide tab’s base ahead in windows of fewer rows: at most 320,000 cells a window', () => {
      const { compressor } = counting();
      const stored = sealedRows(20_000, compressor);
      const order = Array.from({ length: 20_000 }, (_, i) => 100 + ((i * 7919) % 20_000));
      const windows = (width: number) => {
        const seen = stored.copy();
        const sizes: number[] = [];
        const prefetch = seen.prefetch.bind(seen);
        seen.prefetch = (ids) => {
          sizes.push([...ids].length);
          prefetch(ids);
        };
        const lines = order.map((id) => [id, ...Array.from({ length: width - 1 }, () => 'x')]);
        let n = 0;
        eachLineWithBase(
          lines,
          seen,
          (line) => Number(line[0]),
          () => n++,
        );
        expect(n).toBe(20_000);
        return sizes.filter((k) => k > 0);
      };
      expect(windows(32)).toEqual([10_000, 10_000]);
      const wide = windows(128);
      expect(wide).toHaveLength(8);
      expect(Math.max(...wide) * 128).toBeLessThanOrEqual(320_000);
    });
  });
});
