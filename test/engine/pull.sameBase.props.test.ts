/**
 * Property behind a refresh that reads no base (sync/baseGuard.ts baseAsView, issue 10): when the base holds exactly
 * the view's texts (the view verifies against the base's digest), whatever the tab holds (edits, rows the sync did
 * not put there, rows added here, rows sorted or missing) and whatever the conflict policy, the merge's new base is
 * that same base. So skipping the base write leaves the stored base and its digest true.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { digestBase, verifyBase } from '../../src/server/engine/baseDigest';
import { KEY_COLUMN, keyColumnSpec, type ColumnSpec, type SheetCell } from '../../src/server/engine/layout';
import { CONFLICT_POLICIES } from '../../src/server/engine/policy';
import { planPull } from '../../src/server/engine/pull';
import type { RemoteView } from '../../src/server/engine/remote';
import type { Snapshot, TabCodec, TabState } from '../../src/server/engine/tabState';

const sha = (t: string) => createHash('sha256').update(t, 'utf8').digest('base64');
const spec = (id: string, editable = true): ColumnSpec => ({ id, name: id, valueType: 'text', kind: 'list', editable });
const codec: TabCodec = {
  read: (cell) => (cell === null || cell === undefined ? '' : String(cell)),
  write: (t) => (t === '' ? '' : `'${t}`),
};
const COLUMNS = [spec('@name', false), spec('f1'), spec('f2'), spec('f3')];
const TEXT = fc.constantFrom('', 'a', 'b', 'Acme', '0', '=1+1');

const world = fc.record({
  rows: fc.uniqueArray(
    fc.record({ id: fc.integer({ min: 1, max: 60 }), texts: fc.array(TEXT, { minLength: 4, maxLength: 4 }) }),
    {
      selector: (r) => r.id,
      maxLength: 25,
    },
  ),
  /** Per view row: in the tab (with edits per column), or not yet. */
  inTab: fc.array(
    fc.record({ present: fc.boolean(), edits: fc.array(fc.option(TEXT), { minLength: 4, maxLength: 4 }) }),
    {
      minLength: 25,
      maxLength: 25,
    },
  ),
  /** Tab rows of entries the view does not have: typed ids, rows added here, rows left with data. */
  strangers: fc.array(fc.record({ id: fc.integer({ min: 100, max: 130 }), text: TEXT, addedHere: fc.boolean() }), {
    maxLength: 4,
  }),
  userColumn: fc.boolean(),
  order: fc.array(fc.nat(), { maxLength: 40 }),
  policy: fc.constantFrom(...CONFLICT_POLICIES),
});

describe('a base that is the view', () => {
  it('stays the base after the merge, whatever the tab and the policy', () => {
    fc.assert(
      fc.property(world, (w) => {
        const view: RemoteView = {
          columns: COLUMNS,
          rows: w.rows.map((r) => ({ entryId: r.id, texts: new Map(COLUMNS.map((c, i) => [c.id, r.texts[i]])) })),
        };
        const base: Snapshot = {
          columns: COLUMNS.map((c) => c.id),
          rows: new Map(w.rows.map((r) => [r.id, r.texts.slice()])),
        };
        // Key, the view's columns, and maybe a column of the user's own.
        const lines: SheetCell[][] = [];
        w.rows.forEach((r, i) => {
          const t = w.inTab[i];
          if (!t.present) return;
          lines.push([r.id, ...r.texts.map((x, c) => t.edits[c] ?? x), ...(w.userColumn ? ['mine'] : [])]);
        });
        const seen = new Set(w.rows.map((r) => r.id));
        for (const s of w.strangers) {
          if (seen.has(s.id)) continue;
          seen.add(s.id);
          lines.push([s.id, 'Someone', s.text, '', '', ...(w.userColumn ? [''] : [])]);
        }
        // The user's sort.
        for (let k = 0; k + 1 < w.order.length && lines.length > 1; k += 2) {
          const a = w.order[k] % lines.length;
          const b = w.order[k + 1] % lines.length;
          [lines[a], lines[b]] = [lines[b], lines[a]];
        }
        const columnOf = new Map<string, number>([[KEY_COLUMN, 0], ...COLUMNS.map((c, i) => [c.id, i + 1] as const)]);
        const tab: TabState = {
          values: lines,
          notes: lines.map((l) => l.map(() => '')),
          width: 5 + (w.userColumn ? 1 : 0),
          columnOf,
        };
        const plan = planPull({
          view,
          keyColumn: keyColumnSpec(),
          tab,
          snapshot: base,
          codec,
          viewName: 'Active',
          today: '2026-12-03',
          policy: w.policy,
          addedHere: new Set(w.strangers.filter((s) => s.addedHere).map((s) => s.id)),
        });
        expect([...plan.snapshot.rows.keys()].sort((a, b) => a - b)).toEqual(
          [...base.rows.keys()].sort((a, b) => a - b),
        );
        expect(verifyBase(plan.snapshot, digestBase(base, sha), sha).ok).toBe(true);
        expect(plan.counts.conflicts).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
