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
  /** Estimated time of the read, ms. */
  ms: number;
  /** Whether it fits in the time given (always, without a time). */
  fits: boolean;
}

/**
 * What a read costs in time (docs/harness.md, realistic model): a page of the view is cursor-chained, one after the
 * other; entries are read in parallel, `parallel` at a time (UrlFetch's fetchAll), each a small request.
 */
export interface ReadCosts {
  pageMs: number;
  entryMs: number;
  parallel: number;
}

export const DEFAULT_READ_COSTS: ReadCosts = { pageMs: 1_000, entryMs: 300, parallel: 10 };

/**
 * The conflict check's read: the view's pages when more entries were edited than the view has pages (fewer requests),
 * else each edited entry. When the cheaper one does not fit in `timeLeftMs` but the other does, the other (time
 * beats requests then); when neither fits, `fits` is false and the read must not start.
 */
export function readStrategy(
  editedEntries: number,
  viewEntries: number,
  timeLeftMs = Infinity,
  costs: ReadCosts = DEFAULT_READ_COSTS,
): ReadStrategy {
  const pages = Math.max(1, Math.ceil(viewEntries / MAX_PAGE_SIZE));
  const byPages = { mode: 'pages' as const, requests: pages, ms: pages * costs.pageMs };
  const byEntries = {
    mode: 'entries' as const,
    requests: editedEntries,
    ms: Math.ceil(editedEntries / Math.max(1, costs.parallel)) * costs.entryMs,
  };
  const [cheaper, other] = editedEntries > pages ? [byPages, byEntries] : [byEntries, byPages];
  if (cheaper.ms <= timeLeftMs) return { ...cheaper, fits: true };
  if (other.ms <= timeLeftMs) return { ...other, fits: true };
  return { ...cheaper, fits: false };
}

/** A conflict check that cannot finish in the time left: nothing was read or sent, the edits stay pending. */
export class ReadDoesNotFit extends Error {
  constructor(
    readonly strategy: ReadStrategy,
    readonly timeLeftMs: number,
  ) {
    super(
      `checking ${strategy.mode === 'pages' ? `${strategy.requests} pages of the view` : `${strategy.requests} edited entries`} ` +
        `needs about ${Math.ceil(strategy.ms / 1000)} s and this execution has ${Math.max(0, Math.floor(timeLeftMs / 1000))} s left`,
    );
    this.name = 'ReadDoesNotFit';
  }
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
