/**
 * The user's connection to Affinity. The key lives only in the user's own properties (other editors of the
 * spreadsheet never see or use it) and is never returned whole: callers get its last four characters.
 */
import { AffinityClient, type Connection } from '../affinity/client';
import { AffinityError } from '../affinity/errors';
import type { ConnectionStatus } from '../../shared/types';
import type { Clock, HttpPort, KeyValueStore, LogPort } from '../ports';

const KEY = 'affinity.apiKey';
const PROFILE = 'affinity.profile';

export interface Deps {
  http: HttpPort;
  clock: Clock;
  log: LogPort;
  user: KeyValueStore;
}

export function storedConnection(user: KeyValueStore): Connection | null {
  const apiKey = user.get(KEY);
  return apiKey ? { mode: 'direct', apiKey } : null;
}

export function clientFor(deps: Deps): AffinityClient {
  const connection = storedConnection(deps.user);
  if (!connection) {
    throw new AffinityError('config', 'Not connected to Affinity yet. Open Affinity › Connect to Affinity… and enter your API key.');
  }
  return new AffinityClient(deps.http, connection, { clock: deps.clock, log: deps.log });
}

function hint(key: string): string {
  return key.length > 4 ? key.slice(-4) : '';
}

/** Checks a key with whoami before saving it; a rejected key stores nothing. */
export function connectWithKey(deps: Deps, rawKey: string): ConnectionStatus {
  const apiKey = (rawKey ?? '').trim();
  if (!apiKey) throw new AffinityError('config', 'Enter an API key (Affinity › Settings › Manage Apps › API keys).');
  if (/\s/.test(apiKey)) throw new AffinityError('config', 'An API key has no spaces; paste the key exactly as Affinity shows it.');
  const client = new AffinityClient(deps.http, { mode: 'direct', apiKey }, { clock: deps.clock, log: deps.log, maxRetries: 1 });
  const me = client.whoami();
  const status: ConnectionStatus = {
    connected: true,
    mode: 'direct',
    userName: [me.user.firstName, me.user.lastName].filter(Boolean).join(' '),
    userEmail: me.user.emailAddress,
    tenantName: me.tenant.name,
    keyHint: hint(apiKey),
  };
  deps.user.set(KEY, apiKey);
  deps.user.set(PROFILE, JSON.stringify(status));
  deps.log.log(`Connected to Affinity as ${status.userName} (${status.tenantName})`);
  return status;
}

export function connectionStatus(user: KeyValueStore): ConnectionStatus {
  const key = user.get(KEY);
  if (!key) return { connected: false };
  const profile = user.get(PROFILE);
  const saved = profile ? (JSON.parse(profile) as ConnectionStatus) : { connected: true };
  return { ...saved, connected: true, keyHint: hint(key) };
}

export function disconnect(user: KeyValueStore): ConnectionStatus {
  user.delete(KEY);
  user.delete(PROFILE);
  return { connected: false };
}
