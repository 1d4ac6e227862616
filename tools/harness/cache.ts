/**
 * CacheService on the virtual clock: 250-char keys, 100 KB values, default 600 s, at most 21,600 s,
 * at most 1,000 items (past that it keeps the 900 farthest from expiry, as documented).
 */
import { ApiObject, type ClassMeta } from './api-base';
import type { Env } from './env';
import { ScriptError } from './errors';

export const CACHE_KEY_MAX_CHARS = 250;
export const CACHE_VALUE_MAX_BYTES = 100 * 1024;
export const CACHE_DEFAULT_TTL_S = 600;
export const CACHE_MAX_TTL_S = 21_600;
export const CACHE_MAX_ITEMS = 1000;
export const CACHE_KEEP_ITEMS = 900;

export class CacheStore {
  readonly entries = new Map<string, { value: string; expires: number }>();

  constructor(
    readonly label: string,
    private readonly now: () => number,
  ) {}

  private sweep(): void {
    const t = this.now();
    for (const [k, e] of this.entries) if (e.expires <= t) this.entries.delete(k);
  }

  get(key: string): string | null {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.expires <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return e.value;
  }

  put(key: string, value: string, ttlSeconds?: number): void {
    checkKey(key);
    if (Buffer.byteLength(value, 'utf8') > CACHE_VALUE_MAX_BYTES) throw new ScriptError('Argument too large: value');
    let ttl = ttlSeconds === undefined || ttlSeconds === null ? CACHE_DEFAULT_TTL_S : Number(ttlSeconds);
    if (!Number.isFinite(ttl)) ttl = CACHE_DEFAULT_TTL_S;
    ttl = Math.min(Math.max(ttl, 1), CACHE_MAX_TTL_S);
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + ttl * 1000 });
    if (this.entries.size > CACHE_MAX_ITEMS) {
      this.sweep();
      if (this.entries.size > CACHE_MAX_ITEMS) {
        const keep = [...this.entries].sort((a, b) => b[1].expires - a[1].expires).slice(0, CACHE_KEEP_ITEMS);
        this.entries.clear();
        for (const [k, e] of keep) this.entries.set(k, e);
      }
    }
  }

  remove(key: string): void {
    this.entries.delete(key);
  }

  size(): number {
    this.sweep();
    return this.entries.size;
  }
}

function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '') throw new ScriptError('Invalid argument: key');
  if (key.length > CACHE_KEY_MAX_CHARS) throw new ScriptError('Argument too large: key');
}

export class CacheServiceApi extends ApiObject {
  static override meta: ClassMeta = { service: 'CacheService', name: '' };
  getScriptCache(): CacheApi {
    return new CacheApi(this.env, this.env.state.scriptCache);
  }
  getDocumentCache(): CacheApi {
    return new CacheApi(this.env, this.env.state.documentCache);
  }
  getUserCache(): CacheApi {
    return new CacheApi(this.env, this.env.state.userCache(this.env.user()));
  }
}

export class CacheApi extends ApiObject {
  static override meta: ClassMeta = { service: 'CacheService', name: 'Cache' };
  constructor(
    env: Env,
    readonly _store: CacheStore,
  ) {
    super(env);
  }
  get(key: string): string | null {
    checkKey(key);
    return this._store.get(key);
  }
  getAll(keys: string[]): Record<string, string> {
    if (!Array.isArray(keys)) throw new ScriptError('Invalid argument: keys');
    const out = this.env.object();
    for (const k of keys) {
      checkKey(k);
      const v = this._store.get(k);
      if (v !== null) out[k] = v;
    }
    return out as Record<string, string>;
  }
  put(key: string, value: unknown, expirationInSeconds?: number): void {
    this._store.put(key, String(value), expirationInSeconds);
  }
  putAll(values: Record<string, unknown>, expirationInSeconds?: number): void {
    if (values === null || typeof values !== 'object') throw new ScriptError('Invalid argument: values');
    const entries = Object.keys(values).map((k) => [k, String(values[k])] as const);
    for (const [k, v] of entries) {
      checkKey(k);
      if (Buffer.byteLength(v, 'utf8') > CACHE_VALUE_MAX_BYTES) throw new ScriptError('Argument too large: value');
    }
    for (const [k, v] of entries) this._store.put(k, v, expirationInSeconds);
  }
  remove(key: string): void {
    checkKey(key);
    this._store.remove(key);
  }
  removeAll(keys: string[]): void {
    if (!Array.isArray(keys)) throw new ScriptError('Invalid argument: keys');
    for (const k of keys) this._store.remove(String(k));
  }
}
