/**
 * Schedule: how often the bound tabs refresh (off, every 5, 10, 15 or 30 minutes, hourly, or daily at an hour in the
 * spreadsheet's time zone), whether pending edits are pushed first (each user's own setting, saved at once: it decides
 * what the schedule sends under their key when it runs as them), the Google account type whose quotas apply, and
 * whose account the trigger runs as. Before saving, it shows what the schedule would use a day and a month, and warns
 * when it cannot fit, naming the most frequent schedule that would (docs/schedules.md). Also: a pause and its
 * reason, backing off after failures, the last run and skip, and a sync continuing in the background.
 * Data enters the page as text only.
 */
import type {
  PlanType,
  ScheduleProjection,
  ScheduleSettingsInput,
  ScheduleSpec,
  ScheduleState,
} from '../../shared/schedule';
import type { Panel, Section } from '../panel';
import { ago, busy, count, h, replace, say, uid, when } from '../dom';

const CHOICES: { value: string; label: string }[] = [
  { value: 'off', label: 'Off' },
  { value: '5', label: 'Every 5 minutes' },
  { value: '10', label: 'Every 10 minutes' },
  { value: '15', label: 'Every 15 minutes' },
  { value: '30', label: 'Every 30 minutes' },
  { value: 'hourly', label: 'Every hour' },
  { value: 'daily', label: 'Every day' },
];

const PREVIEW_DELAY_MS = 150;

function valueOf(s: ScheduleSpec): string {
  switch (s.kind) {
    case 'minutes':
      return String(s.every);
    case 'off':
    case 'hourly':
    case 'daily':
      return s.kind;
  }
}

const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
const minutes = (ms: number) => `${Math.max(1, Math.round(ms / 60_000))} min`;

function field(label: string, control: HTMLElement, help?: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { attrs: { for: control.id } }, label), control, help ?? null);
}

