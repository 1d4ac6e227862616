/**
 * A run belongs to the user who started it (docs/sharing.md): its queued pushes and pulls are done with that user's
 * key, by that user's executions only. Another user's trigger or menu action never resumes it; a run whose owner's
 * executions stopped (owner gone, trigger deleted) or whose owner removed their key is dropped with a log line, and
 * its edits stay pending (nothing of a tab is lost: a dropped push never ran, a dropped pull never wrote the tab).
 */
import type { KeyValueStore, LogPort } from '../ports';
import { discardPull, loadRun, saveRun, type RunState } from './runStore';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** A run not updated for this long has no live owner (executions are 6 minutes; continuations come a minute later). */
export const ORPHAN_AFTER_MS = 20 * 60_000;

export type RunClaim =
  /** No run in progress, or one that was just dropped: start afresh. */
  | { kind: 'none' }
  /** The caller's own run: resume it. */
  | { kind: 'mine'; run: RunState }
  /** Another user's live run: leave it alone. */
  | { kind: 'theirs'; run: RunState };

export const sameUser = (a: string, b: string) => a !== '' && a.toLowerCase() === b.toLowerCase();

/** Drops a run: its pulls' checkpoints and staged pages go; its edits stay pending in the tabs. */
export function dropRun(ss: Spreadsheet, doc: KeyValueStore, log: LogPort, run: RunState, why: string): void {
  saveRun(doc, null);
  for (const id of new Set(run.tasks.filter((t) => t.step === 'pull').map((t) => t.sheetId))) discardPull(ss, doc, id);
  log.log(`Sync run ${run.id} of ${run.by || 'an unknown user'} dropped: ${why}; its edits stay pending.`);
}

/** Who may work on the run in progress: `me` (the user of this execution), `hasKey` (they are connected). */
export function claimRun(
  ss: Spreadsheet,
  doc: KeyValueStore,
  log: LogPort,
  me: string,
  hasKey: boolean,
  now: number,
): RunClaim {
  const run = loadRun(doc);
  if (!run) return { kind: 'none' };
  if (sameUser(run.by, me)) {
    if (hasKey) return { kind: 'mine', run };
    dropRun(ss, doc, log, run, 'its owner removed their Affinity key');
    return { kind: 'none' };
  }
  if (now - run.updatedAt > ORPHAN_AFTER_MS) {
    dropRun(
      ss,
      doc,
      log,
      run,
      `its owner's executions stopped ${Math.round((now - run.updatedAt) / 60_000)} minutes ago`,
    );
    return { kind: 'none' };
  }
  return { kind: 'theirs', run };
}
