/**
 * Synced tabs: each binding (tab ← list › saved view) with its rows and last pull and push, its actions (pull, push,
 * open the tab, stop syncing), its progress while work runs and its errors right beside it; and the form that adds a
 * binding (list with a filter box, then a sheet view, then a new or an existing tab; the first pull starts at once).
 * Work runs in the background of the panel: each call is its own server execution and the panel stays usable; while
 * any runs, the panel polls the progress the pull writes.
 */
import type { BindingInfo, RunOutcome } from '../../shared/types';
import type { SettingsState, TabInfo } from '../../shared/settings';
import type { Panel, Section } from '../panel';
import { ago, busy, count, h, plural, replace, say, uid, when } from '../dom';

const POLL_MS = 1500;

type ListItem = { id: number; name: string; type: string };
type ViewItem = { id: number; name: string; type: string; syncable: boolean };

interface Job {
  kind: 'pull' | 'push' | 'bind';
  label: string;
}

/** What a binding card shows apart from the snapshot: the running job, the last result or error of this panel. */
interface CardNote {
  text: string;
  tone: 'ok' | 'error';
}

const SEP = () => h('span', { class: 'sep', attrs: { 'aria-hidden': 'true' } }, '· ');

function outcomeLine(label: string, o: RunOutcome | undefined, now: number): HTMLElement {
  if (!o) return h('span', { class: 'meta-item' }, SEP(), `${label} never`);
  return h(
    'span',
    { class: `meta-item ${o.ok ? '' : 'bad'}`, attrs: { title: `${when(o.at)}: ${o.message}` } },
    SEP(),
    `${label} ${ago(o.at, now)} `,
    h(
      'span',
      { class: o.ok ? 'ok-mark' : 'bad-mark', attrs: { 'aria-label': o.ok ? 'succeeded' : 'failed', role: 'img' } },
      o.ok ? '✓' : '✕',
    ),
  );
}

