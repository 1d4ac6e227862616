/**
 * Push planning: which cells of a bound tab the user edited, what Affinity has for them now, what to send, and what
 * the tab, its notes and the base snapshot become once Affinity answered. Pure: no Apps Script here (see
 * docs/push.md for the rules in words).
 *
 * 1. findEdits: an edit is a cell whose canonical text differs from the base snapshot. Rows are matched by the
 *    entry id in the key column and columns by their developer metadata, so sorting, filtering, moving or hiding
 *    columns and adding columns of one's own are not edits. Rows without a (known, unique) entry id but with data
 *    are reported as not synced.
 * 2. readStrategy: the conflict check reads the view's pages when more entries were edited than the view has pages,
 *    else each edited entry once.
 * 3. planPush: a three-way merge per edited cell of base (snapshot), local (tab) and remote (Affinity now):
 *    remote = base → send; remote = local → nothing to send; otherwise a conflict, settled by the policy. Read-only
 *    columns, cells cut to fit or hidden by Affinity, and values that can't be parsed are never sent.
 * 4. settlePush: per request outcome, the base snapshot moves to the sent values for exactly the cells that went
 *    through; every other cell stays pending with its reason in a note.
 */
import type { EntryUpdate, RateLimitState } from '../affinity/client';
import { AffinityError } from '../affinity/errors';
import type {
  CompanyData,
  FieldKind,
  FieldMetadata,
  FieldValue,
  FieldValueUpdate,
  ListEntryWithEntity,
  ListType,
  Location,
  PersonData,
} from '../affinity/types';
import { MAX_BATCH_UPDATES, MAX_PAGE_SIZE } from '../affinity/types';
import { blocksFromChanges, type Block, type Changes } from './blocks';
import { canonicalOf, isEditable, parseEdit, type CodecContext, type ParseContext } from './codecs';
import { pacificDay } from './dates';
import {
  KEY_COLUMN,
  NAME_COLUMN,
  NOTE_MARK,
  entryIdOf,
  isOwnNote,
  nameColumnSpec,
  type ColumnSpec,
  type SheetCell,
} from './layout';
import type { PullCodec, Snapshot, TabState } from './pull';
import { entityName } from './remote';
import type { PreviewData } from '../../shared/push';

// ---- conflict policy ---------------------------------------------------------------------------------------

/** What a conflict (a cell changed in the sheet and, differently, in Affinity) does. */
export type ConflictPolicy = 'flag' | 'sheet-wins' | 'affinity-wins';
export const CONFLICT_POLICIES: readonly ConflictPolicy[] = ['flag', 'sheet-wins', 'affinity-wins'];
export const DEFAULT_CONFLICT_POLICY: ConflictPolicy = 'flag';

export function isConflictPolicy(x: unknown): x is ConflictPolicy {
  return typeof x === 'string' && (CONFLICT_POLICIES as readonly string[]).includes(x);
}

export const POLICY_LABELS: Record<ConflictPolicy, string> = {
  flag: 'Flag and skip: send nothing, mark the cell with both values',
  'sheet-wins': "Sheet wins: send the sheet's value over Affinity's",
  'affinity-wins': "Affinity wins: the cell takes Affinity's value (yours is kept in a note)",
};

/** A user's decision for one conflict, made in the preview. `remote` is Affinity's value they saw. */
export interface ConflictChoice {
  entryId: number;
  columnId: string;
  remote: string;
  choice: 'mine' | 'affinity' | 'skip';
}

// ---- notes ---------------------------------------------------------------------------------------------------

function show(t: string): string {
  return t === '' ? '(empty)' : `“${t.length > 200 ? `${t.slice(0, 200)}…` : t}”`;
}

/** Note of a flagged conflict (push and pull write the same one). */
export function conflictNote(remote: string, local: string): string {
  return (
    `${NOTE_MARK}conflict. Affinity now has ${show(remote)}; your edit ${show(local)} was kept and not sent. ` +
    `To take Affinity's value, type it in; to send yours, choose “Keep mine” in Affinity › Preview changes…, ` +
    `or set conflicts to “Sheet wins” (Affinity › Settings… › Push).`
  );
}

/** Note of an edit replaced by Affinity's value under the 'affinity-wins' policy. */
export function replacedNote(remote: string, local: string): string {
  return (
    `${NOTE_MARK}Affinity's value ${show(remote)} was taken (conflict setting: Affinity wins). Your edit ` +
    `${show(local)} was not sent; type it again and push to send it.`
  );
}

