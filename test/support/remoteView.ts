/**
 * The view built from every entry at once, as maps per row (tests only): the reference a pull's staged pages
 * (src/server/engine/staged.ts stagePage, joined by viewFromPages) must equal, written independently of them, and a
 * quick way to build a view for the push's tests.
 */
import type { FieldMetadata, ListEntryWithEntity, ListType } from '../../src/server/affinity/types';
import { canonicalOf, type CodecContext } from '../../src/server/engine/codecs';
import { NAME_COLUMN, nameColumnSpec, type ColumnSpec } from '../../src/server/engine/layout';
import { columnSpecOf, entityName, type RemoteRow, type RemoteView } from '../../src/server/engine/remote';

export function buildRemoteView(
  entries: ListEntryWithEntity[],
  fields: FieldMetadata[],
  listType: ListType,
  ctx: CodecContext,
): RemoteView {
  const meta = new Map(fields.map((f) => [f.id, f]));
  const nameSpec = nameColumnSpec(listType);
  const columns: ColumnSpec[] = [nameSpec];
  const specs = new Map<string, ColumnSpec>();
  const rows: RemoteRow[] = [];

  for (const entry of entries) {
    const texts = new Map<string, string>();
    let locked: Set<string> | undefined;
    texts.set(NAME_COLUMN, entityName(entry));
    for (const field of entry.entity.fields ?? []) {
      if (!specs.has(field.id)) {
        const spec = columnSpecOf(field, meta);
        specs.set(field.id, spec);
        columns.push(spec);
      }
      const { text, truncated: cut } = canonicalOf(field.value, field.type, ctx);
      texts.set(field.id, text);
      if (cut || field.type === 'hidden') (locked ??= new Set()).add(field.id);
    }
    rows.push({ entryId: entry.id, texts, locked });
  }
  return { columns, rows };
}
