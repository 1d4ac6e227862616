/**
 * Push, step 3: a three-way merge per edited cell of base (snapshot), local (tab) and remote (Affinity now):
 * remote = base → send; remote = local → nothing to send; otherwise a conflict, settled by the policy or the
 * person's choice. Read-only columns, cells cut to fit or hidden by Affinity, and values that can't be parsed are
 * never sent. The plan is one PATCH per edited entry. Pure.
 */
import type { EntryUpdate } from '../../affinity/client';
import type { FieldMetadata, FieldValue, FieldValueUpdate, Location } from '../../affinity/types';
import { MAX_BATCH_UPDATES } from '../../affinity/types';
import { parseEdit, type ParseContext } from '../codecs';
import { pacificDay } from '../dates';
import { NAME_COLUMN, type ColumnSpec } from '../layout';
import type { ConflictChoice, ConflictPolicy } from '../policy';
import type { LockReason, RemoteState } from './read';
import type { CellEdit, EditScan, UnsyncedRow } from './scan';

/** The FieldMetadata parseEdit needs, from a column spec. */
export function fieldOfColumn(spec: ColumnSpec): FieldMetadata {
  return {
    id: spec.id,
    name: spec.name,
    type: spec.kind === 'system' || spec.kind === 'hidden' ? 'list' : spec.kind,
    enrichmentSource: null,
    valueType: spec.valueType,
    createdAt: null,
    description: null,
    isRequired: false,
  };
}

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