/** Start of the note of an edit a push did not send (pull keeps it while the edit is pending). */
export const NOT_SENT_PREFIX = `${NOTE_MARK}not sent. `;
const notSent = (why: string): string => `${NOT_SENT_PREFIX}${why}`;

// ---- columns -------------------------------------------------------------------------------------------------

/**
 * Column specs of a bound tab's synced columns from the list's field metadata: the name column and every field
 * column whose type is known. A field Affinity no longer has is left out (its cells can't be read as edits).
 */
export function pushColumns(
  columnIds: readonly string[],
  fields: readonly FieldMetadata[],
  listType: ListType,
): Map<string, ColumnSpec> {
  const meta = new Map(fields.map((f) => [f.id, f]));
  const out = new Map<string, ColumnSpec>();
  for (const id of columnIds) {
    if (id === NAME_COLUMN) {
      out.set(id, nameColumnSpec(listType));
      continue;
    }
    const m = meta.get(id);
    if (!m) continue;
    out.set(id, { id, name: m.name, valueType: m.valueType, kind: m.type, editable: isEditable(m) });
  }
  return out;
}

/** The FieldMetadata parseEdit needs, from a column spec. */
export function fieldOfColumn(spec: ColumnSpec): FieldMetadata {
  return {
    id: spec.id,
    name: spec.name,
    type: (spec.kind === 'system' || spec.kind === 'hidden' ? 'list' : spec.kind) as FieldKind,
    enrichmentSource: null,
    valueType: spec.valueType,
    createdAt: null,
    description: null,
    isRequired: false,
  };
}

// ---- 1. finding edits ----------------------------------------------------------------------------------------

export interface CellEdit {
  entryId: number;
  /** 0-based data row and column of the tab. */
  row: number;
  col: number;
  columnId: string;
  base: string;
  local: string;
}

export interface UnsyncedRow {
  /** 0-based data row. */
  row: number;
  reason: string;
}

export interface EditScan {
  /** Edits of editable columns, grouped by entry in row order. */
  entries: Map<number, { row: number; edits: CellEdit[] }>;
  /** Edits of read-only columns (the name, formula, interaction, enriched... columns). */
  readOnly: CellEdit[];
  unsynced: UnsyncedRow[];
  /** Cells with a note of ours that are no longer edited (the note is stale). */
  staleNotes: { row: number; col: number }[];
  /** Entity name of each matched entry, as last synced. */
  names: Map<number, string>;
  /** Rows matched to an entry. */
  matchedRows: number;
  keyCol: number;
}

export interface ScanInput {
  tab: TabState;
  snapshot: Snapshot;
  /** Specs of the synced columns with known types (pushColumns). */
  columns: Map<string, ColumnSpec>;
  codec: PullCodec;
  viewName: string;
}

const NOT_SYNCED = 'this row is not synced: ';

