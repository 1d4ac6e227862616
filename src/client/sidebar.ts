/**
 * The settings sidebar (Affinity › Settings…): connection, synced tabs, status, and the sections other features add.
 *
 * Sections are listed in SECTIONS below, top to bottom, one line each. To add one (for example the schedule
 * settings of issue 5), write `src/client/sections/<name>.ts` with a default export of type `Section`
 * (src/client/panel.ts):
 *
 *     import type { Section } from '../panel';
 *     const schedule: Section = { id: 'schedule', title: 'Schedule', mount(container, panel) { ... } };
 *     export default schedule;
 *
 * and add its line to SECTIONS:  `() => import('./sections/schedule'),`  (esbuild bundles it into the page).
 * `mount` gets the section's element (its heading is already there) and the Panel: `panel.bridge.<serverFn>()`
 * returns a promise typed from src/server/main.ts, `panel.onState(fn)` redraws from each getSettingsState()
 * snapshot, `panel.refresh()` asks for a new one after a change. Put data into the page as text only (src/client/
 * dom.ts `h()`), never as HTML. The page must work offline: no remote script, style, font or image.
 */
import { createBridge } from './bridge';
import { h, replace } from './dom';
import { createPanel, type Section } from './panel';

const SECTIONS: (() => Promise<{ default: Section }>)[] = [
  () => import('./sections/connection'),
  () => import('./sections/tabs'),
  () => import('./sections/push'),
  () => import('./sections/schedule'),
  () => import('./sections/status'),
];

async function start(): Promise<void> {
  const root = document.getElementById('panel') as HTMLElement;
  const announcer = document.getElementById('announcer') as HTMLElement;
  const panel = createPanel(createBridge(), announcer);

  // Each section's element is placed first, so the order stays the list's whatever loads first.
  const slots = SECTIONS.map(() => h('section', { class: 'section' }));
  replace(root, ...slots);
  await Promise.all(
    SECTIONS.map(async (load, i) => {
      const section = (await load()).default;
      const slot = slots[i];
      const headingId = `section-${section.id}-title`;
      slot.id = `section-${section.id}`;
      slot.setAttribute('aria-labelledby', headingId);
      slot.appendChild(h('h2', { id: headingId }, section.title));
      const body = h('div', { class: 'section-body' });
      slot.appendChild(body);
      section.mount(body, panel);
    }),
  );

  // Coming back to the panel (after a menu action, another tab) shows what changed meanwhile.
  let lastRefresh = Date.now();
  window.addEventListener('focus', () => {
    if (Date.now() - lastRefresh < 10_000) return;
    lastRefresh = Date.now();
    panel.refresh().catch(() => undefined);
  });

  const banner = h('div', { class: 'banner error', attrs: { role: 'alert' }, hidden: true });
  root.prepend(banner);
  try {
    await panel.refresh();
    root.setAttribute('aria-busy', 'false');
  } catch (e) {
    root.setAttribute('aria-busy', 'false');
    const retry = h('button', { class: 'button small', attrs: { type: 'button' } }, 'Try again');
    retry.addEventListener('click', () => {
      banner.hidden = true;
      panel.refresh().catch((err: Error) => {
        banner.hidden = false;
        replace(banner, h('p', {}, err.message), retry);
      });
    });
    replace(banner, h('p', {}, (e as Error).message), retry);
    banner.hidden = false;
  }
}

start().catch((e) => console.error(e));
