/**
 * New rows of a push (engine/push/newRows.ts finds them): find each row's entity with Affinity's search endpoints
 * (beta), bind the row to the entity's entry when the entity is already on the list, else create the entry
 * (`POST /v2/lists/{listId}/list-entries`, beta; opportunity lists: API v1 `POST /opportunities`), and write the
 * Entry ID into the row at once. The row's field values then go out with the push's edits (one PATCH per entry),
 * compared with an empty base: a created entry has every field empty, so they are sent; a bound entry's values
 * follow the conflict rules.
 *
 * Exactly once, and an entity already on the list is bound, not added again (Affinity lets an entity be on a list
 * more than once, so the create would not refuse it): the search asks for each record's `Lists` field
 * (`fieldIds=lists`), which says the lists it is on. A record on none of them is created without more requests.
 * The entries of the list are looked up only for records that the answer says are on the list, whose answer does not
 * say (no `Lists` field, or too many lists), or that a push of this tab sent a create for before (a journal of the
 * entities, written before each create batch: a push killed after sending it, and Affinity's reads may lag a write).
 * The new entry ids are recorded in a journal (document properties) and written into the rows as soon as Affinity
 * answers, before any PATCH. A push killed after the create finds the entry again and never creates it twice.
 *
 * Requests: one search per new row (a typed Affinity id: one GET of that record), the lookups above (none in the
 * common case), one create per new entry; all in fetchAll batches sized by the rate-limit headers (the `send` the
 * push passes in).
 */
import type { AffinityClient, Outcome, RequestSpec } from '../affinity/client';
import { AffinityError } from '../affinity/errors';
import type { ListEntryWithEntity, ListType, Paged } from '../affinity/types';
import { KEY_COLUMN, NAME_COLUMN, NOTE_MARK } from '../engine/layout';
import {
  LISTS_FIELD,
  entityNameOf,
  findNewRows,
  listedOn,
  resolveEntity,
  searchTermOf,
  type Entity,
  type NewRow,
} from '../engine/push/newRows';
import type { Snapshot, TabState } from '../engine/tabState';
import type { KeyValueStore } from '../ports';
import type { Binding } from './bindings';

export type BatchSender = <S, T>(
  items: S[],
  send: (batch: S[]) => Outcome<T>[],
) => { outcomes: Outcome<T>[]; batches: number };

export interface AddedRow {
  /** 0-based data row. */
  row: number;
  entryId: number;
  entity: string;
  /** Created by this push (false: bound to an entry already on the list). */
  created: boolean;
}

export interface NewRowsResult {
  /** Rows bound to an entry by this push (created or found on the list); in a dry run, what would be. */
  added: AddedRow[];
  /**
   * Entries a push of this tab created before (journal) whose rows hold their id but which the base did not know yet
   * (the push was killed before writing it): adopted with empty values, like a row added now.
   */
  adopted: number[];
  /** The entries created, as Affinity answered (every field empty): the push's conflict check needs no read. */
  created: ListEntryWithEntity[];
  /** Rows left as they are, with the note to put on them. */
  notes: Map<number, string>;
  /** Cells to write into the tab now (Entry ID and the entity's name). */
  cells: { row: number; col: number; value: string | number }[];
  /** Requests sent (searches, the existence check, creates), and of them the creates. */
  requests: number;
  creates: number;
  batches: number;
}

/** A result with nothing added, sent or noted yet. */
export function noNewRows(): NewRowsResult {
  return { added: [], adopted: [], created: [], notes: new Map(), cells: [], requests: 0, creates: 0, batches: 0 };
}

export interface NewRowsInput {
  tab: TabState;
  /** The base snapshot; rows of the entries bound here are added to it (empty values, the entity's name). */
  snapshot: Snapshot;
  binding: Binding;
  client: () => AffinityClient;
  send: BatchSender;
  doc: KeyValueStore;
  /** Preview: search and check, create nothing, write nothing. */
  dryRun: boolean;
}

