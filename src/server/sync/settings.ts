/**
 * The user's connection to Affinity: an API key sent directly, or a Nango connection whose requests go through
 * Nango's proxy. The credentials live only in the user's own properties (other editors of the spreadsheet never see
 * or use them) and are never returned whole: callers get the last four characters of the key (or Nango secret).
 */
import { AffinityClient, type Connection } from '../affinity/client';
import { AffinityError } from '../affinity/errors';
import type { ConnectionStatus } from '../../shared/types';
import type { NangoConnectionInput } from '../../shared/settings';
import { capitalize } from '../engine/wording';
import type { Clock, HttpPort, KeyValueStore, LogPort } from '../ports';

/** The direct API key. */
export const KEY_PROPERTY = 'affinity.apiKey';
/** The Nango connection, JSON `{secretKey, providerConfigKey, connectionId}`. */
export const NANGO_PROPERTY = 'affinity.nango';
const PROFILE = 'affinity.profile';

export interface Deps {
  http: HttpPort;
  clock: Clock;
  log: LogPort;
  user: KeyValueStore;
}

function storedNango(user: KeyValueStore): NangoConnectionInput | null {
  const raw = user.get(NANGO_PROPERTY);
  if (!raw) return null;
  try {
    const n = JSON.parse(raw) as Partial<NangoConnectionInput>;
    if (
      typeof n.secretKey === 'string' &&
      typeof n.providerConfigKey === 'string' &&
      typeof n.connectionId === 'string' &&
      n.secretKey
    ) {
      return { secretKey: n.secretKey, providerConfigKey: n.providerConfigKey, connectionId: n.connectionId };
    }
  } catch {
    // unreadable: treated as not connected
  }
  return null;
}

export function storedConnection(user: KeyValueStore): Connection | null {
  const apiKey = user.get(KEY_PROPERTY);
  if (apiKey) return { mode: 'direct', apiKey };
  const nango = storedNango(user);
  return nango ? { mode: 'nango', ...nango } : null;
}

export function clientFor(deps: Deps): AffinityClient {
  const connection = storedConnection(deps.user);
  if (!connection) {
    throw new AffinityError(
      'config',
      'Not connected to Affinity yet. Open Affinity › Settings… and connect with your API key.',
    );
  }
  return new AffinityClient(deps.http, connection, { clock: deps.clock, log: deps.log });
}

function hint(secret: string): string {
  return secret.length > 4 ? secret.slice(-4) : '';
}

function cleanSecret(raw: unknown, what: string, where: string): string {
  const value = (typeof raw === 'string' ? raw : '').trim();
  if (!value) throw new AffinityError('config', `Enter ${what} (${where}).`);
  if (/\s/.test(value))
    throw new AffinityError('config', `${capitalize(what)} has no spaces; paste it exactly as shown in ${where}.`);
  return value;
}

function cleanId(raw: unknown, what: string): string {
  const value = (typeof raw === 'string' ? raw : '').trim();
  if (!value) throw new AffinityError('config', `Enter the ${what}.`);
  if (/[\s\r\n]/.test(value) || value.length > 200)
    throw new AffinityError('config', `The ${what} has no spaces; copy it from Nango.`);
  return value;
}

/**
 * Checks a connection with whoami (the API version Affinity serves, and cheaply the export permission), then keeps it. A rejected connection stores
 * nothing and leaves the previous one in place.
 */