function mount(container: HTMLElement, panel: Panel): void {
  const jobs = new Map<number, Job>();
  const notes = new Map<number, CardNote>();
  /** A bind whose tab does not exist yet. */
  let pendingBind: { label: string; progress: string } | null = null;
  let poll: number | null = null;
  let progressText = new Map<number, string>();

  const list = h('ul', { class: 'bindings', attrs: { 'aria-label': 'Synced tabs' } });
  const empty = h(
    'p',
    { class: 'intro' },
    'No tab follows an Affinity view yet. Add one: pick a list and one of its saved views.',
  );
  const notConnected = h(
    'p',
    { class: 'message info', hidden: true },
    'Connect to Affinity above to add or pull tabs.',
  );
  const addButton = h(
    'button',
    { class: 'button action', attrs: { type: 'button', 'aria-expanded': 'false' } },
    'Add a synced tab',
  );
  const addForm = createAddForm(panel, {
    onStart(label) {
      pendingBind = { label, progress: 'Starting…' };
      startPolling();
      draw();
    },
    onEnd(result) {
      pendingBind = null;
      if (result.sheetId !== undefined)
        notes.set(result.sheetId, { text: result.text, tone: result.ok ? 'ok' : 'error' });
      if (result.ok || result.sheetId !== undefined) closeForm();
      panel.refresh().catch(() => undefined);
    },
    onCancel: () => closeForm(true),
  });
  replace(container, notConnected, empty, list, addButton, addForm.element);

  function openForm(): void {
    addForm.element.hidden = false;
    addButton.hidden = true;
    addButton.setAttribute('aria-expanded', 'true');
    addForm.open();
  }
  function closeForm(focusButton = false): void {
    addForm.element.hidden = true;
    addButton.hidden = false;
    addButton.setAttribute('aria-expanded', 'false');
    if (focusButton) addButton.focus();
  }
  addButton.addEventListener('click', openForm);

  // ---- polling progress while work runs ----
  function startPolling(): void {
    if (poll !== null) return;
    poll = window.setInterval(() => {
      if (jobs.size === 0 && !pendingBind) {
        stopPolling();
        return;
      }
      panel.bridge
        .getProgress()
        .then((items) => {
          progressText = new Map(items.map((p) => [p.sheetId, p.message]));
          if (pendingBind && items.length > 0) {
            const unknown = items.find((p) => !panel.state?.bindings.some((b) => b.sheetId === p.sheetId));
            if (unknown) pendingBind.progress = unknown.message;
          }
          draw();
        })
        .catch(() => undefined);
    }, POLL_MS);
  }
  function stopPolling(): void {
    if (poll !== null) window.clearInterval(poll);
    poll = null;
    progressText.clear();
  }

  // ---- actions ----
  function run(b: BindingInfo, kind: 'pull' | 'push'): void {
    if (jobs.has(b.sheetId)) return;
    jobs.set(b.sheetId, { kind, label: kind === 'pull' ? 'Pulling…' : 'Pushing…' });
    notes.delete(b.sheetId);
    startPolling();
    draw();
    const work: Promise<CardNote> =
      kind === 'pull'
        ? panel.bridge.pullTab(b.sheetId).then((s) => ({
            tone: 'ok' as const,
            text:
              s.status === 'continuing' && s.message
                ? s.message
                : `Pulled ${plural(s.rows, 'row')}${s.added ? `, ${count(s.added)} added` : ''}${s.updatedCells ? `, ${plural(s.updatedCells, 'cell')} updated` : ''}${s.removed ? `, ${count(s.removed)} removed` : ''}${s.conflicts ? `, ${plural(s.conflicts, 'conflict')} flagged` : ''}.`,
          }))
        : panel.bridge
            .pushTab(b.sheetId)
            .then((s) => ({ tone: s.failed > 0 ? ('error' as const) : ('ok' as const), text: s.message }));
    work
      .then((note) => {
        notes.set(b.sheetId, note);
        panel.announce(`${b.tabName}: ${note.text}`);
      })
      .catch((e: Error) => {
        notes.set(b.sheetId, { text: e.message, tone: 'error' });
      })
      .finally(() => {
        jobs.delete(b.sheetId);
        draw();
        panel.refresh().catch(() => undefined);
      });
  }

  function openTab(b: BindingInfo): void {
    panel.bridge
      .openTab(b.sheetId)
      .then((name) => panel.announce(`Opened ${name}`))
      .catch((e: Error) => {
        notes.set(b.sheetId, { text: e.message, tone: 'error' });
        draw();
      });
  }

  function confirmRemove(b: BindingInfo, card: HTMLElement, removeButton: HTMLButtonElement): void {
    const box = card.querySelector('.confirm') as HTMLElement;
    const yes = h('button', { class: 'button small danger-action', attrs: { type: 'button' } }, 'Stop syncing');
    const no = h('button', { class: 'button small text', attrs: { type: 'button' } }, 'Cancel');
    replace(
      box,
      h('p', {}, `Stop syncing “${b.tabName}” with “${b.viewName}”? The tab and its data stay.`),
      h('div', { class: 'buttons' }, yes, no),
    );
    box.hidden = false;
    no.addEventListener('click', () => {
      box.hidden = true;
      removeButton.focus();
    });
    yes.addEventListener('click', () => {
      const done = busy(yes, 'Removing…');
      panel.bridge
        .unbindTab(b.sheetId)
        .then(() => {
          notes.delete(b.sheetId);
          panel.announce(`${b.tabName} is no longer synced`);
          return panel.refresh();
        })
        .catch((e: Error) => {
          done();
          notes.set(b.sheetId, { text: e.message, tone: 'error' });
          draw();
        });
    });
    yes.focus();
  }

  // ---- drawing ----
  function card(b: BindingInfo, s: SettingsState): HTMLElement {
    const job = jobs.get(b.sheetId);
    const progress = progressText.get(b.sheetId) ?? s.progress.find((p) => p.sheetId === b.sheetId)?.message;
    const note = notes.get(b.sheetId);
    const connected = s.connection.connected;
    const button = (
      label: string,
      aria: string,
      cls: string,
      disabled: boolean,
      onClick: (btn: HTMLButtonElement) => void,
    ) => {
      const btn = h(
        'button',
        { class: `button small ${cls}`, attrs: { type: 'button', 'aria-label': aria, disabled } },
        label,
      );
      btn.addEventListener('click', () => onClick(btn));
      return btn;
    };
    const failedPull = b.lastPull && !b.lastPull.ok ? b.lastPull : undefined;
    const failedPush = b.lastPush && !b.lastPush.ok ? b.lastPush : undefined;
    // The newest failure recorded by the server, unless this panel has something newer to say.
    const recorded = [failedPull, failedPush].filter((o): o is RunOutcome => !!o).sort((x, y) => y.at - x.at)[0];
    const lastOk = Math.max(b.lastPull?.ok ? b.lastPull.at : 0, b.lastPush?.ok ? b.lastPush.at : 0);
    const showRecorded = !job && !note && recorded && recorded.at >= lastOk;
    const confirm = h('div', {
      class: 'confirm',
      attrs: { role: 'group', 'aria-label': `Stop syncing ${b.tabName}` },
      hidden: true,
    });
    const el = h(
      'li',
      {
        class: `binding${b.sheetId === s.activeSheetId ? ' active' : ''}`,
        attrs: { 'data-sheet-id': b.sheetId, 'aria-busy': job ? 'true' : 'false' },
      },
      h(
        'div',
        { class: 'binding-head' },
        h('span', { class: 'tab-name' }, b.tabName),
        b.sheetId === s.activeSheetId ? h('span', { class: 'badge' }, 'this tab') : null,
      ),
      h('p', { class: 'binding-source' }, `${b.listName} › ${b.viewName}`),
      h(
        'p',
        { class: 'binding-meta' },
        h('span', { class: 'meta-item' }, b.rows !== undefined ? plural(b.rows, 'row') : 'not pulled yet'),
        outcomeLine('Pulled', b.lastPull, s.now),
        outcomeLine('Pushed', b.lastPush, s.now),
      ),
      h(
        'div',
        { class: 'buttons binding-actions' },
        button('Pull', `Pull “${b.tabName}” from Affinity`, '', !!job || !connected, () => run(b, 'pull')),
        button('Push', `Push the edits of “${b.tabName}” to Affinity`, '', !!job || !connected, () => run(b, 'push')),
        button('Open', `Open the tab “${b.tabName}”`, 'text', false, () => openTab(b)),
        button('Remove', `Stop syncing “${b.tabName}”`, 'text danger', !!job, (btn) => confirmRemove(b, el, btn)),
      ),
      job
        ? h(
            'p',
            { class: 'message progress', attrs: { role: 'status' } },
            h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
            progress ?? job.label,
          )
        : null,
      note
        ? h(
            'p',
            {
              class: `message ${note.tone === 'ok' ? 'success' : 'error'}`,
              attrs: { role: note.tone === 'ok' ? 'status' : 'alert' },
            },
            note.text,
          )
        : null,
      showRecorded ? h('p', { class: 'message error', attrs: { role: 'alert' } }, recorded.message) : null,
      confirm,
    );
    return el;
  }

  function draw(): void {
    const s = panel.state;
    if (!s) return;
    // Keep focus on the same control across a redraw (the list is rebuilt from the snapshot).
    const focused = document.activeElement;
    const focusKey =
      focused instanceof HTMLElement && list.contains(focused) ? focused.getAttribute('aria-label') : null;
    const openConfirms = new Set<number>();
    for (const c of list.querySelectorAll<HTMLElement>('.binding')) {
      const box = c.querySelector<HTMLElement>('.confirm');
      if (box && !box.hidden) openConfirms.add(Number(c.dataset.sheetId));
    }
    const items = s.bindings.map((b) => card(b, s));
    if (pendingBind) {
      items.push(
        h(
          'li',
          { class: 'binding pending', attrs: { 'aria-busy': 'true' } },
          h('div', { class: 'binding-head' }, h('span', { class: 'tab-name' }, pendingBind.label)),
          h(
            'p',
            { class: 'message progress', attrs: { role: 'status' } },
            h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
            pendingBind.progress,
          ),
        ),
      );
    }
    // A confirmation the user has open survives redraws (e.g. another binding's pull finishing).
    if (openConfirms.size === 0) replace(list, ...items);
    else {
      const current = new Map(
        [...list.querySelectorAll<HTMLElement>('.binding')].map((c) => [Number(c.dataset.sheetId), c]),
      );
      replace(
        list,
        ...items.map((item) =>
          openConfirms.has(Number(item.dataset.sheetId)) ? (current.get(Number(item.dataset.sheetId)) ?? item) : item,
        ),
      );
    }
    empty.hidden = items.length > 0 || !s.connection.connected;
    list.hidden = items.length === 0;
    notConnected.hidden = s.connection.connected;
    addButton.disabled = !s.connection.connected;
    if (!s.connection.connected) closeForm();
    if (focusKey) {
      const again = [...list.querySelectorAll<HTMLElement>('[aria-label]')].find(
        (e) => e.getAttribute('aria-label') === focusKey,
      );
      if (again && !(again as HTMLButtonElement).disabled) again.focus();
    }
  }

  panel.onState((s) => {
    // Work started elsewhere (the menu, another panel) shows its progress too.
    if (s.progress.length > 0) startPolling();
    draw();
  });
}

