import type { KeyValueStore } from '../ports';

/** A JSON value kept in a property, or null when it is absent or unreadable (a damaged value never stops a run). */
export function readJson<T>(store: KeyValueStore, key: string): T | null {
  const raw = store.get(key);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
