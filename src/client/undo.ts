/**
 * "Undo last push…" dialog: asks the server what undoing the tab's last push would do (previewUndoPush), lists the
 * values it puts back, the cells it leaves (both values: what the push wrote, what Affinity has now) and the entries
 * that push added, each linked to its record in Affinity (they are never deleted); then undoes (undoPush) or closes.
 * Every value is inserted as text (textContent); a link's address is set as an attribute, only an https address of
 * affinity.co.
 */
import type { UndoPreview, UndoSummary } from '../shared/push';
import { addRow, cell, el, section, showError as showErrorIn, table, who, wire, finished, dialogParts } from './tables';

interface Runner {
  withSuccessHandler<T>(fn: (value: T) => void): Runner;
  withFailureHandler(fn: (error: Error) => void): Runner;
  previewUndoPush(sheetId: number): void;
  undoPush(sheetId: number): void;
}
declare const google: { script: { run: Runner; host: { close(): void } } };

const sheetId = Number(document.body.dataset.sheetId);
const parts = dialogParts('undo');
const { content, foot: footLine, action: undoButton, cancel: cancelButton } = parts;

const AFFINITY_PAGE = /^https:\/\/[a-z0-9-]+\.affinity\.co\/(companies|persons|opportunities)\/\d+$/;

/** The entry's name, linked to its record in Affinity when the server gave its page. */
function recordCell(entity: string, entryId: number, url: string | null): HTMLTableCellElement {
  const td = el('td');
  if (url && AFFINITY_PAGE.test(url)) {
    const a = el('a', who(entity, entryId));
    a.setAttribute('href', url);
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer');
    td.appendChild(a);
  } else td.textContent = who(entity, entryId);
  return td;
}

function render(p: UndoPreview): void {
  content.textContent = '';
  if (p.pushedAt === null) {
    content.appendChild(el('p', `“${p.tabName}” has no push to undo (or its last push was undone already).`, 'status'));
    cancelButton.textContent = 'Close';
    return;
  }
  content.appendChild(el('p', `Tab “${p.tabName}”, push of ${p.pushedAt}.`, 'hint'));
  if (p.restore.length > 0) {
    const body = table(
      section(content, 'Values put back', p.restore.length, 'Affinity still holds what the push wrote.'),
      ['Row', 'Field', 'The push wrote', 'Back to'],
      ['28%', '16%', '28%', '28%'],
    );
    for (const r of p.restore)
      addRow(body, cell(who(r.entity, r.entryId)), cell(r.field), cell(r.from, 'theirs'), cell(r.to, 'new'));
  }
  if (p.notUndone.length > 0) {
    const body = table(
      section(content, 'Not undone', p.notUndone.length, 'Left as they are: changed since the push, or unreadable.'),
      ['Row', 'Field', 'The push wrote', 'Affinity now', 'Why'],
      ['20%', '12%', '20%', '20%', '28%'],
    );
    for (const r of p.notUndone) {
      const now = r.affinity === null ? el('td', '(could not be read)', 'empty') : cell(r.affinity, 'theirs');
      addRow(body, cell(who(r.entity, r.entryId)), cell(r.field), cell(r.pushed), now, cell(r.reason));
    }
  }
  if (p.addedEntries.length > 0) {
    const body = table(
      section(
        content,
        'Entries the push added',
        p.addedEntries.length,
        'Undo never deletes entries: they stay on the list. Open one to remove it in Affinity if you want.',
      ),
      ['Entry', 'List'],
      ['60%', '40%'],
    );
    for (const a of p.addedEntries) addRow(body, recordCell(a.entity, a.entryId, a.url), cell(a.list));
  }
  const n = p.restore.length;
  footLine.textContent =
    n > 0 ? `Puts ${n} value${n === 1 ? '' : 's'} back in Affinity and in the tab.` : 'Nothing can be put back.';
  undoButton.disabled = n === 0;
  if (n === 0) cancelButton.textContent = 'Close';
}

const showError = (e: Error | string) => showErrorIn(parts, e);

/** After the undo: what it did, above the lists (the added entries' links stay). */
function showResult(s: UndoSummary): void {
  render(s);
  content.insertBefore(el('p', s.message, 'status'), content.firstChild);
  finished(parts);
}

wire<UndoSummary>(
  parts,
  () => google.script.host.close(),
  'Putting the values back…',
  (ok, fail) => google.script.run.withSuccessHandler<UndoSummary>(ok).withFailureHandler(fail).undoPush(sheetId),
  showResult,
);

if (!Number.isInteger(sheetId)) {
  showError('This dialog lost track of its tab. Close it and open Affinity › Undo last push… again.');
} else {
  google.script.run.withSuccessHandler<UndoPreview>(render).withFailureHandler(showError).previewUndoPush(sheetId);
}
