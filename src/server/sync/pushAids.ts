/**
 * What each pull prepares for push (a hook called by sync/pull.ts after the tab is written):
 * - the synced columns' types, so a push finds edits without any request;
 * - the people and companies seen in the view (document cache), so a typed name resolves to an id;
 * - the dropdown options of dropdown columns (one fetchAll round, cached) and the tab's in-sheet validation for
 *   dropdown and ranked-dropdown columns (warning only), refreshed on every pull.
 * A failure here never fails the pull: push fetches what it misses.
 */
import type { AffinityClient } from '../affinity/client';
import type { ListEntryWithEntity } from '../affinity/types';
import { directoryOf, packDirectory, type Directory } from '../engine/directory';
import type { RemoteRow } from '../engine/remote';
import type { ColumnSpec } from '../engine/layout';
import { documentCache } from '../gas/cache';
import { documentStore, userStore } from '../gas/platform';
import { setDropdownValidation } from '../gas/tab';
import type { LogPort } from '../ports';
import type { Binding } from './bindings';
import { directoryKey, dropdownOptionsOf, loadPolicy, putCachedJson, saveColumnSpecs } from './pushStore';
import type { ConflictPolicy } from '../engine/policy';

/** The conflict policy pulls follow (the same setting as push). */
export function pullPolicy(): ConflictPolicy {
  return loadPolicy(userStore());
}

/** Columns whose in-sheet validation lists the field's options: single-choice dropdowns a person can edit. */
export function dropdownColumns(columns: readonly ColumnSpec[]): ColumnSpec[] {
  return columns.filter((c) => c.editable && (c.valueType === 'dropdown' || c.valueType === 'ranked-dropdown'));
}

export function refreshPushAids(
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  binding: Binding,
  client: AffinityClient,
  log: LogPort,
  view: {
    columns: ColumnSpec[];
    /** Columns out of the view whose base the snapshot keeps: their types stay known to push. */
    held?: ColumnSpec[];
    columnOf: Map<string, number>;
    rows: readonly RemoteRow[];
    /** A view too large to hold (its rows empty): the texts of its dropdown columns, by field id. */
    texts?: ReadonlyMap<string, ReadonlySet<string>>;
    entries?: readonly ListEntryWithEntity[];
    directory?: Directory;
  },
): void {
  try {
    saveColumnSpecs(documentStore(), binding.sheetId, [...view.columns, ...(view.held ?? [])]);
    const cache = documentCache();
    if (cache)
      putCachedJson(cache, {
        [directoryKey(binding.listId)]: packDirectory(view.directory ?? directoryOf(view.entries ?? [])),
      });
    // Only single-choice columns carry list validation; multi-select options are fetched by push when needed.
    const dropdowns = dropdownColumns(view.columns);
    if (dropdowns.length === 0) return;
    // Options come from the cache (6 h) and are fetched again, in one parallel batch, for a field whose values in
    // this pull show an option the cache does not know (a new or renamed one): a quiet refresh costs no request.
    // The column's validation is rewritten only when its options changed (gas/tab.ts).
    const ids = dropdowns.map((c) => c.id);
    let { options } = dropdownOptionsOf(() => client, cache, binding.listId, ids, Date.now());
    const unknown = ids.filter((id) => {
      const known = new Set((options.get(id) ?? []).map((o) => o.text));
      const seen = view.texts?.get(id);
      if (seen) return [...seen].some((text) => !!text && !known.has(text));
      return view.rows.some((r) => {
        const text = r.texts.get(id);
        return !!text && !known.has(text);
      });
    });
    if (unknown.length > 0) {
      const fresh = dropdownOptionsOf(() => client, cache, binding.listId, unknown, Date.now(), true).options;
      options = new Map([...options, ...fresh]);
    }
    const rules = dropdowns
      .filter((c) => view.columnOf.has(c.id))
      .map((c) => ({
        col: view.columnOf.get(c.id)!,
        name: c.name,
        options: [...new Set((options.get(c.id) ?? []).map((o) => o.text))],
      }));
    setDropdownValidation(sheet, rules);
  } catch (e) {
    log.log(
      `Pull: could not refresh dropdown options and validation (${e instanceof Error ? e.message : String(e)}); push will fetch them.`,
    );
  }
}
