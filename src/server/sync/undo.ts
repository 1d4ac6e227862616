/**
 * Affinity › Undo last push…: puts back, in Affinity and in the tab, the values the tab's last push replaced, cell
 * by cell, only where Affinity still holds the value that push wrote (engine/undo.ts). Entries the push added stay
 * on the list. The change log records the undo (so the same push is not undone twice).
 *
 * Requests: one GET per entry the push changed (its changed fields) or added (for the link to its record), whoami
 * when the push added entries and the account's subdomain is not cached (6 hours, document cache), dropdown options
 * of the changed fields when not cached, then one `update-fields` PATCH per entry with cells to restore, in fetchAll
 * batches sized by the rate-limit headers.
 */
import type { AffinityClient } from '../affinity/client';
import { AffinityError } from '../affinity/errors';
import type { DropdownOption, ListEntryWithEntity } from '../affinity/types';
import { recordUrl } from '../engine/affinityLinks';
import { parseEdit, type ParseContext } from '../engine/codecs';
import { entitiesIn, mergeDirectories, unpackDirectory } from '../engine/directory';
import { KEY_COLUMN, entryIdOf, type SheetCell } from '../engine/layout';
import { fieldOfColumn } from '../engine/push/plan';
import { remoteEntryOf, type RemoteEntry } from '../engine/push/read';
import { blocksFromChanges, type Changes } from '../engine/blocks';
import { ADDED_FIELD, NOT_UNDONE, UNDONE, lastPushOf, notUndoneReason, planUndo, type UndoCell } from '../engine/undo';
import { appendChangeLog, readChangeLog } from '../gas/changeLog';
import { writeBlocks } from '../gas/pushSheet';
import { readSnapshot, writeSnapshot } from '../gas/snapshotStore';
import { readTab } from '../gas/tab';
import { copyRows, PackedRows } from '../engine/packedRows';
import { checkBase, commitBase, stageBase } from './baseGuard';
import type { UndoPreview, UndoSummary } from '../../shared/push';
import type { Binding } from './bindings';
import type { PushDeps } from './push';
import { sendInBatches } from './push';
import { directoryKey, dropdownOptionsOf, getCachedJson, loadColumnSpecs } from './pushStore';
import { codecContext, sheetOf, tabCodec } from './tabContext';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

interface Checked {
  tabName: string;
  time: string | null;
  cells: UndoCell[];
  added: { entryId: number; entity: string; url: string | null }[];
  remote: Map<number, RemoteEntry>;
  entries: ListEntryWithEntity[];
  client: AffinityClient | null;
}

function check(ss: Spreadsheet, binding: Binding, deps: PushDeps): Checked {
  const sheet = sheetOf(ss, binding);
  const tabName = sheet.getName();
  const push = lastPushOf(readChangeLog(ss), tabName);
  const out: Checked = { tabName, time: null, cells: [], added: [], remote: new Map(), entries: [], client: null };
  if (!push) return out;
  out.time = push.time;
  out.added = push.added.map((a) => ({ entryId: a.entryId, entity: a.entity, url: null }));
  const specs = loadColumnSpecs(deps.doc, binding.sheetId) ?? new Map();
  const byName = new Map([...specs.values()].map((s) => [s.name, s.id]));
  const fieldsOf = new Map<number, Set<string>>();
  for (const r of push.sent) {
    const id = byName.get(r.field);
    if (!id) continue;
    fieldsOf.set(r.entryId, (fieldsOf.get(r.entryId) ?? new Set()).add(id));
  }
  const ids = [...new Set([...fieldsOf.keys(), ...out.added.map((a) => a.entryId)])];
  if (ids.length > 0) {
    const client = (out.client = deps.client());
    const ctx = codecContext(ss);
    const sent = sendInBatches(client, deps.clock, ids, (batch) =>
      client.sendAll<ListEntryWithEntity>(
        batch.map((id) => ({
          method: 'get',
          path: `/v2/lists/${binding.listId}/list-entries/${id}${[...(fieldsOf.get(id) ?? [])]
            .map((f, i) => `${i === 0 ? '?' : '&'}fieldIds=${encodeURIComponent(f)}`)
            .join('')}`,
          purpose: 'read-entries',
          what: 'list entry',
        })),
      ),
    );
    sent.outcomes.forEach((o) => {
      if (o.ok) {
        out.entries.push(o.value);
        out.remote.set(o.value.id, remoteEntryOf(o.value, ctx));
      } else if (o.error.kind === 'auth' || o.error.kind === 'rate-limit' || o.error.kind === 'network') throw o.error;
    });
  }
  if (out.added.length > 0 && out.client) {
    const subdomain = tenantSubdomain(out.client, deps);
    const entityOf = new Map(out.entries.map((e) => [e.id, e]));
    for (const a of out.added) {
      const e = entityOf.get(a.entryId);
      if (e) a.url = recordUrl(subdomain, e.type, e.entity.id);
    }
  }
  out.cells = planUndo(
    push,
    (name) => byName.get(name) ?? null,
    (entryId, columnId) => out.remote.get(entryId)?.texts.get(columnId) ?? null,
  );
  return out;
}

