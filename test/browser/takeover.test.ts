/**
 * Another editor's panel in real headless Chromium (issue 8, docs/sharing.md): the schedule runs as its owner; Bob, an
 * editor with his own Affinity key, sees who it runs as and takes it over in one click, and his "push my pending
 * edits first" is his own (it never changes what the owner's trigger does). Small data: the deal-flow seed.
 */
import { DEALFLOW } from '../../tools/emulator/seeds/dealflow';
import { BOB, BOB_KEY, sharedSeed } from '../support/sharedSeed';
import { startProduct, type Product } from '../../tools/cli/product';
import type { Browser } from './support/browser';
import { openSchedulePanel } from './support/schedulePanel';
import type { SidebarServer } from './support/server';
import { eventually, text } from './support/wait';

const OWNER = 'owner@example.com';

let product: Product;
let server: SidebarServer;
let b: Browser;

const section = () => b.page.locator('#section-schedule');
const runsAs = () => section().locator('.schedule-runs-as');
const takeOver = () => section().getByRole('button', { name: 'Take over the schedule' });
const pushFirst = () => section().getByLabel('Push my pending edits before each scheduled pull');
const owners = () => product.harness.triggers.filter((t) => t.handler === 'scheduledSync').map((t) => t.owner);
const pushFirstOf = (user: string) => product.harness.properties.user(user).getProperty('affinity.pushFirst');

beforeAll(async () => {
  product = await startProduct({ seed: sharedSeed() });
  const h = product.harness;
  h.run('connect', DEALFLOW.apiKey);
  h.run('bindTab', DEALFLOW.listId, DEALFLOW.views.activePipeline);
  h.run('saveSchedule', { schedule: { kind: 'hourly' }, pushFirst: true });
  // Left by a version where both settings were the whole spreadsheet's (document properties).
  const doc = h.properties.document;
  doc.setProperty('affinity.conflictPolicy', 'sheet-wins');
  const settings = JSON.parse(doc.getProperty('affinity.schedule')!) as Record<string, unknown>;
  doc.setProperty('affinity.schedule', JSON.stringify({ ...settings, pushFirst: true }));
  // Bob, another editor, connects his own key and opens Affinity › Schedule….
  h.user = BOB;
  h.run('connect', BOB_KEY);
  ({ server, b } = await openSchedulePanel(h));
});

afterAll(async () => {
  await b?.close();
  await server?.close();
  await product?.close();
});

describe('schedule section as another editor, in Chromium', () => {
  it('tells Bob once that both settings are now his own, and what the whole spreadsheet had', async () => {
    const pushNotice = b.page.locator('#section-push .policy-notice');
    await eventually(async () => expect(await pushNotice.isVisible()).toBe(true));
    expect(await text(pushNotice)).toMatch(
      /^The conflict setting is now yours alone: .* It was “Sheet wins: .*” for the whole spreadsheet; yours starts at “Flag and skip/,
    );
    expect(await b.page.locator('#section-push').getByRole('radio', { checked: true }).getAttribute('value')).toBe(
      'flag',
    );
    expect(await text(section().locator('.push-first-notice'))).toMatch(
      /is now yours alone: .* It was on for the whole spreadsheet; yours starts off\./,
    );
    expect(await section().locator('.push-first-notice').isVisible()).toBe(true);
    expect(product.harness.properties.document.getProperty('affinity.conflictPolicy')).toBeNull();
    // Once: the panel opened again says nothing more.
    await b.page.reload();
    await b.page.waitForSelector('#panel[aria-busy="false"]');
    await b.settle();
    await eventually(async () => expect(await section().locator('.schedule-runs-as').isVisible()).toBe(true));
    await eventually(async () =>
      expect(await b.page.locator('#section-push').getByRole('radio', { checked: true }).count()).toBe(1),
    );
    expect(await pushNotice.isVisible()).toBe(false);
    expect(await section().locator('.push-first-notice').isVisible()).toBe(false);
  });

  it('shows who the schedule runs as, and Bob’s own push-first setting, saved as his alone', async () => {
    await eventually(async () =>
      expect(await text(runsAs())).toMatch(
        /^Runs as owner@example.com \(Affinity: Ada Lovelace · Analytical Ventures\): .* pushes only that account's edits \(their own setting: push first\)\. To run it as you \(bob@example.com\), take it over\.$/,
      ),
    );
    expect(await takeOver().isVisible()).toBe(true);
    // Bob's own value, not the owner's.
    expect(await pushFirst().isChecked()).toBe(false);
    await pushFirst().check();
    await b.settle();
    await eventually(() => expect(pushFirstOf(BOB)).toBe('on'));
    await pushFirst().uncheck();
    await b.settle();
    await eventually(() => expect(pushFirstOf(BOB)).toBeNull());
    // The owner's trigger and setting are untouched; no schedule save was made.
    expect(pushFirstOf(OWNER)).toBe('on');
    expect(owners()).toEqual([OWNER]);
    expect(server.calls.filter((c) => c.fn === 'saveSchedule')).toEqual([]);
  });

  it('one click on “Take over the schedule” makes it run as Bob, with his own setting', async () => {
    await b.shot('takeover-1-before');
    await takeOver().click();
    await b.settle();
    // Bob's trigger is the schedule's now; the owner's removes itself when it next fires (docs/schedules.md).
    await eventually(() => expect(owners()).toContain(BOB));
    await eventually(async () =>
      expect(await text(runsAs())).toMatch(/^Runs as bob@example.com \(Affinity: Bob Byron · Analytical Ventures\): /),
    );
    expect(await text(runsAs())).not.toContain('push first');
    expect(await takeOver().isVisible()).toBe(false);
    expect(await section().getByLabel('Refresh synced tabs').inputValue()).toBe('hourly');
    expect(await pushFirst().isChecked()).toBe(false);
    expect(server.calls.filter((c) => c.fn === 'takeOverSchedule').map((c) => c.ok)).toEqual([true]);
    await b.shot('takeover-2-after');
    const ran = product.harness.advance(61 * 60_000);
    expect(ran.filter((m) => m.fn === 'scheduledSync').map((m) => [m.user, m.error])).toEqual(
      expect.arrayContaining([[BOB, undefined]]),
    );
    expect(owners()).toEqual([BOB]);
    expect(b.pageErrors).toEqual([]);
    expect(b.consoleErrors).toEqual([]);
    expect(b.dialogs).toEqual([]);
    expect(b.foreign).toEqual([]);
  });
});
