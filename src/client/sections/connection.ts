/**
 * Connection: an Affinity API key (a password field), or a Nango connection. Either is checked by the server with
 * whoami before it is kept; afterwards the panel only ever sees who it belongs to and the last four characters.
 * The secret fields are emptied as soon as the server has answered, whatever the answer.
 */
import type { ConnectionStatus } from '../../shared/types';
import type { Panel, Section } from '../panel';
import { busy, h, replace, say, uid } from '../dom';

type Mode = 'direct' | 'nango';

/** A labelled input with its help line; `password` for secrets (never echoed), `text` otherwise. */
function field(
  type: 'password' | 'text',
  label: string,
  help: string,
  placeholder = '',
): { wrap: HTMLElement; input: HTMLInputElement } {
  const id = uid(type === 'password' ? 'secret' : 'text');
  const helpId = `${id}-help`;
  const input = h('input', {
    id,
    class: 'input',
    attrs: {
      type,
      autocomplete: 'off',
      spellcheck: 'false',
      autocapitalize: 'off',
      ...(placeholder ? { placeholder } : {}),
      'aria-describedby': helpId,
      required: true,
    },
  });
  return {
    input,
    wrap: h(
      'div',
      { class: 'field' },
      h('label', { attrs: { for: id } }, label),
      input,
      h('p', { id: helpId, class: 'help' }, help),
    ),
  };
}

const secretField = (label: string, help: string) => field('password', label, help);
const textField = (label: string, help: string, placeholder = '') => field('text', label, help, placeholder);