function isBlank(cell: SheetCell | undefined): boolean {
  return cell === '' || cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

export function findEdits(input: ScanInput): EditScan {
  const { tab, snapshot, columns, codec } = input;
  const keyCol = tab.columnOf.get(KEY_COLUMN);
  if (keyCol === undefined) {
    throw new AffinityError(
      'config',
      'The Entry ID column of this tab is gone, so rows cannot be matched to Affinity entries. Undo its deletion, or pull the tab to restore it.',
    );
  }
  const snapIndex = new Map(snapshot.columns.map((id, i) => [id, i]));
  const tracked: { id: string; col: number; spec: ColumnSpec; si: number }[] = [];
  for (const [id, spec] of columns) {
    const col = tab.columnOf.get(id);
    const si = snapIndex.get(id);
    if (col === undefined || si === undefined) continue;
    tracked.push({ id, col, spec, si });
  }
  const nameIndex = snapIndex.get(NAME_COLUMN);

  const scan: EditScan = {
    entries: new Map(),
    readOnly: [],
    unsynced: [],
    staleNotes: [],
    names: new Map(),
    matchedRows: 0,
    keyCol,
  };
  const firstRowOf = new Map<number, number>();
  const noteAt = (r: number, c: number): string => tab.notes[r]?.[c] ?? '';

  tab.values.forEach((line, r) => {
    const keyCell = line[keyCol];
    const id = entryIdOf(keyCell);
    const hasData = !isBlank(keyCell) || tracked.some((t) => !isBlank(line[t.col]));
    let reason: string | null = null;
    if (id === null) {
      if (hasData) {
        reason = isBlank(keyCell)
          ? 'it has no Affinity entry id. Rows added in the sheet are not created in Affinity: add the entry to the list in Affinity, then pull.'
          : `its Entry ID cell holds ${show(String(keyCell))}, which is not an Affinity entry id. Put the original id back, or delete the row.`;
      }
    } else if (!snapshot.rows.has(id)) {
      reason = `entry ${id} is not one of the rows last pulled from “${input.viewName}”. Entry ids are filled in by the sync: put the original id back, or delete the row.`;
    } else if (firstRowOf.has(id)) {
      reason = `it repeats entry ${id} of row ${firstRowOf.get(id)! + 2}; only that row is synced. Delete this copy.`;
    }
    if (reason !== null) {
      scan.unsynced.push({ row: r, reason: `${NOTE_MARK}${NOT_SYNCED}${reason}` });
      return;
    }
    const keyNote = noteAt(r, keyCol);
    if (isOwnNote(keyNote) && keyNote.includes(NOT_SYNCED)) scan.staleNotes.push({ row: r, col: keyCol });
    if (id === null) return;
    firstRowOf.set(id, r);
    scan.matchedRows++;
    const base = snapshot.rows.get(id)!;
    if (nameIndex !== undefined) scan.names.set(id, base[nameIndex] ?? '');
    for (const t of tracked) {
      const local = codec.read(line[t.col] ?? '', t.spec);
      const b = base[t.si] ?? '';
      if (local === b) {
        if (isOwnNote(noteAt(r, t.col))) scan.staleNotes.push({ row: r, col: t.col });
        continue;
      }
      const edit: CellEdit = { entryId: id, row: r, col: t.col, columnId: t.id, base: b, local };
      if (!t.spec.editable) {
        scan.readOnly.push(edit);
        continue;
      }
      let entry = scan.entries.get(id);
      if (!entry) scan.entries.set(id, (entry = { row: r, edits: [] }));
      entry.edits.push(edit);
    }
  });
  return scan;
}

// ---- 2. reading Affinity's current values ------------------------------------------------------------------

export interface ReadStrategy {
  mode: 'pages' | 'entries';
  /** Requests the read costs (not counting entries that left the view). */
  requests: number;
}

/** Re-read the view's pages when more entries were edited than the view has pages, else each edited entry. */
export function readStrategy(editedEntries: number, viewEntries: number): ReadStrategy {
  const pages = Math.max(1, Math.ceil(viewEntries / MAX_PAGE_SIZE));
  if (editedEntries > pages) return { mode: 'pages', requests: pages };
  return { mode: 'entries', requests: editedEntries };
}

export type LockReason = 'truncated' | 'restricted';

/** One entry as Affinity has it now: canonical texts and raw values by column id. */
export interface RemoteEntry {
  entryId: number;
  name: string;
  texts: Map<string, string>;
  values: Map<string, FieldValue | null>;
  locked: Map<string, LockReason>;
}

export interface RemoteState {
  entries: Map<number, RemoteEntry>;
  /** Entries that could not be read, with the reason in words. */
  unreadable: Map<number, string>;
}

export function remoteEntryOf(entry: ListEntryWithEntity, ctx: CodecContext): RemoteEntry {
  const name = entityName(entry);
  const out: RemoteEntry = {
    entryId: entry.id,
    name,
    texts: new Map([[NAME_COLUMN, name]]),
    values: new Map(),
    locked: new Map(),
  };
  for (const field of entry.entity.fields ?? []) {
    const { text, truncated } = canonicalOf(field.value, field.type, ctx);
    out.texts.set(field.id, text);
    out.values.set(field.id, field.value ?? null);
    if (field.type === 'hidden') out.locked.set(field.id, 'restricted');
    else if (truncated) out.locked.set(field.id, 'truncated');
  }
  return out;
}

/** People and companies the entries mention (values, and the entries' own entities), to resolve typed names. */
export function entitiesIn(
  entries: readonly ListEntryWithEntity[],
  opts: { rows?: boolean } = {},
): { persons: PersonData[]; companies: CompanyData[] } {
  const persons = new Map<number, PersonData>();
  const companies = new Map<number, CompanyData>();
  const rows = opts.rows ?? true;
  for (const entry of entries) {
    if (!rows) {
      // only the values
    } else if (entry.type === 'company') {
      const e = entry.entity;
      if (!companies.has(e.id)) companies.set(e.id, { id: e.id, name: e.name, domain: e.domain ?? null });
    } else if (entry.type === 'person') {
      const e = entry.entity;
      if (!persons.has(e.id)) {
        persons.set(e.id, {
          id: e.id,
          firstName: e.firstName,
          lastName: e.lastName,
          primaryEmailAddress: e.primaryEmailAddress,
          type: e.type,
        });
      }
    }
    for (const field of entry.entity.fields ?? []) {
      const v = field.value;
      if (!v || v.data === null || v.data === undefined) continue;
      if (v.type === 'person') {
        if (!persons.has(v.data.id)) persons.set(v.data.id, v.data);
      } else if (v.type === 'person-multi') {
        for (const p of v.data) if (p && !persons.has(p.id)) persons.set(p.id, p);
      } else if (v.type === 'company') {
        if (!companies.has(v.data.id)) companies.set(v.data.id, v.data);
      } else if (v.type === 'company-multi') {
        for (const c of v.data) if (c && !companies.has(c.id)) companies.set(c.id, c);
      }
    }
  }
  return { persons: [...persons.values()], companies: [...companies.values()] };
}

// ---- 3. planning -----------------------------------------------------------------------------------------------

export type CellStatus =
  | 'send' // Affinity still has the base value: send the edit
  | 'overwrite' // conflict settled for the sheet: send the edit over Affinity's value
  | 'same' // Affinity already has the edited value: nothing to send, the base moves
  | 'conflict' // flagged, not sent
  | 'take-remote' // conflict settled for Affinity: the cell takes Affinity's value
  | 'invalid' // the text can't be turned into a value of the field
  | 'read-only' // a column that is never pushed
  | 'locked' // a cell cut to fit, or a restricted opportunity's field
  | 'unreadable'; // the entry could not be read from Affinity (deleted, no access)

export interface CellDecision extends CellEdit {
  fieldName: string;
  entityName: string;
  /** Affinity's canonical text now (null when the entry could not be read or the column is read-only). */
  remote: string | null;
  status: CellStatus;
  value?: FieldValueUpdate;
  /** Why the cell was not sent, in words (invalid, read-only, locked, unreadable). */
  reason?: string;
}

/** One PATCH: an entry's updates (at most 100) and the cells they come from. */
export interface PushRequest extends EntryUpdate {
  cells: CellDecision[];
}

export interface PushPlan {
  decisions: CellDecision[];
  requests: PushRequest[];
  unsynced: UnsyncedRow[];
  counts: Record<CellStatus, number> & { unsynced: number };
}

export interface PlanInput {
  listId: number;
  scan: EditScan;
  remote: RemoteState;
  columns: Map<string, ColumnSpec>;
  parse: ParseContext;
  policy: ConflictPolicy;
  choices?: readonly ConflictChoice[];
}

function sameList<T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x, i) => eq(x, b[i]));
}

