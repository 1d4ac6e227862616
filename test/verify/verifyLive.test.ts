/**
 * `npm run verify-live` against the emulator over real HTTP: everything the emulator assumes is confirmed; against
 * the emulator's divergent mode (tools/emulator/divergent.ts) each assumption is reported as differing.
 */
import { AffinityEmulator } from '../../tools/emulator/emulator';
import { startEmulatorServer, type EmulatorServer } from '../../tools/emulator/server';
import { DEALFLOW, dealflowSeed } from '../../tools/emulator/seeds/dealflow';
import { formatTable, verifyAffinity, type CheckRow } from '../../tools/verify/affinityChecks';

async function checksAgainst(divergent: boolean): Promise<{ rows: CheckRow[]; server: EmulatorServer }> {
  const emulator = new AffinityEmulator(dealflowSeed(), { divergent });
  const server = await startEmulatorServer(emulator);
  const rows = await verifyAffinity({
    baseUrl: server.url,
    apiKey: DEALFLOW.apiKey,
    nango: {
      baseUrl: server.url,
      secretKey: DEALFLOW.nango.secretKey,
      providerConfigKey: DEALFLOW.nango.providerConfigKey,
      connectionId: DEALFLOW.nango.connectionId,
    },
    listId: DEALFLOW.listId,
    viewId: DEALFLOW.views.activePipeline,
  });
  return { rows, server };
}

const byStatus = (rows: CheckRow[]) => Object.fromEntries(rows.map((r) => [r.id, r.status]));

describe('npm run verify-live', () => {
  it('against the emulator: every assumption confirmed, directly and through Nango', async () => {
    const { rows, server } = await checksAgainst(false);
    await server.close();
    expect(rows.length).toBe(14);
    expect(rows.filter((r) => r.status !== 'confirmed')).toEqual([]);
    expect(formatTable(rows)).toContain('14 confirmed, 0 differ, 0 could not check');
  });

  it('against a divergent emulator: each difference reported', async () => {
    const { rows, server } = await checksAgainst(true);
    await server.close();
    expect(byStatus(rows)).toEqual({
      'version-echo': 'differs',
      'rate-limit-headers': 'differs',
      'rate-limit-endpoint': 'confirmed',
      'error-body': 'differs',
      'error-auth': 'differs',
      'rows-complete': 'differs',
      'rows-order': 'differs',
      'columns-shape': 'differs',
      'columns-order': 'could not check',
      'nango-2xx-headers': 'differs',
      'nango-version-pin': 'confirmed',
      'nango-error-headers': 'confirmed',
      'nango-error-body': 'differs',
      'nango-rate-limit-endpoint': 'confirmed',
    });
  });

  it('never shows a key, and says what could not be checked without one', async () => {
    const { rows, server } = await checksAgainst(true);
    await server.close();
    const table = formatTable(rows);
    for (const secret of [DEALFLOW.apiKey, DEALFLOW.nango.secretKey]) expect(table).not.toContain(secret);
    const none = await verifyAffinity({ baseUrl: 'http://127.0.0.1:1' });
    expect(none.every((r) => r.status === 'could not check')).toBe(true);
    expect(formatTable(none)).toContain('AFFINITY_API_KEY is not set');
  });
});
