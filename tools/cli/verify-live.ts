/**
 * `npm run verify-live`: checks the emulator's assumptions about Affinity against a real account, read-only, and
 * prints a table of confirmed / differs / could not check (docs/emulator.md, "Checked by verify-live").
 *
 * Environment: AFFINITY_API_KEY (direct checks), NANGO_SECRET_KEY + NANGO_PROVIDER_CONFIG_KEY + NANGO_CONNECTION_ID
 * (checks through Nango), optional AFFINITY_LIST_ID + AFFINITY_VIEW_ID (the sheet view whose rows and columns are
 * checked), AFFINITY_BASE_URL (default https://api.affinity.co), NANGO_BASE_URL (default https://api.nango.dev).
 * Keys are read from the environment only and never printed. Exit code 0 when nothing differs, 1 otherwise.
 */
import { formatTable, verifyAffinity, type VerifyOptions } from '../verify/affinityChecks';

function numberEnv(name: string): number | undefined {
  const v = process.env[name];
  return v && /^\d+$/.test(v) ? Number(v) : undefined;
}

async function main(): Promise<void> {
  const env = process.env;
  const opts: VerifyOptions = {
    baseUrl: env.AFFINITY_BASE_URL || 'https://api.affinity.co',
    apiKey: env.AFFINITY_API_KEY || undefined,
    listId: numberEnv('AFFINITY_LIST_ID'),
    viewId: numberEnv('AFFINITY_VIEW_ID'),
  };
  if (env.NANGO_SECRET_KEY && env.NANGO_PROVIDER_CONFIG_KEY && env.NANGO_CONNECTION_ID) {
    opts.nango = {
      baseUrl: env.NANGO_BASE_URL || 'https://api.nango.dev',
      secretKey: env.NANGO_SECRET_KEY,
      providerConfigKey: env.NANGO_PROVIDER_CONFIG_KEY,
      connectionId: env.NANGO_CONNECTION_ID,
    };
  }
  const rows = await verifyAffinity(opts);
  console.log(formatTable(rows));
  process.exitCode = rows.some((r) => r.status === 'differs') ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(`verify-live stopped: ${(e as Error).name}`);
  process.exitCode = 2;
});