const JOURNAL_MAX = 2000;
const journalKey = (sheetId: number) => `affinity.created.${sheetId}`;
const sentKey = (sheetId: number) => `affinity.creating.${sheetId}`;

function loadIds(doc: KeyValueStore, key: string): number[] {
  try {
    const parsed = JSON.parse(doc.get(key) ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter((x): x is number => typeof x === 'number') : [];
  } catch {
    return [];
  }
}

function addIds(doc: KeyValueStore, key: string, ids: number[]): void {
  if (ids.length === 0) return;
  const all = [...loadIds(doc, key), ...ids];
  doc.set(key, JSON.stringify(all.slice(-JOURNAL_MAX)));
}

/** Entry ids this tab's pushes created (the newest JOURNAL_MAX), so a push killed before the base was written adopts them. */
export function loadJournal(doc: KeyValueStore, sheetId: number): number[] {
  return loadIds(doc, journalKey(sheetId));
}

const addToJournal = (doc: KeyValueStore, sheetId: number, ids: number[]) => addIds(doc, journalKey(sheetId), ids);

/** Unbinding: the tab's journals of entries added and creates sent go. */
export function forgetJournals(doc: KeyValueStore, sheetId: number): void {
  doc.delete(journalKey(sheetId));
  doc.delete(sentKey(sheetId));
}

const entityPath = (type: ListType) => (type === 'person' ? 'persons' : 'companies');

function searchSpec(type: ListType, row: NewRow): RequestSpec {
  const term = searchTermOf(row.ref);
  if (term === null && row.ref.kind === 'id')
    return {
      method: 'get',
      path: `/v2/${entityPath(type)}/${row.ref.id}?fieldIds=${LISTS_FIELD}`,
      purpose: 'read-entries',
      what: type,
    };
  return {
    method: 'post',
    path: `/v2/${entityPath(type)}/search?limit=100&fieldIds=${LISTS_FIELD}`,
    body: { search: { term } },
    purpose: 'read-entries',
    what: type,
  };
}

function failureNote(listName: string, error: AffinityError): string {
  const why =
    error.status === 404
      ? "Affinity's API for this account does not offer the (beta) endpoints that find records and add entries (404). Add the entry in Affinity, then pull."
      : error.status === 400 && /required/i.test(error.message)
        ? // Affinity refuses every API add to a list with a required field: the endpoint takes no values
          // (developer.affinity.co, "Add a List Entry to a List", 2026-09-17).
          `the list has a required field, and Affinity's API cannot fill it when adding an entry. ${error.message} ` +
          'Add the entry in Affinity (or make the field optional there), then pull; this row and its values stay here until then.'
        : error.message;
  return `${NOTE_MARK}this row is new and was not added to “${listName}”: ${why}`;
}

/** The base row of an entry bound to a new row: its name, every field empty. */
function baseRow(snapshot: Snapshot, name: string): string[] {
  return snapshot.columns.map((id) => (id === NAME_COLUMN ? name : ''));
}

/**
 * Which entry of the list holds each entity, for the entities given (the lookup before creating). `knownEntries`:
 * how many entries the list has at least (the rows the view served), so that the list's pages are read only while
 * they may cost fewer requests than one per entity.
 */
function existingEntries(
  client: AffinityClient,
  send: BatchSender,
  binding: Binding,
  entityIds: number[],
  knownEntries: number,
): Map<number, number> {
  const out = new Map<number, number>();
  if (entityIds.length === 0) return out;
  const wanted = new Set(entityIds);
  // The list page by page while that costs no more than one request per entity; else one request per entity.
  let url: string | null =
    Math.ceil((knownEntries + 1) / 100) < entityIds.length
      ? `/v2/lists/${binding.listId}/list-entries?limit=100`
      : null;
  let pages = 0;
  const seen = new Map<number, number>();
  try {
    while (url && pages < entityIds.length) {
      const page: Paged<ListEntryWithEntity> = client.send<Paged<ListEntryWithEntity>>({
        method: 'get',
        path: url,
        purpose: 'read-entries',
        what: 'list',
      });
      pages++;
      for (const e of page.data ?? [])
        if (wanted.has(e.entity.id) && !seen.has(e.entity.id)) seen.set(e.entity.id, e.id);
      url = page.pagination?.nextUrl ?? null;
      if (!url) return seen;
    }
  } catch (e) {
    if (!(e instanceof AffinityError) || e.kind !== 'permission') throw e;
  }
  const type = binding.listType;
  const got = send(entityIds, (batch) =>
    client.sendAll<Paged<{ id: number; listId: number }>>(
      batch.map((id) => ({
        method: 'get',
        path: `/v2/${entityPath(type)}/${id}/list-entries?limit=100`,
        purpose: 'read-entries',
        what: type,
      })),
    ),
  );
  got.outcomes.forEach((o, i) => {
    if (!o.ok) throw o.error;
    const hit = (o.value.data ?? []).find((x) => x.listId === binding.listId);
    if (hit) out.set(entityIds[i], hit.id);
  });
  return out;
}

export function addNewRows(input: NewRowsInput): NewRowsResult {
  const { tab, snapshot, binding, doc } = input;
  const result = noNewRows();
  const keyCol = tab.columnOf.get(KEY_COLUMN);
  const nameCol = tab.columnOf.get(NAME_COLUMN);
  if (keyCol === undefined || nameCol === undefined) return result;

  // Rows holding an id a killed push created but whose base was not written yet: adopt them.
  const journal = new Set(loadJournal(doc, binding.sheetId));
  if (journal.size > 0) {
    tab.values.forEach((line) => {
      const id = Number(line[keyCol]);
      if (journal.has(id) && !snapshot.rows.has(id)) {
        snapshot.rows.set(id, baseRow(snapshot, String(line[nameCol] ?? '')));
        result.adopted.push(id);
      }
    });
  }

  const rows = findNewRows(tab, binding.listType);
  if (rows.length === 0) return result;
  if (binding.listType === 'opportunity') return addOpportunities(input, rows, result, keyCol, nameCol);

  const client = input.client();
  const start = client.requestsSent;
  const type = binding.listType;
  const found = input.send(rows, (batch) => client.sendAll<unknown>(batch.map((r) => searchSpec(type, r))));
  result.batches += found.batches;

  const resolved: { row: NewRow; entity: Entity }[] = [];
  const firstRowOf = new Map<number, number>();
  found.outcomes.forEach((o, i) => {
    const row = rows[i];
    if (!o.ok) {
      if (o.error.kind === 'not-found' && row.ref.kind === 'id') {
        const none = resolveEntity(row.ref, [], binding.listName);
        if (!none.ok) result.notes.set(row.row, none.note);
        return;
      }
      if (o.error.kind === 'auth' || o.error.kind === 'rate-limit' || o.error.kind === 'network') throw o.error;
      result.notes.set(row.row, failureNote(binding.listName, o.error));
      return;
    }
    const value = o.value as Paged<Entity> | Entity;
    const list = 'data' in value && Array.isArray(value.data) ? value.data : [value as Entity];
    const r = resolveEntity(row.ref, list, binding.listName);
    if (!r.ok) {
      result.notes.set(row.row, r.note);
      return;
    }
    const first = firstRowOf.get(r.entity.id);
    if (first !== undefined) {
      result.notes.set(
        row.row,
        `${NOTE_MARK}this row is new but names ${entityNameOf(r.entity)} like row ${first + 2}; only that row is added. Delete this copy.`,
      );
      return;
    }
    firstRowOf.set(r.entity.id, row.row);
    resolved.push({ row, entity: r.entity });
  });

  // Entries already on the list: bind to them (their values go out as edits, under the conflict rules). Looked up
  // only where the search's `Lists` field does not rule it out, or a create for the entity was sent before.
  const sentBefore = new Set(loadIds(doc, sentKey(binding.sheetId)));
  const onList = existingEntries(
    client,
    input.send,
    binding,
    resolved
      .filter((x) => listedOn(x.entity, binding.listId) !== false || sentBefore.has(x.entity.id))
      .map((x) => x.entity.id),
    snapshot.rows.size,
  );
  const rowOfEntry = new Map<number, number>();
  tab.values.forEach((line, r) => {
    const id = Number(line[keyCol]);
    if (Number.isInteger(id) && id > 0) rowOfEntry.set(id, r);
  });
  const toCreate: { row: NewRow; entity: Entity }[] = [];
  for (const x of resolved) {
    const entryId = onList.get(x.entity.id);
    if (entryId === undefined) {
      toCreate.push(x);
      continue;
    }
    const other = rowOfEntry.get(entryId);
    if (other !== undefined) {
      result.notes.set(
        x.row.row,
        `${NOTE_MARK}this row is new but ${entityNameOf(x.entity)} is already on “${binding.listName}”, in row ${other + 2}. Edit that row, or delete this one.`,
      );
      continue;
    }
    result.added.push({ row: x.row.row, entryId, entity: entityNameOf(x.entity), created: false });
  }

  if (input.dryRun) {
    for (const x of toCreate)
      result.added.push({ row: x.row.row, entryId: 0, entity: entityNameOf(x.entity), created: true });
    result.requests = client.requestsSent - start;
    return result;
  }

  const made = input.send(toCreate, (batch) => {
    // Written before the batch goes out: a push killed before the answers are recorded looks these up next time.
    addIds(
      doc,
      sentKey(binding.sheetId),
      batch.map((x) => x.entity.id),
    );
    const outcomes = client.sendAll<ListEntryWithEntity>(
      batch.map((x) => ({
        method: 'post',
        path: `/v2/lists/${binding.listId}/list-entries`,
        body: { entity: { id: x.entity.id } },
        purpose: 'write',
        what: 'list entry',
      })),
    );
    // Recorded before anything else, so that a push killed from here on adopts the entries instead of creating again.
    addToJournal(
      doc,
      binding.sheetId,
      outcomes.flatMap((o) => (o.ok ? [o.value.id] : [])),
    );
    return outcomes;
  });
  result.batches += made.batches;
  result.creates = made.outcomes.length;
  made.outcomes.forEach((o, i) => {
    const x = toCreate[i];
    if (!o.ok) {
      if (o.error.kind === 'auth') throw o.error;
      result.notes.set(x.row.row, failureNote(binding.listName, o.error));
      return;
    }
    result.created.push(o.value);
    result.added.push({ row: x.row.row, entryId: o.value.id, entity: entityNameOf(x.entity), created: true });
  });
  result.requests = client.requestsSent - start;
  bindRows(result, input, keyCol, nameCol);
  return result;
}

/**
 * Puts each added entry's id and name into its row (in memory, and as cells to write) and its base row. Entries
 * matched to one already on the list join the journal too (created ones are in it already): a pull keeps their
 * rows when the view does not include them.
 */
function bindRows(result: NewRowsResult, input: NewRowsInput, keyCol: number, nameCol: number): void {
  const { tab, snapshot } = input;
  addToJournal(
    input.doc,
    input.binding.sheetId,
    result.added.filter((a) => !a.created).map((a) => a.entryId),
  );
  for (const a of result.added) {
    // The row is replaced, not changed in place (a large tab's rows are packed: engine/packedLines.ts).
    const line = tab.values[a.row].slice();
    line[keyCol] = a.entryId;
    line[nameCol] = a.entity;
    tab.values[a.row] = line;
    result.cells.push({ row: a.row, col: keyCol, value: a.entryId });
    result.cells.push({ row: a.row, col: nameCol, value: a.entity });
    if (!snapshot.rows.has(a.entryId)) snapshot.rows.set(a.entryId, baseRow(snapshot, a.entity));
  }
}

// ---- opportunity lists: API v1 ------------------------------------------------------------------------------------

interface V1Opportunity {
  id: number;
  name: string;
  list_entries?: { id: number; list_id: number; created_at?: string; creator_id?: number | null }[];
}

/**
 * Opportunity lists have no create in API v2 (2026-09-17): `POST /opportunities` of API v1 creates the opportunity
 * with its list entry. The opportunity is named by the name cell; the check before creating looks for an opportunity
 * of the list with exactly that name that no row holds (a push killed after the create).
 */
function addOpportunities(
  input: NewRowsInput,
  rows: NewRow[],
  result: NewRowsResult,
  keyCol: number,
  nameCol: number,
): NewRowsResult {
  const { tab, binding, doc } = input;
  const client = input.client();
  const start = client.requestsSent;
  const held = new Set<number>();
  tab.values.forEach((line) => {
    const id = Number(line[keyCol]);
    if (Number.isInteger(id) && id > 0) held.add(id);
  });
  // Existing opportunities of the list that no row holds, by exact name.
  const free = new Map<string, number[]>();
  let url: string | null = `/v2/lists/${binding.listId}/list-entries?limit=100`;
  while (url) {
    const page: Paged<ListEntryWithEntity> = client.send<Paged<ListEntryWithEntity>>({
      method: 'get',
      path: url,
      purpose: 'read-entries',
      what: 'list',
    });
    result.batches++;
    for (const e of page.data ?? []) {
      if (held.has(e.id)) continue;
      const key = (e.entity as { name?: string }).name?.trim().toLowerCase() ?? '';
      free.set(key, [...(free.get(key) ?? []), e.id]);
    }
    url = page.pagination?.nextUrl ?? null;
  }
  const toCreate: NewRow[] = [];
  const names = new Set<string>();
  for (const r of rows) {
    const key = r.typed.toLowerCase();
    if (names.has(key)) {
      result.notes.set(
        r.row,
        `${NOTE_MARK}this row is new but has the same name as another new row; only that one is added. Rename or delete this copy.`,
      );
      continue;
    }
    names.add(key);
    const existing = free.get(key);
    if (existing && existing.length > 0) {
      result.added.push({ row: r.row, entryId: existing.shift()!, entity: r.typed, created: false });
      continue;
    }
    toCreate.push(r);
  }
  if (input.dryRun) {
    for (const r of toCreate) result.added.push({ row: r.row, entryId: 0, entity: r.typed, created: true });
    result.requests = client.requestsSent - start;
    return result;
  }
  const made = input.send(toCreate, (batch) => {
    const outcomes = client.sendAll<V1Opportunity>(
      batch.map((r) => ({
        method: 'post',
        path: '/opportunities',
        body: { name: r.typed, list_id: binding.listId },
        purpose: 'write',
        what: 'opportunity',
      })),
    );
    addToJournal(
      doc,
      binding.sheetId,
      outcomes.flatMap((o) => (o.ok ? (o.value.list_entries ?? []).map((e) => e.id) : [])),
    );
    return outcomes;
  });
  result.batches += made.batches;
  result.creates = made.outcomes.length;
  made.outcomes.forEach((o, i) => {
    const r = toCreate[i];
    if (!o.ok) {
      if (o.error.kind === 'auth') throw o.error;
      result.notes.set(r.row, failureNote(binding.listName, o.error));
      return;
    }
    const entry = (o.value.list_entries ?? []).find((e) => e.list_id === binding.listId);
    if (!entry) {
      result.notes.set(
        r.row,
        `${NOTE_MARK}Affinity created the opportunity ${o.value.id} but did not say its entry on “${binding.listName}”. Pull to see it.`,
      );
      return;
    }
    result.added.push({ row: r.row, entryId: entry.id, entity: o.value.name, created: true });
    // A new opportunity's fields are empty (v1 sets only the name): its remote state for the conflict check.
    result.created.push({
      id: entry.id,
      listId: binding.listId,
      createdAt: entry.created_at ?? '',
      creatorId: entry.creator_id ?? null,
      type: 'opportunity',
      entity: {
        id: o.value.id,
        name: o.value.name,
        listId: binding.listId,
        isRedacted: false,
        isRestricted: false,
        fields: [],
      },
    });
  });
  result.requests = client.requestsSent - start;
  bindRows(result, input, keyCol, nameCol);
  return result;
}