function sameLocation(a: Location | null | undefined, b: Location | null | undefined): boolean {
  const parts = (l: Location | null | undefined) =>
    [l?.streetAddress, l?.city, l?.state, l?.country].map((p) => (p ?? '').trim());
  return sameList(parts(a), parts(b), (x, y) => x === y);
}

function isEmptyValue(v: FieldValue | null | undefined): boolean {
  return !v || v.data === null || v.data === undefined || (Array.isArray(v.data) && v.data.length === 0);
}

/** Whether writing `update` would leave Affinity's value `current` as it is (so nothing needs sending). */
export function sameValue(update: FieldValueUpdate, current: FieldValue | null | undefined): boolean {
  if (update.data === null) return isEmptyValue(current);
  if (!current || isEmptyValue(current) || current.type !== update.type) return false;
  const u = update as { type: string; data: unknown };
  const c = current as { type: string; data: unknown };
  const id = (x: unknown) => (x as { id: number }).id;
  const opt = (x: unknown) => (x as { dropdownOptionId: number }).dropdownOptionId;
  switch (u.type) {
    case 'text':
    case 'number':
      return u.data === c.data;
    case 'number-multi':
      return sameList(u.data as number[], c.data as number[], (x, y) => x === y);
    case 'datetime':
      try {
        return pacificDay(c.data as string) === (u.data as string).slice(0, 10);
      } catch {
        return false;
      }
    case 'dropdown':
    case 'ranked-dropdown':
      return opt(u.data) === opt(c.data);
    case 'dropdown-multi':
      return sameList(u.data as unknown[], c.data as unknown[], (x, y) => opt(x) === opt(y));
    case 'person':
    case 'company':
      return id(u.data) === id(c.data);
    case 'person-multi':
    case 'company-multi':
      return sameList(u.data as unknown[], c.data as unknown[], (x, y) => id(x) === id(y));
    case 'location':
      return sameLocation(u.data as Location, c.data as Location);
    case 'location-multi':
      return sameList(u.data as Location[], c.data as Location[], sameLocation);
    default:
      return false;
  }
}

