import { createHash } from 'node:crypto';
import { MAX_BUCKETS, bucketCount, digestBase, trustedBase, verifyBase } from '../../src/server/engine/baseDigest';
import type { Snapshot } from '../../src/server/engine/tabState';

const sha = (t: string) => createHash('sha256').update(t, 'utf8').digest('base64').slice(0, 22);

function snap(n: number): Snapshot {
  const rows = new Map<number, string[]>();
  for (let i = 0; i < n; i++) rows.set(1000 + i, [`Name ${i}`, i % 3 === 0 ? '' : `Text ${i}`]);
  return { columns: ['@name', 'field-1'], rows };
}

describe('base digest', () => {
  it('hashes the same text a bucket as earlier versions did (digests stored by them still verify)', () => {
    // Entry ids in order, then each non-empty text as <id length>:<column id><text length>:<text>, columns by id.
    const s: Snapshot = {
      columns: ['field-1', '@name'],
      rows: new Map([
        [17, ['a;b', 'Acme']],
        [3, ['', 'Ω x']],
      ]),
    };
    const d = digestBase(s, (text) => text);
    expect(d.sums).toEqual(['#3:5:@name3:Ω x;#17:5:@name4:Acme7:field-13:a;b;']);
  });

  it('verifies an untouched base, whatever the stored column order', () => {
    const s = snap(100);
    const d = digestBase(s, sha);
    expect(verifyBase(s, d, sha)).toMatchObject({ ok: true, missing: false });
    const swapped: Snapshot = {
      columns: ['field-1', '@name'],
      rows: new Map([...s.rows].map(([id, [a, b]]) => [id, [b, a]])),
    };
    expect(verifyBase(swapped, d, sha).ok).toBe(true);
  });

  it('a changed, added or removed row makes only its bucket unknown', () => {
    const s = snap(100);
    const d = digestBase(s, sha);
    const changed = { columns: s.columns, rows: new Map(s.rows) };
    changed.rows.set(1005, ['Name 5', 'forged']);
    const c = verifyBase(changed, d, sha);
    expect(c.ok).toBe(false);
    expect(c.unknown.has(1005)).toBe(true);
    expect(c.unknown.size).toBeLessThan(20);
    const added = { columns: s.columns, rows: new Map(s.rows) };
    added.rows.set(99_999, ['Forged', 'x']);
    expect(verifyBase(added, d, sha).unknown.has(99_999)).toBe(true);
    const removed = { columns: s.columns, rows: new Map(s.rows) };
    removed.rows.delete(1010);
    expect(verifyBase(removed, d, sha).ok).toBe(false);
  });

  it('a text cannot pass for two (length-prefixed), and no digest means every row is unknown', () => {
    const a: Snapshot = { columns: ['x', 'y'], rows: new Map([[1, ['ab', 'c']]]) };
    const b: Snapshot = { columns: ['x', 'y'], rows: new Map([[1, ['a', 'bc']]]) };
    expect(verifyBase(b, digestBase(a, sha), sha).ok).toBe(false);
    expect(verifyBase(a, null, sha)).toMatchObject({ ok: false, missing: true });
    expect(verifyBase(a, null, sha).unknown.size).toBe(1);
  });

  it('accepts rows that verify against the digest before a write cut short', () => {
    const old = snap(50);
    const next = { columns: old.columns, rows: new Map(old.rows) };
    next.rows.set(1001, ['Name 1', 'new']);
    const staged = { ...digestBase(next, sha), prev: digestBase(old, sha) };
    expect(verifyBase(old, staged, sha).ok).toBe(true);
    expect(verifyBase(next, staged, sha).ok).toBe(true);
  });

  it('bounds the number of buckets; an unknown row takes Affinity’s values as its base, or leaves when not in the view', () => {
    expect(bucketCount(1_000_000)).toBe(MAX_BUCKETS);
    const s = snap(4);
    const check = { ok: false, missing: false, unknown: new Set([1000, 1001]), badBuckets: new Set([0]), hashes: 0 };
    const t = trustedBase(s, check, new Map([[1000, new Map([['field-1', 'now']])]]));
    expect(t.rows.get(1000)).toEqual(['', 'now']);
    expect(t.rows.has(1001)).toBe(false);
    expect(t.rows.get(1002)).toEqual(s.rows.get(1002));
  });
});
