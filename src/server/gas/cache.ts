/**
 * CacheService adapter: the spreadsheet's document cache (shared by its users, as the data it holds: field types,
 * dropdown options, people and companies seen in the views). Values over 100 KB are split over several keys.
 */

export interface CachePort {
  getAll(keys: string[]): Record<string, string>;
  putAll(values: Record<string, string>, ttlSeconds: number): void;
  removeAll(keys: string[]): void;
}

export function documentCache(): CachePort | null {
  const cache = CacheService.getDocumentCache();
  if (!cache) return null;
  return {
    getAll: (keys) => (keys.length === 0 ? {} : cache.getAll(keys)),
    putAll: (values, ttl) => {
      if (Object.keys(values).length > 0) cache.putAll(values, ttl);
    },
    removeAll: (keys) => {
      if (keys.length > 0) cache.removeAll(keys);
    },
  };
}
