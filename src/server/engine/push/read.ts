/**
 * Push, step 2: reading Affinity's current values of the edited entries at the lowest cost, as canonical texts to
 * compare with the tab and the base snapshot. Pure.
 */
import type { FieldValue, ListEntryWithEntity } from '../../affinity/types';
import { MAX_PAGE_SIZE } from '../../affinity/types';
import { canonicalOf, type CodecContext } from '../codecs';
import { NAME_COLUMN } from '../layout';
import { entityName } from '../remote';

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