function mount(container: HTMLElement, panel: Panel): void {
  let editing = false;
  let mode: Mode = 'direct';
  /** Shown right after connecting (e.g. no export permission); not kept. */
  let warning: string | null = null;

  // ---- the form (API key or Nango) ----
  const name = uid('mode');
  const radio = (value: Mode, label: string) => {
    const input = h('input', { attrs: { type: 'radio', name, value, checked: value === mode } });
    input.addEventListener('change', () => {
      mode = value;
      showMode();
    });
    return h('label', { class: 'choice inline' }, input, label);
  };
  const modes = h(
    'fieldset',
    { class: 'modes' },
    h('legend', {}, 'Connect with'),
    radio('direct', 'API key'),
    radio('nango', 'Nango'),
  );

  const key = secretField('Affinity API key', 'In Affinity: Settings › Manage Apps › API keys.');
  const nangoSecret = secretField('Nango secret key', 'In Nango: Environment Settings › Secret key.');
  const nangoIntegration = textField(
    'Integration ID',
    'The Provider-Config-Key of your Affinity integration in Nango.',
    'affinity',
  );
  const nangoConnection = textField('Connection ID', 'The Nango connection that holds your Affinity credentials.');
  const directFields = h('div', { class: 'mode-fields' }, key.wrap);
  const nangoFields = h(
    'div',
    { class: 'mode-fields', hidden: true },
    h(
      'p',
      { class: 'help' },
      'Requests go through Nango’s proxy (api.nango.dev); Nango adds the Affinity credentials, so no Affinity key is kept here.',
    ),
    nangoSecret.wrap,
    nangoIntegration.wrap,
    nangoConnection.wrap,
  );
  const submit = h('button', { class: 'button action', attrs: { type: 'submit' } }, 'Connect');
  const cancel = h('button', { class: 'button text', attrs: { type: 'button' }, hidden: true }, 'Cancel');
  const formError = h('p', { class: 'message error', attrs: { role: 'alert' }, hidden: true });
  const storage = h(
    'p',
    { class: 'help' },
    'Checked with Affinity first, then kept in your own user properties: other editors of this spreadsheet never see or use it.',
  );
  const form = h(
    'form',
    { class: 'connect-form', attrs: { novalidate: true, 'aria-label': 'Connect to Affinity' } },
    modes,
    directFields,
    nangoFields,
    storage,
    formError,
    h('div', { class: 'buttons' }, submit, cancel),
  );

  function showMode(): void {
    directFields.hidden = mode !== 'direct';
    nangoFields.hidden = mode !== 'nango';
    say(formError, null);
  }

  function clearSecrets(): void {
    key.input.value = '';
    nangoSecret.input.value = '';
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    say(formError, null);
    const done = busy(submit, 'Checking…');
    const request =
      mode === 'direct'
        ? panel.bridge.connect(key.input.value)
        : panel.bridge.connectNango({
            secretKey: nangoSecret.input.value,
            providerConfigKey: nangoIntegration.input.value || nangoIntegration.input.placeholder,
            connectionId: nangoConnection.input.value,
          });
    // The secret is in the request now: it leaves the page, whatever the answer.
    clearSecrets();
    request
      .then((status) => {
        editing = false;
        warning = status.warning ?? null;
        panel.announce(`Connected as ${status.userName ?? ''}`);
        return panel.refresh();
      })
      .catch((e: Error) => {
        say(formError, e.message);
        (mode === 'direct' ? key.input : nangoSecret.input).focus();
        // The check spent requests: the status shows them.
        panel.refresh().catch(() => undefined);
      })
      .finally(done);
  });

  cancel.addEventListener('click', () => {
    editing = false;
    clearSecrets();
    if (panel.state) render(panel.state.connection);
  });

  // ---- connected ----
  const summary = h('div', { class: 'connected' });
  const change = h('button', { class: 'button small', attrs: { type: 'button' } }, 'Change');
  const remove = h('button', { class: 'button small danger', attrs: { type: 'button' } }, 'Remove key');
  const confirmBox = h('div', {
    class: 'confirm',
    attrs: { role: 'group', 'aria-label': 'Remove the key' },
    hidden: true,
  });
  const removeError = h('p', { class: 'message error', attrs: { role: 'alert' }, hidden: true });
  const connectedView = h('div', {}, summary, h('div', { class: 'buttons' }, change, remove), confirmBox, removeError);

  change.addEventListener('click', () => {
    editing = true;
    if (panel.state) render(panel.state.connection);
    (mode === 'direct' ? key.input : nangoSecret.input).focus();
  });
  remove.addEventListener('click', () => {
    const yes = h('button', { class: 'button small danger-action', attrs: { type: 'button' } }, 'Remove');
    const no = h('button', { class: 'button small text', attrs: { type: 'button' } }, 'Keep it');
    replace(
      confirmBox,
      h(
        'p',
        {},
        'Remove the key from your user properties? Pulls, pushes and schedules you run stop until you connect again.',
      ),
      h('div', { class: 'buttons' }, yes, no),
    );
    confirmBox.hidden = false;
    no.addEventListener('click', () => {
      confirmBox.hidden = true;
      remove.focus();
    });
    yes.addEventListener('click', () => {
      const done = busy(yes, 'Removing…');
      panel.bridge
        .removeKey()
        .then(() => {
          confirmBox.hidden = true;
          warning = null;
          panel.announce('Key removed');
          return panel.refresh();
        })
        .catch((e: Error) => say(removeError, e.message))
        .finally(done);
    });
    yes.focus();
  });

  function renderSummary(c: ConnectionStatus): void {
    const who = `Connected as ${c.userName || 'an Affinity user'}${c.tenantName ? ` · ${c.tenantName}` : ''}`;
    const secret = c.keyHint ? `••••${c.keyHint}` : '••••';
    const how =
      c.mode === 'nango' && c.nango
        ? h(
            'p',
            { class: 'help key-hint' },
            `Through Nango: connection ${c.nango.connectionId}, integration ${c.nango.providerConfigKey}, secret key ${secret}`,
          )
        : h('p', { class: 'help key-hint' }, `API key ${secret}`);
    replace(
      summary,
      h(
        'p',
        { class: 'who' },
        h('span', { class: 'dot ok', attrs: { 'aria-hidden': 'true' } }),
        h('span', { class: 'who-text' }, who),
      ),
      c.userEmail ? h('p', { class: 'help' }, c.userEmail) : null,
      how,
      warning ? h('p', { class: 'message warning', attrs: { role: 'status' } }, warning) : null,
    );
    remove.textContent = c.mode === 'nango' ? 'Disconnect' : 'Remove key';
  }

  const intro = h('p', { class: 'intro' }, 'Connect to Affinity to choose which saved views these tabs follow.');
  // A copied spreadsheet: what to do before it syncs (connect, save the schedule again).
  // Its own class, not `.message.warning`: the connection's warnings are one element, found as such.
  const copyNotice = h('p', { class: 'copy-notice', attrs: { role: 'status' }, hidden: true });
  // One line: what other editors can and cannot do (README, “Who can do what in a shared spreadsheet”).
  const sharing = h(
    'p',
    { class: 'help' },
    'Shared spreadsheet? Your key stays yours, and others’ edits wait for you to confirm them; anyone who can edit the script can act as you: see “Who can do what in a shared spreadsheet” in the README.',
  );
  replace(container, copyNotice, intro, form, connectedView, sharing);
  let shown: 'form' | 'connected' | null = null;

  // Redraws only what changed, so a refresh never disturbs someone typing in the form.
  function render(c: ConnectionStatus): void {
    if (c.connected) renderSummary(c);
    const next = c.connected && !editing ? 'connected' : 'form';
    connectedView.hidden = next !== 'connected';
    form.hidden = next !== 'form';
    intro.hidden = next !== 'form' || c.connected;
    if (next === 'form' && shown !== 'form') {
      if (c.connected) mode = c.mode ?? 'direct';
      for (const input of modes.querySelectorAll('input')) input.checked = input.value === mode;
      showMode();
    }
    cancel.hidden = !c.connected;
    submit.textContent = c.connected ? 'Save and reconnect' : 'Connect';
    shown = next;
  }

  panel.onState((s) => {
    copyNotice.textContent = s.copyNotice ?? '';
    copyNotice.hidden = !s.copyNotice;
    render(s.connection);
  });
}

const connection: Section = { id: 'connection', title: 'Connection', mount };
export default connection;
