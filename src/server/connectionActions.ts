/**
 * The connection to Affinity as the panel sets it up: an API key (or a Nango connection, sidebar.ts), its status,
 * and the lists and saved views it can reach. main.ts re-exports them.
 */
import type { ListType } from './affinity/types';
import { userStore } from './gas/platform';
import { connectWithKey, connectionStatus, disconnect } from './sync/settings';
import { affinityClient, deps } from './wiring';
import type { ConnectionStatus } from '../shared/types';

export function connect(apiKey: string): ConnectionStatus {
  return connectWithKey(deps(), apiKey);
}

export function getConnection(): ConnectionStatus {
  return connectionStatus(userStore());
}

export function removeKey(): ConnectionStatus {
  return disconnect(userStore());
}

export function getLists(): { id: number; name: string; type: ListType }[] {
  return affinityClient()
    .lists()
    .map((l) => ({ id: l.id, name: l.name, type: l.type }));
}

export function getViews(listId: number): { id: number; name: string; type: string; syncable: boolean }[] {
  return affinityClient()
    .savedViews(listId)
    .map((v) => ({ id: v.id, name: v.name, type: v.type, syncable: v.type === 'sheet' }));
}
