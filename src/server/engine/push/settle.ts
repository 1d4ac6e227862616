/**
 * Push, step 4: per request outcome, the base snapshot moves to the sent values for exactly the cells that went
 * through; every other cell stays pending with its reason in a note; the change log gets one line per cell. Pure.
 */
import { blocksFromChanges, type Block, type Changes } from '../blocks';
import { isOwnNote, type ColumnSpec, type SheetCell } from '../layout';
import { copyRows } from '../packedRows';
import { conflictNote, notSent, replacedNote } from '../notes';
import type { Snapshot, TabCodec, TabState } from '../tabState';
import type { CellDecision, PushPlan } from './plan';
import type { EditScan } from './scan';

export type RequestResult = { ok: true } | { ok: false; message: string };

export interface ChangeLogEntry {
  entryId: number;
  entityName: string;
  field: string;
  old: string;
  new: string;
  result: string;
}

export interface SettleInput {
  plan: PushPlan;
  /** One per plan.requests, in order. */
  results: readonly RequestResult[];
  scan: EditScan;
  tab: TabState;
  snapshot: Snapshot;
  columns: Map<string, ColumnSpec>;
  codec: TabCodec;
}

export interface PushOutcome {
  /** The next base snapshot (rows not touched are shared with the input). */
  snapshot: Snapshot;
  /** Cell writes (Affinity's values taken under 'affinity-wins'), data-row coordinates. */
  valueBlocks: Block[];
  noteBlocks: Block<string>[];
  /** Cells that are no longer pending (sent, already in Affinity, or replaced by Affinity's value). */
  resolved: { row: number; col: number }[];
  log: ChangeLogEntry[];
  counts: {
    sent: number;
    failed: number;
    alreadyInAffinity: number;
    conflicts: number;
    takenFromAffinity: number;
    invalid: number;
    readOnly: number;
    locked: number;
    unreadable: number;
    unsynced: number;
    requests: number;
    failedRequests: number;
  };
  /** The failure messages, one per failed request (for the summary). */
  failures: { entryId: number; entityName: string; message: string }[];
}

