/**
 * The base snapshot's digest in document properties (engine/baseDigest.ts): checked before every push and pull,
 * written after every base write. Other editors can unhide and edit the base sheet (its protection only warns); they
 * cannot reach document properties from the Sheets UI.
 */
import { AffinityError } from '../affinity/errors';
import {
  bucketCount,
  digestBase,
  trustedBase,
  verifyBase,
  type BaseCheck,
  type BaseDigest,
} from '../engine/baseDigest';
import type { RemoteView } from '../engine/remote';
import { KEY_COLUMN, NOTE_MARK, entryIdOf } from '../engine/layout';
import { copyRows, PackedRows } from '../engine/packedRows';
import type { EditScan } from '../engine/push/scan';
import type { Snapshot, TabState } from '../engine/tabState';
import { sha256 } from '../gas/digest';
import { documentStore } from '../gas/platform';
import type { KeyValueStore, LogPort } from '../ports';
import { readChunked, writeChunked } from './propertyChunks';

const PREFIX = 'affinity.base.';

function keyOf(sheetId: number): string {
  return PREFIX + sheetId;
}

export function loadDigest(doc: KeyValueStore, sheetId: number): BaseDigest | null {
  const raw = readChunked(doc, keyOf(sheetId));
  if (!raw) return null;
  try {
    return JSON.parse(raw) as BaseDigest;
  } catch {
    return null;
  }
}

/**
 * Checks the stored base of a tab against its digest. Rows that do not verify mark the digest for repair: the next
 * pull reads the base tab whole and rewrites them, even when the view verifies against the digest (`baseAsView`).
 */
export function checkBase(doc: KeyValueStore, sheetId: number, snapshot: Snapshot): BaseCheck {
  const digest = loadDigest(doc, sheetId);
  const check = verifyBase(snapshot, digest, sha256);
  if (digest && !check.ok && !check.missing && !digest.repair)
    writeChunked(doc, keyOf(sheetId), JSON.stringify({ ...digest, repair: true }));
  return check;
}

/**
 * The base a pull can take from the view itself, without reading the base tab (issue 10: a refresh of a view Affinity
 * did not change reads no base): the view's rows as the base holds them (each synced column's text), when they
 * verify against the stored digest. The digest covers every row and every non-empty text of the base, so rows that
 * verify are the base, whatever order the base tab keeps them in. Null when they do not (Affinity changed something,
 * the base holds rows or columns the view has not), when there is no digest, when a base write was cut short (`prev`)
 * or when the base tab holds rows that did not verify (`repair`): the pull then reads the base tab. Also null when
 * the tab has a column bound to a field the view does not have (`tabFields`: a field that left the view, or columns
 * kept unknown): the digest leaves out blank texts, so it cannot tell a base column of blanks from no column, and an
 * edit in such a column is told from its base (engine/leftFields.ts).
 */
export function baseAsView(
  doc: KeyValueStore,
  sheetId: number,
  view: RemoteView & { keep?: readonly unknown[] },
  tabFields: Iterable<string>,
): Snapshot | null {
  const columns = view.columns.map((c) => c.id);
  const inView = new Set(columns);
  if (view.keep && view.keep.length > 0) return null;
  for (const id of tabFields) if (id !== KEY_COLUMN && !inView.has(id)) return null;
  const digest = loadDigest(doc, sheetId);
  if (!digest || digest.v !== 1 || digest.prev || digest.repair) return null;
  // The digest's bucket count follows the base's size when it was written: another count, another size.
  if (digest.buckets !== bucketCount(view.rows.length)) return null;
  const rows = new Map<number, string[]>();
  for (const row of view.rows) {
    if (rows.has(row.entryId)) return null;
    rows.set(
      row.entryId,
      columns.map((id) => row.texts.get(id) ?? ''),
    );
  }
  const snapshot = { columns, rows };
  return verifyBase(snapshot, digest, sha256).ok ? snapshot : null;
}

/**
 * The digest of a base about to be written, kept with the current one until the write is done (`commitBase`), so that
 * an execution killed during the write leaves every row verifiable against one of them. `check`: the check made before
 * the write; buckets that failed it keep their old sum (a push leaves rows it could not trust as they were, and they
 * stay unknown until a pull). Returns the digest to commit, or null when there is none to vouch for.
 */
export function stageBase(doc: KeyValueStore, sheetId: number, next: Snapshot, check?: BaseCheck): BaseDigest | null {
  // A push never vouches for a base it could not verify.
  if (check?.missing && next.rows.size > 0) return null;
  const current = loadDigest(doc, sheetId);
  const keep = check && !check.missing && check.badBuckets.size > 0 && current ? current : null;
  const digest: BaseDigest = digestBase(next, sha256, keep ? { digest: keep, buckets: check!.badBuckets } : undefined);
  // Rows kept as they were stored though they did not verify: the base tab still needs a pull's repair.
  if (keep) digest.repair = true;
  const same = current && !current.prev && sameSums(current, digest);
  if (!same) {
    const staged: BaseDigest = current ? { ...digest, prev: { buckets: current.buckets, sums: current.sums } } : digest;
    writeChunked(doc, keyOf(sheetId), JSON.stringify(staged));
  }
  return digest;
}

