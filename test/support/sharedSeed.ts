/** The deal-flow seed with a second editor who has their own Affinity key (Bob): shared-spreadsheet tests. */
import { dealflowSeed } from '../../tools/emulator/seeds/dealflow';
import type { EmulatorSeed } from '../../tools/emulator/seed';

export const BOB = 'bob@example.com';
export const BOB_KEY = 'demo-key-0002';

export function sharedSeed(): EmulatorSeed {
  const seed = dealflowSeed();
  seed.users.push({
    apiKey: BOB_KEY,
    whoami: {
      tenant: seed.users[0].whoami.tenant,
      user: { id: 502, firstName: 'Bob', lastName: 'Byron', emailAddress: 'bob@analytical.vc' },
      grant: { type: 'api-key', scopes: ['api'], createdAt: '2026-01-12T09:30:00.000Z' },
    },
  });
  return seed;
}
