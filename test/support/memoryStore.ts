import type { KeyValueStore } from '../../src/server/ports';

/** A document or user property store in memory, its values open to the test. */
export function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: (k) => data.get(k) ?? null,
    set: (k, v) => void data.set(k, v),
    delete: (k) => void data.delete(k),
    keys: () => [...data.keys()],
  };
}
