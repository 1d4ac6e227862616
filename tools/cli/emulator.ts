/**
 * `npm run emulator [-- --port 8787] [--entries N] [--seed file.json]`: the local Affinity v2 emulator on its own.
 * Pages link to the emulator itself, so any HTTP client can follow them. Stop with Ctrl-C.
 */
import { readFileSync } from 'node:fs';
import { AffinityEmulator } from '../emulator/emulator';
import { generateSeed } from '../emulator/generate';
import type { EmulatorSeed } from '../emulator/seed';
import { dealflowSeed } from '../emulator/seeds/dealflow';
import { startEmulatorServer } from '../emulator/server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(arg('port') ?? 8787);
  const entries = arg('entries');
  const seedFile = arg('seed');
  const seed: EmulatorSeed = seedFile
    ? (JSON.parse(readFileSync(seedFile, 'utf8')) as EmulatorSeed)
    : entries
      ? generateSeed({ entries: Number(entries) })
      : dealflowSeed();
  const emulator = new AffinityEmulator(seed, { baseUrl: `http://127.0.0.1:${port}` });
  const server = await startEmulatorServer(emulator, { port });
  const keys = seed.users.map((u) => u.apiKey).join(', ');
  console.log(
    `Affinity v2 emulator on ${server.url} (API keys: ${keys}). Admin routes under ${server.url}/__emulator/. Ctrl-C stops it.`,
  );
  console.log(`Try: curl -H 'Authorization: Bearer ${seed.users[0].apiKey}' ${server.url}/v2/lists`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
