/** Client for the emulator server's admin routes (/__emulator/...), over global fetch. */
import type { FieldValueUpdate, ListEntryWithEntity, User } from '../../src/server/affinity/types';
import type { Fault, LoggedRequest } from './emulator';
import type { GenerateOptions } from './generate';
import type { EmulatorSeed, SeedView } from './seed';

export class EmulatorAdmin {
  constructor(readonly url: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/__emulator${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator admin ${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  injectFault(fault: Fault): Promise<void> {
    // JSON has no Infinity: "until cleared" travels as -1.
    const count = fault.count === Infinity ? -1 : fault.count;
    return this.call('POST', '/faults', { ...fault, count });
  }

  clearFaults(): Promise<void> {
    return this.call('DELETE', '/faults');
  }

  /** Logged requests with `seq` greater than `since`. */
  requests(since = 0): Promise<LoggedRequest[]> {
    return this.call('GET', `/requests?since=${since}`);
  }

  clearRequests(): Promise<void> {
    return this.call('DELETE', '/requests');
  }

  /**
   * Edits a cell as someone in Affinity's app (default: another user than the API's; null = no changer), recorded as
   * a field value change at `at` (epoch ms; default the emulator's clock).
   */
  editField(
    listId: number,
    entryId: number,
    fieldId: string,
    value: FieldValueUpdate,
    opts: { changer?: User | null; at?: number } = {},
  ): Promise<void> {
    return this.call('POST', `/lists/${listId}/entries/${entryId}/fields/${encodeURIComponent(fieldId)}`, {
      value,
      ...opts,
    });
  }

  /** The stored entry with all its fields, or null. */
  async getEntry(listId: number, entryId: number): Promise<ListEntryWithEntity | null> {
    try {
      return await this.call<ListEntryWithEntity>('GET', `/lists/${listId}/entries/${entryId}`);
    } catch (err) {
      if (/: 404 /.test((err as Error).message)) return null;
      throw err;
    }
  }

  deleteEntry(listId: number, entryId: number): Promise<void> {
    return this.call('DELETE', `/lists/${listId}/entries/${entryId}`);
  }

  getView(listId: number, viewId: number): Promise<SeedView> {
    return this.call('GET', `/lists/${listId}/views/${viewId}`);
  }

  setView(listId: number, viewId: number, change: { entryIds?: number[]; fieldIds?: string[] }): Promise<SeedView> {
    return this.call('POST', `/lists/${listId}/views/${viewId}`, change);
  }

  /** Renames a field (as an admin does in Affinity's app). */
  renameField(listId: number, fieldId: string, name: string): Promise<unknown> {
    return this.call('POST', `/lists/${listId}/fields/${encodeURIComponent(fieldId)}`, { name });
  }

  /** Field value changes recorded so far. */
  changes(): Promise<unknown[]> {
    return this.call('GET', '/changes');
  }

  /** Replaces all data with a seed, or with a generated one. */
  loadSeed(seed: EmulatorSeed | { generate: GenerateOptions }): Promise<void> {
    return this.call('POST', '/seed', seed);
  }
}
