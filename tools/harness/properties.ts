/** PropertiesService: script, document and per-user stores of strings, with Apps Script's size limits. */
import { ApiObject, type ClassMeta } from './api-base';
import type { Env } from './env';
import { permissionError, ScriptError } from './errors';

/** 9 KB per value (Apps Script quota table). */
export const PROPERTY_VALUE_LIMIT_BYTES = 9 * 1024;
/** 500 KB per store, counting keys and values. */
export const PROPERTY_STORE_LIMIT_BYTES = 500 * 1024;
export const PROPERTY_QUOTA_MESSAGE =
  'You have exceeded the property storage quota. Please remove some properties and try again.';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export class PropertyStore {
  readonly map = new Map<string, string>();
  private size = 0;

  /** HarnessOptions.divergent: values limited in characters, not UTF-8 bytes. */
  divergent = false;

  constructor(readonly label: string) {}

  get(key: string): string | null {
    return this.map.get(key) ?? null;
  }

  totalBytes(): number {
    return this.size;
  }

  /** Check and apply a batch of writes atomically (so a failing setProperties changes nothing). */
  apply(sets: [string, string][], deletes: string[], deleteAllOthers = false): void {
    for (const [k, v] of sets) {
      const size = this.divergent ? v.length : bytes(v);
      if (size > PROPERTY_VALUE_LIMIT_BYTES) throw new ScriptError('Argument too large: value');
      if (bytes(k) > PROPERTY_VALUE_LIMIT_BYTES) throw new ScriptError('Argument too large: key');
    }
    const next = deleteAllOthers ? new Map<string, string>() : new Map(this.map);
    for (const k of deletes) next.delete(k);
    for (const [k, v] of sets) next.set(k, v);
    let size = 0;
    for (const [k, v] of next) size += bytes(k) + bytes(v);
    if (size > PROPERTY_STORE_LIMIT_BYTES && size > this.size) throw new ScriptError(PROPERTY_QUOTA_MESSAGE);
    this.map.clear();
    for (const [k, v] of next) this.map.set(k, v);
    this.size = size;
  }

  // --- host-side conveniences (tests)
  getProperty(key: string): string | null {
    return this.get(key);
  }
  setProperty(key: string, value: string): this {
    this.apply([[key, String(value)]], []);
    return this;
  }
  deleteProperty(key: string): this {
    this.apply([], [key]);
    return this;
  }
  getProperties(): Record<string, string> {
    return Object.fromEntries(this.map);
  }
  getKeys(): string[] {
    return [...this.map.keys()];
  }
  deleteAllProperties(): this {
    this.apply([], [], true);
    return this;
  }
}

export class PropertiesServiceApi extends ApiObject {
  static override meta: ClassMeta = { service: 'PropertiesService', name: '' };
  getScriptProperties(): PropertiesApi {
    return new PropertiesApi(this.env, this.env.state.scriptProperties);
  }
  getDocumentProperties(): PropertiesApi {
    return new PropertiesApi(this.env, this.env.state.documentProperties);
  }
  getUserProperties(): PropertiesApi {
    if (this.env.authMode === 'LIMITED' || this.env.authMode === 'NONE')
      throw permissionError('PropertiesService.getUserProperties');
    return new PropertiesApi(this.env, this.env.state.userProperties(this.env.user()));
  }
}

function key(k: unknown): string {
  if (k === null || k === undefined) throw new ScriptError('Invalid argument: key');
  return String(k);
}

export class PropertiesApi extends ApiObject {
  static override meta: ClassMeta = { service: 'PropertiesService', name: 'Properties' };
  constructor(
    env: Env,
    readonly _store: PropertyStore,
  ) {
    super(env);
  }
  private _use(): void {
    this.env.state.quotas.use(this.env, 'properties');
  }
  getProperty(k: string): string | null {
    this._use();
    return this._store.get(key(k));
  }
  setProperty(k: string, value: unknown): PropertiesApi {
    this._use();
    if (value === undefined) throw new ScriptError('Invalid argument: value');
    this._store.apply([[key(k), String(value)]], []);
    return this;
  }
  setProperties(properties: Record<string, unknown>, deleteAllOthers?: boolean): PropertiesApi {
    this._use();
    if (properties === null || typeof properties !== 'object') throw new ScriptError('Invalid argument: properties');
    const sets = Object.keys(properties).map((k) => [k, String(properties[k])] as [string, string]);
    this._store.apply(sets, [], deleteAllOthers === true);
    return this;
  }
  getProperties(): Record<string, string> {
    this._use();
    const o = this.env.object();
    for (const [k, v] of this._store.map) o[k] = v;
    return o as Record<string, string>;
  }
  getKeys(): string[] {
    this._use();
    return this.env.array([...this._store.map.keys()]);
  }
  deleteProperty(k: string): PropertiesApi {
    this._use();
    this._store.apply([], [key(k)]);
    return this;
  }
  deleteAllProperties(): PropertiesApi {
    this._use();
    this._store.apply([], [], true);
    return this;
  }
}
