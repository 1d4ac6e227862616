/**
 * "Preview changes…" dialog: asks the server what a push would do (previewPush), lists every change, conflict,
 * invalid cell and row not synced with the request count, and pushes (pushTab) or closes. Every value from the
 * sheet or Affinity is inserted as text (textContent), never as HTML.
 */
import type { ConflictChoiceData, PreviewProblem, PushPreview, PushSummary } from '../shared/push';
import {
  cell,
  el,
  section as sectionIn,
  showError as showErrorIn,
  table,
  who,
  wire,
  finished,
  dialogParts,
} from './tables';

interface Runner {
  withSuccessHandler<T>(fn: (value: T) => void): Runner;
  withFailureHandler(fn: (error: Error) => void): Runner;
  previewPush(sheetId: number): void;
  pushTab(sheetId: number, choices: ConflictChoiceData[]): void;
}
declare const google: { script: { run: Runner; host: { close(): void } } };

const sheetId = Number(document.body.dataset.sheetId);
const parts = dialogParts('push');
const { content, foot: costLine, action: pushButton } = parts;

let preview: PushPreview | null = null;
const choices = new Map<string, ConflictChoiceData>();

/** A value computed by a formula: the value that is sent, and the formula it comes from, marked. */
function formulaCell(value: string, formula: string): HTMLTableCellElement {
  const td = cell(value, 'new');
  td.appendChild(el('div', `from the formula ${formula} (its value now is sent, once)`, 'formula'));
  return td;
}

const section = (title: string, count: number, hint?: string) => sectionIn(content, title, count, hint);

function problems(title: string, hint: string, list: PreviewProblem[]): void {
  if (list.length === 0) return;
  const body = table(section(title, list.length, hint), ['Row', 'Field', 'Value', 'Why'], ['20%', '15%', '25%', '40%']);
  for (const p of list) {
    const tr = el('tr');
    tr.append(cell(who(p.entity, p.entryId)), cell(p.field), cell(p.value), cell(p.reason));
    body.appendChild(tr);
  }
}

/** Requests the push will cost with the current choices: a write per entry with something to send, and the reads. */
function updateCost(): void {
  if (!preview) return;
  const choiceOf = (entryId: number, columnId: string) => choices.get(`${entryId}|${columnId}`)?.choice;
  // Cells that will be sent: plain changes, and conflicts whose (chosen or default) outcome is "mine".
  const sending: { entryId: number }[] = preview.changes.filter((c) => !c.overwrites);
  for (const c of preview.conflicts) if ((choiceOf(c.entryId, c.columnId) ?? c.outcome) === 'mine') sending.push(c);
  const sends = sending.length;
  const writes = choices.size === 0 ? preview.cost.writes : new Set(sending.map((c) => c.entryId)).size;
  const total = writes + preview.cost.reads;
  const changed = choices.size > 0;
  const adds = (preview.additions ?? []).length;
  costLine.textContent =
    adds > 0 && sends === 0 && !changed
      ? `Pushing adds or fills ${adds} new row${adds === 1 ? '' : 's'}: about ${preview.cost.total} request${preview.cost.total === 1 ? '' : 's'} to Affinity.`
      : sends > 0 || changed
        ? `Pushing sends ${sends} change${sends === 1 ? '' : 's'} in ${writes} update request${writes === 1 ? '' : 's'}, after ${preview.cost.reads} read${
            preview.cost.reads === 1 ? '' : 's'
          } to check for conflicts: ${total} request${total === 1 ? '' : 's'} to Affinity.`
        : 'Nothing to send.';
  pushButton.disabled = !(sends > 0 || changed || adds > 0);
}