const sameSums = (a: BaseDigest, b: BaseDigest) =>
  a.buckets === b.buckets &&
  a.sums.length === b.sums.length &&
  a.sums.every((s, i) => s === b.sums[i]) &&
  a.repair === b.repair;

/** The base is written: its digest alone stands. */
export function commitBase(doc: KeyValueStore, sheetId: number, digest: BaseDigest | null): void {
  if (!digest) return;
  const current = loadDigest(doc, sheetId);
  if (current && !current.prev && sameSums(current, digest)) return;
  writeChunked(doc, keyOf(sheetId), JSON.stringify(digest));
}

/** Forgets a tab's digest (unbind). */
export function forgetBase(doc: KeyValueStore, sheetId: number): void {
  writeChunked(doc, keyOf(sheetId), '');
  doc.delete(keyOf(sheetId));
}

/**
 * The base a push may use: the rows that verify. A row whose base does not verify is left out, so the push sends
 * nothing for it (its tab row is reported by explainUnknown). A base with no digest at all is refused.
 */
export function guardedBase(
  doc: KeyValueStore,
  sheetId: number,
  snapshot: Snapshot,
  tabName: string,
): { snapshot: Snapshot; check: BaseCheck } {
  const check = checkBase(doc, sheetId, snapshot);
  if (check.missing && snapshot.rows.size > 0) {
    throw new AffinityError(
      'config',
      `“${tabName}” has no verified base yet (its last pull was before this version, or was cut short). Pull it first; the pull keeps your edits pending.`,
    );
  }
  if (check.unknown.size === 0) return { snapshot, check };
  const rows = copyRows(snapshot.rows);
  for (const id of check.unknown) rows.delete(id);
  return { snapshot: { columns: snapshot.columns, rows }, check };
}

/**
 * The base a push writes: what it settled, plus the rows it left out because their base did not verify, as they were
 * stored. Without them the write would drop those rows from the base, and the next pull would take their tab rows
 * for rows new to the base and overwrite their pending edits; with them, the pull finds them unverified and re-reads
 * them from Affinity, keeping the edits pending.
 */
export function withUnverifiedRows(next: Snapshot, stored: Snapshot, check: BaseCheck): Snapshot {
  if (check.unknown.size === 0) return next;
  const from = next.columns.map((id) => stored.columns.indexOf(id));
  const rows = copyRows(next.rows);
  if (stored.rows instanceof PackedRows) stored.rows.prefetch(check.unknown);
  for (const id of check.unknown) {
    const texts = stored.rows.get(id);
    if (texts && !rows.has(id))
      rows.set(
        id,
        from.map((i) => (i < 0 ? '' : (texts[i] ?? ''))),
      );
  }
  return { columns: next.columns, rows };
}

const UNVERIFIED =
  'not sent: the hidden base tab was changed outside the sync, so what was last synced for this row is unknown (or the entry is not in this view). Pull the tab: it re-reads Affinity and keeps your edits pending.';

/** Rows a push left out because their base did not verify are reported as such (not as rows of another view). */
export function explainUnknown(scan: EditScan, tab: TabState, check: BaseCheck): EditScan {
  if (check.unknown.size === 0) return scan;
  for (const u of scan.unsynced) {
    const id = entryIdOf(tab.values[u.row]?.[scan.keyCol]);
    if (id !== null && check.unknown.has(id)) u.reason = `${NOTE_MARK}${UNVERIFIED}`;
  }
  return scan;
}

/**
 * The base a pull merges with: rows that verify as stored; a row whose base does not verify takes Affinity's values
 * as its base (engine/baseDigest.ts trustedBase: a difference in the tab stays a pending edit). A base with no digest
 * (written before this version) is trusted once; the pull then records its digest.
 */
export function pullBase(
  sheetId: number,
  snapshot: Snapshot,
  /** The view, or (a view too large to hold) the texts Affinity serves now for the given entries. */
  remote: RemoteView | ((entries: ReadonlySet<number>) => Map<number, Map<string, string>>),
  log: LogPort,
  doc = documentStore(),
): Snapshot {
  const check = checkBase(doc, sheetId, snapshot);
  if (check.missing || check.unknown.size === 0) return snapshot;
  log.log(
    `The base of tab ${sheetId} did not verify for ${check.unknown.size} rows (the hidden base tab was changed outside the sync): ` +
      'their base is taken from Affinity, and differences in the tab stay pending.',
  );
  const now =
    typeof remote === 'function' ? remote(check.unknown) : new Map(remote.rows.map((r) => [r.entryId, r.texts]));
  return trustedBase(snapshot, check, now);
}
