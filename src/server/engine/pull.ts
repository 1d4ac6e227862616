/**
 * Pull planning: given the view as Affinity serves it now, the tab as it is, and the base snapshot (values as last
 * pulled or pushed), decide which cells to write, which rows to append or remove, which notes to set, and the
 * new snapshot. Pure: no Apps Script here.
 *
 * Per cell, a three-way merge of base (snapshot), local (tab) and remote (Affinity):
 * - local = base (untouched): take remote;
 * - local ≠ base (an edit not pushed yet): keep it; if remote moved too, to something else, flag a conflict;
 * - read-only columns always take remote (an edit there is restored).
 * Rows keep their place whatever order the user sorted the tab into; new entries are appended; entries that
 * left the view are removed unless the row holds the user's data or unpushed edits, or the user added it (a new row
 * of this tab), then kept and marked.
 */
import { blocksFromChanges, type Block, type Changes } from './blocks';
import { NOT_SENT_PREFIX, conflictNote, replacedNote } from './notes';
import { isLeftViewNote, leftFieldEdits, leftViewNote } from './leftFields';
import type { ConflictPolicy } from './policy';
import type { RemoteRow, RemoteView } from './remote';
import type { Snapshot, TabCodec, TabState } from './tabState';
import { KEY_COLUMN, NAME_COLUMN, NOTE_MARK, entryIdOf, isOwnNote, type ColumnSpec, type SheetCell } from './layout';

export interface Conflict {
  entryId: number;
  columnId: string;
  base: string;
  local: string;
  remote: string;
}

export interface PullPlan {
  /** Columns to create, at the given 0-based positions (appended right of the used area). */
  newColumns: { col: number; spec: ColumnSpec }[];
  /** Final column positions. */
  columnOf: Map<string, number>;
  /** Columns known to the tab that the view no longer has. */
  staleColumns: string[];
  /** Columns whose field had left the view and is back: bound again where they are (engine/leftFields.ts). */
  reboundColumns?: { col: number; id: string }[];
  /** Specs of columns out of the view whose base the snapshot keeps (edits pending in them, or place unknown). */
  heldColumns?: ColumnSpec[];
  /** Known columns whose header cell is empty (a pull killed between tying a column to its field and naming it). */
  missingHeaders?: { col: number; name: string }[];
  /** Rows to append below the existing data (their values are in `blocks`). */
  appendRows: number;
  /** Value writes, in data-row coordinates (row 0 = first row under the header). */
  blocks: Block[];
  /** Note writes, same coordinates. */
  noteBlocks: Block<string>[];
  /** Data rows to delete (entries that left the view, with nothing of the user's), descending. */
  deleteRows: number[];
  snapshot: Snapshot;
  conflicts: Conflict[];
  counts: {
    rows: number;
    added: number;
    updatedCells: number;
    removed: number;
    keptOutOfView: number;
    pendingEdits: number;
    conflicts: number;
    restoredReadOnly: number;
    /** Edits replaced by Affinity's value under the 'affinity-wins' policy (each keeps a note). */
    replacedEdits: number;
    /** Unpushed edits in columns whose field left the view (kept, noted, not sent). */
    leftViewEdits: number;
  };
}

export interface PullInput {
  view: RemoteView;
  /** Key and name specs come first in `allColumns`. */
  keyColumn: ColumnSpec;
  tab: TabState;
  snapshot: Snapshot | null;
  codec: TabCodec;
  viewName: string;
  today: string;
  /**
   * What a cell changed on both sides does: 'flag' (default) keeps the edit unsent and notes both values;
   * 'sheet-wins' keeps the edit pending (the next push sends it over Affinity's value); 'affinity-wins' writes
   * Affinity's value into the cell and keeps the replaced edit in a note.
   */
  policy?: ConflictPolicy;
  /** Columns the tab syncs whose place in the view is unknown: left as they are (engine/viewColumns.ts). */
  keep?: readonly ColumnSpec[];
  /** Known specs of the tab's columns as last saved (to read edits in columns whose field left the view). */
  knownSpecs?: ReadonlyMap<string, ColumnSpec>;
  /**
   * Entries that new rows of this tab became (created by its pushes, or matched to an entry already on the list):
   * a row of one the view does not serve is kept and marked, never removed (the user typed it).
   */
  addedHere?: ReadonlySet<number>;
  /** The list's name, for the mark on such rows. */
  listName?: string;
  /** Where the new snapshot's rows go (a map of its own by default; engine/packedRows.ts for a large view). */
  snapshotRows?: Map<number, string[]>;
}