// ---- the add form -------------------------------------------------------------------------------------------------

interface AddFormHooks {
  onStart(label: string): void;
  onEnd(result: { ok: boolean; text: string; sheetId?: number }): void;
  onCancel(): void;
}

function createAddForm(panel: Panel, hooks: AddFormHooks): { element: HTMLElement; open(): void } {
  let lists: ListItem[] = [];
  let views: ViewItem[] = [];
  let tabs: TabInfo[] = [];
  let viewRequest = 0;
  let viewTimer: number | null = null;

  const filterId = uid('list-filter');
  const listId = uid('list-select');
  const listHelpId = uid('list-help');
  const filter = h('input', {
    id: filterId,
    class: 'input',
    attrs: {
      type: 'search',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'Type to filter lists',
      'aria-controls': listId,
      'aria-describedby': listHelpId,
    },
  });
  const select = h('select', {
    id: listId,
    class: 'listbox',
    attrs: { size: 6, 'aria-label': 'Lists', 'aria-describedby': listHelpId },
  });
  const listHelp = h('p', { id: listHelpId, class: 'help' }, 'Loading lists…');

  const viewsBox = h('fieldset', { class: 'views', attrs: { disabled: true } }, h('legend', {}, 'Saved view'));
  const viewsBody = h('div', { class: 'choices' }, h('p', { class: 'help' }, 'Pick a list first.'));
  viewsBox.appendChild(viewsBody);

  const targetName = uid('target');
  const tabSelectId = uid('tab-select');
  const newTab = h('input', { attrs: { type: 'radio', name: targetName, value: 'new', checked: true } });
  const existingTab = h('input', { attrs: { type: 'radio', name: targetName, value: 'existing' } });
  const tabSelect = h('select', {
    id: tabSelectId,
    class: 'input',
    attrs: { 'aria-label': 'Existing tab', disabled: true },
  });
  const targetBox = h(
    'fieldset',
    { class: 'target' },
    h('legend', {}, 'Put it in'),
    h('label', { class: 'choice' }, newTab, 'A new tab named after the view'),
    h('label', { class: 'choice' }, existingTab, 'An existing tab'),
    tabSelect,
    h('p', { class: 'help' }, 'The view’s columns are added to the tab; columns of your own stay as they are.'),
  );
  const submit = h('button', { class: 'button action', attrs: { type: 'submit', disabled: true } }, 'Add and pull');
  const cancel = h('button', { class: 'button text', attrs: { type: 'button' } }, 'Cancel');
  const error = h('p', { class: 'message error', attrs: { role: 'alert' }, hidden: true });
  const form = h(
    'form',
    { class: 'add-form', attrs: { 'aria-label': 'Add a synced tab', novalidate: true }, hidden: true },
    h('h3', {}, 'Add a synced tab'),
    h('div', { class: 'field' }, h('label', { attrs: { for: filterId } }, 'List'), filter, select, listHelp),
    viewsBox,
    targetBox,
    error,
    h('div', { class: 'buttons' }, submit, cancel),
  );

  function selectedView(): ViewItem | undefined {
    const checked = viewsBody.querySelector<HTMLInputElement>('input[type=radio]:checked');
    return checked ? views.find((v) => String(v.id) === checked.value) : undefined;
  }

  function updateSubmit(): void {
    const ready = !!selectedView() && (newTab.checked || (existingTab.checked && tabSelect.value !== ''));
    submit.disabled = !ready;
  }

  function drawLists(): void {
    const term = filter.value.trim().toLowerCase();
    const shown = term ? lists.filter((l) => l.name.toLowerCase().includes(term)) : lists;
    const before = select.value;
    replace(select, ...shown.map((l) => h('option', { attrs: { value: l.id } }, l.name)));
    select.size = Math.max(2, Math.min(6, shown.length));
    if (shown.some((l) => String(l.id) === before)) select.value = before;
    listHelp.textContent =
      lists.length === 0
        ? 'Your Affinity user has no lists.'
        : term
          ? `${plural(shown.length, 'list')} of ${count(lists.length)} match.`
          : `${plural(lists.length, 'list')}. Type to filter.`;
    if (shown.length === 1 && select.value === '') {
      select.value = String(shown[0].id);
      loadViewsSoon();
    }
  }

  function loadViewsSoon(): void {
    if (viewTimer !== null) window.clearTimeout(viewTimer);
    // Moving through the list with the arrow keys selects each list in turn: wait until it settles.
    viewTimer = window.setTimeout(loadViews, 250);
  }

  function loadViews(): void {
    viewTimer = null;
    const id = Number(select.value);
    if (!select.value) return;
    const request = ++viewRequest;
    viewsBox.disabled = true;
    views = [];
    replace(viewsBody, h('p', { class: 'help' }, 'Loading saved views…'));
    updateSubmit();
    panel.bridge
      .getViews(id)
      .then((found) => {
        if (request !== viewRequest) return;
        views = found;
        drawViews();
      })
      .catch((e: Error) => {
        if (request !== viewRequest) return;
        replace(viewsBody, h('p', { class: 'message error', attrs: { role: 'alert' } }, e.message));
      });
  }

  function drawViews(): void {
    const name = uid('view');
    if (views.length === 0) {
      replace(
        viewsBody,
        h('p', { class: 'help' }, 'This list has no saved views. Create a sheet view in Affinity first.'),
      );
      return;
    }
    const firstSyncable = views.find((v) => v.syncable);
    replace(
      viewsBody,
      ...views.map((v) => {
        const input = h('input', {
          attrs: {
            type: 'radio',
            name,
            value: v.id,
            disabled: !v.syncable,
            checked: v === firstSyncable && views.filter((x) => x.syncable).length === 1,
          },
        });
        input.addEventListener('change', updateSubmit);
        if (v.syncable) return h('label', { class: 'choice' }, input, v.name);
        const reasonId = uid('reason');
        input.setAttribute('aria-describedby', reasonId);
        return h(
          'label',
          { class: 'choice disabled' },
          input,
          h(
            'span',
            {},
            v.name,
            h(
              'span',
              { id: reasonId, class: 'reason' },
              `${capitalize(v.type)} view: Affinity’s API serves no rows for it. Only sheet views can be synced.`,
            ),
          ),
        );
      }),
    );
    viewsBox.disabled = false;
    updateSubmit();
  }

  function loadTabs(): void {
    panel.bridge
      .getTabs()
      .then((found) => {
        tabs = found;
        replace(
          tabSelect,
          h('option', { attrs: { value: '' } }, 'Choose a tab…'),
          ...tabs.map((t) =>
            h(
              'option',
              { attrs: { value: t.sheetId, disabled: !!t.boundTo } },
              t.boundTo ? `${t.name} (follows ${t.boundTo})` : t.name,
            ),
          ),
        );
        updateSubmit();
      })
      .catch((e: Error) => say(error, e.message));
  }

  filter.addEventListener('input', drawLists);
  filter.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && select.options.length > 0) {
      e.preventDefault();
      if (select.selectedIndex < 0) {
        select.selectedIndex = 0;
        loadViewsSoon();
      }
      select.focus();
    }
  });
  select.addEventListener('change', loadViewsSoon);
  for (const radio of [newTab, existingTab]) {
    radio.addEventListener('change', () => {
      tabSelect.disabled = !existingTab.checked;
      updateSubmit();
    });
  }
  tabSelect.addEventListener('change', updateSubmit);
  cancel.addEventListener('click', hooks.onCancel);
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') hooks.onCancel();
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const view = selectedView();
    const listIdValue = Number(select.value);
    if (!view || !select.value) return;
    const sheetId = existingTab.checked && tabSelect.value !== '' ? Number(tabSelect.value) : null;
    say(error, null);
    const done = busy(submit, 'Adding…');
    const target = sheetId !== null ? (tabs.find((t) => t.sheetId === sheetId)?.name ?? 'the tab') : 'a new tab';
    hooks.onStart(`${view.name} → ${target}`);
    const before = new Set((panel.state?.bindings ?? []).map((b) => b.sheetId));
    // The binding this bind made: on the chosen tab, or the one tab that was not bound before.
    const made = (state: SettingsState) =>
      state.bindings.find(
        (x) =>
          x.viewId === view.id &&
          x.listId === listIdValue &&
          (sheetId !== null ? x.sheetId === sheetId : !before.has(x.sheetId)),
      );
    panel.bridge
      .bindTab(listIdValue, view.id, sheetId)
      .then((s) => {
        const text =
          s.status === 'continuing' && s.message ? s.message : `Pulled ${plural(s.rows, 'row')} into “${s.tabName}”.`;
        panel.announce(text);
        return panel.refresh().then((state) => hooks.onEnd({ ok: true, text, sheetId: made(state)?.sheetId }));
      })
      .catch((e: Error) => {
        // The tab may be bound already with its first pull failed: then the error goes next to it.
        return panel
          .refresh()
          .then((state) => {
            const b = made(state);
            if (b) hooks.onEnd({ ok: false, text: e.message, sheetId: b.sheetId });
            else {
              say(error, e.message);
              hooks.onEnd({ ok: false, text: e.message });
            }
          })
          .catch(() => {
            say(error, e.message);
            hooks.onEnd({ ok: false, text: e.message });
          });
      })
      .finally(done);
  });

  return {
    element: form,
    open() {
      say(error, null);
      filter.value = '';
      views = [];
      replace(viewsBody, h('p', { class: 'help' }, 'Pick a list first.'));
      viewsBox.disabled = true;
      newTab.checked = true;
      tabSelect.disabled = true;
      updateSubmit();
      filter.focus();
      listHelp.textContent = 'Loading lists…';
      panel.bridge
        .getLists()
        .then((found) => {
          lists = [...found].sort((a, b) => a.name.localeCompare(b.name));
          drawLists();
        })
        .catch((e: Error) => {
          listHelp.textContent = '';
          say(error, e.message);
        });
      loadTabs();
    },
  };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const tabs: Section = { id: 'tabs', title: 'Synced tabs', mount };
export default tabs;
