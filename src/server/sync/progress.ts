/**
 * Progress of long work on a bound tab (a pull: pages fetched, rows written), written by the execution doing it and
 * read by the settings panel, which polls while it waits (each google.script.run call is its own execution, so the
 * panel stays usable). Kept in the document cache: shared by the spreadsheet's users, gone on its own after a while.
 */
import type { CachePort } from '../gas/cache';
import type { ProgressInfo } from '../../shared/settings';

const PREFIX = 'affinity.progress.';
/** A pull is at most 6 minutes; an entry left by a killed execution goes away soon after. */
const TTL_SECONDS = 600;

export class ProgressStore {
  constructor(
    private readonly cache: CachePort | null,
    private readonly now: () => number,
  ) {}

  /** Never throws: progress is only informative. */
  set(sheetId: number, message: string): void {
    this.setEach([{ sheetId, message }]);
  }

  /** Several tabs' progress in one cache write (views paged together report in the same round). */
  setEach(items: readonly { sheetId: number; message: string }[]): void {
    if (items.length === 0) return;
    try {
      const at = this.now();
      const values: Record<string, string> = {};
      for (const { sheetId, message } of items) {
        const info: ProgressInfo = { sheetId, message, at };
        values[PREFIX + sheetId] = JSON.stringify(info);
      }
      this.cache?.putAll(values, TTL_SECONDS);
    } catch {
      // cache unavailable
    }
  }

  clear(sheetId: number): void {
    try {
      this.cache?.removeAll([PREFIX + sheetId]);
    } catch {
      // cache unavailable
    }
  }

  /** Current progress of any of these tabs. */
  of(sheetIds: number[]): ProgressInfo[] {
    if (!this.cache || sheetIds.length === 0) return [];
    try {
      const found = this.cache.getAll(sheetIds.map((id) => PREFIX + id));
      const out: ProgressInfo[] = [];
      for (const raw of Object.values(found)) {
        try {
          const p = JSON.parse(raw) as ProgressInfo;
          if (typeof p.sheetId === 'number' && typeof p.message === 'string') out.push(p);
        } catch {
          // ignore a spoiled entry
        }
      }
      return out.sort((a, b) => a.sheetId - b.sheetId);
    } catch {
      return [];
    }
  }
}