/**
 * A pull plan made a part of the view at a time (issue 10: a large view is never held whole). `merge` plans rows of the
 * view (in view order, each entry once), `finish` the tab rows of entries that left it, once every row is merged;
 * `takeBlocks` hands over the writes planned since the last call. planPull is the same over the whole view at once.
 */
export interface PullPlanner {
  /** Everything but the writes and the row counts, which merge/finish/takeBlocks fill in. */
  readonly plan: PullPlan;
  /** Tab row of each entry already in the tab. */
  readonly rowOf: ReadonlyMap<number, number>;
  merge(rows: readonly RemoteRow[]): void;
  finish(): void;
  takeBlocks(): { blocks: Block[]; noteBlocks: Block<string>[] };
}

export function planPull(input: PullInput): PullPlan {
  const planner = startPull(input);
  planner.merge(input.view.rows);
  planner.finish();
  const { blocks, noteBlocks } = planner.takeBlocks();
  return { ...planner.plan, blocks, noteBlocks };
}

export function startPull(input: PullInput): PullPlanner {
  const { view, tab, codec, snapshot } = input;
  const columns = [input.keyColumn, ...view.columns];
  const columnOf = new Map(tab.columnOf);
  const newColumns: { col: number; spec: ColumnSpec }[] = [];
  const reboundColumns: { col: number; id: string }[] = [];
  const leftOf = new Map(tab.leftColumnOf ?? []);
  const taken = new Set(tab.columnOf.values());
  let nextCol = tab.width;
  for (const spec of columns) {
    const left = leftOf.get(spec.id);
    if (!columnOf.has(spec.id) && left !== undefined && !taken.has(left)) {
      // The field is back in the view: its old column is bound again, with the edits it kept.
      columnOf.set(spec.id, left);
      taken.add(left);
      leftOf.delete(spec.id);
      reboundColumns.push({ col: left, id: spec.id });
    } else if (!columnOf.has(spec.id)) {
      columnOf.set(spec.id, nextCol);
      newColumns.push({ col: nextCol, spec });
      nextCol++;
    }
  }
  const missingHeaders = tab.headers
    ? columns
        .filter((c) => tab.columnOf.has(c.id) && (tab.headers![tab.columnOf.get(c.id)!] ?? '') === '')
        .map((c) => ({ col: tab.columnOf.get(c.id)!, name: c.name }))
    : [];
  const keep = input.keep ?? [];
  const inView = new Set([...columns.map((c) => c.id), ...keep.map((c) => c.id)]);
  const staleColumns = [...tab.columnOf.keys()].filter((id) => !inView.has(id));

  const keyCol = columnOf.get(KEY_COLUMN)!;
  const keyIsNew = !tab.columnOf.has(KEY_COLUMN);
  const rowOf = new Map<number, number>();
  if (!keyIsNew) {
    tab.values.forEach((line, r) => {
      const id = entryIdOf(line[keyCol]);
      if (id !== null && !rowOf.has(id)) rowOf.set(id, r);
    });
  }

  const snapIndex = new Map<string, number>();
  snapshot?.columns.forEach((id, i) => snapIndex.set(id, i));
  // The base row last read: a row is read for each of its columns in turn (a packed base unpacks it on each read).
  let lastEntry = NaN;
  let lastRow: string[] | undefined;
  const baseOf = (entryId: number, columnId: string): string | undefined => {
    const i = snapIndex.get(columnId);
    if (i === undefined) return undefined;
    if (entryId !== lastEntry) {
      lastEntry = entryId;
      lastRow = snapshot!.rows.get(entryId);
    }
    return lastRow ? (lastRow[i] ?? '') : undefined;
  };

  const changes: Changes = new Map();
  const noteChanges: Changes<string> = new Map();
  const setChange = (row: number, col: number, value: SheetCell) => {
    let m = changes.get(col);
    if (!m) changes.set(col, (m = new Map()));
    m.set(row, value);
  };
  const setNote = (row: number, col: number, note: string) => {
    const current = tab.notes[row]?.[col] ?? '';
    if (current === note) return;
    if (note === '' && !isOwnNote(current)) return; // never clear a note the user wrote
    let m = noteChanges.get(col);
    if (!m) noteChanges.set(col, (m = new Map()));
    m.set(row, note);
  };

  // Columns out of the view: edits pending in them are kept, noted and counted, and their base is held.
  const outOfView = new Map<string, { col: number; spec: ColumnSpec }>();
  for (const [id, col] of [...tab.columnOf].filter(([id]) => staleColumns.includes(id)).concat([...leftOf])) {
    const spec = input.knownSpecs?.get(id);
    if (spec && spec.editable) outOfView.set(id, { col, spec });
  }
  const leftEdits = leftFieldEdits({
    tab,
    columns: outOfView,
    baseOf,
    codec,
    keyCol: keyIsNew ? undefined : keyCol,
    nameCol: tab.columnOf.get(NAME_COLUMN),
    baseRows: snapshot?.rows,
  });
  const heldIds = new Set(leftEdits.map((e) => e.columnId));
  const heldColumns = [...keep, ...[...outOfView.values()].filter((c) => heldIds.has(c.spec.id)).map((c) => c.spec)];
  const snapColumns = [...view.columns.map((c) => c.id), ...heldColumns.map((c) => c.id)];
  const heldBase = (entryId: number): string[] => heldColumns.map((c) => baseOf(entryId, c.id) ?? '');
  const newSnapshot: Snapshot = { columns: snapColumns, rows: input.snapshotRows ?? new Map() };
  const conflicts: Conflict[] = [];
  const counts = {
    rows: 0,
    added: 0,
    updatedCells: 0,
    removed: 0,
    keptOutOfView: 0,
    pendingEdits: 0,
    conflicts: 0,
    restoredReadOnly: 0,
    replacedEdits: 0,
    leftViewEdits: leftEdits.length,
  };
  const existingRows = tab.values.length;
  const remoteIds = new Set<number>();
  const specOfCol = new Map<number, ColumnSpec>();
  for (const spec of columns) specOfCol.set(columnOf.get(spec.id)!, spec);

  const plan: PullPlan = {
    newColumns,
    columnOf,
    staleColumns,
    reboundColumns,
    heldColumns,
    missingHeaders,
    appendRows: 0,
    blocks: [],
    noteBlocks: [],
    deleteRows: [],
    snapshot: newSnapshot,
    conflicts,
    counts,
  };

  // The tab column of each of the view's columns, looked up once rather than once per cell.
  const viewCols = view.columns.map((spec) => columnOf.get(spec.id)!);
  const merge = (rows: readonly RemoteRow[]) => {
    for (const remote of rows) {
      counts.rows++;
      remoteIds.add(remote.entryId);
      const baseRow: string[] = [];
      const existing = rowOf.get(remote.entryId);
      if (existing === undefined) {
        const r = existingRows + plan.appendRows++;
        counts.added++;
        setChange(r, keyCol, remote.entryId);
        for (const spec of view.columns) {
          const text = remote.texts.get(spec.id) ?? '';
          setChange(r, columnOf.get(spec.id)!, codec.write(text, spec));
          baseRow.push(text);
        }
        for (let k = 0; k < heldColumns.length; k++) baseRow.push('');
        newSnapshot.rows.set(remote.entryId, baseRow);
        continue;
      }
      const line = tab.values[existing];
      if (keyIsNew) setChange(existing, keyCol, remote.entryId);
      setNote(existing, keyCol, '');
      for (let k = 0; k < view.columns.length; k++) {
        const spec = view.columns[k];
        const col = viewCols[k];
        const remoteText = remote.texts.get(spec.id) ?? '';
        const local = col < tab.width ? codec.read(line[col] ?? '', spec) : '';
        const base = baseOf(remote.entryId, spec.id);
        let next = remoteText;
        let note = '';
        const followsRemote = base === undefined || !spec.editable || remote.locked?.has(spec.id);
        if (followsRemote || local === base) {
          if (local !== remoteText) {
            setChange(existing, col, codec.write(remoteText, spec));
            counts.updatedCells++;
            if (base !== undefined && local !== base) counts.restoredReadOnly++;
          }
        } else if (local === remoteText) {
          // both sides agree: nothing to write, the edit is no longer pending
        } else if (remoteText === base) {
          next = base;
          counts.pendingEdits++;
          // Keep the reason a push gave for not sending this edit (invalid value, refused by Affinity...).
          const current = tab.notes[existing]?.[col] ?? '';
          if (current.startsWith(NOT_SENT_PREFIX) && !isLeftViewNote(current)) note = current;
        } else if (input.policy === 'sheet-wins') {
          next = base;
          counts.pendingEdits++;
        } else if (input.policy === 'affinity-wins') {
          setChange(existing, col, codec.write(remoteText, spec));
          note = replacedNote(remoteText, local);
          counts.updatedCells++;
          counts.replacedEdits++;
        } else {
          next = base;
          note = conflictNote(remoteText, local);
          conflicts.push({ entryId: remote.entryId, columnId: spec.id, base, local, remote: remoteText });
          counts.conflicts++;
        }
        setNote(existing, col, note);
        baseRow.push(next);
      }
      baseRow.push(...heldBase(remote.entryId));
      newSnapshot.rows.set(remote.entryId, baseRow);
    }
  };

  // Entries that left the view.
  const finish = () => {
    const managed = new Set(columnOf.values());
    const deleteRows = plan.deleteRows;
    for (const [entryId, r] of rowOf) {
      if (remoteIds.has(entryId)) continue;
      const line = tab.values[r];
      const hasOwnData = line.some((cell, c) => !managed.has(c) && cell !== '' && cell !== null);
      let hasPendingEdit = false;
      const oldBase: string[] = [];
      for (const spec of view.columns) {
        const base = baseOf(entryId, spec.id);
        oldBase.push(base ?? '');
        const col = tab.columnOf.get(spec.id);
        if (col === undefined || base === undefined || !spec.editable) continue;
        if (codec.read(line[col] ?? '', spec) !== base) hasPendingEdit = true;
      }
      const known = snapshot?.rows.has(entryId) === true;
      if (input.addedHere?.has(entryId)) {
        // A row the user added: its entry is on the list but the view does not include it (its filters, or Affinity
        // adds new entries to no saved view). Removing the row would lose what the user typed: kept and marked.
        counts.keptOutOfView++;
        if (known) newSnapshot.rows.set(entryId, [...oldBase, ...heldBase(entryId)]);
        const current = tab.notes[r]?.[keyCol] ?? '';
        setNote(
          r,
          keyCol,
          isOwnNote(current) && current.includes('not in this view')
            ? current
            : `${NOTE_MARK}added to “${input.listName ?? 'the list'}” from this tab, not in this view “${input.viewName}” (the view does not include it). Kept so nothing is lost: its values are in Affinity, and edits here are still pushed. Delete the row when you no longer need it.`,
        );
        continue;
      }
      if (!known && line.some((cell, c) => c !== keyCol && cell !== '' && cell !== null)) {
        // An Entry ID the last pull did not put here (typed, pasted, or its base did not verify): kept as the user left
        // it, out of the base, so no push ever sends it (docs/sharing.md).
        counts.keptOutOfView++;
        setNote(
          r,
          keyCol,
          `${NOTE_MARK}not in this view: entry ${entryId} was not put here by the sync, so nothing in this row is sent to Affinity. Delete the row when you no longer need it.`,
        );
        continue;
      }
      if (hasOwnData || hasPendingEdit) {
        counts.keptOutOfView++;
        newSnapshot.rows.set(entryId, [...oldBase, ...heldBase(entryId)]);
        const why = hasPendingEdit ? 'it has edits not pushed yet' : 'it holds data of yours';
        const current = tab.notes[r]?.[keyCol] ?? '';
        const note =
          isOwnNote(current) && current.includes('no longer in the view')
            ? current
            : `${NOTE_MARK}no longer in the view “${input.viewName}” since ${input.today}. Kept because ${why}; delete the row when you no longer need it.`;
        setNote(r, keyCol, note);
      } else {
        deleteRows.push(r);
        counts.removed++;
      }
    }
    deleteRows.sort((a, b) => b - a);
    for (const e of leftEdits) {
      const current = tab.notes[e.row]?.[e.col] ?? '';
      setNote(e.row, e.col, isLeftViewNote(current) ? current : leftViewNote(e.fieldName, input.viewName, input.today));
    }
  };

  const fill = (row: number, col: number): SheetCell => {
    const cell = tab.values[row]?.[col] ?? '';
    const spec = specOfCol.get(col);
    return spec && spec.id !== KEY_COLUMN ? codec.write(codec.read(cell, spec), spec) : cell;
  };
  const takeBlocks = () => {
    const blocks = blocksFromChanges(changes, fill);
    const noteBlocks = blocksFromChanges(noteChanges, (row, col) => tab.notes[row]?.[col] ?? '');
    changes.clear();
    noteChanges.clear();
    return { blocks, noteBlocks };
  };

  return { plan, rowOf, merge, finish, takeBlocks };
}