const SUBDOMAIN_KEY = 'affinity.tenant.subdomain';

/** The account's subdomain (for links to records): from the document cache, else whoami (then cached 6 hours). */
function tenantSubdomain(client: AffinityClient, deps: PushDeps): string | null {
  const cached = deps.cache?.getAll([SUBDOMAIN_KEY])[SUBDOMAIN_KEY];
  if (cached) return cached;
  try {
    const subdomain = client.whoami().tenant.subdomain;
    if (subdomain) deps.cache?.putAll({ [SUBDOMAIN_KEY]: subdomain }, 6 * 3600);
    return subdomain || null;
  } catch (e) {
    if (e instanceof AffinityError && (e.kind === 'auth' || e.kind === 'rate-limit')) throw e;
    return null;
  }
}

function previewOf(c: Checked, binding: Binding): UndoPreview {
  return {
    tabName: c.tabName,
    pushedAt: c.time,
    restore: c.cells
      .filter((x) => x.status === 'restore')
      .map((x) => ({ entryId: x.entryId, entity: x.entity, field: x.field, from: x.new, to: x.old })),
    notUndone: c.cells
      .filter((x) => x.status !== 'restore')
      .map((x) => ({
        entryId: x.entryId,
        entity: x.entity,
        field: x.field,
        pushed: x.new,
        affinity: x.now,
        reason: notUndoneReason(x),
      })),
    addedEntries: c.added.map((a) => ({ ...a, list: binding.listName })),
  };
}

/** What undoing the tab's last push would do now; changes nothing. */
export function previewUndo(ss: Spreadsheet, binding: Binding, deps: PushDeps): UndoPreview {
  return previewOf(check(ss, binding, deps), binding);
}

