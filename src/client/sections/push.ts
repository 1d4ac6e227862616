/**
 * Push settings: what a conflict does (a cell edited in the sheet and changed in Affinity since the last pull),
 * and whether edited cells are marked until pushed. Saved as soon as they change; data enters as text only.
 */
import type { PushSettings } from '../../shared/push';
import type { Panel, Section } from '../panel';
import { h, replace, say, uid } from '../dom';

function mount(container: HTMLElement, panel: Panel): void {
  const group = uid('policy');
  const choices = h('div', { class: 'choices', attrs: { role: 'radiogroup', 'aria-labelledby': `${group}-label` } });
  const marks = h('input', { id: uid('marks'), attrs: { type: 'checkbox' } });
  const status = h('p', { class: 'help', attrs: { role: 'status' } });
  const notice = h('p', { class: 'message info policy-notice', attrs: { role: 'status' }, hidden: true });
  const error = h('p', { class: 'message error', attrs: { role: 'alert' }, hidden: true });

  const fail = (e: unknown) => {
    error.hidden = false;
    say(error, e instanceof Error ? e.message : String(e));
  };
  const saved = (text: string) => {
    error.hidden = true;
    say(status, text);
    panel.announce(text);
  };

  function draw(settings: PushSettings): void {
    replace(
      choices,
      ...settings.policies.map((p) => {
        const input = h('input', { id: uid('policy'), attrs: { type: 'radio', name: group, value: p.id } });
        input.checked = p.id === settings.policy;
        input.addEventListener('change', () => {
          if (!input.checked) return;
          panel.bridge.setConflictPolicy(p.id).then(() => saved('Conflict setting saved.'), fail);
        });
        return h('label', { class: 'choice', attrs: { for: input.id } }, input, p.label);
      }),
    );
    marks.checked = settings.pendingMarks;
    say(notice, settings.policyNotice);
  }

  marks.addEventListener('change', () => {
    const on = marks.checked;
    marks.disabled = true;
    panel.bridge
      .setPendingMarks(on)
      .then(
        () => saved(on ? 'Edited cells will be marked until pushed.' : 'Edited cells are no longer marked.'),
        (e) => {
          marks.checked = !on;
          fail(e);
        },
      )
      .finally(() => {
        marks.disabled = false;
      });
  });

  replace(
    container,
    h(
      'p',
      { id: `${group}-label`, class: 'label' },
      'When a cell was changed both here and in Affinity (your own setting)',
    ),
    notice,
    choices,
    h(
      'div',
      { class: 'field' },
      h('label', { class: 'choice', attrs: { for: marks.id } }, marks, 'Mark edited cells until they are pushed'),
      h('p', { class: 'help' }, 'A subtle background on cells you changed. Push finds edits without it.'),
    ),
    status,
    error,
  );
  panel.bridge.getPushSettings().then(draw, fail);
}

const push: Section = { id: 'push', title: 'Push', mount };
export default push;
