/**
 * The seed the panel tests run on: the bundled deal-flow account, plus what the panel has to cope with:
 * hundreds of lists (the filter box), a saved view whose name is HTML, a key whose plan has no API access, a user
 * without the export permission, and a monthly quota so that Affinity reports it.
 */
import { DEALFLOW, dealflowSeed } from '../../../tools/emulator/seeds/dealflow';
import type { EmulatorSeed, SeedUser } from '../../../tools/emulator/seed';

export const EVIL_VIEW = '<img src=x onerror=alert(1)>';
export const EVIL_LIST = '<b onmouseover="window.__pwned=2">Watchlist</b><script>window.__pwned=3</script>';
export const EVIL_VIEW_ID = 9101;
export const EVIL_LIST_ID = 7500;
export const TRIAL_KEY = 'trial-key-essentials-7h2k';
export const VIEWER_KEY = 'viewer-key-noexport-5m9q';
export const EXTRA_LISTS = 300;

function user(apiKey: string, id: number, first: string, last: string, extra: Partial<SeedUser>): SeedUser {
  return {
    apiKey,
    whoami: {
      tenant: { id: 4242, name: 'Analytical Ventures', subdomain: 'analytical-ventures' },
      user: { id, firstName: first, lastName: last, emailAddress: `${first.toLowerCase()}@analytical.vc` },
      grant: { type: 'api-key', scopes: ['api'], createdAt: '2026-01-12T09:30:00.000Z' },
    },
    ...extra,
  };
}

export function panelSeed(): EmulatorSeed {
  const seed = dealflowSeed();
  const listId = String(DEALFLOW.listId);
  const active = seed.savedViews[listId].find((v) => v.id === DEALFLOW.views.activePipeline)!;
  const createdAt = active.createdAt;
  seed.savedViews[listId].push({ ...active, id: EVIL_VIEW_ID, name: EVIL_VIEW, entryIds: active.entryIds.slice(0, 3) });
  seed.users.push(
    user(TRIAL_KEY, 777, 'Trial', 'User', { apiAccess: false }),
    user(VIEWER_KEY, 778, 'Viewer', 'Only', { canExport: false }),
  );
  seed.lists.push({
    id: EVIL_LIST_ID,
    name: EVIL_LIST,
    type: 'person',
    isPublic: true,
    ownerId: 501,
    creatorId: 501,
    createdAt,
  });
  for (let i = 1; i <= EXTRA_LISTS; i++) {
    seed.lists.push({
      id: 8000 + i,
      name: `Portfolio ${String(i).padStart(3, '0')}`,
      type: 'company',
      isPublic: true,
      ownerId: 501,
      creatorId: 501,
      createdAt,
    });
  }
  for (const l of seed.lists) {
    const id = String(l.id);
    seed.fields[id] ??= [];
    seed.entries[id] ??= [];
    seed.savedViews[id] ??= [];
  }
  seed.rateLimit = { perMinute: 900, perMonth: 100_000 };
  return seed;
}
