/**
 * The Schedule section of the settings sidebar in real headless Chromium (docs/schedules.md): dist/sidebar.html as
 * Affinity › Schedule… shows it, its calls running the server in the Apps Script harness against the emulator.
 * A tab follows a 30,000-entry view: a 15-minute refresh (about 300 requests × 96 runs a day) cannot fit a consumer
 * account's 20,000 URL fetches, and the panel says so before saving, naming the most frequent schedule that fits.
 */
import { GENERATED } from '../../tools/emulator/generate';
import { startProduct, type Product } from '../../tools/cli/product';
import type { ScheduleProjection } from '../../src/shared/schedule';
import type { Browser } from './support/browser';
import { openSchedulePanel } from './support/schedulePanel';
import type { SidebarServer } from './support/server';
import { eventually, text } from './support/wait';

let product: Product;
let server: SidebarServer;
let b: Browser;

const section = () => b.page.locator('#section-schedule');
const warning = () => section().locator('.schedule-warning');
const triggers = () => product.harness.triggers.filter((t) => t.handler === 'scheduledSync');
const lastPreview = () =>
  server.calls.filter((c) => c.fn === 'previewSchedule' && c.ok).at(-1)!.value as ScheduleProjection;

beforeAll(async () => {
  product = await startProduct({ generate: { entries: 30_000, fieldsInView: 10 } });
  const h = product.harness;
  h.run('connect', GENERATED.apiKey);
  h.run('bindTab', GENERATED.companyListId, GENERATED.sheetViewId);
  // Opened from Affinity › Schedule…: the sidebar, at its Schedule section.
  ({ server, b } = await openSchedulePanel(h));
});

afterAll(async () => {
  await b?.close();
  await server?.close();
  await product?.close();
});

const previews = () => server.calls.filter((c) => c.fn === 'previewSchedule').length;

/** Picks a schedule and waits for the panel's projection of it. */
async function choose(label: string): Promise<void> {
  const before = previews();
  await section().getByLabel('Refresh synced tabs').selectOption({ label });
  await eventually(() => expect(previews()).toBeGreaterThan(before));
  await b.settle();
}