const choiceKey = (entryId: number, columnId: string) => `${entryId}\u0000${columnId}`;

function readOnlyReason(spec: ColumnSpec | undefined): string {
  if (!spec || spec.id === NAME_COLUMN) {
    return 'The name comes from Affinity; rename it there. The next pull puts the name back.';
  }
  return `${spec.name} is read-only here (Affinity fills it, or it can't be written through the API). The next pull puts Affinity's value back.`;
}

function lockedReason(lock: LockReason): string {
  return lock === 'restricted'
    ? "This opportunity is restricted in Affinity: its fields can't be read or changed with your access."
    : "This cell shows only part of Affinity's value (it was cut to fit the sheet), so sending it would cut the rest. Change it in Affinity.";
}

export function planPush(input: PlanInput): PushPlan {
  const { scan, remote, columns, parse, policy } = input;
  const choices = new Map((input.choices ?? []).map((c) => [choiceKey(c.entryId, c.columnId), c]));
  const decisions: CellDecision[] = [];
  const requests: PushRequest[] = [];
  const nameOf = (entryId: number) => remote.entries.get(entryId)?.name ?? scan.names.get(entryId) ?? '';
  const fieldNameOf = (columnId: string) => columns.get(columnId)?.name ?? columnId;

  for (const edit of scan.readOnly) {
    decisions.push({
      ...edit,
      fieldName: fieldNameOf(edit.columnId),
      entityName: nameOf(edit.entryId),
      remote: null,
      status: 'read-only',
      reason: readOnlyReason(columns.get(edit.columnId)),
    });
  }

  for (const [entryId, { edits }] of scan.entries) {
    const unreadable = remote.unreadable.get(entryId);
    const entry = remote.entries.get(entryId);
    const toSend: CellDecision[] = [];
    for (const edit of edits) {
      const spec = columns.get(edit.columnId)!;
      const d: CellDecision = {
        ...edit,
        fieldName: spec.name,
        entityName: nameOf(entryId),
        remote: null,
        status: 'send',
      };
      decisions.push(d);
      if (!entry || !entry.texts.has(edit.columnId)) {
        d.status = 'unreadable';
        d.reason =
          unreadable ??
          'Affinity did not return this field of the entry, so it could not be checked for conflicts. Pull, then push again.';
        continue;
      }
      const lock = entry.locked.get(edit.columnId);
      const remoteText = entry.texts.get(edit.columnId) ?? '';
      d.remote = remoteText;
      if (lock) {
        d.status = 'locked';
        d.reason = lockedReason(lock);
        continue;
      }
      if (remoteText === edit.local) {
        d.status = 'same';
        continue;
      }
      const current = entry.values.get(edit.columnId) ?? null;
      const parsed = parseEdit(edit.local, fieldOfColumn(spec), parse, current);
      if (parsed.ok && sameValue(parsed.value, current)) {
        d.status = 'same';
        continue;
      }
      if (parsed.ok) d.value = parsed.value;
      else d.reason = parsed.reason;
      if (remoteText !== edit.base) {
        const choice = choices.get(choiceKey(entryId, edit.columnId));
        const effective: ConflictPolicy =
          choice && choice.remote === remoteText
            ? choice.choice === 'mine'
              ? 'sheet-wins'
              : choice.choice === 'affinity'
                ? 'affinity-wins'
                : 'flag'
            : policy;
        if (effective === 'flag') {
          d.status = 'conflict';
          continue;
        }
        if (effective === 'affinity-wins') {
          d.status = 'take-remote';
          continue;
        }
        d.status = parsed.ok ? 'overwrite' : 'invalid';
      } else {
        d.status = parsed.ok ? 'send' : 'invalid';
      }
      if (d.status !== 'invalid') toSend.push(d);
    }
    for (let i = 0; i < toSend.length; i += MAX_BATCH_UPDATES) {
      const cells = toSend.slice(i, i + MAX_BATCH_UPDATES);
      requests.push({
        listId: input.listId,
        listEntryId: entryId,
        updates: cells.map((c) => ({ id: c.columnId, value: c.value! })),
        cells,
      });
    }
  }

  const counts = {
    send: 0,
    overwrite: 0,
    same: 0,
    conflict: 0,
    'take-remote': 0,
    invalid: 0,
    'read-only': 0,
    locked: 0,
    unreadable: 0,
    unsynced: scan.unsynced.length,
  };
  for (const d of decisions) counts[d.status]++;
  return { decisions, requests, unsynced: scan.unsynced, counts };
}

