/**
 * Rows of a view gathered across executions (a resumable pull, docs/schedules.md), in a compact form that can be
 * stored between executions: each page keeps the columns its rows carry (in first-appearance order) and each row its
 * canonical texts aligned to them. Joining the pages in order gives exactly the view built from all the entries at
 * once (the tests' reference: test/support/remoteView.ts); an entry served twice (the view changed between two
 * executions) is kept once.
 * Pure: no Apps Script here.
 */
import type { FieldMetadata, ListEntryWithEntity, ListType } from '../affinity/types';
import type { CodecContext } from './codecs';
import type { ColumnSpec } from './layout';
import { canonicalOf } from './codecs';
import { NAME_COLUMN, nameColumnSpec } from './layout';
import { columnSpecOf, entityName, type RemoteRow, type RemoteView } from './remote';

export interface StagedPage {
  /** Page index in the view (0-based). */
  i: number;
  /** Columns the page's rows carry, name column first. */
  cols: ColumnSpec[];
  /** [entry id, texts aligned to `cols`, indexes of locked columns (when any)]. */
  rows: [number, string[], number[]?][];
}

export function stagePage(
  index: number,
  entries: ListEntryWithEntity[],
  fields: FieldMetadata[],
  listType: ListType,
  ctx: CodecContext,
): StagedPage {
  // The view's rows as the tests' buildRemoteView builds them, each row's texts aligned to the columns as they
  // are made (no map per row).
  const meta = new Map(fields.map((f) => [f.id, f]));
  const cols: ColumnSpec[] = [nameColumnSpec(listType)];
  const at = new Map<string, number>([[NAME_COLUMN, 0]]);
  const rows: StagedPage['rows'] = [];
  for (const entry of entries) {
    const texts: string[] = new Array<string>(cols.length).fill('');
    let locked: number[] | undefined;
    texts[0] = entityName(entry);
    for (const field of entry.entity.fields ?? []) {
      let k = at.get(field.id);
      if (k === undefined) {
        k = cols.length;
        at.set(field.id, k);
        cols.push(columnSpecOf(field, meta));
      }
      while (texts.length <= k) texts.push('');
      const { text, truncated } = canonicalOf(field.value, field.type, ctx);
      texts[k] = text;
      if ((truncated || field.type === 'hidden') && !(locked ??= []).includes(k)) locked.push(k);
    }
    rows.push(locked ? [entry.id, texts, locked] : [entry.id, texts]);
  }
  // Rows met before a column appeared carry it as ''.
  for (const [, texts] of rows) while (texts.length < cols.length) texts.push('');
  return { i: index, cols, rows };
}

/**
 * Joins pages a few at a time, in page order (a large view is never held whole, issue 10): the view's columns in
 * first-appearance order, and each page's rows as buildRemoteView builds them, an entry served twice kept once.
 */
export class PageJoin {
  readonly columns: ColumnSpec[];
  private readonly known: Set<string>;
  private readonly seen = new Set<number>();

  constructor(nameSpec: ColumnSpec) {
    this.columns = [nameSpec];
    this.known = new Set([nameSpec.id]);
  }

  /** Adds the columns of a page the join has not seen yet. */
  addColumns(page: StagedPage): void {
    for (const c of page.cols) {
      if (!this.known.has(c.id)) {
        this.known.add(c.id);
        this.columns.push(c);
      }
    }
  }

  /** The entries of the page no earlier page served (as rowsOf, without building the rows). */
  entriesOf(page: StagedPage): number[] {
    const ids: number[] = [];
    for (const [entryId] of page.rows) {
      if (this.seen.has(entryId)) continue;
      this.seen.add(entryId);
      ids.push(entryId);
    }
    return ids;
  }

  /** The page's rows whose entries no earlier page served. */
  rowsOf(page: StagedPage): RemoteRow[] {
    const rows: RemoteRow[] = [];
    for (const [entryId, texts, locked] of page.rows) {
      if (this.seen.has(entryId)) continue;
      this.seen.add(entryId);
      const map = new Map<string, string>();
      page.cols.forEach((c, k) => {
        // buildRemoteView sets only the fields an entry carries; an empty text reads the same as a missing one.
        if (texts[k] !== undefined) map.set(c.id, texts[k]);
      });
      const row: RemoteRow = { entryId, texts: map };
      if (locked && locked.length > 0) row.locked = new Set(locked.map((k) => page.cols[k].id));
      rows.push(row);
    }
    return rows;
  }
}

/** The whole view from its pages (in page order; duplicates of an entry after its first are dropped). */
export function viewFromPages(pages: StagedPage[], nameSpec: ColumnSpec): RemoteView {
  const sorted = pages.slice().sort((a, b) => a.i - b.i);
  const join = new PageJoin(nameSpec);
  const rows: RemoteRow[] = [];
  for (const page of sorted) {
    join.addColumns(page);
    for (const row of join.rowsOf(page)) rows.push(row);
  }
  return { columns: join.columns, rows };
}
