/**
 * Elements of the push dialogs (Preview changes…, Undo last push…): every value from the sheet or Affinity enters
 * the page as text (textContent), never as HTML.
 */

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** A table cell with a value; an empty value reads “(empty)”. */
export function cell(text: string, className?: string): HTMLTableCellElement {
  if (text === '') return el('td', '(empty)', `empty ${className ?? ''}`.trim());
  return el('td', text, className);
}

/** A titled section with a count (and a hint), appended to `parent`. */
export function section(parent: HTMLElement, title: string, count: number, hint?: string): HTMLElement {
  const wrap = el('section');
  const h = el('h2', `${title} `);
  h.appendChild(el('span', `(${count})`, 'count'));
  wrap.appendChild(h);
  if (hint) wrap.appendChild(el('p', hint, 'hint'));
  parent.appendChild(wrap);
  return wrap;
}

/** A table with headers and column widths in `parent`; returns its body. */
export function table(parent: HTMLElement, headers: string[], widths: string[]): HTMLTableSectionElement {
  const t = el('table');
  const colgroup = el('colgroup');
  for (const w of widths) {
    const c = el('col');
    c.style.width = w;
    colgroup.appendChild(c);
  }
  t.appendChild(colgroup);
  const head = el('thead');
  const row = el('tr');
  for (const h of headers) row.appendChild(el('th', h));
  head.appendChild(row);
  t.appendChild(head);
  const body = el('tbody');
  t.appendChild(body);
  parent.appendChild(t);
  return body;
}

/** “Name (entry id)”, or the id alone. */
export const who = (entity: string, entryId: number): string => (entity ? `${entity} (${entryId})` : String(entryId));

/** A dialog's parts: its content, the line in its footer, its action button and its Cancel/Close button. */
export interface DialogParts {
  content: HTMLElement;
  foot: HTMLElement;
  action: HTMLButtonElement;
  cancel: HTMLButtonElement;
}

/** An error in words in place of the content; only Close is left. */
export function showError(d: DialogParts, error: Error | string): void {
  d.content.textContent = '';
  d.content.appendChild(el('p', typeof error === 'string' ? error : error.message || String(error), 'status error'));
  d.foot.textContent = '';
  d.action.disabled = true;
  d.cancel.textContent = 'Close';
}

/** While the server works: both buttons wait and the content says what is happening. Returns the end of the wait. */
export function working(d: DialogParts, text: string): () => void {
  d.action.disabled = true;
  d.cancel.disabled = true;
  d.content.textContent = '';
  d.content.appendChild(el('p', text, 'status'));
  return () => {
    d.cancel.disabled = false;
  };
}

/** The action is done: its button goes, Cancel becomes Close. */
export function finished(d: DialogParts): void {
  d.foot.textContent = '';
  d.action.disabled = true;
  d.action.style.display = 'none';
  d.cancel.textContent = 'Close';
}

/**
 * Wires the buttons: Cancel closes the dialog; the action says `text` while `call` runs on the server, then shows
 * its answer (`done`) or its error.
 */
export function wire<T>(
  d: DialogParts,
  close: () => void,
  text: string,
  call: (ok: (value: T) => void, fail: (e: Error) => void) => void,
  done: (value: T) => void,
): void {
  d.action.addEventListener('click', () => {
    const wait = working(d, text);
    call(
      (value) => (wait(), done(value)),
      (e) => (wait(), showError(d, e)),
    );
  });
  d.cancel.addEventListener('click', close);
}

/** The dialog's parts, by their ids in the page (`content`, `cost`, `cancel`, and the action button's). */
export function dialogParts(actionId: string): DialogParts {
  return {
    content: document.getElementById('content') as HTMLElement,
    foot: document.getElementById('cost') as HTMLElement,
    action: document.getElementById(actionId) as HTMLButtonElement,
    cancel: document.getElementById('cancel') as HTMLButtonElement,
  };
}

/** Appends a row of cells to a table body. */
export function addRow(body: HTMLTableSectionElement, ...cells: HTMLTableCellElement[]): HTMLTableRowElement {
  const tr = el('tr');
  tr.append(...cells);
  body.appendChild(tr);
  return tr;
}
