/** How attribution shows in a push's summary, the preview and the change log (docs/sharing.md). */
import type { ColumnSpec } from '../engine/layout';
import type { EditScan } from '../engine/push/scan';
import type { OthersEdit, PreviewData, PushPreview } from '../../shared/push';
import type { PushGate } from './attributionGate';

/** The edits a push held back, in the user's words. */
export function heldEdits(gate: PushGate, scan: EditScan, columns: Map<string, ColumnSpec>): OthersEdit[] {
  return gate.held().map((a) => ({
    entryId: a.edit.entryId,
    entity: scan.names.get(a.edit.entryId) ?? '',
    field: columns.get(a.edit.columnId)?.name ?? a.edit.columnId,
    editedBy: gate.editorOf(a.edit.entryId, a.edit.columnId) ?? '',
  }));
}

/** "3 edits by others wait for a manual push (by ann@example.com, unknown editor)". */
export function heldText(held: OthersEdit[]): string {
  const who = [...new Set(held.map((h) => h.editedBy))].join(', ');
  return `${held.length} ${held.length === 1 ? 'edit by others waits' : 'edits by others wait'} for a manual push (by ${who})`;
}

/** Marks each change of a preview with its editor, and lists the ones made by others. */
export function previewEditors(
  data: PreviewData & Partial<PushPreview>,
  gate: PushGate,
  columns: Map<string, ColumnSpec>,
): void {
  const idOf = new Map([...columns.values()].map((c) => [c.name, c.id]));
  const others = new Set(gate.others().map((a) => `${a.edit.entryId}:${a.edit.columnId}`));
  const byOthers: OthersEdit[] = [];
  for (const c of data.changes) {
    const id = idOf.get(c.field);
    if (id === undefined) continue;
    c.editedBy = gate.editorOf(c.entryId, id);
    if (others.has(`${c.entryId}:${id}`))
      byOthers.push({ entryId: c.entryId, entity: c.entity, field: c.field, editedBy: c.editedBy ?? '' });
  }
  data.byOthers = byOthers;
}
