/** A tab's rows packed one string each, a slice's rows compressed together (engine/packedLines.ts), read as the rows they stand for. */
import fc from 'fast-check';
import type { SheetCell } from '../../src/server/engine/layout';
import { PackedLines, SparseNotes } from '../../src/server/engine/packedLines';
import { countingCompressor } from './countingCompressor';

const reversing = countingCompressor;

describe('PackedLines', () => {
  const cell = fc.oneof(
    fc.string({ unit: 'grapheme' }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.date({ noInvalidDate: true }),
  );

  it('reads back every row as written: texts (any character), numbers, booleans and dates, sealed or not', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        (rows, every) => {
          const { compressor } = reversing();
          const lines = new PackedLines(compressor);
          rows.forEach((r, i) => {
            lines.push(r);
            if (i % every === every - 1) lines.seal();
          });
          const view = lines.rows();
          expect(view.length).toBe(rows.length);
          // any order: backwards, then forwards
          for (let i = rows.length - 1; i >= 0; i--)
            expect(view[i]).toEqual(rows[i].map((v) => (Object.is(v, -0) ? 0 : v)));
          rows.forEach((r, i) => {
            const back = view[i];
            r.forEach((v, c) => {
              if (v instanceof Date) expect((back[c] as Date).getTime()).toBe(v.getTime());
              else expect(back[c]).toBe(Object.is(v, -0) ? 0 : v);
            });
          });
        },
      ),
    );
  });

  it('reads as an array: index, length, forEach, some, spread; out of range is undefined; setting length 0 lets every row go', () => {
    const lines = new PackedLines();
    const rows: SheetCell[][] = [
      ['a', 1, true],
      ['b', 2, false],
      ['', 0, 'é✓ 李'],
    ];
    for (const r of rows) lines.push(r);
    const view = lines.rows();
    expect(view.length).toBe(3);
    expect(view[2]).toEqual(['', 0, 'é✓ 李']);
    expect(view[3]).toBeUndefined();
    expect(view[-1]).toBeUndefined();
    const seen: number[] = [];
    view.forEach((line, r) => seen.push(r + Number(line[1])));
    expect(seen).toEqual([1, 3, 2]);
    expect(view.some((line) => line[0] === 'b')).toBe(true);
    expect([...view]).toEqual(rows);
    expect(0 in view).toBe(true);
    expect(3 in view).toBe(false);
    for (let i = 0; i < 100; i++) lines.push(['x', i, true]);
    for (let i = 3; i < 103; i++) expect(view[i]).toEqual(['x', i - 3, true]); // past the rows kept unpacked
    expect(view[0]).toEqual(['a', 1, true]);
    view.length = 0;
    expect(view.length).toBe(0);
    expect(lines.length).toBe(0);
    expect(view[0]).toBeUndefined();
  });

  it('replaces a row by assigning to its index (a push writing a new entry id), sealed or not; other rows are unchanged', () => {
    const { compressor } = reversing();
    const lines = new PackedLines(compressor);
    const at = new Date(Date.UTC(2026, 0, 5, 8));
    for (let i = 0; i < 300; i++) lines.push(['', `new ${i}`, at]);
    lines.seal();
    const view = lines.rows();
    const line = view[150].slice();
    line[0] = 4242;
    view[150] = line;
    view.forEach(() => undefined); // past the rows kept unpacked
    expect(view[150]).toEqual([4242, 'new 150', at]);
    expect(view[151]).toEqual(['', 'new 151', at]);
    expect((view[151][2] as Date).getTime()).toBe(at.getTime());
    expect(view.length).toBe(300);
    expect(() => {
      'use strict';
      (view as unknown as Record<string, unknown>)['500'] = ['out of range'];
    }).toThrow();
  });

  it('opens each sealed slice once when its rows are read in order, and keeps at most two open', () => {
    const { compressor, unzips } = reversing();
    const lines = new PackedLines(compressor);
    for (let i = 0; i < 10_000; i++) {
      lines.push([`row ${i}`, i]);
      if (i % 1000 === 999) lines.seal();
    }
    const view = lines.rows();
    view.forEach((line, r) => expect(line).toEqual([`row ${r}`, r]));
    expect(unzips()).toBe(10);
    expect(view[500]).toEqual(['row 500', 500]);
    expect(unzips()).toBe(11); // the first slice was let go
  });
});

describe('SparseNotes', () => {
  it('keeps only rows with a note; every other row reads as empty', () => {
    const notes = new SparseNotes();
    notes.push(['', '', '']);
    notes.push(['', 'a note', '']);
    notes.push(['', '', '']);
    const view = notes.rows();
    expect(view.length).toBe(3);
    expect(view[1]).toEqual(['', 'a note', '']);
    expect(view[0]?.[2] ?? '').toBe('');
    expect(view[2]?.[1] ?? '').toBe('');
    expect(view[3]).toBeUndefined();
    view.length = 0;
    expect(view.length).toBe(0);
  });
});