function mount(container: HTMLElement, panel: Panel): void {
  /** The user changed the form since it was last drawn from the server. */
  let dirty = false;
  let projection: ScheduleProjection | null = null;
  let previewSeq = 0;
  let previewTimer: number | null = null;

  // ---- notices ----
  const paused = h('div', { class: 'message error', attrs: { role: 'alert' }, hidden: true });
  const backoff = h('p', { class: 'message warning', hidden: true });
  const running = h('p', { class: 'message progress', hidden: true });

  // ---- the form ----
  const scheduleSelect = h(
    'select',
    { id: uid('schedule'), class: 'input' },
    ...CHOICES.map((c) => h('option', { attrs: { value: c.value } }, c.label)),
  );
  const hourSelect = h(
    'select',
    { id: uid('hour'), class: 'input' },
    ...Array.from({ length: 24 }, (_, i) => h('option', { attrs: { value: i } }, hourLabel(i))),
  );
  const zoneHelp = h('p', { class: 'help' });
  const hourField = field('At', hourSelect, zoneHelp);
  const pushFirst = h('input', { id: uid('push-first'), attrs: { type: 'checkbox' } });
  const pushFirstNotice = h('p', { class: 'message info push-first-notice', attrs: { role: 'status' }, hidden: true });
  const pushField = h(
    'div',
    { class: 'field' },
    h(
      'label',
      { class: 'choice', attrs: { for: pushFirst.id } },
      pushFirst,
      'Push my pending edits before each scheduled pull',
    ),
    h(
      'p',
      { class: 'help' },
      'Your own setting, saved at once: it applies when the schedule runs as you, and then pushes only your edits. ' +
        'Off by default: edits stay in the sheet until you push them. A pull never overwrites them.',
    ),
  );
  const planSelect = h(
    'select',
    { id: uid('plan'), class: 'input' },
    h('option', { attrs: { value: 'consumer' } }, 'Google account (gmail.com)'),
    h('option', { attrs: { value: 'workspace' } }, 'Google Workspace'),
  );
  const planHelp = h('p', { class: 'help' });
  const planField = field('Quotas of', planSelect, planHelp);

  const use = h('div', { class: 'schedule-use', attrs: { 'aria-live': 'polite' } });
  const warning = h('div', { class: 'message warning schedule-warning', attrs: { role: 'alert' }, hidden: true });
  const formError = h('p', { class: 'message error', attrs: { role: 'alert' }, hidden: true });
  const save = h('button', { class: 'button action', attrs: { type: 'submit' } }, 'Save schedule');
  const runsAs = h('p', { class: 'help schedule-runs-as' });
  // Another user's schedule is never replaced by a plain save: one click takes it over, to run as you.
  const takeOver = h(
    'button',
    { class: 'button small', attrs: { type: 'button' }, hidden: true },
    'Take over the schedule',
  );
  takeOver.addEventListener('click', () => {
    const done = busy(takeOver, 'Taking over…');
    panel.bridge
      .takeOverSchedule()
      .then((next) => {
        dirty = false;
        draw(next);
        panel.announce('The schedule now runs as you.');
      })
      .catch((err: Error) => say(formError, err.message))
      .finally(done);
  });
  const form = h(
    'form',
    { class: 'schedule-form', attrs: { novalidate: true, 'aria-label': 'Schedule' } },
    field('Refresh synced tabs', scheduleSelect),
    hourField,
    // Outside the push-first field, which a schedule that is off hides: the notice is shown once.
    pushFirstNotice,
    pushField,
    planField,
    use,
    warning,
    formError,
    h('div', { class: 'buttons' }, save),
    runsAs,
    takeOver,
  );
  const history = h('div', { class: 'schedule-history' });
  replace(container, paused, backoff, running, form, history);

  function input(acceptOverBudget = false): ScheduleSettingsInput {
    const v = scheduleSelect.value;
    const schedule: ScheduleSpec =
      v === 'off'
        ? { kind: 'off' }
        : v === 'hourly'
          ? { kind: 'hourly' }
          : v === 'daily'
            ? { kind: 'daily', hour: Number(hourSelect.value) }
            : { kind: 'minutes', every: Number(v) as 5 | 10 | 15 | 30 };
    const out: ScheduleSettingsInput = { schedule, pushFirst: pushFirst.checked, plan: planSelect.value as PlanType };
    if (acceptOverBudget) out.acceptOverBudget = true;
    return out;
  }

  function drawUse(p: ScheduleProjection | null): void {
    const off = scheduleSelect.value === 'off';
    if (off || !p) {
      replace(
        use,
        off ? h('p', { class: 'help' }, 'No scheduled refresh: tabs change only when you pull them.') : null,
      );
      warning.hidden = true;
      save.textContent = 'Save schedule';
      return;
    }
    const l = p.limits;
    const lines: HTMLElement[] = [
      h(
        'p',
        { class: 'help' },
        `About ${count(p.requestsPerRun)} Affinity requests and ${minutes(p.runtimePerRunMs)} a run, ${count(p.runsPerDay)} run${p.runsPerDay === 1 ? '' : 's'} a day${p.executionsPerRun > 1 ? ` (each run takes ${p.executionsPerRun} executions)` : ''}:`,
      ),
      h(
        'ul',
        { class: 'schedule-figures' },
        h(
          'li',
          {},
          `${count(p.perDay.urlFetches)} URL fetches a day, of the ${count(l.urlFetchBudget)} scheduled runs may use`,
        ),
        h(
          'li',
          {},
          `${minutes(p.perDay.triggerRuntimeMs)} of trigger runtime a day, of ${minutes(l.triggerRuntimePerDayMs)}`,
        ),
        h(
          'li',
          {},
          l.affinityPerMonth === null
            ? `${count(p.perMonth.affinityRequests)} Affinity requests a month (no monthly limit seen for your account)`
            : `${count(p.perMonth.affinityRequests)} Affinity requests a month, of the ${count(l.affinityMonthlyBudget ?? 0)} scheduled runs may use`,
        ),
      ),
      h(
        'p',
        { class: 'help' },
        `${l.reservePercent} % of the daily URL fetches and of Affinity's monthly allowance is always left for you.`,
      ),
    ];
    replace(use, ...lines);
    if (p.fits) {
      warning.hidden = true;
      save.textContent = 'Save schedule';
      return;
    }
    const suggestion = p.suggestion;
    const useSuggestion = suggestion
      ? h('button', { class: 'button small', attrs: { type: 'button' } }, `Use ${suggestion.label}`)
      : null;
    useSuggestion?.addEventListener('click', () => {
      const s = suggestion!.schedule;
      scheduleSelect.value = valueOf(s);
      if (s.kind === 'daily') hourSelect.value = String(s.hour);
      changed();
      scheduleSelect.focus();
    });
    replace(
      warning,
      h(
        'p',
        { class: 'warning-title' },
        `${p.label.charAt(0).toUpperCase()}${p.label.slice(1)} cannot fit your quotas:`,
      ),
      h('ul', {}, ...p.problems.map((x) => h('li', {}, `${x}.`))),
      h(
        'p',
        {},
        suggestion
          ? `The most frequent schedule that fits: ${suggestion.label}.`
          : 'Not even a daily refresh fits: bind smaller views.',
      ),
      useSuggestion,
    );
    warning.hidden = false;
    save.textContent = 'Save anyway';
  }

  function showFields(): void {
    hourField.hidden = scheduleSelect.value !== 'daily';
    const off = scheduleSelect.value === 'off';
    pushField.hidden = off;
    planField.hidden = off;
  }

  function preview(): void {
    if (scheduleSelect.value === 'off') {
      projection = null;
      drawUse(null);
      return;
    }
    const seq = ++previewSeq;
    panel.bridge
      .previewSchedule(input())
      .then((p) => {
        if (seq !== previewSeq) return;
        projection = p;
        drawUse(p);
      })
      .catch((e: Error) => {
        if (seq === previewSeq) say(formError, e.message);
      });
  }

  function changed(): void {
    dirty = true;
    showFields();
    say(formError, null);
    if (previewTimer !== null) window.clearTimeout(previewTimer);
    previewTimer = window.setTimeout(preview, PREVIEW_DELAY_MS);
  }

  for (const control of [scheduleSelect, hourSelect, planSelect]) control.addEventListener('change', changed);
  // Yours alone, saved at once (never part of someone else's schedule).
  pushFirst.addEventListener('change', () => {
    const on = pushFirst.checked;
    pushFirst.disabled = true;
    say(formError, null);
    panel.bridge
      .setPushFirst(on)
      .then((s) => {
        drawStatus(s);
        preview();
        panel.announce(
          on ? 'Your pending edits will be pushed first.' : 'Your pending edits will not be pushed first.',
        );
      })
      .catch((err: Error) => {
        pushFirst.checked = !on;
        say(formError, err.message);
      })
      .finally(() => {
        pushFirst.disabled = false;
      });
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    say(formError, null);
    const overBudget = projection !== null && !projection.fits && scheduleSelect.value !== 'off';
    const done = busy(save, 'Saving…');
    panel.bridge
      .saveSchedule(input(overBudget))
      .then((s) => {
        dirty = false;
        draw(s);
        panel.announce(s.schedule.kind === 'off' ? 'Scheduled refresh turned off.' : `Schedule saved: ${s.label}.`);
        return panel.refresh();
      })
      .catch((err: Error) => say(formError, err.message))
      .finally(() => {
        done();
        if (projection && !projection.fits && scheduleSelect.value !== 'off') save.textContent = 'Save anyway';
      });
  });

  function drawNotices(s: ScheduleState): void {
    if (s.paused) {
      const resume = h('button', { class: 'button small', attrs: { type: 'button' } }, 'Resume schedule');
      resume.addEventListener('click', () => {
        const done = busy(resume, 'Resuming…');
        panel.bridge
          .resumeSchedule()
          .then((next) => {
            dirty = false;
            draw(next);
            panel.announce('Schedule resumed.');
          })
          .catch((err: Error) => say(formError, err.message))
          .finally(done);
      });
      replace(
        paused,
        h('p', { class: 'warning-title' }, `Scheduled refresh paused ${ago(s.paused.at, s.now)}:`),
        h('p', {}, s.paused.reason),
        h(
          'p',
          { class: 'help' },
          'It will not pass on its own. Fix it (reconnect, ask for the permission, bind the tab again), then resume.',
        ),
        resume,
      );
      paused.hidden = false;
    } else paused.hidden = true;
    say(
      backoff,
      s.backoff
        ? `The last ${s.backoff.failures} runs failed; the next one waits ${minutes(s.backoff.until - s.now)}.`
        : null,
    );
    say(
      running,
      s.running
        ? `A ${s.running.kind} sync is under way: ${count(s.running.rowsFetched)} rows fetched so far; it continues in the background and writes each tab once all its rows are in.`
        : null,
    );
  }

  function drawHistory(s: ScheduleState): void {
    const items: HTMLElement[] = [];
    if (s.lastRun) {
      items.push(
        h(
          'p',
          { class: 'help', attrs: { title: when(s.lastRun.at) } },
          `Last scheduled run ${ago(s.lastRun.at, s.now)}: `,
          h(
            'span',
            {
              class: s.lastRun.ok ? 'ok-mark' : 'bad-mark',
              attrs: { role: 'img', 'aria-label': s.lastRun.ok ? 'succeeded' : 'failed' },
            },
            s.lastRun.ok ? '✓' : '✕',
          ),
          ` ${s.lastRun.message}`,
        ),
      );
    }
    if (s.lastSkip && (!s.lastRun || s.lastSkip.at > s.lastRun.at)) {
      items.push(
        h(
          'p',
          { class: 'help', attrs: { title: when(s.lastSkip.at) } },
          `Skipped ${ago(s.lastSkip.at, s.now)}: ${s.lastSkip.reason}.`,
        ),
      );
    }
    replace(history, ...items);
  }

  /** Who the schedule runs as, notices and history: what changes without the user touching the form. */
  function drawStatus(s: ScheduleState): void {
    runsAs.textContent = s.runsAs
      ? `Runs as ${s.runsAs.email}${s.runsAs.affinityUser ? ` (Affinity: ${s.runsAs.affinityUser})` : ''}: Apps Script runs a trigger as the account that saved it, with its Affinity connection, and it pushes only that account's edits${s.runsAs.pushFirst ? ' (their own setting: push first)' : ''}.${s.runsAs.email !== s.you && s.you ? ` To run it as you (${s.you}), take it over.` : ''}`
      : `Saving a schedule makes it run as you${s.you ? ` (${s.you})` : ''}, with your Affinity connection.`;
    takeOver.hidden = !(s.runsAs && s.you && s.runsAs.email.toLowerCase() !== s.you.toLowerCase());
    // Shown once by the server; kept until the panel closes.
    if (s.pushFirstNotice) say(pushFirstNotice, s.pushFirstNotice);
    drawNotices(s);
    drawHistory(s);
  }

  function draw(s: ScheduleState): void {
    drawStatus(s);
    scheduleSelect.value = valueOf(s.schedule);
    hourSelect.value = String(s.schedule.kind === 'daily' ? s.schedule.hour : 6);
    pushFirst.checked = s.pushFirst;
    planSelect.value = s.plan;
    zoneHelp.textContent = `In the spreadsheet’s time zone, ${s.timeZone}. Apps Script starts a daily run within that hour.`;
    planHelp.textContent =
      s.plan === 'consumer'
        ? `20,000 URL fetches and 90 min of trigger runtime a day.${!s.planChosen && s.planHint === 'workspace' ? ' Your address is not a gmail.com one: if it is a Google Workspace account, choose Workspace.' : ''}`
        : '100,000 URL fetches and 6 hours of trigger runtime a day.';
    showFields();
    projection = s.schedule.kind === 'off' ? null : s.projection;
    drawUse(projection);
  }

  // Redraw with every snapshot of the panel (bindings and rows change what a schedule costs), but never over a
  // choice the user is making: then only the status, and the projection of their choice.
  panel.onState(() => {
    panel.bridge
      .getScheduleState()
      .then((s) => {
        if (!dirty) draw(s);
        else {
          drawStatus(s);
          preview();
        }
      })
      .catch((e: Error) => say(formError, e.message));
  });

  const reveal = () => {
    if ((window as unknown as { affinityOpenSection?: string }).affinityOpenSection !== 'schedule') return;
    container.parentElement?.scrollIntoView({ block: 'start' });
    scheduleSelect.focus();
  };
  window.addEventListener('affinity-open-section', reveal);
  reveal();
}

const schedule: Section = { id: 'schedule', title: 'Schedule', mount };
export default schedule;