export function settlePush(input: SettleInput): PushOutcome {
  const { plan, results, scan, tab, snapshot, columns, codec } = input;
  const snapIndex = new Map(snapshot.columns.map((id, i) => [id, i]));
  // The rows are shared with the input (or packed, engine/packedRows.ts): a changed row is replaced, never changed in
  // place, and the replacements are put in at the end (a packed row read twice is two arrays).
  const nextRows = copyRows(snapshot.rows);
  const changed = new Map<number, string[]>();
  const setBase = (entryId: number, columnId: string, text: string) => {
    const i = snapIndex.get(columnId);
    let row = changed.get(entryId);
    if (!row) {
      const before = nextRows.get(entryId);
      if (i === undefined || !before) return;
      changed.set(entryId, (row = before.slice()));
    }
    if (i !== undefined) row[i] = text;
  };

  const notes: Changes<string> = new Map();
  const values: Changes = new Map();
  const put = <T>(m: Changes<T>, row: number, col: number, v: T) => {
    let c = m.get(col);
    if (!c) m.set(col, (c = new Map()));
    c.set(row, v);
  };
  const setNote = (row: number, col: number, note: string) => {
    const current = tab.notes[row]?.[col] ?? '';
    if (current === note) return;
    if (current !== '' && !isOwnNote(current)) return; // never overwrite or clear a note the user wrote
    put(notes, row, col, note);
  };

  const outcomeOf = new Map<CellDecision, RequestResult>();
  plan.requests.forEach((req, i) => {
    const r = results[i] ?? { ok: false, message: 'Not sent.' };
    for (const cell of req.cells) outcomeOf.set(cell, r);
  });

  const counts: PushOutcome['counts'] = {
    sent: 0,
    failed: 0,
    alreadyInAffinity: 0,
    conflicts: 0,
    takenFromAffinity: 0,
    invalid: 0,
    readOnly: 0,
    locked: 0,
    unreadable: 0,
    unsynced: plan.unsynced.length,
    requests: results.length,
    failedRequests: results.filter((r) => !r.ok).length,
  };
  const resolved: { row: number; col: number }[] = [];
  const log: ChangeLogEntry[] = [];
  const failures: PushOutcome['failures'] = [];
  const failedEntries = new Set<number>();

  for (const d of plan.decisions) {
    const entry = {
      entryId: d.entryId,
      entityName: d.entityName,
      field: d.fieldName,
      old: d.remote ?? d.base,
      new: d.local,
    };
    switch (d.status) {
      case 'send':
      case 'overwrite': {
        const r = outcomeOf.get(d) ?? { ok: false as const, message: 'Not sent.' };
        if (r.ok) {
          counts.sent++;
          setBase(d.entryId, d.columnId, d.local);
          setNote(d.row, d.col, '');
          resolved.push({ row: d.row, col: d.col });
          log.push({
            ...entry,
            result: d.status === 'overwrite' ? 'updated (replaced a change made in Affinity)' : 'updated',
          });
        } else {
          counts.failed++;
          setNote(d.row, d.col, notSent(r.message));
          log.push({ ...entry, result: `failed: ${r.message}` });
          if (!failedEntries.has(d.entryId)) {
            failedEntries.add(d.entryId);
            failures.push({ entryId: d.entryId, entityName: d.entityName, message: r.message });
          }
        }
        break;
      }
      case 'same':
        counts.alreadyInAffinity++;
        setBase(d.entryId, d.columnId, d.local);
        setNote(d.row, d.col, '');
        resolved.push({ row: d.row, col: d.col });
        break;
      case 'conflict':
        counts.conflicts++;
        setNote(d.row, d.col, conflictNote(d.remote ?? '', d.local));
        break;
      case 'take-remote': {
        counts.takenFromAffinity++;
        const spec = columns.get(d.columnId)!;
        setBase(d.entryId, d.columnId, d.remote ?? '');
        put(values, d.row, d.col, codec.write(d.remote ?? '', spec));
        setNote(d.row, d.col, replacedNote(d.remote ?? '', d.local));
        resolved.push({ row: d.row, col: d.col });
        log.push({ ...entry, result: "not sent: Affinity's value kept (conflict setting: Affinity wins)" });
        break;
      }
      case 'invalid':
        counts.invalid++;
        setNote(d.row, d.col, notSent(d.reason ?? 'This value cannot be sent.'));
        break;
      case 'read-only':
        counts.readOnly++;
        setNote(d.row, d.col, notSent(d.reason ?? 'This column is read-only.'));
        break;
      case 'locked':
        counts.locked++;
        setNote(d.row, d.col, notSent(d.reason ?? 'This cell cannot be sent.'));
        break;
      case 'unreadable':
        counts.unreadable++;
        setNote(d.row, d.col, notSent(d.reason ?? 'Affinity could not be read.'));
        if (!failedEntries.has(d.entryId)) {
          failedEntries.add(d.entryId);
          failures.push({ entryId: d.entryId, entityName: d.entityName, message: d.reason ?? '' });
        }
        break;
    }
  }
  for (const u of plan.unsynced) setNote(u.row, scan.keyCol, u.reason);
  for (const s of scan.staleNotes) setNote(s.row, s.col, '');

  for (const [entryId, row] of changed) nextRows.set(entryId, row);

  const specOfCol = new Map<number, ColumnSpec>();
  for (const [id, spec] of columns) {
    const c = tab.columnOf.get(id);
    if (c !== undefined) specOfCol.set(c, spec);
  }
  const fill = (row: number, col: number): SheetCell => {
    const cell = tab.values[row]?.[col] ?? '';
    const spec = specOfCol.get(col);
    return spec ? codec.write(codec.read(cell, spec), spec) : cell;
  };
  return {
    snapshot: { columns: snapshot.columns, rows: nextRows },
    valueBlocks: blocksFromChanges(values, fill),
    noteBlocks: blocksFromChanges(notes, (row, col) => tab.notes[row]?.[col] ?? ''),
    resolved,
    log,
    counts,
    failures,
  };
}
