/**
 * Pushing a tab: the menu items, the Preview changes dialog's calls, the conflict setting and the optional on-edit
 * trigger that marks edited cells. main.ts re-exports them.
 */
import { forgetWithoutOwnNotes } from './gas/ownNotes';
import { AffinityError, userMessage } from './affinity/errors';
import { KEY_COLUMN, METADATA_KEY, NAME_COLUMN, NOTE_MARK, isOwnNote } from './engine/layout';
import { CONFLICT_POLICIES, POLICY_LABELS, isConflictPolicy, type ConflictChoice } from './engine/policy';
import { withDocumentLock } from './gas/locks';
import { documentStore, gasLog, timestampIn, userStore } from './gas/platform';
import { markPending } from './gas/pushSheet';
import { setEditTrigger } from './gas/triggers';
import { offerSettings } from './gas/ui';
import { findBinding, type Binding } from './sync/bindings';
import { ReadDoesNotFit } from './engine/push/read';
import { previewBinding, pushAndRecord } from './sync/push';
import { previewUndo, undoLastPush } from './sync/undo';
import { loadColumnSpecs, loadPolicy, pendingMarksOn, savePolicy, setPendingMarksFlag } from './sync/pushStore';
import { retireSharedSettings, retiredNotice } from './sync/retiredSettings';
import { executionDeadline, progressStore, pushDeps, pusherNow, whoIsPushing } from './wiring';
import { queueRestOfPush } from './manualRuns';
import { pushGate } from './sync/attributionGate';
import type {
  ConflictChoiceData,
  ConflictPolicy,
  PushPreview,
  PushSettings,
  PushSummary,
  UndoPreview,
  UndoSummary,
} from '../shared/push';

const PENDING_HANDLER = 'onEditMarkPending';

function bindingOf(sheetId: number): Binding {
  const binding = findBinding(documentStore(), Number(sheetId));
  if (!binding)
    throw new AffinityError(
      'config',
      'This tab is not bound to an Affinity view. Bind it in Affinity › Settings… first.',
    );
  return binding;
}

function toChoices(choices: ConflictChoiceData[] | undefined): ConflictChoice[] {
  if (!Array.isArray(choices)) return [];
  return choices
    .filter(
      (c) =>
        c &&
        Number.isInteger(Number(c.entryId)) &&
        typeof c.columnId === 'string' &&
        (c.choice === 'mine' || c.choice === 'affinity' || c.choice === 'skip'),
    )
    .map((c) => ({
      entryId: Number(c.entryId),
      columnId: c.columnId,
      remote: String(c.affinity ?? ''),
      choice: c.choice,
    }));
}

// ---- actions (menu and dialog) ---------------------------------------------------------------------------------

/**
 * Sends the tab's edits to Affinity. `choices` settle single conflicts as chosen in the preview ("keep mine" /
 * "take Affinity's"), as long as Affinity still has the value shown there.
 */
export function pushTab(sheetId: number, choices?: ConflictChoiceData[], confirmOthers?: boolean): PushSummary {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const doc = documentStore();
  const binding = bindingOf(sheetId);
  const startedAt = Date.now();
  const got = withDocumentLock(30_000, () => {
    try {
      const tz = ss.getSpreadsheetTimeZone();
      const summary = pushAndRecord(ss, binding, pushDeps(), {
        policy: loadPolicy(userStore()),
        choices: toChoices(choices),
        formulas: 'confirm',
        user: whoIsPushing(false),
        timestamp: timestampIn(tz),
        deadline: executionDeadline(),
        gate: pushGate(doc, binding.sheetId, pusherNow(), confirmOthers === true ? 'all' : 'own'),
      });
      if (summary.waiting) summary.message += ` ${restOfPush(ss, binding.sheetId, summary.waiting.entries, startedAt)}`;
      return summary;
    } catch (e) {
      throw pushError(e);
    }
  });
  if (!got.ran)
    throw new AffinityError('config', 'Another sync of this spreadsheet is running; try again in a minute.');
  return got.value;
}

/** The rest of a push too large for one execution: queued in the background when the person's run can take it. */
function restOfPush(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, sheetId: number, left: number, startedAt: number) {
  if (!queueRestOfPush(ss, sheetId, startedAt))
    return "Another person's sync is running, so the rest is not queued: push again when it is done.";
  progressStore().set(
    sheetId,
    `Push: ${left.toLocaleString('en-US')} edited entries left, continuing in the background…`,
  );
  return 'The push continues in the background in a minute (your own edits; others’ wait for a push from the menu).';
}

