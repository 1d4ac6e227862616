/**
 * Nango mode against a Nango that behaves like Nango (only `Nango-Proxy-` headers reach Affinity; successful replies
 * lose Affinity's headers) and an API key whose Default API Version is 2024-01-01 (no dropdown-options endpoints):
 * the bundle pins its version through the proxy, learns the version served, and paces from `GET /v2/rate-limit`.
 */
import { DEALFLOW, dealflowSeed } from '../../tools/emulator/seeds/dealflow';
import { startProduct, type Product } from '../../tools/cli/product';
import type { EmulatorSeed } from '../../tools/emulator/seed';
import type { ConnectionStatus } from '../../src/shared/types';
import type { SettingsState } from '../../src/shared/settings';
import { validateRequest } from '../../tools/contract/validate';
import { METADATA_KEY } from '../../src/server/engine/layout';

const rpc = <T>(p: Product, fn: string, ...args: unknown[]) => p.harness.runAs('rpc', fn, ...args) as T;
const N = DEALFLOW.nango;

describe('Nango mode, key default version 2024-01-01', () => {
  let product: Product;
  beforeAll(async () => {
    const base = dealflowSeed();
    const seed: EmulatorSeed = { ...base, users: base.users.map((u) => ({ ...u, defaultApiVersion: '2024-01-01' })) };
    product = await startProduct({ seed });
    product.harness.openSpreadsheet();
  });
  afterAll(() => product.close());

  it('connects, then pulls a view with dropdown fields: every request is served at 2026-09-17 and none fails', async () => {
    const status = rpc<ConnectionStatus>(product, 'connectNango', {
      secretKey: N.secretKey,
      providerConfigKey: N.providerConfigKey,
      connectionId: N.connectionId,
    });
    expect(status).toMatchObject({ connected: true, mode: 'nango', userName: 'Ada Lovelace' });
    const summary = rpc<{ rows: number; tabName: string }>(
      product,
      'bindTab',
      DEALFLOW.listId,
      DEALFLOW.views.activePipeline,
      null,
    );
    expect(summary.rows).toBeGreaterThan(0);
    const received = await product.emulator.admin.requests();
    expect(received.length).toBeGreaterThan(3);
    expect(received.some((r) => r.path.includes('/dropdown-options'))).toBe(true);
    // What reached "Affinity": the pinned version on every call; nothing refused (a 404 would be 2024-01-01's).
    for (const r of received) expect(r.headers['nango-proxy-x-affinity-api-version']).toBe('2026-09-17');
    expect(received.filter((r) => r.status >= 400 && !r.path.endsWith('/9007199254740991'))).toEqual([]);
    // The Stage column offers Affinity's stages (dropdown options were read, not lost to a 404).
    const sheet = product.harness.spreadsheet.getSheetByName(summary.tabName)!;
    const stageCol = sheet
      .createDeveloperMetadataFinder()
      .withKey(METADATA_KEY)
      .find()
      .find((md) => md.getValue() === DEALFLOW.fields.stage)!
      .getLocation()
      .getColumn()!
      .getColumn();
    const rule = sheet.getRange(2, stageCol).getDataValidation();
    expect(rule?.getCriteriaValues()[0]).toEqual(expect.arrayContaining(['Sourced', 'Passed']));
  });

  it('reads usage from GET /v2/rate-limit, at most one per 50 other requests and one per minute', async () => {
    const received = await product.emulator.admin.requests();
    const usage = received.filter((r) => r.path === '/proxy/v2/rate-limit');
    expect(usage.length).toBeGreaterThanOrEqual(1);
    expect(usage.length).toBeLessThanOrEqual(1 + Math.floor((received.length - usage.length) / 50));
  });

  it('the settings panel shows Affinity’s limits as of the last reading (Nango drops the rate-limit headers)', () => {
    const readings = product.harness.fetchLog.filter((r) => r.url.endsWith('/v2/rate-limit'));
    expect(readings.length).toBeGreaterThanOrEqual(1);
    const s = rpc<SettingsState>(product, 'getSettingsState');
    expect(s.usage.affinity).toMatchObject({
      perMinuteLimit: expect.any(Number) as number,
      perMinuteRemaining: expect.any(Number) as number,
    });
    // Not the headers of connect's version probe (a 404, which keeps them): the last GET /v2/rate-limit's body.
    expect(s.usage.affinity!.observedAt).toBeGreaterThanOrEqual(readings[readings.length - 1].at);
  });

  it('every request the bundle sent is a valid Affinity request through the proxy', () => {
    for (const r of product.harness.fetchLog) {
      expect(r.url.startsWith('https://api.nango.dev/proxy/v2/')).toBe(true);
      const v = validateRequest(r.method, r.url, r.payload === undefined ? undefined : JSON.parse(r.payload));
      expect({ url: r.url, errors: v.errors }).toEqual({ url: r.url, errors: [] });
    }
  });
});