describe('schedule section, in Chromium', () => {
  it('opens at the Schedule section: off, who it would run as, the spreadsheet’s time zone', async () => {
    expect(product.harness.ui.menus.find((m) => m.name === 'Affinity')?.items.map((i) => i.caption)).toEqual(
      expect.arrayContaining(['Schedule…', 'Run sync now']),
    );
    expect(await section().getByLabel('Refresh synced tabs').inputValue()).toBe('off');
    expect(await b.page.evaluate(() => document.activeElement?.closest('section')?.id)).toBe('section-schedule');
    expect(await text(section().locator('.schedule-runs-as'))).toBe(
      'Saving a schedule makes it run as you (owner@example.com), with your Affinity connection.',
    );
    await choose('Every day');
    expect(
      await text(
        section()
          .locator('.field')
          .filter({ has: b.page.locator('label', { hasText: /^At$/ }) })
          .locator('.help'),
      ),
    ).toBe('In the spreadsheet’s time zone, America/New_York. Apps Script starts a daily run within that hour.');
    expect(await section().getByLabel('Push my pending edits before each scheduled pull').isChecked()).toBe(false);
    expect(b.foreign).toEqual([]);
  });

  it('warns before saving a schedule that cannot fit, with the most frequent schedule that would', async () => {
    await choose('Every 15 minutes');
    const p = lastPreview();
    expect(p.fits).toBe(false);
    // The last pull's cost: 300 pages and the fields (the bind had the view already), and two dropdowns' options.
    expect(p.requestsPerRun).toBeGreaterThanOrEqual(301);
    expect(p.requestsPerRun).toBeLessThanOrEqual(305);
    const n = (x: number) => x.toLocaleString('en-US');
    await eventually(async () => expect(await warning().isVisible()).toBe(true));
    const shown = await text(warning());
    expect(shown).toContain('Every 15 minutes cannot fit your quotas:');
    expect(shown).toContain(
      `${p.requestsPerRun} requests × 96 runs = ${n(p.requestsPerRun * 96)} URL fetches a day, over the 18,000 scheduled runs may use (20,000 a day on a consumer account, 10 % kept for you).`,
    );
    expect(shown).toContain(`The most frequent schedule that fits: ${p.suggestion!.label}.`);
    expect(p.suggestion!.label).toMatch(/^every (30 minutes|hour)$/);
    expect(await text(section().locator('.schedule-figures'))).toContain(
      `${n(p.requestsPerRun * 96)} URL fetches a day, of the 18,000 scheduled runs may use`,
    );
    expect(await section().getByRole('button', { name: 'Save anyway' }).isVisible()).toBe(true);
    expect(triggers()).toHaveLength(0); // nothing saved yet
    await b.shot('schedule-1-warning');

    // Taking the suggestion clears the warning; saving installs one trigger, running as this user.
    await section()
      .getByRole('button', { name: `Use ${p.suggestion!.label}` })
      .click();
    await b.settle();
    await eventually(async () => expect(await warning().isVisible()).toBe(false));
    await section().getByRole('button', { name: 'Save schedule' }).click();
    await b.settle();
    await eventually(() => expect(triggers()).toHaveLength(1));
    expect(triggers()[0].schedule).toEqual(
      p.suggestion!.schedule.kind === 'hourly'
        ? { kind: 'interval', periodMs: 3_600_000 }
        : { kind: 'interval', periodMs: 1_800_000 },
    );
    await eventually(async () =>
      expect(await text(section().locator('.schedule-runs-as'))).toMatch(
        /^Runs as owner@example.com \(Affinity: Ada Lovelace · Generated Capital\): Apps Script runs a trigger as the account that saved it/,
      ),
    );
    await b.shot('schedule-2-saved');
  });

  it('Workspace quotas: the same 15-minute refresh fits, and saves without a warning', async () => {
    await section().getByLabel('Quotas of').selectOption({ label: 'Google Workspace' });
    await choose('Every 15 minutes');
    await eventually(async () => expect(await warning().isVisible()).toBe(false));
    expect(lastPreview().fits).toBe(true);
    await section().getByRole('button', { name: 'Save schedule' }).click();
    await b.settle();
    await eventually(() => expect(triggers()[0]?.schedule).toEqual({ kind: 'interval', periodMs: 900_000 }));
    expect(triggers()).toHaveLength(1);
    expect(server.calls.filter((c) => c.fn === 'saveSchedule').at(-1)?.args[0]).toMatchObject({ plan: 'workspace' });
  });

  it('a schedule that does not fit is saved only through “Save anyway”', async () => {
    await section().getByLabel('Quotas of').selectOption({ label: 'Google account (gmail.com)' });
    await choose('Every 5 minutes');
    await eventually(async () => expect(await warning().isVisible()).toBe(true));
    await section().getByRole('button', { name: 'Save anyway' }).click();
    await b.settle();
    const call = server.calls.filter((c) => c.fn === 'saveSchedule').at(-1)!;
    expect(call.ok).toBe(true);
    expect(call.args[0]).toMatchObject({ schedule: { kind: 'minutes', every: 5 }, acceptOverBudget: true });
    expect(triggers()).toHaveLength(1);
  });

  it('a failure that will not pass on its own shows the pause and its reason, with Resume', async () => {
    await product.emulator.admin.injectFault({ status: 401, count: -1, match: { pathIncludes: '/saved-views/' } });
    product.harness.advance(5 * 60_000);
    await product.emulator.admin.clearFaults();
    await b.page.reload();
    await b.page.waitForSelector('#panel[aria-busy="false"]');
    await b.settle();
    const alert = section().getByRole('alert').filter({ hasText: 'paused' });
    await eventually(async () => expect(await text(alert)).toContain('Affinity rejected the API key (401)'));
    expect(await text(alert)).toMatch(
      /^Scheduled refresh paused just now: “All Companies”: Affinity rejected the API key \(401\)/,
    );
    expect(triggers()).toHaveLength(0);
    await b.shot('schedule-3-paused');
    await alert.getByRole('button', { name: 'Resume schedule' }).click();
    await b.settle();
    await eventually(async () => expect(await alert.count()).toBe(0));
    expect(triggers()).toHaveLength(1);
    expect(b.pageErrors).toEqual([]);
    expect(b.consoleErrors).toEqual([]);
    expect(b.dialogs).toEqual([]);
    expect(b.foreign).toEqual([]);
  });
});