/** What a push of the tab would do now, without sending or changing anything. */
export function previewPush(sheetId: number): PushPreview {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const binding = bindingOf(sheetId);
  try {
    const doc = documentStore();
    return previewBinding(ss, binding, pushDeps(), {
      policy: loadPolicy(userStore()),
      deadline: executionDeadline(),
      gate: pushGate(doc, binding.sheetId, pusherNow(), 'look'),
    });
  } catch (e) {
    throw pushError(e);
  }
}

/** A failure as the person sees it; a conflict check that does not fit the execution is said in words, not as an error. */
function pushError(e: unknown): Error {
  if (e instanceof ReadDoesNotFit)
    return new AffinityError(
      'config',
      `Nothing was sent: ${e.message}. Your edits stay pending; push again in a minute, or the schedule pushes them.`,
    );
  return e instanceof AffinityError ? e : new Error(userMessage(e));
}

/** What undoing the tab's last push would do now (Affinity › Undo last push…); changes nothing. */
export function previewUndoPush(sheetId: number): UndoPreview {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  try {
    return previewUndo(ss, bindingOf(sheetId), pushDeps());
  } catch (e) {
    throw e instanceof AffinityError ? e : new Error(userMessage(e));
  }
}

/** Puts back the values the tab's last push replaced, where Affinity still holds what that push wrote. */
export function undoPush(sheetId: number): UndoSummary {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const binding = bindingOf(sheetId);
  const got = withDocumentLock(30_000, () => {
    try {
      return undoLastPush(ss, binding, pushDeps(), {
        user: whoIsPushing(false),
        timestamp: timestampIn(ss.getSpreadsheetTimeZone()),
      });
    } catch (e) {
      throw e instanceof AffinityError ? e : new Error(userMessage(e));
    }
  });
  if (!got.ran)
    throw new AffinityError('config', 'Another sync of this spreadsheet is running; try again in a minute.');
  return got.value;
}

/**
 * Menu: Affinity › Undo last push…: a dialog (src/client/undo.*) that asks previewUndoPush what would be put back
 * and what not (both values), links the entries that push added (they stay), and undoes on request (undoPush).
 */
export function menuUndoLastPush(): void {
  const sheet = SpreadsheetApp.getActiveSheet();
  const binding = findBinding(documentStore(), sheet.getSheetId());
  if (!binding) {
    offerSettings('Undo last push', 'This tab is not synced with Affinity, so it has no push to undo.');
    return;
  }
  const template = HtmlService.createHtmlOutputFromFile('undo');
  // The tab's id is a number; it is the only thing put into the page (the data comes through previewUndoPush).
  const html = HtmlService.createHtmlOutput(
    template.getContent().replace('__SHEET_ID__', String(Math.trunc(binding.sheetId))),
  )
    .setWidth(760)
    .setHeight(520);
  SpreadsheetApp.getUi().showModalDialog(html, `Undo last push: ${sheet.getName()}`);
}

/** What the panel's Push section shows: the conflict setting (with its choices in words) and the pending marks. */
export function getPushSettings(): PushSettings {
  const doc = documentStore();
  retireSharedSettings(doc);
  return {
    policy: loadPolicy(userStore()),
    policies: CONFLICT_POLICIES.map((id) => ({ id, label: POLICY_LABELS[id] })),
    pendingMarks: pendingMarksOn(doc),
    policyNotice: retiredNotice(doc, userStore(), 'policy'),
  };
}

export function getConflictPolicy(): ConflictPolicy {
  return loadPolicy(userStore());
}

export function setConflictPolicy(policy: string): ConflictPolicy {
  if (!isConflictPolicy(policy)) {
    throw new AffinityError(
      'config',
      `Unknown conflict setting “${String(policy)}”: use one of ${CONFLICT_POLICIES.join(', ')}.`,
    );
  }
  // Yours alone: it decides what is sent under your key (docs/sharing.md).
  savePolicy(userStore(), policy);
  return policy;
}

/** Turns the "edited cells are marked" trigger on or off for this spreadsheet (the trigger runs as the user). */
export function setPendingMarks(on: boolean): boolean {
  const doc = documentStore();
  setEditTrigger(PENDING_HANDLER, on);
  setPendingMarksFlag(doc, on);
  return on;
}

/**
 * Installable on-edit trigger (cosmetic): gives edited cells of synced, editable columns a subtle background until
 * they are pushed, and notes an edit in a read-only column at once. Push never depends on it: edits are found by
 * comparing with the last pull.
 */
