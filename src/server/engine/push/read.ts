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
  /** Estimated time of the read and of sending what it covers, ms. */
  ms: number;
  /** Whether some part fits in the time given (always, without a time). */
  fits: boolean;
  /**
   * How many of the edited entries (the first ones, in row order) this execution checks and sends: all of them, or
   * the part that fits when the whole push does not; the rest stay pending for the next execution.
   */
  portion: number;
}

/**
 * What a push costs in time (docs/harness.md, realistic model): a page of the view is cursor-chained, one after the
 * other; entries are read and written in parallel, `parallel` at a time (UrlFetch's fetchAll), each a small request;
 * Affinity allows `perMinute` requests a user a minute (developer.affinity.co/pages/external-api-v2/rate-limits).
 */
export interface ReadCosts {
  pageMs: number;
  entryMs: number;
  parallel: number;
  perMinute: number;
}

export const DEFAULT_READ_COSTS: ReadCosts = { pageMs: 1_000, entryMs: 300, parallel: 10, perMinute: 900 };

/** Affinity's per-minute allowance as last seen: requests left in this minute, and when the next minute starts. */
export interface MinuteNow {
  remaining: number;
  resetInMs: number;
}

/** Without a reading, a whole minute is assumed to be left. */
export const FRESH_MINUTE: MinuteNow = { remaining: 900, resetInMs: 60_000 };

/** How long `requests` wait for Affinity's per-minute limit: none when the minute's remaining covers them. */
export function minuteWaitMs(requests: number, minute: MinuteNow, perMinute: number): number {
  if (requests <= minute.remaining) return 0;
  return minute.resetInMs + (Math.ceil((requests - minute.remaining) / Math.max(1, perMinute)) - 1) * 60_000;
}

/**
 * The conflict check's read and the send after it: the view's pages when more entries were edited than the view has
 * pages (fewer requests), else each edited entry. When the cheaper whole push does not fit in `timeLeftMs` but the
 * other does, the other (time beats requests then). When no whole push fits, the largest part that does: the first
 * `portion` edited entries, checked by whichever read lets more of them be sent; the rest wait for the next
 * execution. `fits` is false only when not even one entry fits: then the read must not start.
 */
export function readStrategy(
  editedEntries: number,
  viewEntries: number,
  timeLeftMs = Infinity,
  costs: ReadCosts = DEFAULT_READ_COSTS,
  minute: MinuteNow = FRESH_MINUTE,
): ReadStrategy {
  const pages = Math.max(1, Math.ceil(viewEntries / MAX_PAGE_SIZE));
  const waves = (n: number) => Math.ceil(n / Math.max(1, costs.parallel)) * costs.entryMs;
  const wait = (requests: number) => minuteWaitMs(requests, minute, costs.perMinute);
  // Time to check and send n edited entries: by the pages (all of them read), or by reading those n entries.
  const timeOf = {
    pages: (n: number) => pages * costs.pageMs + waves(n) + wait(pages + n),
    entries: (n: number) => 2 * waves(n) + wait(2 * n),
  };
  const whole = (mode: 'pages' | 'entries'): ReadStrategy => ({
    mode,
    requests: mode === 'pages' ? pages : editedEntries,
    ms: timeOf[mode](editedEntries),
    fits: true,
    portion: editedEntries,
  });
  const [cheaper, other] =
    editedEntries > pages ? [whole('pages'), whole('entries')] : [whole('entries'), whole('pages')];
  if (cheaper.ms <= timeLeftMs) return cheaper;
  if (other.ms <= timeLeftMs) return other;
  // The largest part that fits, by each read (time grows with n: a binary search).
  const part = (mode: 'pages' | 'entries'): ReadStrategy => {
    let lo = 0;
    let hi = editedEntries;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (timeOf[mode](mid) <= timeLeftMs) lo = mid;
      else hi = mid - 1;
    }
    const requests = mode === 'pages' ? pages : lo;
    return { mode, requests, ms: timeOf[mode](lo), fits: lo > 0, portion: lo };
  };
  const byPages = part('pages');
  const byEntries = part('entries');
  if (!byPages.fits && !byEntries.fits) return { ...cheaper, fits: false, portion: 0 };
  return byPages.portion > byEntries.portion ? byPages : byEntries;
}

/** A push of which not even one entry can be checked and sent in the time left: nothing was read or sent. */
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
