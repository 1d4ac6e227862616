/**
 * Status: the Apps Script UrlFetch calls used in the current quota window, Affinity's per-minute and monthly
 * remaining as its last response reported them, and the last pulls and pushes with their outcome.
 */
import type { AffinityLimits, SettingsState } from '../../shared/settings';
import type { Panel, Section } from '../panel';
import { ago, busy, count, h, replace, when } from '../dom';

function meter(used: number, limit: number, label: string): HTMLElement {
  const share = limit > 0 ? Math.min(1, used / limit) : 0;
  const bar = h('span', { class: 'meter-fill' });
  bar.style.width = `${(share * 100).toFixed(1)}%`;
  return h(
    'span',
    {
      class: `meter${share > 0.8 ? ' high' : ''}`,
      attrs: { role: 'meter', 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': limit, 'aria-valuenow': used },
    },
    bar,
  );
}

function stat(label: string, value: string, ...extra: (HTMLElement | null)[]): HTMLElement {
  return h(
    'div',
    { class: 'stat' },
    h(
      'div',
      { class: 'stat-row' },
      h('span', { class: 'stat-label' }, label),
      h('span', { class: 'stat-value' }, value),
    ),
    ...extra,
  );
}

function affinityStats(limits: AffinityLimits | null, now: number): HTMLElement[] {
  if (!limits || (limits.perMinuteLimit === undefined && limits.monthlyLimit === undefined)) {
    return [
      h('h3', {}, 'Affinity'),
      h('p', { class: 'help' }, 'Affinity’s rate limits show here after its first answer.'),
    ];
  }
  const out: HTMLElement[] = [h('h3', {}, 'Affinity')];
  const age = now - limits.observedAt;
  if (limits.perMinuteLimit !== undefined) {
    // Affinity's per-minute window resets on its own: an old reading says nothing about now.
    const reset = (limits.perMinuteResetSec ?? 60) * 1000;
    const left = age > reset ? limits.perMinuteLimit : (limits.perMinuteRemaining ?? limits.perMinuteLimit);
    out.push(
      stat(
        'This minute',
        `${count(left)} of ${count(limits.perMinuteLimit)} left`,
        meter(limits.perMinuteLimit - left, limits.perMinuteLimit, 'Affinity requests used this minute'),
      ),
    );
  }
  if (limits.monthlyLimit !== undefined) {
    const left = limits.monthlyRemaining ?? limits.monthlyLimit;
    out.push(
      stat(
        'This month',
        `${count(left)} of ${count(limits.monthlyLimit)} left`,
        meter(limits.monthlyLimit - left, limits.monthlyLimit, 'Affinity requests used this month'),
      ),
    );
  }
  out.push(
    h(
      'p',
      { class: 'help', attrs: { title: when(limits.observedAt) } },
      `As Affinity reported ${ago(limits.observedAt, now)}.`,
    ),
  );
  return out;
}

function mount(container: HTMLElement, panel: Panel): void {
  const body = h('div', { class: 'status-body' });
  const refresh = h('button', { class: 'button small', attrs: { type: 'button' } }, 'Refresh');
  const error = h('p', { class: 'message error', attrs: { role: 'alert' }, hidden: true });
  refresh.addEventListener('click', () => {
    const done = busy(refresh, 'Refreshing…');
    error.hidden = true;
    panel
      .refresh()
      .catch((e: Error) => {
        error.textContent = e.message;
        error.hidden = false;
      })
      .finally(done);
  });
  replace(container, body, error, h('div', { class: 'buttons' }, refresh));

  function draw(s: SettingsState): void {
    const u = s.usage.urlFetch;
    const runs = s.lastRuns;
    replace(
      body,
      h('h3', { class: 'first' }, 'Apps Script'),
      stat(
        'Requests today',
        `${count(u.used)} of ${count(u.consumerLimit)}`,
        meter(u.used, u.consumerLimit, 'UrlFetch calls used today'),
        h(
          'p',
          { class: 'help' },
          `UrlFetch calls made for you${u.since ? ` since ${new Date(u.since).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })}` : ' in the last 24 hours'}, of the daily quota (${count(u.workspaceLimit)} on Google Workspace).`,
        ),
      ),
      ...affinityStats(s.usage.affinity, s.now),
      h('h3', {}, 'Last runs'),
      runs.length === 0
        ? h('p', { class: 'help' }, 'Nothing has been pulled or pushed yet.')
        : h(
            'ol',
            { class: 'runs' },
            ...runs.map((r) =>
              h(
                'li',
                { class: `run ${r.ok ? 'ok' : 'bad'}`, attrs: { title: when(r.at) } },
                h(
                  'span',
                  {
                    class: r.ok ? 'ok-mark' : 'bad-mark',
                    attrs: { role: 'img', 'aria-label': r.ok ? 'succeeded' : 'failed' },
                  },
                  r.ok ? '✓' : '✕',
                ),
                h(
                  'span',
                  { class: 'run-text' },
                  h('span', { class: 'run-title' }, `${r.kind === 'pull' ? 'Pull' : 'Push'} · ${r.tabName}`),
                  h('span', { class: 'run-when' }, ` · ${ago(r.at, s.now)}`),
                  h('span', { class: 'run-message' }, r.message),
                ),
              ),
            ),
          ),
    );
  }

  panel.onState(draw);
}

const status: Section = { id: 'status', title: 'Status', mount };
export default status;