export function onEditMarkPending(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  try {
    const range = e?.range;
    if (!range) return;
    const sheet = range.getSheet();
    const doc = documentStore();
    if (!pendingMarksOn(doc) || !findBinding(doc, sheet.getSheetId())) return;
    const firstRow = Math.max(2, range.getRow());
    const lastRow = range.getRow() + range.getNumRows() - 1;
    if (lastRow < firstRow) return;
    const specs = loadColumnSpecs(doc, sheet.getSheetId());
    const editable = new Set<number>();
    const readOnly = new Map<number, string>();
    for (const md of sheet.createDeveloperMetadataFinder().withKey(METADATA_KEY).find()) {
      const id = md.getValue();
      const col = md.getLocation().getColumn();
      if (!id || !col || id === KEY_COLUMN) continue;
      const spec = specs?.get(id);
      if (!spec) continue;
      if (spec.editable) editable.add(col.getColumn());
      else
        readOnly.set(
          col.getColumn(),
          id === NAME_COLUMN ? 'The name comes from Affinity; rename it there.' : `${spec.name} is read-only here.`,
        );
    }
    const firstCol = range.getColumn();
    const lastCol = firstCol + range.getNumColumns() - 1;
    const rows = lastRow - firstRow + 1;
    let c = firstCol;
    while (c <= lastCol) {
      if (editable.has(c)) {
        let end = c;
        while (end + 1 <= lastCol && editable.has(end + 1)) end++;
        markPending(sheet.getRange(firstRow, c, rows, end - c + 1));
        c = end + 1;
      } else if (readOnly.has(c)) {
        // Flagged at once: this edit will not be sent, and the next pull puts Affinity's value back.
        const cells = sheet.getRange(firstRow, c, rows, 1);
        const note = `${NOTE_MARK}not sent. ${readOnly.get(c)} The next pull puts Affinity's value back.`;
        const notes = cells.getNotes();
        if (notes.every((line) => line[0] === '' || isOwnNote(line[0]))) {
          forgetWithoutOwnNotes(doc, sheet.getSheetId());
          cells.setNote(note);
        }
        c++;
      } else {
        c++;
      }
    }
  } catch (err) {
    gasLog.log(`Marking edited cells failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

// ---- menu items -------------------------------------------------------------------------------------------------

function activeBinding(): { sheet: GoogleAppsScript.Spreadsheet.Sheet; binding: Binding } | null {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const sheet = ss.getActiveSheet();
  const binding = findBinding(documentStore(), sheet.getSheetId());
  if (!binding) {
    offerSettings('This tab is not synced', `“${sheet.getName()}” is not bound to an Affinity view.`);
    return null;
  }
  return { sheet, binding };
}

export function menuPushThisTab(): void {
  const active = activeBinding();
  if (!active) return;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  try {
    let s = pushTab(active.binding.sheetId);
    if (s.heldForOthers?.length) {
      const ui = SpreadsheetApp.getUi();
      const lines = s.heldForOthers
        .slice(0, 8)
        .map((h) => `• ${h.entity || `Entry ${h.entryId}`} · ${h.field}: edited by ${h.editedBy}`);
      if (s.heldForOthers.length > 8) lines.push(`…and ${s.heldForOthers.length - 8} more.`);
      const answer = ui.alert(
        'Send edits made by others?',
        `${s.message}\n\nThese edits were made by others. Send them to Affinity under your key? The change log names both of you.\n\n${lines.join('\n')}`,
        ui.ButtonSet.YES_NO,
      );
      if (answer === ui.Button.YES) s = pushTab(active.binding.sheetId, undefined, true);
    }
    if (s.failed > 0) {
      const ui = SpreadsheetApp.getUi();
      const lines = s.failures.slice(0, 8).map((f) => `• ${f.entity || `Entry ${f.entryId}`}: ${f.message}`);
      if (s.failures.length > 8)
        lines.push(`…and ${s.failures.length - 8} more (see the notes and the “Affinity change log” tab).`);
      ui.alert('Push finished with problems', `${s.message}\n\n${lines.join('\n')}`, ui.ButtonSet.OK);
    } else {
      ss.toast(s.message, 'Affinity', 10);
    }
  } catch (e) {
    const ui = SpreadsheetApp.getUi();
    ui.alert('Nothing was pushed', userMessage(e), ui.ButtonSet.OK);
  }
}

export function menuPreviewChanges(): void {
  const active = activeBinding();
  if (!active) return;
  const template = HtmlService.createHtmlOutputFromFile('preview');
  // The tab's id is a number; it is the only thing put into the page (the data comes through previewPush).
  const html = HtmlService.createHtmlOutput(
    template.getContent().replace('__SHEET_ID__', String(Math.trunc(active.binding.sheetId))),
  )
    .setWidth(820)
    .setHeight(600);
  SpreadsheetApp.getUi().showModalDialog(html, `Preview changes: ${active.sheet.getName()}`);
}