function render(p: PushPreview): void {
  preview = p;
  content.textContent = '';
  content.appendChild(
    el('p', `Tab “${p.tabName}”, synced with the view “${p.viewName}”. Conflicts: ${p.policyLabel}.`, 'hint'),
  );
  if (p.alreadyInAffinity > 0) {
    content.appendChild(
      el(
        'p',
        `${p.alreadyInAffinity} edit${p.alreadyInAffinity === 1 ? ' is' : 's are'} already in Affinity: nothing to send for ${p.alreadyInAffinity === 1 ? 'it' : 'them'}.`,
        'hint',
      ),
    );
  }

  if (p.waiting) {
    const n = p.waiting.entries.toLocaleString('en-US');
    content.appendChild(
      el(
        'p',
        `${n} more edited entr${p.waiting.entries === 1 ? 'y is' : 'ies are'} not in this preview: checking every edit does not fit one run. ` +
          'Pushing sends what is listed here now; the rest is checked and sent in the background, a part each minute or so.',
        'hint',
      ),
    );
  }

  const additions = p.additions ?? [];
  if (additions.length > 0) {
    const body = table(
      section(
        'New rows',
        additions.length,
        'Rows with a name and no Entry ID. Entries are never deleted from the sheet: deleting a row deletes nothing in Affinity.',
      ),
      ['Sheet row', 'Does', 'Values it sets'],
      ['12%', '40%', '48%'],
    );
    for (const a of additions) {
      const tr = el('tr');
      const does =
        a.entryId === 0
          ? `add ${a.entity} to ${a.list}`
          : `${a.entity} is already on ${a.list} (entry ${a.entryId}): fill this row`;
      tr.append(cell(String(a.row)), cell(does, 'new'), cell(a.values.map((v) => `${v.field}: ${v.value}`).join('; ')));
      body.appendChild(tr);
    }
  }

  if (p.changes.length > 0) {
    const body = table(
      section('Changes to send', p.changes.length),
      ['Row', 'Field', 'In Affinity now', 'New value'],
      ['25%', '15%', '30%', '30%'],
    );
    for (const c of p.changes) {
      const tr = el('tr');
      tr.append(
        cell(who(c.entity, c.entryId)),
        cell(c.field),
        cell(c.old, c.overwrites ? 'theirs' : undefined),
        c.formula ? formulaCell(c.new, c.formula) : cell(c.new, 'new'),
      );
      body.appendChild(tr);
    }
  }

  if (p.conflicts.length > 0) {
    const body = table(
      section(
        'Conflicts',
        p.conflicts.length,
        'Changed in the sheet and, differently, in Affinity since the last pull. Choose what to do with each.',
      ),
      ['Row', 'Field', 'Last pulled', 'Yours', 'Affinity now', 'Do'],
      ['17%', '12%', '17%', '17%', '17%', '20%'],
    );
    for (const c of p.conflicts) {
      const tr = el('tr');
      tr.append(
        cell(who(c.entity, c.entryId)),
        cell(c.field),
        cell(c.base),
        cell(c.mine, 'new'),
        cell(c.affinity, 'theirs'),
      );
      const td = el('td');
      const select = el('select');
      const options: [string, string][] = [
        ['skip', 'Skip (keep both)'],
        ['mine', 'Keep mine (send it)'],
        ['affinity', "Take Affinity's"],
      ];
      for (const [value, label] of options) {
        const o = el('option', label);
        o.value = value;
        if (value === c.outcome) o.selected = true;
        select.appendChild(o);
      }
      select.addEventListener('change', () => {
        const key = `${c.entryId}|${c.columnId}`;
        const choice = select.value as ConflictChoiceData['choice'];
        if (choice === c.outcome) choices.delete(key);
        else choices.set(key, { entryId: c.entryId, columnId: c.columnId, affinity: c.affinity, choice });
        updateCost();
      });
      td.appendChild(select);
      tr.appendChild(td);
      body.appendChild(tr);
    }
  }

  problems(
    'Values that cannot be sent as typed',
    'Fix these cells; the rest of the push goes through without them.',
    p.invalid,
  );
  problems('Edits that are never sent', 'These cells cannot be changed from the sheet.', p.notSent);

  if (p.notSynced.length > 0) {
    const body = table(section('Rows not synced', p.notSynced.length), ['Sheet row', 'Why'], ['15%', '85%']);
    for (const r of p.notSynced) {
      const tr = el('tr');
      tr.append(cell(String(r.row)), cell(r.reason));
      body.appendChild(tr);
    }
  }

  if (content.querySelectorAll('section').length === 0)
    content.appendChild(el('p', 'No edits since the last pull.', 'status'));
  updateCost();
}

const showError = (e: Error | string) => showErrorIn(parts, e);

function showResult(s: PushSummary): void {
  content.textContent = '';
  content.appendChild(el('p', s.message, 'status'));
  if (s.failures.length > 0) {
    const list = el('ul', undefined, 'failures');
    for (const f of s.failures) list.appendChild(el('li', `${who(f.entity, f.entryId)}: ${f.message}`));
    content.appendChild(list);
  }
  finished(parts);
  costLine.textContent = `${s.requests.total} request${s.requests.total === 1 ? '' : 's'} made (${s.requests.writes} updates, ${s.requests.reads} reads).`;
}

wire<PushSummary>(
  parts,
  () => google.script.host.close(),
  'Pushing to Affinity…',
  (ok, fail) =>
    google.script.run
      .withSuccessHandler<PushSummary>(ok)
      .withFailureHandler(fail)
      .pushTab(sheetId, [...choices.values()]),
  showResult,
);

if (!Number.isInteger(sheetId)) {
  showError('This dialog lost track of its tab. Close it and open Affinity › Preview changes… again.');
} else {
  google.script.run.withSuccessHandler<PushPreview>(render).withFailureHandler(showError).previewPush(sheetId);
}