export function undoLastPush(
  ss: Spreadsheet,
  binding: Binding,
  deps: PushDeps,
  opts: { user: string; timestamp: () => string },
): UndoSummary {
  const c = check(ss, binding, deps);
  const preview = previewOf(c, binding);
  const toRestore = c.cells.filter((x) => x.status === 'restore');
  const failed: UndoCell[] = [];
  const done: UndoCell[] = [];
  if (toRestore.length > 0 && c.client) {
    const client = c.client;
    const specs = loadColumnSpecs(deps.doc, binding.sheetId) ?? new Map();
    const dropdowns = new Set(['dropdown', 'ranked-dropdown', 'dropdown-multi']);
    const fields = [
      ...new Set(toRestore.map((x) => x.columnId!).filter((id) => dropdowns.has(specs.get(id)?.valueType ?? ''))),
    ];
    const opt = dropdownOptionsOf(() => client, deps.cache, binding.listId, fields, deps.clock.now());
    const cachedDir = deps.cache
      ? unpackDirectory(getCachedJson(deps.cache, [directoryKey(binding.listId)]).get(directoryKey(binding.listId)))
      : null;
    const dir = mergeDirectories(entitiesIn(c.entries), cachedDir);
    const parse: ParseContext = {
      dropdownOptions: (fieldId) => opt.options.get(fieldId) ?? ([] as DropdownOption[]),
      knownPersons: dir.persons,
      knownCompanies: dir.companies,
    };
    const byEntry = new Map<number, { cells: UndoCell[]; updates: { id: string; value: never }[] }>();
    for (const x of toRestore) {
      const spec = specs.get(x.columnId!);
      const current = c.remote.get(x.entryId)?.values.get(x.columnId!) ?? null;
      const parsed = spec ? parseEdit(x.old, fieldOfColumn(spec), parse, current) : null;
      if (!parsed || !parsed.ok) {
        failed.push(x);
        continue;
      }
      const e = byEntry.get(x.entryId) ?? { cells: [], updates: [] };
      e.cells.push(x);
      e.updates.push({ id: x.columnId!, value: parsed.value as never });
      byEntry.set(x.entryId, e);
    }
    const requests = [...byEntry.entries()].map(([entryId, e]) => ({
      listId: binding.listId,
      listEntryId: entryId,
      updates: e.updates,
    }));
    const sent = sendInBatches(client, deps.clock, requests, (batch) => client.updateEntries(batch));
    sent.outcomes.forEach((o, i) => {
      const cells = byEntry.get(requests[i].listEntryId)!.cells;
      (o.ok ? done : failed).push(...cells);
    });
  }

  // The tab and the base: restored cells take the old value (a cell edited in the sheet since keeps the edit).
  if (done.length > 0) {
    const sheet = sheetOf(ss, binding);
    // A large tab and its base are read packed, as a push reads them (docs/push.md, "Large tabs").
    const tab = readTab(sheet, { packed: 'large' });
    const stored = readSnapshot(ss, binding.sheetId, { packed: 'large' });
    const specs = loadColumnSpecs(deps.doc, binding.sheetId) ?? new Map();
    const codec = tabCodec(codecContext(ss));
    const keyCol = tab.columnOf.get(KEY_COLUMN);
    const rowOf = new Map<number, number>();
    if (keyCol !== undefined)
      tab.values.forEach((line, r) => {
        const id = entryIdOf(line[keyCol]);
        if (id !== null && !rowOf.has(id)) rowOf.set(id, r);
      });
    const changes: Changes<SheetCell> = new Map();
    const rows = stored ? copyRows(stored.snapshot.rows) : null;
    if (rows instanceof PackedRows) rows.prefetch(done.map((x) => x.entryId));
    // In the tab's order: a packed tab opens each of its slices once.
    const inTabOrder = done
      .map((x) => ({ x, r: rowOf.get(x.entryId) ?? Infinity }))
      .sort((a, b) => a.r - b.r)
      .map((d) => d.x);
    for (const x of inTabOrder) {
      const spec = specs.get(x.columnId!);
      const col = tab.columnOf.get(x.columnId!);
      const r = rowOf.get(x.entryId);
      if (spec && col !== undefined && r !== undefined && codec.read(tab.values[r][col] ?? '', spec) === x.new) {
        let m = changes.get(col);
        if (!m) changes.set(col, (m = new Map()));
        m.set(r, codec.write(x.old, spec));
      }
      const si = stored?.snapshot.columns.indexOf(x.columnId!) ?? -1;
      const base = rows?.get(x.entryId);
      if (rows && base && si >= 0) {
        const copy = base.slice();
        copy[si] = x.old;
        rows.set(x.entryId, copy);
      }
    }
    if (changes.size > 0)
      writeBlocks(
        sheet,
        blocksFromChanges(changes, (r, col) => tab.values[r]?.[col] ?? ''),
        [],
      );
    if (stored && rows) {
      // The base's digest moves with it (sync/baseGuard.ts), so that the rows undone stay verified for the next push;
      // buckets that did not verify before keep their old sums.
      const next = { columns: stored.snapshot.columns, rows };
      const digest = stageBase(deps.doc, binding.sheetId, next, checkBase(deps.doc, binding.sheetId, stored.snapshot));
      writeSnapshot(ss, binding.sheetId, next, stored);
      commitBase(deps.doc, binding.sheetId, digest);
    }
  }

  const time = opts.timestamp();
  const line = (x: UndoCell, result: string) => ({
    time,
    user: opts.user,
    tab: c.tabName,
    entryId: x.entryId,
    entity: x.entity,
    field: x.field,
    old: x.now ?? x.new,
    new: x.old,
    result,
  });
  const log = [
    ...done.map((x) => line(x, `${UNDONE} (push of ${c.time ?? ''})`)),
    ...failed.map((x) => line(x, `${NOT_UNDONE}: Affinity refused the previous value`)),
    ...c.cells.filter((x) => x.status !== 'restore').map((x) => line(x, `${NOT_UNDONE}: ${notUndoneReason(x)}`)),
    ...c.added.map((a) => ({
      time,
      user: opts.user,
      tab: c.tabName,
      entryId: a.entryId,
      entity: a.entity,
      field: ADDED_FIELD,
      old: '',
      new: a.entity,
      result: `${NOT_UNDONE}: entries are never deleted; it stays on ${binding.listName}`,
    })),
  ];
  if (c.time !== null && log.length > 0) appendChangeLog(ss, log);
  if (c.time === null)
    throw new AffinityError('config', `“${c.tabName}” has no push to undo (or its last push was undone already).`);
  return {
    ...preview,
    restored: done.length,
    failed: failed.length,
    message:
      `${c.tabName}: ${done.length} ${done.length === 1 ? 'value' : 'values'} put back` +
      (preview.notUndone.length + failed.length > 0
        ? `; ${preview.notUndone.length + failed.length} not undone (see the change log)`
        : '') +
      (preview.addedEntries.length > 0
        ? `; ${preview.addedEntries.length} added ${preview.addedEntries.length === 1 ? 'entry stays' : 'entries stay'} on ${binding.listName}`
        : '') +
      '.',
  };
}
