/**
 * The locks that keep two syncs of a spreadsheet apart (LockService): every run takes the script lock and the
 * document lock; a manual push takes the document lock. Sheets writes are flushed before a lock is released.
 */

export type Locked<T> = { ran: true; value: T } | { ran: false };

/** Runs `fn` holding the script lock (every run) and the document lock (which manual pushes take). */
export function withLocks<T>(waitMs: number, fn: () => T): Locked<T> {
  const script = LockService.getScriptLock();
  if (!script.tryLock(waitMs)) return { ran: false };
  const doc = LockService.getDocumentLock();
  if (doc && !doc.tryLock(waitMs)) {
    script.releaseLock();
    return { ran: false };
  }
  try {
    return { ran: true, value: fn() };
  } finally {
    SpreadsheetApp.flush();
    doc?.releaseLock();
    script.releaseLock();
  }
}

/** Runs `fn` holding the document lock (none outside a document: `fn` then runs as it is). */
export function withDocumentLock<T>(waitMs: number, fn: () => T): Locked<T> {
  const lock = LockService.getDocumentLock();
  if (lock && !lock.tryLock(waitMs)) return { ran: false };
  try {
    return { ran: true, value: fn() };
  } finally {
    SpreadsheetApp.flush();
    lock?.releaseLock();
  }
}
