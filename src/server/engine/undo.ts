/**
 * Undo the last push of a tab: from the change log, the cells that push wrote (and the entries it added), and per
 * cell whether it can be put back: only where Affinity still holds the value that push wrote. A cell changed since
 * (in Affinity) is listed as not undone, with both values. Entries the push added are never deleted. Pure.
 */

/** One line of the change log, as read back. */
export interface LoggedChange {
  time: string;
  tab: string;
  entryId: number;
  entity: string;
  field: string;
  old: string;
  new: string;
  result: string;
}

/** Results the undo writes to the change log (and recognises: an undone push is not undone twice). */
export const UNDONE = 'undone';
export const NOT_UNDONE = 'not undone';
export const ADDED_FIELD = '(entry)';

export interface LastPush {
  time: string;
  /** Cells the push sent (result "updated…"). */
  sent: LoggedChange[];
  /** Entries the push added to the list (they stay). */
  added: LoggedChange[];
}

const isSent = (r: LoggedChange) => r.result.startsWith('updated');
const isAdded = (r: LoggedChange) => r.field === ADDED_FIELD && r.result.startsWith('added to');
const isUndo = (r: LoggedChange) => r.result.startsWith(UNDONE) || r.result.startsWith(NOT_UNDONE);

/**
 * The tab's last push that changed something, as the change log holds it (its lines share one time). Null when
 * the tab's latest lines are an undo (that push was undone already) or no push of the tab changed anything.
 */
export function lastPushOf(rows: readonly LoggedChange[], tab: string): LastPush | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i];
    if (r.tab !== tab) continue;
    if (isUndo(r)) return null;
    if (!isSent(r) && !isAdded(r)) continue;
    const same = rows.filter((x) => x.tab === tab && x.time === r.time);
    return { time: r.time, sent: same.filter(isSent), added: same.filter(isAdded) };
  }
  return null;
}

export type UndoStatus = 'restore' | 'changed' | 'unknown-field' | 'unreadable';

export interface UndoCell extends LoggedChange {
  columnId: string | null;
  /** Affinity's canonical text now (null when it could not be read). */
  now: string | null;
  status: UndoStatus;
}

/**
 * Per cell the push wrote: restore when Affinity still holds the value written; otherwise why not. The same cell
 * written twice in one push (it cannot be: one PATCH per entry) would keep the last line.
 */
export function planUndo(
  push: LastPush,
  columnIdOf: (fieldName: string) => string | null,
  remote: (entryId: number, columnId: string) => string | null,
): UndoCell[] {
  return push.sent.map((r) => {
    const columnId = columnIdOf(r.field);
    if (!columnId) return { ...r, columnId, now: null, status: 'unknown-field' };
    const now = remote(r.entryId, columnId);
    if (now === null) return { ...r, columnId, now, status: 'unreadable' };
    return { ...r, columnId, now, status: now === r.new ? 'restore' : 'changed' };
  });
}

/** Why a cell is not undone, in words. */
export function notUndoneReason(c: UndoCell): string {
  switch (c.status) {
    case 'changed':
      return `changed in Affinity since the push: the push wrote “${c.new}”, Affinity now has “${c.now}”`;
    case 'unknown-field':
      return `the column “${c.field}” is no longer in this tab`;
    case 'unreadable':
      return 'the entry could not be read from Affinity (deleted, or no access)';
    default:
      return '';
  }
}