function connectWith(deps: Deps, connection: Connection): ConnectionStatus {
  const client = new AffinityClient(deps.http, connection, { clock: deps.clock, log: deps.log, maxRetries: 1 });
  let me;
  try {
    me = client.whoami();
  } catch (e) {
    if (
      connection.mode === 'nango' &&
      e instanceof AffinityError &&
      e.kind === 'auth' &&
      !e.code?.startsWith('nango:')
    ) {
      throw new AffinityError(
        'auth',
        'Affinity rejected the API key that Nango holds for this connection (401). Update the Affinity key of the connection in Nango.',
        {
          status: e.status,
          code: e.code,
        },
      );
    }
    throw e;
  }
  client.assertApiVersion(); // a key answered at another version is refused before anything is stored
  const status: ConnectionStatus = {
    connected: true,
    mode: connection.mode,
    userName: [me.user.firstName, me.user.lastName].filter(Boolean).join(' '),
    userEmail: me.user.emailAddress,
    tenantName: me.tenant.name,
  };
  if (connection.mode === 'nango')
    status.nango = { providerConfigKey: connection.providerConfigKey, connectionId: connection.connectionId };
  const warning = exportWarning(client);
  if (warning) status.warning = warning;
  // One connection at a time: a new one replaces the other mode's.
  if (connection.mode === 'direct') {
    deps.user.set(KEY_PROPERTY, connection.apiKey);
    deps.user.delete(NANGO_PROPERTY);
  } else {
    deps.user.set(
      NANGO_PROPERTY,
      JSON.stringify({
        secretKey: connection.secretKey,
        providerConfigKey: connection.providerConfigKey,
        connectionId: connection.connectionId,
      }),
    );
    deps.user.delete(KEY_PROPERTY);
  }
  deps.user.set(PROFILE, JSON.stringify(status));
  deps.log.log(
    `Connected to Affinity as ${status.userName} (${status.tenantName})${connection.mode === 'nango' ? ' through Nango' : ''}`,
  );
  return { ...status, keyHint: hint(connection.mode === 'direct' ? connection.apiKey : connection.secretKey) };
}

/**
 * Reading rows needs Affinity's 'Export data from Lists' permission, which whoami does not tell. One row of the first
 * list says it (two requests); anything else going wrong here is left for the first pull to report.
 */
function exportWarning(client: AffinityClient): string | undefined {
  try {
    const page = client.send<{ data?: { id: number }[] }>({
      method: 'get',
      path: '/v2/lists?limit=1',
      purpose: 'metadata',
      what: 'list',
    });
    const first = page?.data?.[0];
    if (!first) return undefined;
    client.send({
      method: 'get',
      path: `/v2/lists/${first.id}/list-entries?limit=1`,
      purpose: 'read-entries',
      what: 'list',
    });
    return undefined;
  } catch (e) {
    if (e instanceof AffinityError && e.kind === 'permission') return e.message;
    return undefined;
  }
}

/** Checks a key with whoami before saving it; a rejected key stores nothing. */
export function connectWithKey(deps: Deps, rawKey: string): ConnectionStatus {
  const apiKey = cleanSecret(rawKey, 'an API key', 'Affinity › Settings › Manage Apps › API keys');
  return connectWith(deps, { mode: 'direct', apiKey });
}

/** Same checks and storage rules for a Nango connection. */
export function connectWithNango(deps: Deps, input: NangoConnectionInput): ConnectionStatus {
  const i = (input ?? {}) as Partial<NangoConnectionInput>;
  const secretKey = cleanSecret(i.secretKey, 'the Nango secret key', 'Nango › Environment Settings');
  const providerConfigKey = cleanId(i.providerConfigKey, 'integration ID');
  const connectionId = cleanId(i.connectionId, 'connection ID');
  return connectWith(deps, { mode: 'nango', secretKey, providerConfigKey, connectionId });
}

export function connectionStatus(user: KeyValueStore): ConnectionStatus {
  const connection = storedConnection(user);
  if (!connection) return { connected: false };
  const profile = user.get(PROFILE);
  let saved: ConnectionStatus = { connected: true };
  try {
    if (profile) saved = JSON.parse(profile) as ConnectionStatus;
  } catch {
    // the profile is only for display
  }
  const status: ConnectionStatus = { ...saved, connected: true, mode: connection.mode };
  if (connection.mode === 'direct') {
    delete status.nango;
    status.keyHint = hint(connection.apiKey);
  } else {
    status.nango = { providerConfigKey: connection.providerConfigKey, connectionId: connection.connectionId };
    status.keyHint = hint(connection.secretKey);
  }
  return status;
}

export function disconnect(user: KeyValueStore): ConnectionStatus {
  user.delete(KEY_PROPERTY);
  user.delete(NANGO_PROPERTY);
  user.delete(PROFILE);
  return { connected: false };
}
