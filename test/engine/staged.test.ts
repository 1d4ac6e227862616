/**
 * Pages gathered across executions (src/server/engine/staged.ts): joined in order they give exactly the view
 * buildRemoteView builds from all the entries at once; an entry served twice is kept once; staged pages survive JSON.
 */
import fc from 'fast-check';
import type { ListEntryWithEntity } from '../../src/server/affinity/types';
import { nameColumnSpec } from '../../src/server/engine/layout';
import { buildRemoteView } from '../support/remoteView';
import { chunkText } from '../../src/server/engine/chunks';
import { stagePage, viewFromPages, type StagedPage } from '../../src/server/engine/staged';
import { GENERATED, generateSeed } from '../../tools/emulator/generate';
import { ctx } from './pushModel';

const seed = generateSeed({ entries: 450, fieldsInView: 30 });
const listId = String(GENERATED.companyListId);
const fields = seed.fields[listId];
const view = seed.savedViews[listId].find((v) => v.id === GENERATED.sheetViewId)!;
/** Entries as a view serves them: only the view's fields, in its order; some entries lack some fields. */
const entries: ListEntryWithEntity[] = seed.entries[listId].map((e, i) => {
  const byId = new Map((e.entity.fields ?? []).map((f) => [f.id, f]));
  const ids = i % 7 === 3 ? view.fieldIds.slice(0, 12) : view.fieldIds;
  return {
    ...e,
    entity: { ...e.entity, fields: ids.map((id) => byId.get(id)!).filter(Boolean) },
  } as ListEntryWithEntity;
});

function pagesOf(list: ListEntryWithEntity[], size = 100): StagedPage[] {
  const pages: StagedPage[] = [];
  for (let i = 0; i * size < list.length; i++)
    pages.push(stagePage(i, list.slice(i * size, (i + 1) * size), fields, 'company', ctx));
  return pages;
}

const plain = (v: ReturnType<typeof buildRemoteView>) => ({
  columns: v.columns,
  rows: v.rows.map((r) => ({
    entryId: r.entryId,
    texts: Object.fromEntries([...r.texts].filter(([, t]) => t !== '')),
    locked: r.locked ? [...r.locked].sort() : [],
  })),
});

describe('staged pages', () => {
  it('joined in order, equal the view built from every entry at once', () => {
    const whole = buildRemoteView(entries, fields, 'company', ctx);
    const joined = viewFromPages(pagesOf(entries), nameColumnSpec('company'));
    expect(plain(joined)).toEqual(plain(whole));
    expect(whole.rows.some((r) => r.locked && r.locked.size > 0)).toBe(true);
  });

  it('survive being stored as JSON and read back in any order', () => {
    const stored = pagesOf(entries)
      .map((p) => JSON.parse(JSON.stringify(p)) as StagedPage)
      .reverse();
    expect(plain(viewFromPages(stored, nameColumnSpec('company')))).toEqual(
      plain(buildRemoteView(entries, fields, 'company', ctx)),
    );
  });

  it('an entry served twice (the view changed between two executions) is kept once, where it came first', () => {
    const pages = pagesOf(entries);
    // The view gained an entry before the cursor: the next page starts with the last entry of the previous one.
    const shifted = stagePage(99, [entries[99], ...entries.slice(100, 199)], fields, 'company', ctx);
    const joined = viewFromPages([pages[0], shifted], nameColumnSpec('company'));
    expect(joined.rows.map((r) => r.entryId)).toEqual(entries.slice(0, 199).map((e) => e.id));
  });

  it('a column first seen in a later page comes in first-seen order', () => {
    const narrow = entries.slice(0, 100).map((e) => ({
      ...e,
      entity: { ...e.entity, fields: (e.entity.fields ?? []).slice(0, 3) },
    })) as ListEntryWithEntity[];
    const all = [...narrow, ...entries.slice(100, 200)];
    expect(viewFromPages(pagesOf(all), nameColumnSpec('company')).columns).toEqual(
      buildRemoteView(all, fields, 'company', ctx).columns,
    );
  });
  it('whatever fields each row carries, in whatever order, staged and joined equal the view built at once', () => {
    // Rows that lack a column met later in their page, fields in another order, a field twice, hidden fields.
    const pool = entries.slice(0, 60);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            at: fc.nat(pool.length - 1),
            pick: fc.array(fc.nat(29), { maxLength: 34 }),
            hide: fc.option(fc.nat(29), { nil: undefined }),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        fc.integer({ min: 1, max: 12 }),
        (rows, size) => {
          const list = rows.map(({ at, pick, hide }, n) => {
            const e = pool[at];
            const own = e.entity.fields ?? [];
            const chosen = pick.filter((k) => k < own.length).map((k) => own[k]);
            const withHidden =
              hide !== undefined && hide < own.length
                ? [...chosen, { ...own[hide], type: 'hidden' as const, value: null }]
                : chosen;
            return { ...e, id: e.id * 1000 + n, entity: { ...e.entity, fields: withHidden } } as ListEntryWithEntity;
          });
          const joined = viewFromPages(pagesOf(list, size), nameColumnSpec('company'));
          expect(plain(joined)).toEqual(plain(buildRemoteView(list, fields, 'company', ctx)));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('chunkText', () => {
  it('cuts long text into pieces that join back, never inside a surrogate pair', () => {
    const text = 'ab😀'.repeat(10);
    for (const size of [1, 2, 3, 4, 7]) {
      const pieces = chunkText(text, Math.max(size, 2));
      expect(pieces.join('')).toBe(text);
      for (const p of pieces) {
        const last = p.charCodeAt(p.length - 1);
        expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
      }
    }
    expect(chunkText('short', 10)).toEqual(['short']);
  });
});