// ---- sending: batch sizes from the rate-limit headers --------------------------------------------------------

export const MAX_PARALLEL_REQUESTS = 100;

/**
 * How many requests the next fetchAll may carry: never more than Affinity's per-minute remaining (nor the monthly
 * remaining, when the account has one); none when the minute is spent, with how long to wait for its reset.
 * `blocked` is set when only a new month would help.
 */
export function nextBatch(
  rate: RateLimitState,
  now: number,
  pending: number,
  maxParallel = MAX_PARALLEL_REQUESTS,
): { size: number; waitMs: number; blocked?: string } {
  let size = Math.min(pending, maxParallel);
  if (rate.orgRemaining !== undefined) {
    if (rate.orgRemaining <= 0) {
      return {
        size: 0,
        waitMs: 0,
        blocked:
          "Your Affinity account's monthly API quota is used up; the rest was not sent. Push again when it renews.",
      };
    }
    size = Math.min(size, rate.orgRemaining);
  }
  if (rate.userRemaining === undefined) return { size, waitMs: 0 };
  const resetAt = (rate.observedAt ?? now) + (rate.userResetSec ?? 60) * 1000;
  if (now >= resetAt) {
    return { size: Math.min(size, Math.max(1, rate.userLimit ?? size)), waitMs: 0 };
  }
  if (rate.userRemaining > 0) return { size: Math.min(size, rate.userRemaining), waitMs: 0 };
  return { size: 0, waitMs: Math.max(1000, resetAt - now + 500) };
}

// ---- 4. settling --------------------------------------------------------------------------------------------

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
  codec: PullCodec;
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
  const nextRows = new Map(snapshot.rows);
  const copied = new Set<number>();
  const setBase = (entryId: number, columnId: string, text: string) => {
    const i = snapIndex.get(columnId);
    const row = nextRows.get(entryId);
    if (i === undefined || !row) return;
    if (!copied.has(entryId)) {
      nextRows.set(entryId, row.slice());
      copied.add(entryId);
    }
    nextRows.get(entryId)![i] = text;
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

// ---- preview ------------------------------------------------------------------------------------------------

export function previewOf(plan: PushPlan): PreviewData {
  const out: PreviewData = {
    changes: [],
    conflicts: [],
    invalid: [],
    notSent: [],
    notSynced: [],
    alreadyInAffinity: 0,
  };
  for (const d of plan.decisions) {
    const who = { entryId: d.entryId, entity: d.entityName, field: d.fieldName };
    switch (d.status) {
      case 'send':
      case 'overwrite':
        out.changes.push({ ...who, old: d.remote ?? d.base, new: d.local, overwrites: d.status === 'overwrite' });
        if (d.status === 'overwrite') {
          out.conflicts.push({
            ...who,
            columnId: d.columnId,
            base: d.base,
            mine: d.local,
            affinity: d.remote ?? '',
            outcome: 'mine',
          });
        }
        break;
      case 'conflict':
      case 'take-remote':
        out.conflicts.push({
          ...who,
          columnId: d.columnId,
          base: d.base,
          mine: d.local,
          affinity: d.remote ?? '',
          outcome: d.status === 'conflict' ? 'skip' : 'affinity',
        });
        break;
      case 'invalid':
        out.invalid.push({ ...who, value: d.local, reason: d.reason ?? '' });
        break;
      case 'read-only':
      case 'locked':
      case 'unreadable':
        out.notSent.push({ ...who, value: d.local, reason: d.reason ?? '' });
        break;
      case 'same':
        out.alreadyInAffinity++;
        break;
    }
  }
  out.notSynced = plan.unsynced.map((u) => ({ row: u.row + 2, reason: u.reason.slice(NOTE_MARK.length) }));
  return out;
}
